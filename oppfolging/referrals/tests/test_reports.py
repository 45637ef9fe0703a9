"""Reports of need — one way in (SPEC §4.1, guideline 6.3/6.4), through the real views."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.lib.identity import Sex, make_synthetic
from oppfolging.people.models import Person
from oppfolging.referrals.models import NeedReport, ReportStatus, ReportStatusChange, Routing
from oppfolging.referrals.tests.test_reports_support import (
    form_data,
    give_coordinator,
    latest_report,
    make_report,
    new_person,
    row_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hedda(cast):
    """A Fjordvik person of the test's own: no team, no reports but the test's."""
    return new_person(cast, "Hedda", serial=1)


NEW_NUMBER = make_synthetic(datetime.date(1958, 3, 9), sex=Sex.FEMALE, serial=42)


def _counts() -> tuple[int, int, int, int]:
    with unscoped():
        return (
            NeedReport.objects.count(),
            ReportStatusChange.objects.count(),
            Person.objects.count(),
            AuditEvent.objects.filter(action=AuditAction.CREATE).count(),
        )


def _queue(cast, user, **query):
    return cast.client(user).get("/meldinger/mottak/", query).content.decode()


# --- One way in ------------------------------------------------------------------------------


def test_another_municipalitys_staff_report_lands_in_our_queue_and_nowhere_else(cast):
    per = cast.persons["Per"]
    before = _counts()
    client = cast.client("lidal-fastlege")
    response = client.post("/meldinger/ny/", form_data(cast, "lidal-fastlege"))
    assert response.status_code == 302
    report = latest_report()
    with unscoped():
        change = ReportStatusChange.objects.get(report=report)
        audit = AuditEvent.objects.get(what="need_report", object_uuid=report.uuid)
    assert response["Location"] == f"/meldinger/{report.uuid}/kvittering/"
    assert report.person == per, "the registered person is linked, not registered again"
    assert report.municipality == cast.municipalities["fjordvik"]
    assert report.reporter == cast.users["lidal-fastlege"]
    assert report.reporter_unit is not None
    assert report.reporter_unit.name == "Lidal legekontor"
    assert report.routing == Routing.QUEUE
    assert (change.from_status, change.to_status) == ("", ReportStatus.RECEIVED)
    assert (audit.action, audit.person, audit.municipality, audit.role) == (
        AuditAction.CREATE,
        per,
        cast.municipalities["fjordvik"],
        "gp",
    )
    assert _counts()[2] == before[2]

    assert str(report.uuid) in _queue(cast, "fjordvik-tildeling")
    assert str(report.uuid) in _queue(cast, "fjordvik-ke")
    assert str(report.uuid) not in _queue(cast, "lidal-tildeling", status="all")
    assert str(report.uuid) not in _queue(cast, "lidal-ke", status="all")
    # Reporting gives the reporter no way to the person or the case.
    assert client.get(f"/personer/{per.uuid}/").status_code == 404
    assert client.get(f"/meldinger/{report.uuid}/").status_code == 404
    assert client.get(f"/meldinger/{report.uuid}/kvittering/").status_code == 200
    assert cast.client("lidal-tildeling").get(f"/meldinger/{report.uuid}/").status_code == 404


def test_an_external_hospital_doctor_reports_and_gets_a_receipt_but_sees_nothing_else(cast):
    client = cast.client("sykehus")
    form = client.get("/meldinger/ny/")
    assert form.status_code == 200
    assert "Fjellheim sykehus, medisinsk avdeling" in form.content.decode()
    response = client.post("/meldinger/ny/", form_data(cast, "sykehus", reporter_role="Overlege"))
    assert response.status_code == 302
    report = latest_report()
    assert report.municipality == cast.municipalities["fjordvik"]
    receipt = client.get(response["Location"]).content.decode()
    assert str(report.uuid) in receipt
    assert "Fjordvik kommune" in receipt
    assert "forvaltningsloven § 11 a" in receipt
    assert "Per Olsen" in receipt
    assert cast.persons["Per"].national_id not in receipt, "the whole number is never shown back"
    assert "Faller hjemme" not in receipt, "the receipt is not the case"
    mine = client.get("/meldinger/mine/").content.decode()
    assert "Per Olsen" in mine
    assert cast.persons["Per"].masked_id in mine
    assert "Mottatt" in mine
    for url in (f"/meldinger/{report.uuid}/", f"/personer/{cast.persons['Per'].uuid}/", "/meldinger/mottak/"):
        assert client.get(url).status_code == 404, url


def test_a_staff_account_with_no_unit_cannot_report(cast):
    assert cast.client("utenforstaaende").get("/meldinger/ny/").status_code == 404
    assert cast.client("per").get("/meldinger/ny/").status_code == 404


def test_a_report_without_the_persons_knowledge_needs_a_reason(cast):
    before = _counts()
    client = cast.client("fjordvik-fastlege")
    data = form_data(cast, "fjordvik-fastlege", knowledge="unknown")
    response = client.post("/meldinger/ny/", data)
    assert response.status_code == 200
    assert "Skriv hvorfor meldingen sendes uten at personen kjenner til den." in response.content.decode()
    assert _counts() == before, "nothing is saved"

    data["reason_without_knowledge"] = "Personen er for syk til å ta stilling nå; datteren har bedt om hjelp."
    assert client.post("/meldinger/ny/", data).status_code == 302
    report = latest_report()
    assert report.knowledge == "unknown"
    assert report.reason_without_knowledge.startswith("Personen er for syk")


def test_an_oral_report_from_a_relative_names_them_and_is_oral(cast):
    client = cast.client("fjordvik-tildeling")
    before = _counts()
    response = client.post("/meldinger/ny/", form_data(cast, "fjordvik-tildeling", source="relative"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skriv navnet på den som meldte behovet muntlig." in page
    assert "registrerer du meldingen som muntlig" in page
    assert _counts() == before
    data = form_data(cast, "fjordvik-tildeling", source="relative", source_name="Berit Lund", channel="oral")
    assert client.post("/meldinger/ny/", data).status_code == 302
    report = latest_report()
    assert (report.source, report.source_name, report.channel) == ("relative", "Berit Lund", "oral")


def test_an_unknown_number_registers_the_person_in_the_chosen_municipality(cast):
    lidal = cast.municipalities["lidal"]
    data = form_data(
        cast,
        "fjordvik-fastlege",
        national_id=NEW_NUMBER,
        given_name="Solveig",
        family_name="Strand",
        municipality=str(lidal.uuid),
    )
    assert cast.client("fjordvik-fastlege").post("/meldinger/ny/", data).status_code == 302
    with unscoped():
        person = Person.objects.get(national_id=NEW_NUMBER)
    report = latest_report()
    with unscoped():
        created = AuditEvent.objects.get(what="person", action=AuditAction.CREATE, person=person)
    assert person.municipality == lidal
    assert (person.birth_date, person.sex, person.full_name) == (
        datetime.date(1958, 3, 9),
        "female",
        "Solveig Strand",
    )
    assert person.preferred_language == "nn"
    assert report.person == person
    assert report.municipality == lidal
    assert created.municipality == lidal
    assert str(report.uuid) in _queue(cast, "lidal-tildeling")
    assert str(report.uuid) not in _queue(cast, "fjordvik-tildeling", status="all")


def test_the_name_is_asked_for_registered_and_unknown_persons_alike(cast):
    """Whether a number is registered must not show in how the form answers."""
    before = _counts()
    client = cast.client("fjordvik-fastlege")
    known = client.post("/meldinger/ny/", form_data(cast, "fjordvik-fastlege", given_name="", family_name=""))
    unknown = client.post(
        "/meldinger/ny/",
        form_data(cast, "fjordvik-fastlege", national_id=NEW_NUMBER, given_name="", family_name=""),
    )
    assert known.status_code == unknown.status_code == 200
    # The pages differ only in the number typed and in the per-response CSRF token.
    pages = [re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode()) for response in (known, unknown)]
    for page in pages:
        assert "Personens fornavn: Feltet er påkrevet." in page
    assert pages[0].replace(cast.persons["Per"].national_id, "") == pages[1].replace(NEW_NUMBER, "")
    assert _counts() == before


def test_a_wrong_number_is_a_clear_error(cast):
    before = _counts()
    number = cast.persons["Per"].national_id
    broken = number[:10] + str((int(number[10]) + 1) % 10)
    response = cast.client("fjordvik-fastlege").post(
        "/meldinger/ny/", form_data(cast, "fjordvik-fastlege", national_id=broken)
    )
    assert "Kontrollsifrene stemmer ikke" in response.content.decode()
    assert _counts() == before


def test_a_reporter_reports_only_from_their_own_units(cast):
    before = _counts()
    data = form_data(cast, "fjordvik-fastlege", reporter_unit=form_data(cast, "sykehus")["reporter_unit"])
    response = cast.client("fjordvik-fastlege").post("/meldinger/ny/", data)
    assert "Velg en av dine egne enheter." in response.content.decode()
    assert _counts() == before


# --- The reporter's view ---------------------------------------------------------------------


def test_the_reporter_sees_the_status_of_their_own_report_and_404_on_others(cast):
    report = make_report(cast, reporter="fjordvik-fastlege")
    tildeling = cast.client("fjordvik-tildeling")
    tildeling.post(f"/meldinger/{report.uuid}/status/", {"to_status": "being_assessed"})
    mine = cast.client("fjordvik-fastlege").get("/meldinger/mine/").content.decode()
    assert "Under vurdering" in mine
    assert "Trenger mer hjelp" not in mine
    receipt = cast.client("fjordvik-fastlege").get(f"/meldinger/{report.uuid}/kvittering/")
    assert "Under vurdering" in receipt.content.decode()
    for other in ("fjordvik-team", "lidal-fastlege", "sykehus", "fjordvik-tildeling"):
        assert cast.client(other).get(f"/meldinger/{report.uuid}/kvittering/").status_code == 404, other
        assert str(report.uuid) not in cast.client(other).get("/meldinger/mine/").content.decode()


# --- The queue and the handler's page --------------------------------------------------------


def test_reading_a_report_is_audited(cast):
    report = make_report(cast)
    page = cast.client("fjordvik-tildeling").get(f"/meldinger/{report.uuid}/").content.decode()
    assert "Trenger mer hjelp enn før." in page
    with unscoped():
        event = AuditEvent.objects.get(what="need_report", action=AuditAction.VIEW, object_uuid=report.uuid)
    assert (event.actor, event.role, event.person) == (
        cast.users["fjordvik-tildeling"],
        "allocation_officer",
        cast.persons["Per"],
    )


def test_a_report_is_overdue_after_a_month_until_an_interim_reply_is_recorded(cast):
    report = make_report(cast)
    with unscoped():
        NeedReport.objects.filter(pk=report.pk).update(
            received_at=timezone.now() - datetime.timedelta(days=29)
        )
    assert "Forsinket" not in row_of(_queue(cast, "fjordvik-tildeling"), report)
    with unscoped():
        NeedReport.objects.filter(pk=report.pk).update(
            received_at=timezone.now() - datetime.timedelta(days=31)
        )
    queue = _queue(cast, "fjordvik-tildeling")
    assert "Forsinket" in row_of(queue, report)
    assert "31 dager" in row_of(queue, report)
    assert "eldre enn en måned uten vedtak og uten foreløpig svar" in queue
    client = cast.client("fjordvik-tildeling")
    assert "Forsinket" in client.get(f"/meldinger/{report.uuid}/").content.decode()

    past = client.post(
        f"/meldinger/{report.uuid}/forelopig-svar/",
        {"text": "Vi venter på svar fra sykehuset.", "expected_by": "2000-01-01"},
    )
    assert "Datoen for forventet svar kan ikke være passert." in past.content.decode()
    expected = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    response = client.post(
        f"/meldinger/{report.uuid}/forelopig-svar/",
        {"text": "Vi venter på svar fra sykehuset.", "expected_by": expected},
    )
    assert response.status_code == 302
    with unscoped():
        report.refresh_from_db()
        updates = AuditEvent.objects.filter(
            what="need_report", action=AuditAction.UPDATE, object_uuid=report.uuid
        ).count()
    assert report.interim_reply_at is not None
    assert report.interim_reply_expected_by == datetime.date.fromisoformat(expected)
    assert not report.is_overdue
    assert updates == 1
    assert "Forsinket" not in row_of(_queue(cast, "fjordvik-tildeling"), report)
    assert "foreløpig svar sendt" in row_of(_queue(cast, "fjordvik-tildeling"), report)


def test_status_moves_forward_only_and_each_step_is_timed_and_audited(cast):
    report = make_report(cast)
    client = cast.client("fjordvik-tildeling")
    assert client.post(f"/meldinger/{report.uuid}/overta/").status_code == 302
    assert (
        client.post(f"/meldinger/{report.uuid}/status/", {"to_status": "being_assessed"}).status_code == 302
    )
    back = client.post(f"/meldinger/{report.uuid}/status/", {"to_status": "received"})
    assert back.status_code == 200
    assert "Velg et gyldig valg" in back.content.decode()
    with unscoped():
        report.refresh_from_db()
        assert report.status == ReportStatus.BEING_ASSESSED
        assert report.handled_by == cast.users["fjordvik-tildeling"]
        # Pretend the steps so far took days, to see the time in each status.
        ReportStatusChange.objects.filter(report=report, to_status="received").update(
            changed_at=timezone.now() - datetime.timedelta(days=5)
        )
        ReportStatusChange.objects.filter(report=report, to_status="being_assessed").update(
            changed_at=timezone.now() - datetime.timedelta(days=2)
        )
    assert client.post(f"/meldinger/{report.uuid}/status/", {"to_status": "decided"}).status_code == 302
    assert client.post(f"/meldinger/{report.uuid}/status/", {"to_status": "decided"}).status_code == 200
    page = client.get(f"/meldinger/{report.uuid}/").content.decode()
    assert "3 dager" in page, "received for three days"
    assert "2 dager" in page, "being assessed for two days"
    assert client.post(f"/meldinger/{report.uuid}/status/", {"to_status": "closed"}).status_code == 302
    with unscoped():
        report.refresh_from_db()
        steps = list(ReportStatusChange.objects.filter(report=report).values_list("from_status", "to_status"))
        audited = list(
            AuditEvent.objects.filter(what="need_report", action=AuditAction.UPDATE, object_uuid=report.uuid)
            .order_by("id")
            .values_list("detail", flat=True)
        )
    assert steps == [
        ("", "received"),
        ("received", "being_assessed"),
        ("being_assessed", "decided"),
        ("decided", "closed"),
    ]
    assert report.decided_at is not None
    assert report.closed_at is not None
    assert audited[0] == {"handled_by": "me", "had_handler": False}
    assert [d["status"] for d in audited[1:]] == [
        ["received", "being_assessed"],
        ["being_assessed", "decided"],
        ["decided", "closed"],
    ]
    # Closed: out of the open queue, still there when asked for.
    assert str(report.uuid) not in _queue(cast, "fjordvik-tildeling")
    assert str(report.uuid) in _queue(cast, "fjordvik-tildeling", status="closed")


def test_the_queue_filters_by_status_and_kind(cast, hedda):
    need = make_report(cast)
    changed = make_report(cast, person="Hedda", kind="changed_need")
    assert str(changed.uuid) in _queue(cast, "fjordvik-ke", kind="changed_need")
    assert str(need.uuid) not in _queue(cast, "fjordvik-ke", kind="changed_need")
    assert str(need.uuid) not in _queue(cast, "fjordvik-ke", status="being_assessed")


def test_the_start_assessment_link_appears_once_the_route_exists(cast):
    from django.urls import NoReverseMatch, reverse

    report = make_report(cast)
    page = cast.client("fjordvik-tildeling").get(f"/meldinger/{report.uuid}/").content.decode()
    try:
        url = reverse("assessments:create")
    except NoReverseMatch:
        assert "Start kartlegging" not in page
    else:
        assert f"{url}?report={report.uuid}" in page


# --- Changed need ----------------------------------------------------------------------------


def test_a_changed_need_goes_to_the_active_coordinators_inbox_and_not_the_queue(cast, hedda):
    give_coordinator(cast, "Hedda")
    report = make_report(cast, reporter="fjordvik-team", person="Hedda", kind="changed_need")
    assert report.routing == Routing.COORDINATOR
    coordinator = cast.client("fjordvik-koordinator")
    inbox = coordinator.get("/meldinger/innboks/").content.decode()
    assert str(report.uuid) in inbox
    assert str(report.uuid) not in _queue(cast, "fjordvik-tildeling", status="all")
    assert cast.client("fjordvik-tildeling").get(f"/meldinger/{report.uuid}/").status_code == 404
    assert coordinator.get(f"/meldinger/{report.uuid}/").status_code == 200
    with unscoped():
        event = AuditEvent.objects.get(what="need_report", action=AuditAction.VIEW, object_uuid=report.uuid)
    assert (event.role, event.actor) == ("coordinator", cast.users["fjordvik-koordinator"])
    # The reporter is not told where it went: that the person has a coordinator is case data.
    receipt = cast.client("fjordvik-team").get(f"/meldinger/{report.uuid}/kvittering/").content.decode()
    main = receipt[receipt.index("<main") : receipt.index("</main>")]
    assert "koordinator" not in main.lower()
    # The coordinator may send it on when a new decision is needed.
    assert coordinator.post(f"/meldinger/{report.uuid}/til-mottak/").status_code == 302
    assert str(report.uuid) in _queue(cast, "fjordvik-tildeling")
    assert str(report.uuid) not in coordinator.get("/meldinger/innboks/").content.decode()


def test_a_changed_need_without_a_team_goes_to_the_queue(cast, hedda):
    report = make_report(cast, person="Hedda", kind="changed_need")
    assert report.routing == Routing.QUEUE
    assert str(report.uuid) in _queue(cast, "fjordvik-ke")


def test_a_plain_report_about_a_person_with_a_coordinator_still_goes_to_the_queue(cast, hedda):
    give_coordinator(cast, "Hedda")
    report = make_report(cast, person="Hedda")
    assert report.routing == Routing.QUEUE


def test_a_changed_need_returns_to_the_queue_when_the_coordinator_leaves(cast, hedda):
    assignment = give_coordinator(cast, "Hedda")
    report = make_report(cast, person="Hedda", kind="changed_need")
    assert str(report.uuid) not in _queue(cast, "fjordvik-ke")
    with unscoped():
        type(assignment).objects.filter(pk=assignment.pk).update(status="ended", ended_at=timezone.now())
    assert str(report.uuid) in _queue(cast, "fjordvik-ke")
    assert cast.client("fjordvik-koordinator").get(f"/meldinger/{report.uuid}/").status_code == 404


def test_the_inbox_is_for_coordinators(cast, hedda):
    assert cast.client("fjordvik-koordinator").get("/meldinger/innboks/").status_code == 200
    for user in ("fjordvik-team", "fjordvik-ke", "sykehus", "per"):
        assert cast.client(user).get("/meldinger/innboks/").status_code == 404, user
    give_coordinator(cast, "Hedda", coordinator="fjordvik-team")
    assert cast.client("fjordvik-team").get("/meldinger/innboks/").status_code == 200


def test_actions_on_a_report_are_404_for_anyone_but_its_handlers(cast, hedda):
    queued = make_report(cast)
    give_coordinator(cast, "Hedda")
    routed = make_report(cast, person="Hedda", kind="changed_need")
    attempts = [
        ("lidal-tildeling", queued),
        ("fjordvik-koordinator", queued),
        ("fjordvik-tildeling", routed),
        ("fjordvik-ke", routed),
    ]
    for user, report in attempts:
        client = cast.client(user)
        for action, data in [
            ("overta", {}),
            ("status", {"to_status": "being_assessed"}),
            ("forelopig-svar", {"text": "x", "expected_by": timezone.localdate().isoformat()}),
        ]:
            assert client.post(f"/meldinger/{report.uuid}/{action}/", data).status_code == 404, (user, action)
    assert (
        cast.client("fjordvik-koordinator").post(f"/meldinger/{queued.uuid}/til-mottak/").status_code == 404
    )
    with unscoped():
        mine = [queued.pk, routed.pk]
        assert not AuditEvent.objects.filter(
            what="need_report", action=AuditAction.UPDATE, object_uuid__in=[queued.uuid, routed.uuid]
        ).exists()
        assert set(NeedReport.objects.filter(pk__in=mine).values_list("status", flat=True)) == {"received"}

"""A subject's page and its two actions: a report of need into the pathway's one queue in one
step, and «vurdert» with a reason, which holds until the subject's data change."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.people.models import Person
from oppfolging.referrals.models import Knowledge, NeedReport, ReportSource, ReportStatus, Routing
from oppfolging.risk.models import (
    Contact,
    ContactKind,
    Diagnosis,
    MedicineUse,
    Review,
    RiskSubject,
)
from oppfolging.risk.tests import builders as b
from oppfolging.teams.tests.test_team_support import make_person

pytestmark = pytest.mark.django_db


def _on_list(client, route: str = "risk:gp_list") -> list[str]:
    return re.findall(r'href="/risiko/person/([0-9a-f-]{36})/"', client.get(reverse(route)).content.decode())


def _audit_after(before: int) -> list[AuditEvent]:
    with unscoped():
        return list(AuditEvent.objects.order_by("id")[before:])


def _audit_count() -> int:
    with unscoped():
        return AuditEvent.objects.count()


def report_unit_name(person: Person) -> str:
    with unscoped():
        unit = NeedReport.objects.get(person=person).reporter_unit
    return unit.name if unit is not None else ""


def _report_data(**extra: str) -> dict[str, str]:
    return {
        "given_name": "Ruth",
        "family_name": "Risiko",
        "observed": "Funnet ved risikokartlegging.",
        "requested": "Tverrfaglig kartlegging",
        "reason_without_knowledge": "Ikke kontaktet ennå.",
        **extra,
    }


def test_the_subject_page_shows_the_score_the_data_and_is_audited(cast):
    fjordvik = cast.municipalities["fjordvik"]
    old = b.batch(fjordvik, computed_on=datetime.date(2025, 1, 1))
    latest = b.batch(fjordvik)
    who, _ = b.scored(latest, risk=0.42, band="severe", frailty=0.4)
    b.score(old, who, risk=0.31)
    with unscoped():
        Diagnosis.objects.create(
            municipality=fjordvik, subject=who, system="icpc2", code="K77", on="2025-03-01"
        )
        MedicineUse.objects.create(municipality=fjordvik, subject=who, atc="C03CA01", start="2024-01-01")
        Contact.objects.create(
            municipality=fjordvik,
            subject=who,
            on="2025-05-01",
            kind=ContactKind.EMERGENCY_ADMISSION,
            length_of_stay=4,
        )
    before = _audit_count()
    response = cast.client("fjordvik-fastlege").get(reverse("risk:subject", args=[who.uuid]))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "42 %",
        "31 %",
        "Alvorlig skrøpelig",
        "K77",
        "C03CA01",
        "Øyeblikkelig hjelp-innleggelse",
    ):
        assert expected in text
    assert "Beslutningsstøtte \u2013 ikke en beslutning" in text
    assert "5 faste legemidler" in text  # the flag's reason
    rows = _audit_after(before)
    assert [(r.what, r.object_uuid, r.person_id, r.role) for r in rows] == [
        ("risk.score", who.uuid, None, "gp")
    ]
    assert rows[0].municipality_id == fjordvik.pk


def test_only_the_subjects_gp_and_ke_of_the_municipality_see_the_page(cast):
    who, _ = b.scored(b.batch(cast.municipalities["fjordvik"]), gp_hpr=b.OTHER_GP_HPR)
    url = reverse("risk:subject", args=[who.uuid])
    assert cast.client("fjordvik-fastlege").get(url).status_code == 404  # not their patient
    assert cast.client("fjordvik-ke").get(url).status_code == 200
    assert cast.client("lidal-ke").get(url).status_code == 404


def test_a_report_from_the_list_registers_the_person_and_lands_in_the_queue_in_one_step(cast):
    fjordvik = cast.municipalities["fjordvik"]
    who, _ = b.scored(b.batch(fjordvik), risk=0.35)
    gp = cast.client("fjordvik-fastlege")
    page = gp.get(reverse("risk:subject", args=[who.uuid])).content.decode()
    assert "5 faste legemidler" in page
    assert "Tverrfaglig kartlegging" in page
    before = _audit_count()
    response = gp.post(reverse("risk:report", args=[who.uuid]), _report_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("risk:gp_list")
    with unscoped():
        who.refresh_from_db()
        assert who.person is not None
        assert report_unit_name(who.person) == "Fjordvik legekontor"
        report = NeedReport.objects.get(person=who.person)
        assert who.person.full_name == "Ruth Risiko"
        assert who.person.national_id == who.national_id
        assert report.routing == Routing.QUEUE
        assert report.status == ReportStatus.RECEIVED
        assert report.reporter == cast.users["fjordvik-fastlege"]
        assert report.source == ReportSource.STAFF
        assert report.knowledge == Knowledge.DOES_NOT_KNOW
        assert report.reason_without_knowledge == "Ikke kontaktet ennå."
        assert report.requested == "Tverrfaglig kartlegging"
    assert [(r.what, r.action) for r in _audit_after(before)] == [
        ("person", "create"),
        ("need_report", "create"),
    ]
    assert str(who.uuid) not in _on_list(gp)
    queue = cast.client("fjordvik-tildeling").get(reverse("reports:queue")).content.decode()
    assert "Ruth Risiko" in queue


def test_the_person_agreeing_is_recorded_and_a_known_person_is_not_asked_for_names(cast):
    fjordvik = cast.municipalities["fjordvik"]
    person = make_person(fjordvik, "Kjent", age=70, serial=741)
    who, _ = b.scored(b.batch(fjordvik), person=person)
    ke = cast.client("fjordvik-ke")
    page = ke.get(reverse("risk:subject", args=[who.uuid])).content.decode()
    assert 'name="given_name"' not in page
    response = ke.post(
        reverse("risk:report", args=[who.uuid]),
        {"observed": "Mange innleggelser.", "requested": "Tverrfaglig kartlegging", "agrees": "on"},
    )
    assert response["Location"] == reverse("risk:ke_list")
    with unscoped():
        report = NeedReport.objects.get(person=person)
        assert report.knowledge == Knowledge.KNOWS_AND_AGREES
        assert report.reason_without_knowledge == ""
        assert report_unit_name(person) == "Koordinerende enhet Fjordvik"
        assert Person.objects.filter(national_id=person.national_id).count() == 1


def test_a_bad_report_keeps_what_was_typed_and_stores_nothing(cast):
    who, _ = b.scored(b.batch(cast.municipalities["fjordvik"]))
    response = cast.client("fjordvik-fastlege").post(
        reverse("risk:report", args=[who.uuid]),
        _report_data(given_name="", observed="Mitt eget funn", reason_without_knowledge=""),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Mitt eget funn" in text
    assert "Skriv hvorfor meldingen sendes uten at personen kjenner til den." in text
    with unscoped():
        assert not NeedReport.objects.filter(person__national_id=who.national_id).exists()
        assert RiskSubject.objects.get(pk=who.pk).person_id is None


def test_a_second_report_is_refused_while_the_first_is_open(cast):
    who, _ = b.scored(b.batch(cast.municipalities["fjordvik"]))
    gp = cast.client("fjordvik-fastlege")
    assert gp.post(reverse("risk:report", args=[who.uuid]), _report_data()).status_code == 302
    response = gp.post(reverse("risk:report", args=[who.uuid]), _report_data())
    assert response.status_code == 400
    with unscoped():
        assert NeedReport.objects.filter(person__national_id=who.national_id).count() == 1


def test_review_needs_a_reason_holds_until_the_data_change_and_is_audited(cast):
    scoring = b.batch(cast.municipalities["fjordvik"])
    who, _ = b.scored(scoring, data_hash="v1")
    gp = cast.client("fjordvik-fastlege")
    url = reverse("risk:review", args=[who.uuid])
    response = gp.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Skriv hvorfor personen ikke meldes nå." in response.content.decode()
    with unscoped():
        assert not Review.objects.filter(subject=who).exists()
    assert str(who.uuid) in _on_list(gp)
    before = _audit_count()
    assert gp.post(url, {"reason": "Følges tett på legekontoret."}).status_code == 302
    with unscoped():
        review = Review.objects.get(subject=who)
    assert review.data_hash == "v1"
    assert review.reviewed_by == cast.users["fjordvik-fastlege"]
    rows = _audit_after(before)
    assert [(r.what, r.action, r.object_uuid, r.role) for r in rows] == [
        ("risk.review", "create", review.uuid, "gp")
    ]
    assert str(who.uuid) not in _on_list(gp)
    assert str(who.uuid) not in _on_list(cast.client("fjordvik-ke"), "risk:ke_list")
    # The batch's fingerprint of what the score rests on changed (a later scoring).
    b.score(scoring, who, data_hash="v2")
    assert str(who.uuid) in _on_list(gp)


def test_actions_on_someone_elses_patient_are_refused(cast):
    who, _ = b.scored(b.batch(cast.municipalities["fjordvik"]), gp_hpr=b.OTHER_GP_HPR)
    gp = cast.client("fjordvik-fastlege")
    assert gp.post(reverse("risk:review", args=[who.uuid]), {"reason": "x"}).status_code == 404
    assert gp.post(reverse("risk:report", args=[who.uuid]), _report_data()).status_code == 404
    assert (
        cast.client("lidal-ke").post(reverse("risk:review", args=[who.uuid]), {"reason": "x"}).status_code
        == 404
    )
    with unscoped():
        assert not Review.objects.filter(subject=who).exists()

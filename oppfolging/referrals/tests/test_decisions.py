"""Decisions (vedtak): who records which kind, the validation, the appeal deadline four weeks from
notification, the audit of every write and read, and the service catalogue."""

from __future__ import annotations

import datetime

import pytest

from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.referrals.catalogue import DEFAULT_SERVICES, ensure_default_catalogue
from oppfolging.referrals.models import DecisionKind, ServiceDecision, ServiceType
from oppfolging.teams.models import AssignmentStatus
from oppfolging.teams.tests.test_coordinators_support import assignment

pytestmark = pytest.mark.django_db


def _service(cast, name: str = "Hjemmesykepleie", town: str = "fjordvik") -> ServiceType:
    municipality = cast.municipalities[town]
    with unscoped():
        ensure_default_catalogue(municipality)
        return ServiceType.objects.get(municipality=municipality, name=name)


def _form(**overrides):
    data = {
        "kind": "service",
        "service_type": "",
        "scope": "",
        "valid_from": "",
        "valid_to": "",
        "outcome": "granted",
        "decided_on": "2026-01-02",
        "notified_on": "",
        "reason": "",
        "report": "",
    }
    data.update(overrides)
    return data


def _url(cast, name: str = "Per", suffix: str = "") -> str:
    return f"/vedtak/person/{cast.persons[name].uuid}/{suffix}"


def _decisions(cast, name: str = "Per") -> list[ServiceDecision]:
    with unscoped():
        return list(ServiceDecision.objects.filter(person=cast.persons[name]).select_related("service_type"))


def test_the_allocation_office_records_a_service_decision_and_the_appeal_deadline_is_four_weeks(cast):
    service = _service(cast)
    client = cast.client("fjordvik-tildeling")
    response = client.post(
        _url(cast, suffix="ny/"),
        _form(
            service_type=str(service.uuid),
            scope="3 besøk per uke",
            valid_from="2026-01-05",
            valid_to="2026-06-30",
            notified_on="2026-01-05",
            reason="Trenger hjelp med medisiner.",
        ),
    )
    assert response.status_code == 302
    [decision] = _decisions(cast)
    assert decision.service_type == service
    assert decision.decided_by == cast.users["fjordvik-tildeling"]
    assert decision.appeal_deadline == datetime.date(2026, 2, 2)
    with unscoped():
        event = AuditEvent.objects.get(what="decision", action=AuditAction.CREATE)
    assert event.person == cast.persons["Per"]
    assert event.role == "allocation_officer"
    assert event.object_uuid == decision.uuid
    assert "medisiner" not in str(event.detail)

    page = client.get(_url(cast))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hjemmesykepleie" in text
    assert "02.02.2026" in text
    with unscoped():
        assert AuditEvent.objects.filter(
            what="decision", action=AuditAction.VIEW, person=cast.persons["Per"]
        ).exists()


def test_notification_recorded_later_sets_the_appeal_deadline(cast):
    service = _service(cast)
    client = cast.client("fjordvik-tildeling")
    client.post(_url(cast, suffix="ny/"), _form(service_type=str(service.uuid)))
    [decision] = _decisions(cast)
    assert decision.appeal_deadline is None
    assert "Ikke underrettet" in client.get(_url(cast)).content.decode()

    early = client.post(f"/vedtak/{decision.uuid}/underretning/", {"notified_on": "2026-01-01"})
    assert early.status_code == 200
    assert "før vedtaket ble fattet" in early.content.decode()
    response = client.post(f"/vedtak/{decision.uuid}/underretning/", {"notified_on": "2026-01-05"})
    assert response.status_code == 302
    [decision] = _decisions(cast)
    assert decision.notified_on == datetime.date(2026, 1, 5)
    assert decision.appeal_deadline == datetime.date(2026, 2, 2)
    with unscoped():
        assert AuditEvent.objects.filter(what="decision", action=AuditAction.UPDATE).count() == 1
    # The notification of a service decision is the allocation office's: KE gets 404.
    assert cast.client("fjordvik-ke").get(f"/vedtak/{decision.uuid}/underretning/").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"valid_from": "2026-03-01", "valid_to": "2026-02-01"}, "valid_to", "Sluttdatoen kan ikke være før"),
        ({"service_type": ""}, "service_type", "Velg hvilken tjeneste"),
        ({"notified_on": "2025-12-31"}, "notified_on", "før vedtaket ble fattet"),
        ({"decided_on": "2099-01-01"}, "decided_on", "frem i tid"),
    ],
)
def test_invalid_service_decisions_are_refused_with_the_reason(cast, overrides, field, message):
    service = _service(cast)
    data = _form(service_type=str(service.uuid))
    data.update(overrides)
    response = cast.client("fjordvik-tildeling").post(_url(cast, suffix="ny/"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].has_error(field)
    assert _decisions(cast) == []


def test_a_service_is_forbidden_on_other_kinds_and_an_inactive_one_cannot_be_chosen(cast):
    from oppfolging.access.actor import resolve_actor
    from oppfolging.access.persons import Need, access_person
    from oppfolging.referrals.decision_services import decision_create

    service = _service(cast)
    actor = resolve_actor(cast.users["fjordvik-ke"])
    with municipality_scope(cast.municipalities["fjordvik"]):
        access = access_person(actor, cast.persons["Per"].uuid, Need.ADMIN_DATA)
        with pytest.raises(Exception, match="gjelder ingen tjeneste"):
            decision_create(
                actor=actor,
                access=access,
                kind=DecisionKind.INDIVIDUAL_PLAN,
                outcome="granted",
                decided_on=datetime.date(2026, 1, 2),
                service_type=service,
            )
    with unscoped():
        ServiceType.objects.filter(pk=service.pk).update(is_active=False)
    response = cast.client("fjordvik-tildeling").post(
        _url(cast, suffix="ny/"), _form(service_type=str(service.uuid))
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("service_type")


def test_only_ke_records_decisions_on_individual_plan_and_coordinator(cast):
    tildeling = cast.client("fjordvik-tildeling")
    for kind in ["individual_plan", "coordinator", "child_coordinator"]:
        response = tildeling.post(_url(cast, "Aron", "ny/"), _form(kind=kind))
        assert response.status_code == 200
        assert _decisions(cast, "Aron") == []
    # The allocation office is not offered those kinds at all, and KE is not offered services.
    assert "individual_plan" not in tildeling.get(_url(cast, suffix="ny/")).content.decode()
    ke_form = cast.client("fjordvik-ke").get(_url(cast, suffix="ny/")).content.decode()
    assert 'value="service"' not in ke_form
    assert 'value="individual_plan"' in ke_form
    service = _service(cast)
    refused = cast.client("fjordvik-ke").post(_url(cast, suffix="ny/"), _form(service_type=str(service.uuid)))
    assert refused.status_code == 200
    assert _decisions(cast) == []

    ke = cast.client("fjordvik-ke")
    assert (
        ke.post(_url(cast, suffix="ny/"), _form(kind="individual_plan", notified_on="2026-01-05")).status_code
        == 302
    )
    [decision] = _decisions(cast)
    assert decision.kind == "individual_plan"
    assert decision.service_type is None
    with unscoped():
        assert AuditEvent.objects.get(what="decision", action=AuditAction.CREATE).role == "ke_staff"


def test_the_service_itself_refuses_a_kind_outside_the_actors_role(cast):
    from django.core.exceptions import ValidationError

    from oppfolging.access.actor import resolve_actor
    from oppfolging.access.persons import Need, access_person
    from oppfolging.referrals.decision_services import decision_create

    actor = resolve_actor(cast.users["fjordvik-tildeling"])
    with municipality_scope(cast.municipalities["fjordvik"]):
        access = access_person(actor, cast.persons["Per"].uuid, Need.ADMIN_DATA)
        with pytest.raises(ValidationError, match="Bare koordinerende enhet"):
            decision_create(
                actor=actor,
                access=access,
                kind=DecisionKind.COORDINATOR,
                outcome="granted",
                decided_on=datetime.date(2026, 1, 2),
            )
    assert _decisions(cast) == []


def test_a_child_coordinator_decision_needs_a_person_under_18(cast):
    ke = cast.client("fjordvik-ke")
    adult = ke.post(_url(cast, suffix="ny/"), _form(kind="child_coordinator"))
    assert adult.status_code == 200
    assert "gjelder barn under 18 år" in adult.content.decode()
    assert "Per Olsen" in adult.content.decode()
    assert _decisions(cast) == []

    child = ke.post(_url(cast, "Aron", "ny/"), _form(kind="child_coordinator"))
    assert child.status_code == 302
    assert [d.kind for d in _decisions(cast, "Aron")] == ["child_coordinator"]


def test_another_municipalitys_staff_and_the_team_get_404(cast):
    for user in ["lidal-ke", "lidal-tildeling", "fjordvik-team", "fjordvik-koordinator", "fjordvik-leder"]:
        client = cast.client(user)
        assert client.get(_url(cast)).status_code == 404, user
        assert client.post(_url(cast, suffix="ny/"), _form(kind="individual_plan")).status_code == 404, user
    assert _decisions(cast) == []


def test_the_active_coordinator_reads_the_decisions_but_cannot_record(cast):
    assignment(cast, "Per", "fjordvik-koordinator", AssignmentStatus.ACTIVE)
    client = cast.client("fjordvik-koordinator")
    page = client.get(_url(cast))
    assert page.status_code == 200
    assert "Registrer vedtak" not in page.content.decode()
    assert client.get(_url(cast, suffix="ny/")).status_code == 404


def test_the_default_catalogue_is_created_once_in_the_municipalitys_language(cast):
    fjordvik, lidal = cast.municipalities["fjordvik"], cast.municipalities["lidal"]
    with unscoped():
        assert ensure_default_catalogue(fjordvik) == 10
        assert ensure_default_catalogue(fjordvik) == 0
        names = set(ServiceType.objects.filter(municipality=fjordvik).values_list("name", flat=True))
        ensure_default_catalogue(lidal)
        lidal_names = set(ServiceType.objects.filter(municipality=lidal).values_list("name", flat=True))
    assert names == set(DEFAULT_SERVICES["nb"])
    assert "Hjemmesykepleie" in names
    assert "Heimesjukepleie" in lidal_names


def test_the_catalogue_page_fills_an_empty_catalogue_and_keeps_renames(cast):
    client = cast.client("fjordvik-ke")
    page = client.get("/vedtak/tjenester/")
    assert page.status_code == 200
    assert "Praktisk bistand" in page.content.decode()
    service = _service(cast, "Praktisk bistand")
    edit = f"/vedtak/tjenester/{service.uuid}/endre/"
    response = client.post(edit, {"name": "Praktisk bistand i hjemmet", "description": "", "is_active": ""})
    assert response.status_code == 302
    client.get("/vedtak/tjenester/")
    with unscoped():
        names = list(
            ServiceType.objects.filter(municipality=cast.municipalities["fjordvik"]).values_list(
                "name", "is_active"
            )
        )
    assert ("Praktisk bistand i hjemmet", False) in names
    assert not any(name == "Praktisk bistand" for name, _active in names)
    # An inactive service is not offered for new decisions.
    form = cast.client("fjordvik-tildeling").get(_url(cast, suffix="ny/")).content.decode()
    assert "Praktisk bistand i hjemmet" not in form
    assert "Hjemmesykepleie" in form


def test_catalogue_names_are_unique_and_each_municipality_edits_its_own(cast):
    client = cast.client("fjordvik-tildeling")
    client.get("/vedtak/tjenester/")
    duplicate = client.post("/vedtak/tjenester/ny/", {"name": "fysioterapi", "description": ""})
    assert duplicate.status_code == 200
    assert "allerede en tjeneste" in duplicate.content.decode()
    assert (
        client.post("/vedtak/tjenester/ny/", {"name": "Logopedi", "description": "Språk"}).status_code == 302
    )
    with unscoped():
        assert AuditEvent.objects.filter(
            what="service_type", action=AuditAction.CREATE, detail__name="Logopedi"
        ).exists()
    lidal_service = _service(cast, "Bustad", "lidal")
    assert client.get(f"/vedtak/tjenester/{lidal_service.uuid}/endre/").status_code == 404


def test_the_decision_form_offers_the_default_catalogue_at_first_use(cast):
    with unscoped():
        assert not ServiceType.objects.filter(municipality=cast.municipalities["fjordvik"]).exists()
    form = cast.client("fjordvik-tildeling").get(_url(cast, suffix="ny/")).content.decode()
    for name in DEFAULT_SERVICES["nb"]:
        assert name in form

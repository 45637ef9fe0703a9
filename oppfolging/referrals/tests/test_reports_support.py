"""Building blocks for the report tests: a person of the test's own, a report made through the
real service, and a team with an active coordinator. Tests use persons of their own for routing,
so whatever teams and reports the demo gives its persons cannot change what they show."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from oppfolging.access.actor import resolve_actor
from oppfolging.accounts.models import User
from oppfolging.core.models import Unit
from oppfolging.core.tenancy import unscoped
from oppfolging.lib.identity import Sex, make_synthetic
from oppfolging.people.models import Person
from oppfolging.referrals.models import NeedReport
from oppfolging.referrals.report_services import report_create
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment


def new_person(cast: Any, given: str, *, town: str = "fjordvik", serial: int = 0) -> Person:
    """A person of the test's own, known to ``cast.persons`` by ``given``."""
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=97 * serial)
    with unscoped():
        person = Person.objects.create(
            municipality=cast.municipalities[town],
            national_id=make_synthetic(birth, sex=Sex.FEMALE, serial=60 + serial),
            id_kind="fnr",
            id_is_synthetic=True,
            birth_date=birth,
            sex="female",
            given_name=given,
            family_name="Testesen",
        )
        person = Person.objects.select_related("municipality").get(pk=person.pk)
    cast.persons[given] = person
    return person


def latest_report() -> NeedReport:
    with unscoped():
        report = NeedReport.objects.order_by("-id").first()
    assert report is not None
    return report


def row_of(html: str, report: NeedReport) -> str:
    """The table row of ``report`` in a list page ('' when it is not there)."""
    at = html.find(str(report.uuid))
    if at < 0:
        return ""
    return html[html.rfind("<tr", 0, at) : html.find("</tr>", at)]


def own_unit(user: User) -> Unit:
    membership = user.memberships.filter(is_active=True).select_related("unit").order_by("unit__name").first()
    assert membership is not None
    return membership.unit


def own_unit_uuid(user: User) -> str:
    return str(own_unit(user).uuid)


def form_data(cast: Any, reporter: str, person: Person | None = None, **overrides: Any) -> dict[str, Any]:
    """What a reporter types into the form, about Per unless told otherwise."""
    person = person or cast.persons["Per"]
    data = {
        "national_id": person.national_id,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "municipality": str(person.municipality.uuid),
        "kind": "need",
        "observed": "Faller hjemme og klarer ikke å ta medisinene sine selv.",
        "requested": "Kartlegging og hjemmetjenester.",
        "knowledge": "agrees",
        "reason_without_knowledge": "",
        "reporter_unit": own_unit_uuid(cast.users[reporter]),
        "reporter_role": "Fastlege",
        "source": "staff",
        "source_name": "",
        "channel": "written",
    }
    data.update(overrides)
    return data


def make_report(
    cast: Any, reporter: str = "fjordvik-fastlege", person: str = "Per", **overrides: Any
) -> NeedReport:
    """A report through the service, as the reporter would send it."""
    user = cast.users[reporter]
    actor = resolve_actor(user)
    target = cast.persons[person]
    with unscoped():
        unit = own_unit(user)
        fields: dict[str, Any] = {
            "municipality": target.municipality,
            "national_id": target.national_id,
            "given_name": target.given_name,
            "family_name": target.family_name,
            "reporter_unit": unit,
            "channel": "written",
            "observed": "Trenger mer hjelp enn før.",
            "knowledge": "agrees",
        }
        fields.update(overrides)
        return report_create(actor=actor, **fields)


def give_coordinator(
    cast: Any, person: str, coordinator: str = "fjordvik-koordinator"
) -> CoordinatorAssignment:
    target = cast.persons[person]
    with unscoped():
        team, _created = CareTeam.objects.get_or_create(municipality=target.municipality, person=target)
        return CoordinatorAssignment.objects.create(
            municipality=target.municipality,
            team=team,
            coordinator=cast.users[coordinator],
            status=AssignmentStatus.ACTIVE,
            proposed_by=cast.users["fjordvik-ke"],
            started_at=timezone.now(),
        )

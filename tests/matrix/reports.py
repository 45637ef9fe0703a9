"""Reports of need: who may report, read their receipt, work the queue and the inbox."""

from __future__ import annotations

from typing import Any

from tests.matrix import FJORDVIK_INTAKE, LIDAL_INTAKE, STAFF_USERS, Case, only

# Staff with a role in some unit, municipal or external; the outsider has none.
REPORTERS = [user for user in STAFF_USERS if user != "utenforstaaende"]
HANDLERS = [*FJORDVIK_INTAKE, *LIDAL_INTAKE, "fjordvik-koordinator"]
MARKER = "Matrise: "


def _report(
    cast: Any, label: str, *, reporter: str, person: Any, kind: str = "need", routing: str = "queue"
) -> Any:
    """One report per label, made once (idempotent) straight through the ORM."""
    from oppfolging.core.tenancy import unscoped
    from oppfolging.referrals.models import NeedReport, ReportStatusChange

    with unscoped():
        existing = NeedReport.objects.filter(observed=MARKER + label).first()
        if existing is not None:
            return existing
        user = cast.users[reporter]
        unit = user.memberships.filter(is_active=True).order_by("unit__name").first().unit
        report = NeedReport.objects.create(
            municipality=person.municipality,
            person=person,
            kind=kind,
            routing=routing,
            reporter=user,
            reporter_unit=unit,
            source="staff",
            channel="written",
            observed=MARKER + label,
            knowledge="agrees",
        )
        ReportStatusChange.objects.create(
            municipality=person.municipality, report=report, to_status="received", changed_by=user
        )
        return report


def _coordinated_person(cast: Any) -> Any:
    """A Fjordvik person of the matrix's own whose active coordinator is fjordvik-koordinator."""
    import datetime

    from django.utils import timezone

    from oppfolging.core.tenancy import unscoped
    from oppfolging.lib.identity import Sex, make_synthetic
    from oppfolging.people.models import Person
    from oppfolging.teams.models import CareTeam, CoordinatorAssignment

    fjordvik = cast.municipalities["fjordvik"]
    birth = datetime.date(1961, 4, 2)
    with unscoped():
        person, _created = Person.objects.get_or_create(
            municipality=fjordvik,
            national_id=make_synthetic(birth, sex=Sex.FEMALE, serial=77),
            defaults={
                "id_kind": "fnr",
                "id_is_synthetic": True,
                "birth_date": birth,
                "sex": "female",
                "given_name": "Matrise",
                "family_name": "Koordinert",
            },
        )
        team, _created = CareTeam.objects.get_or_create(municipality=fjordvik, person=person)
        CoordinatorAssignment.objects.get_or_create(
            municipality=fjordvik,
            team=team,
            coordinator=cast.users["fjordvik-koordinator"],
            status="active",
            defaults={"proposed_by": cast.users["fjordvik-ke"], "started_at": timezone.now()},
        )
    return person


def fjordvik_report(cast: Any) -> dict[str, Any]:
    report = _report(cast, "Fjordvik", reporter="fjordvik-fastlege", person=cast.persons["Per"])
    return {"report_uuid": report.uuid}


def lidal_report(cast: Any) -> dict[str, Any]:
    report = _report(cast, "Lidal", reporter="lidal-fastlege", person=cast.persons["Sigrid"])
    return {"report_uuid": report.uuid}


def hospital_report(cast: Any) -> dict[str, Any]:
    report = _report(cast, "sykehus", reporter="sykehus", person=cast.persons["Per"])
    return {"report_uuid": report.uuid}


def coordinator_report(cast: Any) -> dict[str, Any]:
    person = _coordinated_person(cast)
    report = _report(
        cast,
        "koordinator",
        reporter="fjordvik-team",
        person=person,
        kind="changed_need",
        routing="coordinator",
    )
    return {"report_uuid": report.uuid}


def _post_only(users: list[str]) -> list[Case]:
    """POST-only routes: a GET is refused by method before any lookup, so 405 reveals nothing."""
    return [
        Case("queue report", fjordvik_report, expect=only(users, 405)),
        Case("coordinator's report", coordinator_report, expect=only(users, 405)),
    ]


ENTRIES: dict[str, list[Case]] = {
    "reports:create": [Case("form", expect=only(REPORTERS))],
    "reports:mine": [Case("own reports", expect=only(REPORTERS))],
    "reports:queue": [
        Case("open", expect=only([*FJORDVIK_INTAKE, *LIDAL_INTAKE])),
        Case("all", query={"status": "all"}, expect=only([*FJORDVIK_INTAKE, *LIDAL_INTAKE])),
    ],
    "reports:inbox": [Case("inbox", expect=only(["fjordvik-koordinator"]))],
    "reports:receipt": [
        Case("Fjordvik GP's report", fjordvik_report, expect=only(["fjordvik-fastlege"])),
        Case("hospital's report", hospital_report, expect=only(["sykehus"])),
        Case("Lidal GP's report", lidal_report, expect=only([])),
        Case("changed need", coordinator_report, expect=only(["fjordvik-team"])),
    ],
    "reports:detail": [
        Case("Fjordvik queue", fjordvik_report, expect=only(FJORDVIK_INTAKE)),
        Case("hospital's report in Fjordvik queue", hospital_report, expect=only(FJORDVIK_INTAKE)),
        Case("Lidal queue", lidal_report, expect=only(LIDAL_INTAKE)),
        Case("coordinator's inbox", coordinator_report, expect=only(["fjordvik-koordinator"])),
    ],
    "reports:take_over": _post_only(HANDLERS),
    "reports:set_status": _post_only(HANDLERS),
    "reports:interim_reply": _post_only(HANDLERS),
    "reports:send_to_queue": _post_only(["fjordvik-koordinator"]),
}

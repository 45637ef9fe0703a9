"""The plan as a PDF: for whoever reads the plan's content — the coordinator, the consented
active member, the person, a guardian of a minor. The former member gets the plan as it stood
when they left; the hospital doctor left before this plan was made, so there is nothing to print
(404). The member whose consent was withdrawn, KE and the allocation officer (the queue, not the
plan), other citizens and everyone else get 404; anonymous visitors are sent to log in."""

from __future__ import annotations

from typing import Any

from tests.matrix import Case, only


def planned(cast: Any) -> dict[str, Any]:
    from oppfolging.plans.tests.support import planned_person

    return {"person_uuid": planned_person(cast).uuid}


def _with_plan(cast: Any, given_name: str) -> dict[str, Any]:
    """A demo person (no team in the tests' cast) with a plan of one recorded version."""
    from oppfolging.core.tenancy import unscoped
    from oppfolging.plans.history import record_version
    from oppfolging.plans.models import CarePlan

    person = cast.persons[given_name]
    coordinator = cast.users["fjordvik-koordinator"]
    with unscoped():
        plan, created = CarePlan.objects.get_or_create(
            municipality_id=person.municipality_id, person=person, defaults={"created_by": coordinator}
        )
        if created:
            record_version(plan, user=coordinator, role="coordinator", action="plan.create")
    return {"person_uuid": person.uuid}


def aron(cast: Any) -> dict[str, Any]:
    return _with_plan(cast, "Aron")


def per_plan(cast: Any) -> dict[str, Any]:
    return _with_plan(cast, "Per")


def no_plan(cast: Any) -> dict[str, Any]:
    from oppfolging.teams.tests.test_team_support import staged_person

    return {"person_uuid": staged_person(cast).uuid}


ENTRIES: dict[str, list[Case]] = {
    "plans:pdf": [
        Case("Fjordvik person with a plan", planned, expect=only(["fjordvik-koordinator", "fjordvik-team"])),
        Case("Aron's plan: his guardian", aron, expect=only(["aron-mor"])),
        Case("Per's plan: Per himself", per_plan, expect=only(["per"])),
        Case("a team but no plan", no_plan, expect=only([])),
    ],
}

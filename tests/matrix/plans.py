"""The plan page and its editing. The page is read by the coordinator, the consented active
member and the former member (who sees the plan as it stood when they left; the hospital doctor
left before this plan was made, so they get the page with nothing from the plan on it). The
member whose consent was withdrawn, KE and the allocation officer (who handle the case in the
queue, not the plan) and everyone else get 404. Every change is for the coordinator; comments
for anyone who reads the plan now. Creating, activating and the draft endpoint are POST only."""

from __future__ import annotations

from typing import Any

from tests.matrix import CITIZENS, STAFF_USERS, Case, only

COORDINATOR = ["fjordvik-koordinator"]
READERS = ["fjordvik-koordinator", "fjordvik-team", "sykehus"]
CURRENT_READERS = ["fjordvik-koordinator", "fjordvik-team"]


def planned(cast: Any) -> dict[str, Any]:
    from oppfolging.plans.tests.support import planned_person

    return {"person_uuid": planned_person(cast).uuid}


def staged(cast: Any) -> dict[str, Any]:
    from oppfolging.teams.tests.test_team_support import staged_person

    return {"person_uuid": staged_person(cast).uuid}


def lidal(cast: Any) -> dict[str, Any]:
    from oppfolging.teams.tests.test_team_support import lidal_person, make_team

    person = lidal_person(cast)
    make_team(person)
    return {"person_uuid": person.uuid}


def _parts(cast: Any) -> dict[str, Any]:
    from oppfolging.core.tenancy import unscoped
    from oppfolging.plans.models import Goal, Measure, PlanPeriod, SubGoal
    from oppfolging.plans.tests.support import planned_person

    person = planned_person(cast)
    with unscoped():
        return {
            "person_uuid": person.uuid,
            "goal_uuid": Goal.objects.get(plan__person=person).uuid,
            "period_uuid": PlanPeriod.objects.get(plan__person=person, number=1).uuid,
            "sub_goal_uuid": SubGoal.objects.get(period__plan__person=person).uuid,
            "measure_uuid": Measure.objects.get(period__plan__person=person).uuid,
        }


def with_goal(cast: Any) -> dict[str, Any]:
    parts = _parts(cast)
    return {"person_uuid": parts["person_uuid"], "goal_uuid": parts["goal_uuid"]}


def with_period(cast: Any) -> dict[str, Any]:
    parts = _parts(cast)
    return {"person_uuid": parts["person_uuid"], "period_uuid": parts["period_uuid"]}


def with_sub_goal(cast: Any) -> dict[str, Any]:
    parts = _parts(cast)
    return {"person_uuid": parts["person_uuid"], "sub_goal_uuid": parts["sub_goal_uuid"]}


def with_measure(cast: Any) -> dict[str, Any]:
    parts = _parts(cast)
    return {"person_uuid": parts["person_uuid"], "measure_uuid": parts["measure_uuid"]}


def _coordinator_form(kwargs: Any) -> list[Case]:
    return [
        Case("Fjordvik person with a plan", kwargs, expect=only(COORDINATOR)),
    ]


ENTRIES: dict[str, list[Case]] = {
    "plans:detail": [
        Case("Fjordvik person with a plan", planned, expect=only(READERS)),
        Case("Fjordvik person with a team, no plan", staged, expect=only(READERS)),
        Case("Lidal person", lidal, expect=only([])),
    ],
    "plans:details": [
        *_coordinator_form(planned),
        Case("no plan yet", staged, expect=only([])),
        Case("Lidal person", lidal, expect=only([])),
    ],
    "plans:goal_add": _coordinator_form(planned),
    "plans:goal_edit": _coordinator_form(with_goal),
    "plans:period_add": _coordinator_form(planned),
    "plans:period_edit": _coordinator_form(with_period),
    "plans:sub_goal_add": _coordinator_form(with_period),
    "plans:sub_goal_edit": _coordinator_form(with_sub_goal),
    "plans:measure_add": _coordinator_form(with_sub_goal),
    "plans:measure_edit": _coordinator_form(with_measure),
    "plans:link_add": _coordinator_form(planned),
    "plans:comment_add": [
        Case("Fjordvik person with a plan", planned, expect=only(CURRENT_READERS)),
        Case("Lidal person", lidal, expect=only([])),
    ],
    # POST-only routes: a GET is refused by method before any lookup, so 405 reveals nothing.
    "plans:create": [Case("POST only", staged, expect=only(STAFF_USERS, 405))],
    "plans:activate": [Case("POST only", planned, expect=only(STAFF_USERS, 405))],
    "plans:draft": [Case("POST only", planned, expect=only([*STAFF_USERS, *CITIZENS], 405))],
}

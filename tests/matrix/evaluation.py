"""The evaluation checkpoint: the coordinator records it; the coordinator and the active,
consented team members read a recorded one. A former member (who left before it was recorded),
a member whose consent was withdrawn, KE and everyone else get 404."""

from __future__ import annotations

from typing import Any

from tests.matrix import Case, only


def _period(cast: Any) -> dict[str, Any]:
    from oppfolging.core.tenancy import unscoped
    from oppfolging.plans.models import PlanPeriod
    from oppfolging.plans.tests.support import planned_person

    person = planned_person(cast)
    with unscoped():
        period = PlanPeriod.objects.get(plan__person=person, number=1)
    return {"person_uuid": person.uuid, "period_uuid": period.uuid}


def _evaluated(cast: Any) -> dict[str, Any]:
    from django.utils import timezone

    from oppfolging.core.tenancy import unscoped
    from oppfolging.plans import evaluation_selectors as selectors
    from oppfolging.plans.evaluation_services import (
        GoalOutcomeInput,
        MeasureDecisionInput,
        NextPeriodInput,
        evaluation_record,
    )
    from oppfolging.plans.models import Evaluation, PlanPeriod
    from oppfolging.plans.tests.support import coordinator_access, planned_person

    kwargs = _period(cast)
    person = planned_person(cast)
    with unscoped():
        period = PlanPeriod.objects.select_related("plan").get(uuid=kwargs["period_uuid"])
        if not Evaluation.objects.filter(period=period).exists():
            who, access = coordinator_access(cast, person)
            subject = selectors.evaluation_subject(period)
            evaluation_record(
                actor=who,
                access=access,
                period=period,
                held_on=timezone.localdate(),
                goal_results=[
                    GoalOutcomeInput(goal=r.goal, sub_goal=r.sub_goal, outcome="partly") for r in subject.rows
                ],
                measure_results=[
                    MeasureDecisionInput(measure=m, decision="continue") for m in subject.measures
                ],
                next_period=NextPeriodInput(),
            )
    return kwargs


ENTRIES: dict[str, list[Case]] = {
    "plans:evaluate": [Case("running period", _period, expect=only(["fjordvik-koordinator"]))],
    "plans:evaluation_detail": [
        Case("recorded evaluation", _evaluated, expect=only(["fjordvik-koordinator", "fjordvik-team"])),
        Case("not evaluated yet", _period, expect=only([])),
    ],
}

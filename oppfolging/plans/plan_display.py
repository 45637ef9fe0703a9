"""The plan as the pages show it, in one place: the rows the templates render
(:mod:`plan_rows`) and how they are built from the live tables or from a stored version
(:mod:`plan_content`). The plan page, the history, the PDF and the portal read the plan through
these, so what they show cannot drift apart."""

from oppfolging.plans.plan_content import content_from_plan, content_from_snapshot
from oppfolging.plans.plan_rows import (
    OPEN_MEASURE,
    CommentRow,
    Contribution,
    GoalRow,
    LinkRow,
    MeasureRow,
    PeriodRow,
    PlanContent,
    SubGoalRow,
)

__all__ = [
    "OPEN_MEASURE",
    "CommentRow",
    "Contribution",
    "GoalRow",
    "LinkRow",
    "MeasureRow",
    "PeriodRow",
    "PlanContent",
    "SubGoalRow",
    "content_from_plan",
    "content_from_snapshot",
]

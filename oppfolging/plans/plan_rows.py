"""The rows the plan's pages render: goals, periods with their sub-goals and measures, links,
comments, what each party contributes, and :class:`PlanContent` holding them all. They are built
either from the live tables or from a stored version's snapshot (:mod:`plan_content`), so one set
of templates renders both and the read-only view of the past cannot drift from the live one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import TextChoices

from oppfolging.plans.models import (
    AuthorKind,
    CloseReason,
    GoalStatus,
    LinkKind,
    MeasureStatus,
    PeriodStatus,
    PlanStatus,
    ResponsibleKind,
)

OPEN_MEASURE = frozenset({MeasureStatus.PLANNED.value, MeasureStatus.ONGOING.value})


def _label(choices: type[TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass(frozen=True)
class GoalRow:
    uuid: str
    text: str
    in_own_words: bool
    status: str
    author_kind: str
    author_label: str
    version: int | None = None  # None: a past version, not editable

    @property
    def status_label(self) -> str:
        return _label(GoalStatus, self.status)

    @property
    def author_kind_label(self) -> str:
        return _label(AuthorKind, self.author_kind)

    @property
    def is_active(self) -> bool:
        return self.status == GoalStatus.ACTIVE


@dataclass(frozen=True)
class MeasureRow:
    uuid: str
    sub_goal_uuid: str
    description: str
    scope: str
    how: str
    responsible_kind: str
    responsible: str  # the member's or relative's name ("" for the person)
    responsible_detail: str  # the member's discipline and unit
    starts_on: datetime.date | None
    due_on: datetime.date | None
    status: str
    past_due: bool
    version: int | None = None

    @property
    def status_label(self) -> str:
        return _label(MeasureStatus, self.status)

    @property
    def responsible_kind_label(self) -> str:
        return _label(ResponsibleKind, self.responsible_kind)


@dataclass(frozen=True)
class SubGoalRow:
    uuid: str
    text: str
    goal_uuid: str
    goal_text: str
    measures: tuple[MeasureRow, ...]
    version: int | None = None


@dataclass(frozen=True)
class PeriodRow:
    uuid: str
    number: int
    starts_on: datetime.date
    ends_on: datetime.date
    evaluation_due_on: datetime.date
    status: str
    focus: str
    sub_goals: tuple[SubGoalRow, ...]
    evaluation_overdue: bool
    evaluated_on: datetime.date | None
    version: int | None = None

    @property
    def status_label(self) -> str:
        return _label(PeriodStatus, self.status)

    @property
    def is_open(self) -> bool:
        return self.status != PeriodStatus.EVALUATED

    @property
    def measures(self) -> list[MeasureRow]:
        return [measure for sub_goal in self.sub_goals for measure in sub_goal.measures]


@dataclass(frozen=True)
class LinkRow:
    uuid: str
    kind: str
    title: str
    held_by: str
    contact: str
    note: str

    @property
    def kind_label(self) -> str:
        return _label(LinkKind, self.kind)


@dataclass(frozen=True)
class CommentRow:
    uuid: str
    text: str
    author_kind: str
    author_label: str
    at: datetime.datetime | None
    goal_text: str

    @property
    def author_kind_label(self) -> str:
        return _label(AuthorKind, self.author_kind)


@dataclass(frozen=True)
class Contribution:
    """What one party contributes: the free text the plan records for them (the person, the
    relatives) and the measures they are responsible for in the periods not yet evaluated."""

    kind: str  # ResponsibleKind value
    label: str
    detail: str
    text: str
    measures: tuple[MeasureRow, ...]


@dataclass(frozen=True)
class PlanContent:
    """Everything of the plan that is versioned, in the form the templates read."""

    status: str
    resources: str
    needs: str
    persons_contribution: str
    relatives_contribution: str
    coordination: str
    participation_wishes: str
    close_reason: str
    close_note: str
    activated_at: datetime.datetime | None
    goals: tuple[GoalRow, ...]
    periods: tuple[PeriodRow, ...]
    links: tuple[LinkRow, ...]
    comments: tuple[CommentRow, ...]
    version: int | None = None  # the text fields' version (None: a past version)
    updated_at: datetime.datetime | None = None

    @property
    def status_label(self) -> str:
        return _label(PlanStatus, self.status)

    @property
    def close_reason_label(self) -> str:
        return _label(CloseReason, self.close_reason) if self.close_reason else ""

    @property
    def is_closed(self) -> bool:
        return self.status == PlanStatus.CLOSED

    @property
    def active_goals(self) -> list[GoalRow]:
        return [goal for goal in self.goals if goal.is_active]

    @property
    def current_period(self) -> PeriodRow | None:
        """The active period; else the first one not yet evaluated; else the last."""
        for period in self.periods:
            if period.status == PeriodStatus.ACTIVE:
                return period
        return next((p for p in self.periods if p.is_open), self.periods[-1] if self.periods else None)

    @property
    def next_evaluation(self) -> datetime.date | None:
        dates = [p.evaluation_due_on for p in self.periods if p.is_open]
        return min(dates) if dates else None

    @property
    def evaluation_overdue(self) -> bool:
        return any(p.evaluation_overdue for p in self.periods)

    def goal_text(self, goal_uuid: str) -> str:
        return next((goal.text for goal in self.goals if goal.uuid == goal_uuid), "")

    # Finding one part again after a save, to show it alone.

    def find_goal(self, uuid: object) -> GoalRow | None:
        return next((goal for goal in self.goals if goal.uuid == str(uuid)), None)

    def find_period(self, uuid: object) -> PeriodRow | None:
        return next((period for period in self.periods if period.uuid == str(uuid)), None)

    def find_sub_goal(self, uuid: object) -> tuple[PeriodRow, SubGoalRow] | None:
        for period in self.periods:
            for sub_goal in period.sub_goals:
                if sub_goal.uuid == str(uuid):
                    return period, sub_goal
        return None

    def find_measure(self, uuid: object) -> tuple[PeriodRow, SubGoalRow, MeasureRow] | None:
        for period in self.periods:
            for sub_goal in period.sub_goals:
                for measure in sub_goal.measures:
                    if measure.uuid == str(uuid):
                        return period, sub_goal, measure
        return None

    def find_link(self, uuid: object) -> LinkRow | None:
        return next((link for link in self.links if link.uuid == str(uuid)), None)

    def find_comment(self, uuid: object) -> CommentRow | None:
        return next((comment for comment in self.comments if comment.uuid == str(uuid)), None)

    def contributions(self) -> list[Contribution]:
        """The person first, then each relative, then each responsible member."""
        open_measures = [m for p in self.periods if p.is_open for m in p.measures]
        person = Contribution(
            kind=ResponsibleKind.PERSON,
            label="",
            detail="",
            text=self.persons_contribution,
            measures=tuple(m for m in open_measures if m.responsible_kind == ResponsibleKind.PERSON),
        )
        rows = [person]
        relatives = _grouped(m for m in open_measures if m.responsible_kind == ResponsibleKind.RELATIVE)
        if self.relatives_contribution or relatives:
            rows.append(
                Contribution(
                    kind=ResponsibleKind.RELATIVE,
                    label="",
                    detail="",
                    text=self.relatives_contribution,
                    measures=(),
                )
            )
        for (name, detail), measures in relatives.items():
            rows.append(Contribution(ResponsibleKind.RELATIVE, name, detail, "", tuple(measures)))
        members = _grouped(m for m in open_measures if m.responsible_kind == ResponsibleKind.MEMBER)
        for (name, detail), measures in members.items():
            rows.append(Contribution(ResponsibleKind.MEMBER, name, detail, "", tuple(measures)))
        return rows


def _grouped(measures: Iterable[MeasureRow]) -> dict[tuple[str, str], list[MeasureRow]]:
    grouped: dict[tuple[str, str], list[MeasureRow]] = {}
    for measure in measures:
        grouped.setdefault((measure.responsible, measure.responsible_detail), []).append(measure)
    return grouped

"""The plan in plain words for the person's own view: each measure as one short sentence that
says who does what, how often and until when — "Nina Sykepleier: Trening i dusjen, to ganger i
uken, til 12. mars"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from oppfolging.people.models import Person
from oppfolging.plans.models import Measure, MeasureStatus, ResponsibleKind, SubGoal


@dataclass(frozen=True)
class MeasureLine:
    who: str
    what: str
    measure: Measure

    @property
    def is_done(self) -> bool:
        return self.measure.status in (MeasureStatus.DONE, MeasureStatus.STOPPED)


@dataclass(frozen=True)
class SubGoalLines:
    sub_goal: SubGoal
    lines: list[MeasureLine]


def plain_date(day: datetime.date) -> str:
    """12. mars, with the year only when it is not this year."""
    if day.year == timezone.localdate().year:
        return date_format(day, "j. F")
    return date_format(day, "j. F Y")


def _part(text: str) -> str:
    """A piece inside a sentence: without its full stop, and lower case first unless it looks
    like a name or an abbreviation ("To ganger i uken" → "to ganger i uken", "NAV" stays)."""
    text = text.strip().rstrip(".").strip()
    if len(text) > 1 and text[0].isupper() and text[1].islower() and " " in text:
        return text[0].lower() + text[1:]
    return text


def responsible(measure: Measure, person: Person, *, is_self: bool) -> str:
    if measure.responsible_kind == ResponsibleKind.PERSON:
        return _("Du") if is_self else person.given_name
    if measure.responsible_kind == ResponsibleKind.RELATIVE and measure.responsible_relative:
        return measure.responsible_relative.name
    if measure.responsible_member is not None:
        return measure.responsible_member.name
    return _("Teamet")


def measure_sentence(measure: Measure) -> str:
    """What, how much and until when, in one sentence (without who)."""
    parts = [measure.description.strip().rstrip(".")]
    if measure.scope.strip():
        parts.append(_part(measure.scope))
    if measure.due_on is not None:
        parts.append(_("til %(date)s") % {"date": plain_date(measure.due_on)})
    return ", ".join(parts)


def measure_lines(sub_goals: list[SubGoal], person: Person, *, is_self: bool) -> list[SubGoalLines]:
    """Each sub-goal of the period with its measures as sentences (measures prefetched)."""
    return [
        SubGoalLines(
            sub_goal=sub_goal,
            lines=[
                MeasureLine(
                    who=responsible(measure, person, is_self=is_self),
                    what=measure_sentence(measure),
                    measure=measure,
                )
                for measure in sub_goal.measures.all()
            ],
        )
        for sub_goal in sub_goals
    ]

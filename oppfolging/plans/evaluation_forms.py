"""The evaluation form: one form for the whole checkpoint, its fields made from the period (one
outcome and comment per goal line, one decision and comment per measure). Field names carry the
object's UUID, so a draft kept across a session timeout finds its way back to the right line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.plans.evaluation_selectors import EvaluationSubject, GoalRow
from oppfolging.plans.evaluation_services import (
    DEFAULT_NEXT_MONTHS,
    MAX_NEXT_MONTHS,
    GoalOutcomeInput,
    MeasureDecisionInput,
    NextPeriodInput,
)
from oppfolging.plans.models import Goal, GoalOutcome, Measure, MeasureDecision, MeasureStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _text(label: Any, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


@dataclass(frozen=True)
class GoalLine:
    row: GoalRow
    outcome: forms.BoundField
    comment: forms.BoundField


@dataclass(frozen=True)
class GoalCheck:
    goal: Goal
    achieved: forms.BoundField


@dataclass(frozen=True)
class MeasureLine:
    measure: Measure
    decision: forms.BoundField
    comment: forms.BoundField


class EvaluationForm(forms.Form):
    held_on = forms.DateField(label=_("Dato for evalueringen"), widget=DateInput())
    team_reviewed = forms.BooleanField(
        label=_("Teamets sammensetning er gjennomgått"),
        required=False,
        help_text=_("Er det noen som bør inn i teamet, eller som ikke lenger trengs?"),
    )
    team_review_note = _text(_("Endringer i teamet"))
    summary = _text(_("Oppsummering"), rows=5)
    persons_view = _text(_("Personens egen vurdering"), rows=4, help_text=_("Med personens egne ord."))
    create_next = forms.BooleanField(
        label=_("Start neste periode"),
        required=False,
        initial=True,
        help_text=_("Ta bort krysset bare hvis planen skal avsluttes."),
    )
    next_starts_on = forms.DateField(
        label=_("Neste periode begynner"),
        required=False,
        widget=DateInput(),
        help_text=_("Tomt: dagen etter at denne perioden slutter."),
    )
    next_months = forms.IntegerField(
        label=_("Lengde i måneder"),
        min_value=1,
        max_value=MAX_NEXT_MONTHS,
        initial=DEFAULT_NEXT_MONTHS,
        help_text=_("For eksempel 3."),
        error_messages={"required": _("Skriv hvor mange måneder neste periode skal vare.")},
    )
    next_evaluation_due_on = forms.DateField(
        label=_("Neste evaluering senest"),
        required=False,
        widget=DateInput(),
        help_text=_("Tomt: en uke før neste periode slutter."),
    )
    next_focus = _text(_("Hva neste periode skal handle om"))

    def __init__(
        self, data: Any = None, *, subject: EvaluationSubject, initial: dict[str, Any] | None = None
    ) -> None:
        super().__init__(data, initial={"held_on": timezone.localdate(), **(initial or {})})
        self.subject = subject
        outcomes = [(value, label) for value, label in GoalOutcome.choices]
        decisions = [(value, label) for value, label in MeasureDecision.choices]
        for row in subject.rows:
            text = row.sub_goal.text if row.sub_goal else row.goal.text
            self.fields[f"outcome-{row.key}"] = forms.ChoiceField(
                label=_("Resultat for «%(text)s»") % {"text": text[:80]},
                choices=outcomes,
                widget=forms.RadioSelect,
                error_messages={"required": _("Velg om det er nådd, delvis nådd eller ikke nådd.")},
            )
            self.fields[f"comment-{row.key}"] = _text(_("Kommentar"), rows=2)
        for goal in subject.goals:
            self.fields[f"achieved-{goal.uuid}"] = forms.BooleanField(
                label=_("Målet «%(text)s» er nådd: merk det som nådd i planen") % {"text": goal.text[:80]},
                required=False,
            )
        initial_decision = {
            MeasureStatus.DONE: MeasureDecision.DONE,
            MeasureStatus.STOPPED: MeasureDecision.STOP,
        }
        for measure in subject.measures:
            self.fields[f"decision-{measure.uuid}"] = forms.ChoiceField(
                label=_("Videre for «%(text)s»") % {"text": measure.description[:80]},
                choices=decisions,
                widget=forms.RadioSelect,
                initial=initial_decision.get(MeasureStatus(measure.status)),
                error_messages={"required": _("Velg om tiltaket er gjennomført, fortsetter eller stoppes.")},
            )
            self.fields[f"mcomment-{measure.uuid}"] = _text(_("Kommentar"), rows=2)
        if subject.planned_next is not None:
            for name in (
                "create_next",
                "next_starts_on",
                "next_months",
                "next_evaluation_due_on",
                "next_focus",
            ):
                del self.fields[name]

    # --- Grouped for the template ----------------------------------------------------------------

    @property
    def goal_lines(self) -> list[GoalLine]:
        return [
            GoalLine(row=row, outcome=self[f"outcome-{row.key}"], comment=self[f"comment-{row.key}"])
            for row in self.subject.rows
        ]

    @property
    def goal_checks(self) -> list[GoalCheck]:
        return [GoalCheck(goal=goal, achieved=self[f"achieved-{goal.uuid}"]) for goal in self.subject.goals]

    @property
    def measure_lines(self) -> list[MeasureLine]:
        return [
            MeasureLine(measure=m, decision=self[f"decision-{m.uuid}"], comment=self[f"mcomment-{m.uuid}"])
            for m in self.subject.measures
        ]

    # --- Validation and the service's input ------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for goal in self.subject.goals:
            if not data.get(f"achieved-{goal.uuid}"):
                continue
            lines = [row for row in self.subject.rows if row.goal.pk == goal.pk]
            if any(data.get(f"outcome-{row.key}") not in (None, GoalOutcome.ACHIEVED) for row in lines):
                self.add_error(
                    f"achieved-{goal.uuid}",
                    _("Et mål kan merkes som nådd bare når det er vurdert som nådd."),
                )
        if "create_next" in self.fields and not data.get("create_next") and "next_months" in self.errors:
            del self.errors["next_months"]  # no next period: its length does not matter
        return data

    def goal_results(self) -> list[GoalOutcomeInput]:
        data = self.cleaned_data
        return [
            GoalOutcomeInput(
                goal=row.goal,
                sub_goal=row.sub_goal,
                outcome=data[f"outcome-{row.key}"],
                comment=data.get(f"comment-{row.key}", ""),
            )
            for row in self.subject.rows
        ]

    def measure_results(self) -> list[MeasureDecisionInput]:
        data = self.cleaned_data
        return [
            MeasureDecisionInput(
                measure=m, decision=data[f"decision-{m.uuid}"], comment=data.get(f"mcomment-{m.uuid}", "")
            )
            for m in self.subject.measures
        ]

    def goals_achieved(self) -> list[Goal]:
        return [g for g in self.subject.goals if self.cleaned_data.get(f"achieved-{g.uuid}")]

    def next_period(self) -> NextPeriodInput | None:
        data = self.cleaned_data
        if self.subject.planned_next is not None:
            return NextPeriodInput()  # the planned period is started; the dates are its own
        if not data.get("create_next"):
            return None
        return NextPeriodInput(
            starts_on=data.get("next_starts_on"),
            months=data.get("next_months") or DEFAULT_NEXT_MONTHS,
            evaluation_due_on=data.get("next_evaluation_due_on"),
            focus=data.get("next_focus", ""),
        )

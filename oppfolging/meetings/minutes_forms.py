"""Forms of the minutes: what was agreed per item, corrections, and the plan changes agreed
under an item (kept on the item until they are applied to the plan in one step)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oppfolging.meetings.apply_services import GOAL, MEASURE, NEW, PERIOD, SUB_GOAL, Proposal
from oppfolging.meetings.minutes_services import MinutesInput
from oppfolging.meetings.models import AgendaItem, MeetingParticipant
from oppfolging.people.models import Relative
from oppfolging.plans.models import Goal, PlanPeriod, ResponsibleKind, SubGoal
from oppfolging.teams.models import TeamMember


def item_field(item: AgendaItem) -> str:
    return f"item_{item.uuid.hex}"


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=_("Oppsummering"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Det viktigste fra møtet, og hva som skjer videre."),
    )
    attended = forms.MultipleChoiceField(
        label=_("Hvem deltok?"), widget=forms.CheckboxSelectMultiple, required=False
    )
    corrections_due_on = forms.DateField(
        label=_("Frist for retting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Teammedlemmene som deltok, kan foreslå rettinger til og med denne dagen. Tre dager hvis tomt."
        ),
    )

    def __init__(
        self, *args: Any, items: list[AgendaItem], participants: list[MeetingParticipant], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item_field(item)] = forms.CharField(
                label=item.title,
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                help_text=_("Hva som ble avtalt, og hvem som gjør hva."),
            )
        attended = self.fields["attended"]
        assert isinstance(attended, forms.MultipleChoiceField)  # noqa: S101 - narrows the type
        attended.choices = [(str(p.uuid), p.name) for p in participants]

    def item_fields(self) -> list[tuple[AgendaItem, forms.BoundField]]:
        return [(item, self[item_field(item)]) for item in self.items]

    def minutes(self) -> MinutesInput:
        data = self.cleaned_data
        return MinutesInput(
            summary=data.get("summary", ""),
            agreed={str(item.uuid): data.get(item_field(item), "") for item in self.items},
            attended=set(data.get("attended") or []),
            corrections_due_on=data.get("corrections_due_on"),
        )


def initial_minutes(
    *, version: int, summary: str, items: list[AgendaItem], participants: list[MeetingParticipant], due: Any
) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "version": version,
        "summary": summary,
        "attended": [str(p.uuid) for p in participants if p.attended or p.attended is None],
        "corrections_due_on": due,
    }
    initial.update({item_field(item): item.agreed for item in items})
    return initial


class CorrectionForm(forms.Form):
    item = forms.ChoiceField(label=_("Hva gjelder rettingen?"))
    text = forms.CharField(
        label=_("Slik bør det stå"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skriv hele teksten slik du mener den bør være. Koordinatoren tar den inn eller ikke."),
    )

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = self.fields["item"]
        assert isinstance(item, forms.ChoiceField)  # noqa: S101 - narrows the type
        item.choices = [("", _("Oppsummeringen")), *((str(i.uuid), i.title) for i in items)]
        item.required = False


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Avgjørelse"),
        choices=[("accept", _("Ta inn rettingen")), ("reject", _("Ikke ta inn"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Begrunnelse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Må fylles ut når rettingen ikke tas inn."),
    )


# --- Plan changes agreed under an item ---------------------------------------------------------


def _label(proposal: Proposal) -> str:
    text = proposal.get("text") or proposal.get("description") or proposal.get("starts_on", "")
    return str(text)[:80]


def _dates(data: dict[str, Any], *names: str) -> dict[str, str | None]:
    return {
        name: data[name].isoformat() if isinstance(data.get(name), datetime.date) else None for name in names
    }


class GoalProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Målet"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Med personens egne ord, slik personen sa det."),
    )
    in_own_words = forms.BooleanField(label=_("Med personens egne ord"), required=False, initial=True)

    def proposal(self) -> Proposal:
        return {
            "type": GOAL,
            "text": self.cleaned_data["text"],
            "in_own_words": self.cleaned_data["in_own_words"],
        }


class PeriodProposalForm(forms.Form):
    starts_on = forms.DateField(label=_("Fra"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Til"), widget=forms.DateInput(attrs={"type": "date"}))
    evaluation_due_on = forms.DateField(
        label=_("Evaluering senest"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("En uke før perioden slutter hvis tomt."),
    )
    focus = forms.CharField(
        label=_("Hva perioden skal handle om"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("Perioden må slutte etter at den begynner."))
        return data

    def proposal(self) -> Proposal:
        data = self.cleaned_data
        return {
            "type": PERIOD,
            **_dates(data, "starts_on", "ends_on", "evaluation_due_on"),
            "focus": data["focus"],
        }


def _choices(existing: list[tuple[str, str]], pending: list[Proposal], kind: str) -> list[tuple[str, Any]]:
    new = [(NEW + p["id"], f"{_label(p)} ({_('ny i denne saken')})") for p in pending if p["type"] == kind]
    return [("", _("Velg")), *existing, *new]


class SubGoalProposalForm(forms.Form):
    goal = forms.ChoiceField(label=_("Mål"))
    period = forms.ChoiceField(label=_("Periode"))
    text = forms.CharField(label=_("Delmålet"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, goals: list[Goal], periods: list[PlanPeriod], pending: list[Proposal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = _choices([(str(g.uuid), g.text[:80]) for g in goals], pending, GOAL)  # type: ignore[attr-defined]
        self.fields["period"].choices = _choices(  # type: ignore[attr-defined]
            [(str(p.uuid), _period_label(p)) for p in periods], pending, PERIOD
        )
        active = next((p for p in periods if p.status == "active"), None)
        if active is not None:
            self.fields["period"].initial = str(active.uuid)

    def proposal(self) -> Proposal:
        data = self.cleaned_data
        return {"type": SUB_GOAL, "goal": data["goal"], "period": data["period"], "text": data["text"]}


def _period_label(period: PlanPeriod) -> str:
    dates = f"{period.starts_on:%d.%m.%Y}\N{EN DASH}{period.ends_on:%d.%m.%Y}"
    return str(_("Periode %(number)s: %(dates)s") % {"number": period.number, "dates": dates})


class MeasureProposalForm(forms.Form):
    sub_goal = forms.ChoiceField(label=_("Delmål"))
    description = forms.CharField(label=_("Tiltaket"), widget=forms.Textarea(attrs={"rows": 2}))
    scope = forms.CharField(
        label=_("Omfang"), max_length=200, required=False, help_text=_("For eksempel «to ganger i uken».")
    )
    responsible = forms.ChoiceField(label=_("Ansvarlig"))
    starts_on = forms.DateField(
        label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(label=_("Frist"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self,
        *args: Any,
        sub_goals: list[SubGoal],
        members: list[TeamMember],
        relatives: list[Relative],
        pending: list[Proposal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_goal"].choices = _choices(  # type: ignore[attr-defined]
            [(str(s.uuid), s.text[:80]) for s in sub_goals], pending, SUB_GOAL
        )
        self.fields["responsible"].choices = [  # type: ignore[attr-defined]
            ("", _("Velg")),
            *(
                (
                    f"{ResponsibleKind.MEMBER}:{m.uuid}",
                    f"{m.name} ({m.discipline})" if m.discipline else m.name,
                )
                for m in members
            ),
            (ResponsibleKind.PERSON.value, _("Personen selv")),
            *((f"{ResponsibleKind.RELATIVE}:{r.uuid}", f"{r.name} ({_('pårørende')})") for r in relatives),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, due_on = data.get("starts_on"), data.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", _("Fristen kan ikke være før start."))
        return data

    def proposal(self) -> Proposal:
        data = self.cleaned_data
        return {
            "type": MEASURE,
            "sub_goal": data["sub_goal"],
            "description": data["description"],
            "scope": data["scope"],
            "responsible": data["responsible"],
            **_dates(data, "starts_on", "due_on"),
        }


PROPOSAL_LABELS = {
    GOAL: _("Nytt mål"),
    PERIOD: _("Ny periode"),
    SUB_GOAL: _("Nytt delmål"),
    MEASURE: _("Nytt tiltak"),
}

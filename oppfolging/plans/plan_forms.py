"""Forms of the plan page. They parse input; the rules (dates in order, a responsible party that
belongs to the person, a closed plan) live in :mod:`oppfolging.plans.services`, whose refusals
come back onto these forms. Each edit form carries the version of the part it was opened from,
so a save after someone else's is refused and both are shown (:func:`conflict_rows`). Choices
carry UUIDs, never database ids."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from oppfolging.people.models import Relative
from oppfolging.plans.models import (
    CarePlan,
    Goal,
    GoalStatus,
    LinkKind,
    Measure,
    MeasureStatus,
    PlanPeriod,
    ResponsibleKind,
    SubGoal,
)
from oppfolging.plans.services import PLAN_TEXT_FIELDS
from oppfolging.teams.models import TeamMember

TEXT_MAX_LENGTH = 20_000
PERSON_CHOICE = "person"


class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=DateInput(), input_formats=["%Y-%m-%d"]
    )


def _text(label: Any, *, rows: int = 4, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class VersionedForm(forms.Form):
    """A form that edits a stored part: ``version`` is the version it was opened from. When
    adding, there is none (``editing=False`` drops the field)."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput(attrs={"data-version-input": ""}))

    def __init__(self, *args: Any, editing: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if not editing:
            del self.fields["version"]

    def with_version(self, version: int) -> VersionedForm:
        """The same form, bound to what the user sent but opened from ``version``: after a
        refused save the user's text stays and the next save is checked against the stored one."""
        data = self.data.copy()  # type: ignore[attr-defined]
        data[self.add_prefix("version")] = str(version)
        return type(self)(data, **self.rebind_kwargs())

    def rebind_kwargs(self) -> dict[str, Any]:
        return {"prefix": self.prefix, "editing": self.editing}


class PlanDetailsForm(VersionedForm):
    """The plan's own text: resources and needs, what the person and relatives contribute, how
    the measures are carried out and coordinated, and the person's wishes for taking part."""

    resources = _text(capfirst(CarePlan._meta.get_field("resources").verbose_name), rows=6)
    needs = _text(capfirst(CarePlan._meta.get_field("needs").verbose_name), rows=6)
    persons_contribution = _text(capfirst(CarePlan._meta.get_field("persons_contribution").verbose_name))
    relatives_contribution = _text(capfirst(CarePlan._meta.get_field("relatives_contribution").verbose_name))
    coordination = _text(
        capfirst(CarePlan._meta.get_field("coordination").verbose_name),
        help_text=_("Hvem gjør hva, hvordan dere holder hverandre orientert, og hvem som følger opp."),
    )
    participation_wishes = _text(
        capfirst(CarePlan._meta.get_field("participation_wishes").verbose_name),
        help_text=_("For eksempel hvem personen vil ha med i møter, hvor og når møtene bør være."),
    )

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in PLAN_TEXT_FIELDS}


def details_initial(plan: CarePlan) -> dict[str, Any]:
    return {name: getattr(plan, name) for name in PLAN_TEXT_FIELDS} | {"version": plan.version}


class GoalForm(VersionedForm):
    text = _text(
        _("Målet"),
        rows=3,
        required=True,
        help_text=_("Skriv målet slik personen selv sier det."),
    )
    in_own_words = forms.BooleanField(
        label=_("Målet er skrevet med personens egne ord"), required=False, initial=True
    )
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices, initial=GoalStatus.ACTIVE)

    def __init__(self, *args: Any, editing: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, editing=editing, **kwargs)
        if not editing:
            del self.fields["status"]


def goal_initial(goal: Goal) -> dict[str, Any]:
    return {
        "text": goal.text,
        "in_own_words": goal.in_own_words,
        "status": goal.status,
        "version": goal.version,
    }


class PeriodForm(VersionedForm):
    starts_on = _date_field(_("Fra"))
    ends_on = _date_field(_("Til"))
    evaluation_due_on = _date_field(
        _("Evaluering senest"),
        required=False,
        help_text=_("Står feltet tomt, settes evalueringen til en uke før perioden slutter."),
    )
    focus = _text(_("Hva perioden skal handle om"), rows=3)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("Perioden må slutte etter at den begynner."))
        if ends_on and not data.get("evaluation_due_on"):
            data["evaluation_due_on"] = PlanPeriod.default_evaluation_date(ends_on)
        return data

    def values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in ("starts_on", "ends_on", "evaluation_due_on", "focus")
        }


def period_initial(period: PlanPeriod) -> dict[str, Any]:
    return {
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "evaluation_due_on": period.evaluation_due_on,
        "focus": period.focus,
        "version": period.version,
    }


def new_period_initial(last: PlanPeriod | None, today: datetime.date) -> dict[str, Any]:
    """A new period follows the last one (or starts today) and lasts two months; its checkpoint
    is the default, a week before it ends, shown so it can be changed."""
    starts_on = last.ends_on + datetime.timedelta(days=1) if last is not None else today
    ends_on = starts_on + datetime.timedelta(days=61)
    return {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "evaluation_due_on": PlanPeriod.default_evaluation_date(ends_on),
    }


class SubGoalForm(VersionedForm):
    goal = forms.ChoiceField(label=_("Hvilket mål delmålet hører til"))
    text = _text(_("Delmålet"), rows=2, required=True)

    def __init__(self, *args: Any, goals: Iterable[Goal] = (), editing: bool = True, **kwargs: Any) -> None:
        self.goals = list(goals)
        super().__init__(*args, editing=editing, **kwargs)
        if editing:
            del self.fields["goal"]
        else:
            self.fields["goal"].choices = [(str(g.uuid), g.text[:120]) for g in self.goals]  # type: ignore[attr-defined]

    def rebind_kwargs(self) -> dict[str, Any]:
        return super().rebind_kwargs() | {"goals": self.goals}

    def chosen_goal(self) -> Goal:
        wanted = self.cleaned_data["goal"]
        return next(goal for goal in self.goals if str(goal.uuid) == wanted)


def sub_goal_initial(sub_goal: SubGoal) -> dict[str, Any]:
    return {"text": sub_goal.text, "version": sub_goal.version}


def _member_label(member: TeamMember) -> str:
    detail = ", ".join(p for p in (member.discipline, member.unit.name if member.unit else "") if p)
    return f"{member.name} ({detail})" if detail else member.name


def _relative_label(relative: Relative) -> str:
    return f"{relative.name} ({relative.relation or relative.get_kind_display()})"


class MeasureForm(VersionedForm):
    description = _text(_("Tiltaket"), rows=2, required=True)
    scope = forms.CharField(
        label=_("Omfang"),
        required=False,
        max_length=200,
        help_text=_("For eksempel «to ganger i uken» eller «30 minutter hver dag»."),
    )
    responsible = forms.ChoiceField(label=_("Ansvarlig"))
    how = _text(_("Gjennomføring og samordning"), rows=2)
    starts_on = _date_field(_("Start"), required=False)
    due_on = _date_field(_("Frist"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=MeasureStatus.choices, initial=MeasureStatus.PLANNED
    )

    def __init__(
        self,
        *args: Any,
        members: Iterable[TeamMember] = (),
        relatives: Iterable[Relative] = (),
        editing: bool = True,
        **kwargs: Any,
    ) -> None:
        self.members = list(members)
        self.relatives = list(relatives)
        super().__init__(*args, editing=editing, **kwargs)
        choices: list[Any] = [("", _("Velg hvem som er ansvarlig"))]
        if self.members:
            choices.append(
                (_("Teammedlemmer"), [(f"member:{m.uuid}", _member_label(m)) for m in self.members])
            )
        choices.append((PERSON_CHOICE, _("Personen selv")))
        if self.relatives:
            choices.append(
                (_("Pårørende"), [(f"relative:{r.uuid}", _relative_label(r)) for r in self.relatives])
            )
        self.fields["responsible"].choices = choices  # type: ignore[attr-defined]

    def rebind_kwargs(self) -> dict[str, Any]:
        return super().rebind_kwargs() | {"members": self.members, "relatives": self.relatives}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, due_on = data.get("starts_on"), data.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", _("Fristen kan ikke være før start."))
        return data

    def values(self) -> dict[str, Any]:
        chosen = self.cleaned_data["responsible"]
        member = next((m for m in self.members if f"member:{m.uuid}" == chosen), None)
        relative = next((r for r in self.relatives if f"relative:{r.uuid}" == chosen), None)
        if member is not None:
            kind = ResponsibleKind.MEMBER
        elif relative is not None:
            kind = ResponsibleKind.RELATIVE
        else:
            kind = ResponsibleKind.PERSON
        return {
            "description": self.cleaned_data["description"],
            "scope": self.cleaned_data["scope"],
            "how": self.cleaned_data["how"],
            "responsible_kind": kind,
            "responsible_member": member,
            "responsible_relative": relative,
            "starts_on": self.cleaned_data["starts_on"],
            "due_on": self.cleaned_data["due_on"],
            "status": self.cleaned_data["status"],
        }


def responsible_value(measure: Measure) -> str:
    if measure.responsible_kind == ResponsibleKind.MEMBER and measure.responsible_member is not None:
        return f"member:{measure.responsible_member.uuid}"
    if measure.responsible_kind == ResponsibleKind.RELATIVE and measure.responsible_relative is not None:
        return f"relative:{measure.responsible_relative.uuid}"
    return PERSON_CHOICE


def measure_initial(measure: Measure) -> dict[str, Any]:
    return {
        "description": measure.description,
        "scope": measure.scope,
        "how": measure.how,
        "responsible": responsible_value(measure),
        "starts_on": measure.starts_on,
        "due_on": measure.due_on,
        "status": measure.status,
        "version": measure.version,
    }


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=LinkKind.choices)
    title = forms.CharField(
        label=_("Plan eller etat"),
        max_length=200,
        help_text=_("For eksempel «IOP ved Fjordvik skole» eller «NAV Fjordvik»."),
    )
    held_by = forms.CharField(label=_("Hvem har planen"), max_length=200, required=False)
    contact = forms.CharField(label=_("Kontaktperson"), max_length=200, required=False)
    note = _text(_("Hvordan planene henger sammen"), rows=2)


class CommentForm(forms.Form):
    text = _text(_("Kommentar"), rows=3, required=True)
    goal = forms.ChoiceField(label=_("Gjelder"), required=False)

    def __init__(self, *args: Any, goals: Iterable[Any] = (), **kwargs: Any) -> None:
        """``goals``: the plan's goals (anything with ``uuid`` and ``text``)."""
        super().__init__(*args, **kwargs)
        choices = [("", _("Hele planen"))] + [(str(g.uuid), g.text[:120]) for g in goals]
        self.fields["goal"].choices = choices  # type: ignore[attr-defined]

    def goal_uuid(self) -> str:
        return str(self.cleaned_data.get("goal") or "")


# --- Both versions side by side ----------------------------------------------------------------


def _flat_choices(field: forms.Field) -> dict[str, str]:
    flat: dict[str, str] = {}
    for value, label in getattr(field, "choices", []):
        if isinstance(label, list | tuple):
            flat.update({str(v): str(lbl) for v, lbl in label})
        else:
            flat[str(value)] = str(label)
    return flat


def _shown(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.BooleanField):
        return str(_("Ja") if value in (True, "on", "true", "True", "1") else _("Nei"))
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(field, forms.DateField):
        try:
            return datetime.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
        except ValueError:
            return str(value)
    if isinstance(field, forms.ChoiceField):
        return _flat_choices(field).get(str(value), str(value))
    return str(value).replace("\r\n", "\n").strip()


def conflict_rows(form: forms.Form, stored: Mapping[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(label, stored, the user's, differs) for each visible field of ``form``."""
    rows = []
    for bound in form.visible_fields():
        name = bound.name
        theirs = _shown(bound.field, stored.get(name))
        mine = _shown(bound.field, bound.value())
        rows.append((str(bound.label), theirs, mine, theirs != mine))
    return rows

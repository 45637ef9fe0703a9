"""The form for planning a transition. The rules (receiving unit or a description, overlap on or
before the date, one way of naming the next coordinator) are the service's; the form parses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from oppfolging.accounts.models import User
from oppfolging.core.models import Unit
from oppfolging.people.models import Person
from oppfolging.plans.models import TransitionKind
from oppfolging.plans.transition_selectors import coordinator_candidates, receiving_units
from oppfolging.plans.transition_services import NewTransition

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATE_ERRORS = {"invalid": _("Skriv datoen som dd.mm.åååå, for eksempel 12.03.2026.")}


def _date_field(label: Any, *, required: bool, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text,
        error_messages={**DATE_ERRORS, "required": _("Skriv datoen.")},
    )


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({_('utenfor kommunen')})" if obj.is_external else obj.name


class StaffChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.title})" if obj.title else name


class TransitionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hva slags overgang?"),
        choices=[("", _("Velg …")), *TransitionKind.choices],
        error_messages={"required": _("Velg hva slags overgang det er.")},
    )
    planned_on = _date_field(_("Dato for overgangen"), required=True)
    from_description = forms.CharField(
        label=_("Fra"),
        max_length=200,
        required=False,
        help_text=_("For eksempel «Sykehuset, nevrologisk avdeling» eller «Barnehagen»."),
    )
    receiving_unit = UnitChoiceField(
        label=_("Mottakende enhet"),
        queryset=Unit.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Ingen i listen"),
        help_text=_("Kommunens enheter og enheter utenfor kommunen, som sykehus og NAV."),
    )
    receiving_description = forms.CharField(
        label=_("Eller: hvem tar imot?"),
        max_length=200,
        required=False,
        help_text=_("Når den som tar imot ikke er i listen, eller for å utdype."),
    )
    next_coordinator = StaffChoiceField(
        label=_("Ny koordinator"),
        queryset=User.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Ingen, eller ikke i listen"),
        help_text=_(
            "En ansatt i kommunen eller et medlem av teamet. Blir koordinator fra overlappen begynner."
        ),
    )
    next_coordinator_name = forms.CharField(
        label=_("Eller: navnet på ny koordinator"),
        max_length=150,
        required=False,
        help_text=_("Når den nye koordinatoren ikke bruker Oppfølging."),
    )
    overlap_from = _date_field(
        _("Overlapp fra"),
        required=False,
        help_text=_(
            "Fra denne datoen er både du og den nye koordinatoren koordinator, til overgangen er "
            "gjennomført. Senest på datoen for overgangen."
        ),
    )
    what_to_hand_over = forms.CharField(
        label=_("Hva skal overføres?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Oppgaver, avtaler og kunnskap den som tar imot trenger."),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_queryset("receiving_unit", receiving_units(person))
        self._set_queryset("next_coordinator", coordinator_candidates(person))

    def _set_queryset(self, name: str, queryset: QuerySet[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = queryset

    def new_transition(self) -> NewTransition:
        data = self.cleaned_data
        return NewTransition(
            kind=data["kind"],
            planned_on=data["planned_on"],
            from_description=data["from_description"],
            receiving_unit=data["receiving_unit"],
            receiving_description=data["receiving_description"],
            next_coordinator=data["next_coordinator"],
            next_coordinator_name=data["next_coordinator_name"],
            overlap_from=data["overlap_from"],
            what_to_hand_over=data["what_to_hand_over"],
        )

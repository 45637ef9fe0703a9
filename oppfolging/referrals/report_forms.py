"""Forms of the report pages. They parse input; the rules (a reason when the person does not
know, oral reports from the person or a relative, forward-only status) live in
:mod:`oppfolging.referrals.report_services`, whose errors come back onto these forms' fields.
Choices of units and municipalities carry UUIDs, never database ids."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import Municipality, Unit
from oppfolging.people.validators import parse_identity_number
from oppfolging.referrals.models import (
    Knowledge,
    ReportChannel,
    ReportKind,
    ReportSource,
    ReportStatus,
)

KIND_CHOICES = [
    (ReportKind.NEED.value, _("Behov for tjenester eller koordinering")),
    (ReportKind.CHANGED_NEED.value, _("Endret behov hos en som allerede får tjenester")),
]


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's errors on the form's fields where it has them, else on the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ReportForm(forms.Form):
    """A report of need. The person's name is asked for every time, also when the person is
    already registered: whether a number is registered in a municipality is itself sensitive,
    and a form that asked for the name only when it is not would tell."""

    national_id = forms.CharField(
        label=_("Personens fødselsnummer eller D-nummer"),
        max_length=13,
        help_text=_("11 sifre."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    given_name = forms.CharField(label=_("Personens fornavn"), max_length=100)
    family_name = forms.CharField(label=_("Personens etternavn"), max_length=100)
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.all(),
        to_field_name="uuid",
        label=_("Personens kommune"),
        help_text=_("Meldingen går til denne kommunens koordinerende enhet og tildelingskontor."),
        empty_label=_("Velg kommune"),
    )
    kind = forms.ChoiceField(
        label=_("Hva gjelder meldingen?"),
        choices=KIND_CHOICES,
        initial=ReportKind.NEED.value,
        widget=forms.RadioSelect,
    )
    observed = forms.CharField(
        label=_("Hva har du observert?"),
        help_text=_("Beskriv hva du har sett eller hørt som tyder på at personen trenger hjelp."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    requested = forms.CharField(
        label=_("Hva bes det om?"),
        required=False,
        help_text=_("For eksempel kartlegging, tjenester, individuell plan eller koordinator."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    knowledge = forms.ChoiceField(
        label=_("Kjenner personen til meldingen?"),
        choices=Knowledge.choices,
        widget=forms.RadioSelect,
        help_text=_("Meldinger skal som hovedregel skje i samsvar med personens ønske."),
    )
    reason_without_knowledge = forms.CharField(
        label=_("Hvorfor meldes behovet uten at personen kjenner til det?"),
        required=False,
        help_text=_("Må fylles ut når personen ikke kjenner til meldingen."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reporter_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        to_field_name="uuid",
        label=_("Du melder fra enheten"),
        empty_label=None,
        error_messages={"invalid_choice": _("Velg en av dine egne enheter.")},
    )
    reporter_role = forms.CharField(
        label=_("Din rolle eller ditt fag"),
        max_length=100,
        required=False,
        help_text=_("For eksempel fastlege, sykepleier eller lærer."),
    )
    source = forms.ChoiceField(
        label=_("Hvem kommer meldingen fra?"),
        choices=ReportSource.choices,
        initial=ReportSource.STAFF.value,
        widget=forms.RadioSelect,
        help_text=_("Når personen selv eller en pårørende har meldt muntlig, registrerer du det her."),
    )
    source_name = forms.CharField(
        label=_("Navn på den som meldte muntlig"),
        max_length=150,
        required=False,
        help_text=_("Må fylles ut når meldingen kommer fra personen selv eller en pårørende."),
    )
    channel = forms.ChoiceField(
        label=_("Hvordan kom meldingen?"),
        choices=ReportChannel.choices,
        initial=ReportChannel.WRITTEN.value,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        own_municipality: Municipality | None = None,
        title: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reporter_unit"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = units
        if own_municipality is not None:
            self.fields["municipality"].initial = own_municipality.uuid
        self.fields["reporter_role"].initial = title

    def clean_national_id(self) -> str:
        return parse_identity_number(self.cleaned_data["national_id"]).number


class ReportStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Ny status"), choices=ReportStatus.choices)

    def __init__(self, *args: Any, allowed: list[ReportStatus], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type
        field.choices = [(status.value, status.label) for status in allowed]


class InterimReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Hva har personen fått vite?"),
        help_text=_("Hvorfor saken tar tid, og når personen kan vente svar."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_by = forms.DateField(
        label=_("Forventet svar innen"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


QUEUE_STATUS_CHOICES = [
    ("", _("Åpne meldinger")),
    *ReportStatus.choices,
    ("all", _("Alle meldinger")),
]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=QUEUE_STATUS_CHOICES, required=False)
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Alle typer")), *ReportKind.choices], required=False
    )

    def selected_statuses(self) -> list[str]:
        value = self.cleaned_data.get("status", "") if self.is_valid() else ""
        if value == "all":
            return list(ReportStatus.values)
        if value in ReportStatus.values:
            return [value]
        return [ReportStatus.RECEIVED.value, ReportStatus.BEING_ASSESSED.value]

    def selected_kind(self) -> str:
        return str(self.cleaned_data.get("kind", "")) if self.is_valid() else ""

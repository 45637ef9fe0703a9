"""Forms of the decision and catalogue pages. They parse input; the rules (who decides which kind,
dates in order, a service only on service decisions, a child under 18) live in
:mod:`oppfolging.referrals.decision_services`, whose errors come back onto these forms. Choices
carry UUIDs, never database ids."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.referrals.models import DecisionKind, DecisionOutcome, NeedReport, ServiceType


class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=DateInput(), input_formats=["%Y-%m-%d"]
    )


class _ReportChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        report: NeedReport = obj
        return f"{report.get_kind_display()}, {timezone.localtime(report.received_at):%d.%m.%Y}"


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vedtaket gjelder"), widget=forms.RadioSelect)
    service_type = forms.ModelChoiceField(
        queryset=ServiceType.all_tenants.none(),
        to_field_name="uuid",
        label=_("Tjeneste"),
        required=False,
        empty_label=_("Velg tjeneste"),
        help_text=_("Bare for vedtak om tjenester."),
    )
    scope = forms.CharField(
        label=_("Omfang"), max_length=200, required=False, help_text=_("For eksempel «3 timer per uke».")
    )
    valid_from = date_field(_("Gjelder fra"), required=False)
    valid_to = date_field(
        _("Gjelder til"), required=False, help_text=_("Tomt hvis vedtaket gjelder til videre.")
    )
    outcome = forms.ChoiceField(label=_("Utfall"), choices=DecisionOutcome.choices, widget=forms.RadioSelect)
    decided_on = date_field(_("Vedtaksdato"))
    notified_on = date_field(
        _("Personen ble underrettet"),
        required=False,
        help_text=_("Klagefristen er fire uker fra denne datoen. Kan føres senere."),
    )
    reason = forms.CharField(label=_("Begrunnelse"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    report = _ReportChoice(
        queryset=NeedReport.all_tenants.none(),
        to_field_name="uuid",
        label=_("Melding vedtaket svarer på"),
        required=False,
        empty_label=_("Ingen bestemt melding"),
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[DecisionKind],
        service_types: QuerySet[ServiceType],
        reports: QuerySet[NeedReport],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("decided_on", timezone.localdate())
        if len(kinds) == 1:
            kwargs["initial"].setdefault("kind", kinds[0].value)
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]  # type: ignore[attr-defined]
        service_field: forms.ModelChoiceField = self.fields["service_type"]  # type: ignore[type-arg,assignment]
        service_field.queryset = service_types
        report_field: forms.ModelChoiceField = self.fields["report"]  # type: ignore[type-arg,assignment]
        report_field.queryset = reports
        if DecisionKind.SERVICE not in kinds:
            del self.fields["service_type"]
            del self.fields["scope"]


class NotificationForm(forms.Form):
    notified_on = date_field(
        _("Personen ble underrettet"), help_text=_("Klagefristen er fire uker fra denne datoen.")
    )


class ServiceTypeForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=120)
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ServiceTypeEditForm(ServiceTypeForm):
    is_active = forms.BooleanField(
        label=_("I bruk"),
        required=False,
        help_text=_(
            "En tjeneste som ikke er i bruk, kan ikke velges i nye vedtak. Gamle vedtak beholder den."
        ),
    )

    @classmethod
    def for_service_type(cls, service_type: ServiceType, data: Any = None) -> ServiceTypeEditForm:
        initial = {
            "name": service_type.name,
            "description": service_type.description,
            "is_active": service_type.is_active,
        }
        return cls(data, initial=initial)

"""The forms of the plan's history and of closing the plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oppfolging.plans.models import CloseReason


class AsOfForm(forms.Form):
    """Which version to show: by date (the end of the day) or by number, and optionally another
    version to compare it with. The query string keeps Norwegian names (``?dato=``, ``?versjon=``,
    ``?sammenlign=``) so that links read well."""

    dato = forms.DateField(
        label=_("Dato"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Planen vises slik den var ved slutten av dagen."),
        error_messages={"invalid": _("Skriv datoen som dd.mm.åååå, for eksempel 12.03.2026.")},
    )
    versjon = forms.IntegerField(
        label=_("Eller versjon nr."),
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Skriv versjonsnummeret med sifre."),
            "min_value": _("Versjonene begynner på 1."),
        },
    )
    sammenlign = forms.IntegerField(
        label=_("Sammenlign med versjon nr."),
        required=False,
        min_value=1,
        help_text=_("Tomt: endringene fra versjonen før."),
        error_messages={
            "invalid": _("Skriv versjonsnummeret med sifre."),
            "min_value": _("Versjonene begynner på 1."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("dato") and data.get("versjon"):
            raise forms.ValidationError(_("Velg enten en dato eller et versjonsnummer, ikke begge."))
        return data

    @property
    def asks(self) -> bool:
        """Whether a date or version was asked for (else the page shows only the form)."""
        return bool(self.is_bound and (self.data.get("dato") or self.data.get("versjon")))


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Hvorfor avsluttes planen?"),
        choices=CloseReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg en grunn til å avslutte planen.")},
    )
    note = forms.CharField(
        label=_("Utdyping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Må fylles ut når grunnen er «Annen grunn»."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == CloseReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Skriv grunnen til å avslutte planen."))
        return data

"""Forms of the follow-up pages: a medicine on the person's list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class MedicineForm(forms.Form):
    name = forms.CharField(
        label=_("Legemiddel"), max_length=200, help_text=_("Navn og styrke, for eksempel «Metformin 500 mg».")
    )
    atc_code = forms.CharField(
        label=_("ATC-kode"), max_length=8, required=False, help_text=_("For eksempel A10BA02.")
    )
    is_regular = forms.BooleanField(label=_("Fast legemiddel"), required=False, initial=True)
    started_on = forms.DateField(label=_("Brukes fra"), required=False, widget=DateInput())
    ended_on = forms.DateField(label=_("Avsluttet"), required=False, widget=DateInput())

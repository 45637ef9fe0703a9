from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oppfolging.people.models import Person, Relative, RelativeKind
from oppfolging.people.validators import parse_identity_number


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Navn eller fødselsnummer"), max_length=100, required=False)


def _phone_widget() -> forms.TextInput:
    return forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "phone",
            "email",
            "address",
            "preferred_language",
            "interpreter_needed",
            "interpreter_language",
        ]
        widgets = {"phone": _phone_widget()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("interpreter_needed") and not data.get("interpreter_language"):
            self.add_error("interpreter_language", _("Oppgi hvilket språk tolken skal tolke til."))
        return data


class PersonCreateForm(PersonForm):
    national_id = forms.CharField(
        label=_("Fødselsnummer eller D-nummer"),
        max_length=13,
        help_text=_("11 sifre."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta(PersonForm.Meta):
        fields = ["national_id", *PersonForm.Meta.fields]

    def clean_national_id(self) -> str:
        return parse_identity_number(self.cleaned_data["national_id"]).number


class RelativeForm(forms.ModelForm[Relative]):
    class Meta:
        model = Relative
        fields = ["kind", "name", "relation", "phone", "email"]
        widgets = {"phone": _phone_widget(), "kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A radio group with no empty "---------" choice: the kind must be chosen.
        self.fields["kind"].choices = RelativeKind.choices  # type: ignore[attr-defined]

"""Forms of the administration pages. They parse input; the rules (own units only, password
strength, unique names) live in :mod:`oppfolging.administration.services`, which the forms'
errors come back from. Unit choices carry UUIDs, never database ids."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from oppfolging.accounts.models import Role, User
from oppfolging.core.models import Unit

OWN_UNIT_ONLY = _("Velg en aktiv enhet i din egen kommune.")


def unit_field(units: QuerySet[Unit], *, required: bool = True) -> forms.ModelChoiceField[Unit]:
    return forms.ModelChoiceField(
        queryset=units,
        to_field_name="uuid",
        label=_("Enhet"),
        required=required,
        empty_label=_("Velg enhet") if required else _("Alle enheter"),
        error_messages={"invalid_choice": OWN_UNIT_ONLY},
    )


def role_field(*, required: bool = True) -> forms.ChoiceField:
    empty = _("Velg rolle") if required else _("Alle roller")
    return forms.ChoiceField(choices=[("", empty), *Role.choices], label=_("Rolle"), required=required)


class UserProfileForm(forms.Form):
    first_name = forms.CharField(label=_("Fornavn"), max_length=150)
    last_name = forms.CharField(label=_("Etternavn"), max_length=150)
    email = forms.EmailField(label=_("E-post"), max_length=254)
    title = forms.CharField(label=_("Stilling/fag"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)

    @classmethod
    def for_user(cls, user: User) -> UserProfileForm:
        return cls(initial={name: getattr(user, name) for name in cls.base_fields})


class UserCreateForm(UserProfileForm):
    username = forms.CharField(
        label=_("Brukernavn"),
        max_length=150,
        help_text=_("Bokstaver, tall og tegnene @ . + - _"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Startpassord"),
        strip=False,
        help_text=_("Minst 12 tegn. Gi passordet til brukeren på en trygg måte."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Gjenta passordet"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = [
        "username",
        "first_name",
        "last_name",
        "email",
        "title",
        "phone",
        "unit",
        "role",
        "password",
        "password_confirm",
    ]

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_field(units)
        self.fields["role"] = role_field()
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, confirm = data.get("password"), data.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("Passordene er ikke like."))
        return data


class MembershipAddForm(forms.Form):
    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_field(units)
        self.fields["role"] = role_field()


class UserFilterForm(forms.Form):
    """The user list's filters: GET, optional, and forgiving (an unknown value shows all)."""

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = role_field(required=False)
        self.fields["unit"] = unit_field(units, required=False)


class UnitForm(forms.ModelForm[Unit]):
    """Used without an instance, also for editing (with ``initial``), so that validating the form
    never touches the unit the service is about to change."""

    # Longer than the nine digits it stores: people paste "987 654 321" from Enhetsregisteret.
    organisation_number = forms.CharField(
        label=_("Organisasjonsnummer"),
        max_length=15,
        required=False,
        help_text=_("Ni sifre, fra Enhetsregisteret."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Unit
        fields = ["name", "kind", "organisation_number", "is_active"]

    @classmethod
    def for_unit(cls, unit: Unit, data: Any = None) -> UnitForm:
        return cls(data, initial={name: getattr(unit, name) for name in cls.Meta.fields})

    def clean_organisation_number(self) -> str:
        return "".join(str(self.cleaned_data.get("organisation_number") or "").split())

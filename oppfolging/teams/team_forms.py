"""The add-member form. It is always shown with :class:`ConsentGiverForm` in the same <form>:
the person's consent to the member is recorded in the same step as the member."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from oppfolging.accounts.models import User
from oppfolging.consents.forms import RelativeChoiceField
from oppfolging.core.models import Unit
from oppfolging.people.models import Person, Relative
from oppfolging.teams.models import MemberKind
from oppfolging.teams.team_services import NewMember


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Søk etter ansatt"),
        max_length=100,
        required=False,
        help_text=_("Navn, stilling eller enhet. Du finner også ansatte utenfor kommunen, som på sykehuset."),
    )


class StaffChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        units = ", ".join(m.unit.name for m in getattr(obj, "active_memberships", []))
        details = ", ".join(part for part in (obj.title, units) if part)
        name = obj.get_full_name() or obj.username
        return f"{name} ({details})" if details else name


class MemberType:
    USER = "user"
    NAME_ONLY = "name_only"
    RELATIVE = "relative"


MEMBER_TYPES = [
    (MemberType.USER, _("Ansatt med brukerkonto (fra søket)")),
    (MemberType.NAME_ONLY, _("Medlem uten brukerkonto, for eksempel privat fysioterapeut")),
    (MemberType.RELATIVE, _("Pårørende som deltar")),
]


class MemberForm(forms.Form):
    member_type = forms.ChoiceField(
        label=_("Hvem legger du til?"),
        choices=MEMBER_TYPES,
        widget=forms.RadioSelect,
        initial=MemberType.USER,
    )
    user = StaffChoiceField(
        label=_("Ansatt"),
        queryset=User.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.RadioSelect,
        help_text=_("Søk etter den ansatte over skjemaet, og velg blant treffene."),
    )
    name = forms.CharField(
        label=_("Navn"),
        max_length=150,
        required=False,
        help_text=_("Bare for medlemmer uten brukerkonto. De får ingen tilgang i Oppfølging."),
    )
    relative = RelativeChoiceField(
        label=_("Pårørende"),
        queryset=Relative.all_tenants.none(),  # set per person in __init__
        required=False,
        to_field_name="uuid",
        help_text=_("Personen må ha samtykket til at denne pårørende involveres."),
    )
    discipline = forms.CharField(
        label=_("Fag eller funksjon"),
        max_length=100,
        required=False,
        help_text=_(
            "For eksempel sykepleier, fysioterapeut eller NAV-veileder. Stillingen brukes hvis tomt."
        ),
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.none(),
        required=False,
        to_field_name="uuid",
        help_text=_("For ansatte brukes enheten de er ansatt i hvis du lar feltet stå tomt."),
    )
    kind = forms.ChoiceField(
        label=_("Deltakelse"), choices=MemberKind.choices, widget=forms.RadioSelect, initial=MemberKind.CORE
    )

    def __init__(self, *args: Any, person: Person, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_queryset("user", candidates)
        self._set_queryset("relative", person.relatives.all())
        self._set_queryset(
            "unit",
            Unit.objects.filter(is_active=True).filter(
                Q(municipality_id=person.municipality_id) | Q(municipality__isnull=True)
            ),
        )

    def _set_queryset(self, name: str, queryset: QuerySet[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        required = {
            MemberType.USER: ("user", _("Søk opp og velg den ansatte.")),
            MemberType.NAME_ONLY: ("name", _("Skriv navnet på medlemmet.")),
            MemberType.RELATIVE: ("relative", _("Velg den pårørende.")),
        }.get(data.get("member_type", ""))
        if required and not data.get(required[0]) and required[0] not in self.errors:
            self.add_error(required[0], required[1])
        return data

    def new_member(self) -> NewMember:
        data = self.cleaned_data
        member_type = data["member_type"]
        return NewMember(
            user=data.get("user") if member_type == MemberType.USER else None,
            relative=data.get("relative") if member_type == MemberType.RELATIVE else None,
            name=data.get("name", "") if member_type == MemberType.NAME_ONLY else "",
            discipline=data.get("discipline", ""),
            unit=data.get("unit"),
            kind=data["kind"],
        )

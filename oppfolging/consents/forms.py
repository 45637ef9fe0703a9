"""Forms for recording consents. :class:`ConsentGiverForm` is shared with the team's add-member
form, so that a member is never added without the consent being recorded in the same step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.consents.models import ConsentKind, GivenBy
from oppfolging.consents.services import AGE_OF_CONSENT, ConsentGiver, consent_giver_check
from oppfolging.people.models import Person, Relative, RelativeKind
from oppfolging.referrals.checklist import GROUP_LABELS, SECTIONS
from oppfolging.teams.models import TeamMember


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RelativeChoiceField(forms.ModelChoiceField[Relative]):
    def label_from_instance(self, obj: Relative) -> str:
        relation = f", {obj.relation}" if obj.relation else ""
        return f"{obj.name} ({obj.get_kind_display()}{relation})"


class ConsentGiverForm(forms.Form):
    """Who consented, when and for how long. Under 16 a guardian (or verge) consents and the
    child's own view is required; from 16 the person (or verge) consents."""

    given_by = forms.ChoiceField(
        label=_("Hvem har gitt samtykket?"), choices=GivenBy.choices, widget=forms.RadioSelect
    )
    given_by_relative = RelativeChoiceField(
        label=_("Foresatt eller verge som samtykker"),
        queryset=Relative.all_tenants.none(),  # set per person in __init__
        required=False,
        to_field_name="uuid",
        help_text=_("Bare når en foresatt eller verge samtykker på vegne av personen."),
    )
    persons_own_view = forms.CharField(
        label=_("Personens eget syn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Påkrevd når personen er under 16 år: skriv ned hva barnet selv mener."),
    )
    given_on = forms.DateField(label=_("Dato for samtykket"), widget=_date_input())
    expires_on = forms.DateField(
        label=_("Gjelder til"),
        required=False,
        widget=_date_input(),
        help_text=_("La feltet stå tomt hvis samtykket gjelder til det trekkes tilbake."),
    )
    note = forms.CharField(label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirmed = forms.BooleanField(
        label=_("Samtykket er gitt, og personen vet at det kan trekkes tilbake når som helst"),
        error_messages={"required": _("Bekreft at samtykket er gitt.")},
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        field = self.fields["given_by_relative"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = person.relatives.filter(
            kind__in=[RelativeKind.GUARDIAN, RelativeKind.LEGAL_REPRESENTATIVE]
        )
        self.fields["given_on"].initial = timezone.localdate()
        under_age = person.age() < AGE_OF_CONSENT
        self.fields["given_by"].initial = GivenBy.GUARDIAN if under_age else GivenBy.PERSON
        if under_age:
            own_view = self.fields["persons_own_view"]
            own_view.required = True
            own_view.label = _("Barnets eget syn")
            own_view.error_messages["required"] = _(
                "%(name)s er under 16 år: skriv ned hva %(name)s selv mener, eller hvorfor det ikke kan "
                "skrives ned."
            ) % {"name": person.given_name}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors.keys() & {"given_by", "given_on", "expires_on"}:
            return data
        try:
            consent_giver_check(person=self.person, giver=self.giver())
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                if name not in self.errors:
                    self.add_error(name if name in self.fields else None, errors)
        return data

    def giver(self) -> ConsentGiver:
        data = self.cleaned_data
        return ConsentGiver(
            given_by=data.get("given_by", ""),
            given_by_relative=data.get("given_by_relative"),
            persons_own_view=data.get("persons_own_view", ""),
            given_on=data.get("given_on"),
            expires_on=data.get("expires_on"),
            note=data.get("note", ""),
        )


def member_label(member: TeamMember) -> str:
    details = ", ".join(part for part in (member.discipline, member.unit.name if member.unit else "") if part)
    return f"{member.name} ({details})" if details else member.name


class MemberChoiceField(forms.ModelChoiceField[TeamMember]):
    def label_from_instance(self, obj: TeamMember) -> str:
        return member_label(obj)


def _section_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Built per form, so the labels follow the language of the request."""
    return [
        (str(label), [(s.key, str(s.label)) for s in SECTIONS if s.group == group])
        for group, label in GROUP_LABELS.items()
    ]


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "consents/widgets/grouped_checkboxes.html"


class ConsentScopeForm(forms.Form):
    """What the consent covers: a member, a relative, or (information sharing) which member may
    see which parts of the assessment. Plan work has no scope."""

    def __init__(
        self,
        *args: Any,
        kind: ConsentKind,
        members: Sequence[TeamMember],
        relatives: Sequence[Relative],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.members = list(members)
        if kind == ConsentKind.TEAM_MEMBERSHIP:
            self.fields["team_member"] = MemberChoiceField(
                label=_("Teammedlem"),
                queryset=TeamMember.objects.filter(pk__in=[m.pk for m in self.members]).select_related(
                    "unit"
                ),
                to_field_name="uuid",
                widget=forms.RadioSelect,
            )
        elif kind == ConsentKind.INVOLVE_RELATIVES:
            self.fields["relative"] = RelativeChoiceField(
                label=_("Pårørende som skal involveres"),
                queryset=Relative.objects.filter(pk__in=[r.pk for r in relatives]),
                to_field_name="uuid",
                widget=forms.RadioSelect,
            )
        elif kind == ConsentKind.INFORMATION_SHARING:
            for member in self.members:
                self.fields[self.share_field(member)] = forms.MultipleChoiceField(
                    label=member_label(member),
                    choices=_section_choices(),
                    required=False,
                    widget=GroupedCheckboxes,
                    help_text=_("Delene av kartleggingen dette medlemmet kan se."),
                )

    @staticmethod
    def share_field(member: TeamMember) -> str:
        return f"sections_{member.uuid.hex}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.kind == ConsentKind.INFORMATION_SHARING and not any(
            data.get(self.share_field(m)) for m in self.members
        ):
            raise ValidationError(_("Velg minst én del av kartleggingen for minst ett medlem."))
        return data

    def shares(self) -> dict[TeamMember, list[str]]:
        return {
            member: list(self.cleaned_data.get(self.share_field(member)) or []) for member in self.members
        }

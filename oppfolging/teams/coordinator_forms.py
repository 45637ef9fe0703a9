"""Forms of the coordinator pages. They parse input; the rules (a candidate from the team, the
leader's own staff, a reason when no leader approves, children under 18) live in
:mod:`oppfolging.teams.coordinator_services`. Choices carry UUIDs, never database ids."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oppfolging.referrals.decision_forms import date_field
from oppfolging.teams.coordinator_selectors import Candidate
from oppfolging.teams.models import CoordinatorTraining, TeamMember


class _CandidateChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.labels: dict[int, str] = {}

    def label_from_instance(self, obj: Any) -> str:
        return self.labels.get(obj.pk, str(obj))


class ProposeForm(forms.Form):
    member = _CandidateChoice(
        queryset=TeamMember.all_tenants.none(),  # empty until the form is given its candidates
        to_field_name="uuid",
        label=_("Hvem foreslås som koordinator?"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Velg et medlem av teamet."),
            "invalid_choice": _("Velg et aktivt medlem av teamet."),
        },
    )

    def __init__(self, *args: Any, candidates: list[Candidate], cap: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: _CandidateChoice = self.fields["member"]  # type: ignore[assignment]
        field.queryset = TeamMember.objects.filter(pk__in=[c.member.pk for c in candidates]).order_by("name")
        for candidate in candidates:
            member = candidate.member
            described = ", ".join(
                part for part in (member.discipline, member.unit.name if member.unit else "") if part
            )
            load = _("koordinerer %(n)s av maks %(cap)s personer") % {"n": candidate.caseload, "cap": cap}
            field.labels[member.pk] = (
                f"{member.name} ({described}): {load}" if described else f"{member.name}: {load}"
            )


class LeaderDecisionForm(forms.Form):
    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Din vurdering"),
        choices=[(APPROVE, _("Godkjenn")), (DECLINE, _("Ikke godkjenn"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Må fylles ut hvis du ikke godkjenner."),
    )


class DirectRegistrationForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor registreres koordinatoren uten leders godkjenning?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For eksempel at kandidaten arbeider i en ekstern enhet og har avklart rollen med "
            "sin arbeidsgiver."
        ),
    )


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=CoordinatorTraining.Kind.choices, widget=forms.RadioSelect
    )
    held_on = date_field(_("Dato"))
    description = forms.CharField(label=_("Beskrivelse"), max_length=200)


class ChildCaseForm(forms.Form):
    is_child_coordinator_case = forms.BooleanField(
        label=_("Barnekoordinatorsak"),
        required=False,
        help_text=_(
            "Familier som har eller venter barn under 18 år med alvorlig sykdom, skade eller "
            "nedsatt funksjonsevne, og som trenger langvarige og koordinerte tjenester, har rett "
            "til barnekoordinator (pasient- og brukerrettighetsloven § 2-5 c)."
        ),
    )
    child_view = forms.CharField(
        label=_("Barnets eget syn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Foresatte gir samtykkene; her skrives hva barnet selv mener."),
    )

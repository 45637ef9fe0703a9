"""Forms of the assessment page, and how its non-checklist parts are shown.

Each part is its own small form with the version it was loaded from, so a save can be refused
when someone else saved in between. The section forms are prefixed with the section key so that
twenty of them live on one page with unique ids.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import Unit
from oppfolging.referrals.assessment_selectors import CIRCUMSTANCES, CONCLUSION
from oppfolging.referrals.assessment_services import CIRCUMSTANCE_FIELDS, CONCLUSION_FIELDS
from oppfolging.referrals.models import Answer, Assessment, AssessmentParticipant, OfferStatus

SECTION_MAX_LENGTH = 20_000


class SectionForm(forms.Form):
    """Parses a section's save or draft (``<key>-text``, ``<key>-version``). The section's markup
    is written out in ``_section.html`` (its heading labels the text area)."""

    text = forms.CharField(required=False, max_length=SECTION_MAX_LENGTH)  # stripped: see normalise_text
    version = forms.IntegerField(min_value=0)


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class _AssessmentPartForm(forms.ModelForm[Assessment]):
    """Validates into a copy of the assessment, so the page never shows unsaved values as saved."""

    version = _version_field()

    radio_choices: dict[str, Any] = {}

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["version"] = assessment.version
        kwargs["instance"] = copy.copy(assessment)
        super().__init__(*args, **kwargs)
        # Radio groups without an empty "---------" choice (left unanswered, they stay blank).
        for name, choices in self.radio_choices.items():
            self.fields[name].choices = choices  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class CircumstancesForm(_AssessmentPartForm):
    prefix = CIRCUMSTANCES
    radio_choices = {"minor_children_as_next_of_kin": Answer.choices}

    class Meta:
        model = Assessment
        fields = list(CIRCUMSTANCE_FIELDS)
        widgets = {
            "minor_children_as_next_of_kin": forms.RadioSelect,
            "minor_children_attended_to": forms.Textarea(attrs={"rows": 3}),
            "rehabilitation_notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"minor_children_as_next_of_kin": _("Har personen mindreårige barn som pårørende?")}
        help_texts = {"interpreter_used": _("Kryss av når tolk var med i samtalene i kartleggingen.")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("minor_children_as_next_of_kin") == Answer.YES
            and not data.get("minor_children_attended_to", "").strip()
        ):
            self.add_error("minor_children_attended_to", _("Beskriv hvordan barna blir ivaretatt."))
        return data


class ConclusionForm(_AssessmentPartForm):
    """IP and coordinator are answered independently: a coordinator is offered (and may be
    accepted) even when the individual plan is declined."""

    prefix = CONCLUSION
    radio_choices = {
        "needs_coordinated_services": Answer.choices,
        "ip_status": OfferStatus.choices,
        "coordinator_status": OfferStatus.choices,
    }

    class Meta:
        model = Assessment
        fields = list(CONCLUSION_FIELDS)
        widgets = {
            "needs_coordinated_services": forms.RadioSelect,
            "needs_reason": forms.Textarea(attrs={"rows": 3}),
            "ip_status": forms.RadioSelect,
            "coordinator_status": forms.RadioSelect,
        }
        labels = {
            "needs_coordinated_services": _("Har personen behov for langvarige og koordinerte tjenester?"),
            "needs_reason": _("Begrunnelse"),
            "ip_status": _("Individuell plan"),
            "coordinator_status": _("Koordinator"),
        }
        help_texts = {
            "coordinator_status": _("Koordinator tilbys også når personen ikke ønsker individuell plan."),
            "coordinator_wish": _("Hvem personen ønsker som koordinator, med personens egne ord."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("needs_coordinated_services") and not data.get("needs_reason", "").strip():
            self.add_error("needs_reason", _("Begrunn konklusjonen."))
        return data


class ParticipantForm(forms.ModelForm[AssessmentParticipant]):
    prefix = "participant"

    class Meta:
        model = AssessmentParticipant
        fields = ["name", "discipline", "unit", "is_gp"]
        labels = {"unit": _("Enhet"), "is_gp": _("Personens fastlege")}

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The person's municipality's units and the external ones (hospital, NAV, private).
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            Q(municipality_id=municipality_id) | Q(municipality__isnull=True), is_active=True
        ).order_by("name")


def _display(assessment: Assessment, name: str) -> str:
    value = getattr(assessment, name)
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nei"))
    display = getattr(assessment, f"get_{name}_display", None)
    shown = str(display()) if display is not None else str(value)
    return shown or "\u2013"  # en dash: nothing recorded


def _label(form_class: type[_AssessmentPartForm], name: str) -> str:
    return str(capfirst(form_class.base_fields[name].label))


@dataclass
class PartView:
    """A non-checklist part (circumstances or conclusion) as the page shows it: the form when the
    actor may edit, the saved values otherwise, and both side by side after a refused save."""

    key: str
    title: str
    form: _AssessmentPartForm | None
    facts: list[tuple[str, str]]
    conflict: list[tuple[str, str, str]] = field(default_factory=list)
    conflict_by: str = ""
    notice: str = ""

    @property
    def url_name(self) -> str:
        return f"assessments:{self.key}"


PART_FORMS: dict[str, type[_AssessmentPartForm]] = {
    CIRCUMSTANCES: CircumstancesForm,
    CONCLUSION: ConclusionForm,
}
PART_TITLES = {CIRCUMSTANCES: _("Forhold rundt personen"), CONCLUSION: _("Konklusjon")}


def part_view(
    key: str,
    assessment: Assessment,
    *,
    editable: bool,
    form: _AssessmentPartForm | None = None,
    theirs: Assessment | None = None,
    conflict_by: str = "",
    notice: str = "",
) -> PartView:
    """``theirs``: the stored assessment that refused the actor's save (``form`` holds theirs)."""
    form_class = PART_FORMS[key]
    names = list(form_class._meta.fields or ())
    if editable and form is None:
        form = form_class(assessment=assessment)
    conflict = []
    if theirs is not None and form is not None and form.is_valid():
        mine = copy.copy(theirs)
        for name, value in form.values().items():
            setattr(mine, name, value)
        conflict = [
            (_label(form_class, name), _display(theirs, name), _display(mine, name)) for name in names
        ]
    return PartView(
        key=key,
        title=str(PART_TITLES[key]),
        form=form if editable else None,
        facts=[(_label(form_class, name), _display(assessment, name)) for name in names],
        conflict=conflict,
        conflict_by=conflict_by,
        notice=notice,
    )

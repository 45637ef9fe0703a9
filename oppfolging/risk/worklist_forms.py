"""Forms of the work-list pages: the KE list's filters (GET), reporting a need from a subject's
page, and marking a subject reviewed. The rules live in :mod:`oppfolging.risk.worklist_services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oppfolging.risk import worklist_labels as labels
from oppfolging.risk.worklist_selectors import AGE_GROUPS, WorklistFilters


class WorklistFilterForm(forms.Form):
    tier = forms.TypedChoiceField(
        label=_("Risikonivå"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Alle nivåer"))],
    )
    flag = forms.ChoiceField(label=_("Kriterium i veilederen"), required=False, choices=[])
    age = forms.ChoiceField(label=_("Aldersgruppe"), required=False, choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [  # type: ignore[attr-defined]
            ("", _("Alle nivåer")),
            *((str(tier), label) for tier, label in labels.TIER_LABELS.items()),
        ]
        self.fields["flag"].choices = [("", _("Alle kriterier")), *labels.flag_choices()]  # type: ignore[attr-defined]
        self.fields["age"].choices = [  # type: ignore[attr-defined]
            ("", _("Alle aldre")),
            *((group.key, group.label) for group in AGE_GROUPS),
        ]

    def filters(self) -> WorklistFilters:
        """The filters chosen; none when the form is unbound or not valid."""
        if not self.is_bound or not self.is_valid():
            return WorklistFilters()
        data = self.cleaned_data
        return WorklistFilters(tier=data["tier"], flag=data["flag"], age_group=data["age"])


class ReportFromRiskForm(forms.Form):
    """Report a need from the work-list: the reasons come prefilled and can be edited. The name
    is asked for only when the subject is not linked to a registered person (the extract has
    numbers, not names); the GP knows their patient's name."""

    given_name = forms.CharField(label=_("Personens fornavn"), max_length=100)
    family_name = forms.CharField(label=_("Personens etternavn"), max_length=100)
    observed = forms.CharField(
        label=_("Hva er observert?"),
        help_text=_("Fylt ut fra risikokartleggingen. Du kan endre og legge til."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Beskriv hva som er observert.")},
    )
    requested = forms.CharField(
        label=_("Hva bes det om?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv hva det bes om.")},
    )
    agrees = forms.BooleanField(
        label=_("Personen kjenner til meldingen og er enig"),
        required=False,
        help_text=_("Kryss av bare hvis du har snakket med personen om meldingen."),
    )
    reason_without_knowledge = forms.CharField(
        label=_("Hvorfor meldes behovet uten at personen kjenner til det?"),
        required=False,
        help_text=_("Må fylles ut når personen ikke har sagt seg enig."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, needs_name: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_name:
            del self.fields["given_name"]
            del self.fields["family_name"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("agrees") and not (data.get("reason_without_knowledge") or "").strip():
            self.add_error(
                "reason_without_knowledge",
                _("Skriv hvorfor meldingen sendes uten at personen kjenner til den."),
            )
        return data


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor meldes ikke personen nå?"),
        help_text=_(
            "For eksempel at du allerede følger opp personen. Personen kommer tilbake på listen "
            "når opplysningene om personen endrer seg."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv hvorfor personen ikke meldes nå.")},
    )

"""Forms of the model pages: the decision note. Approving may carry a note; rejecting needs one.
The rules (who may decide, four eyes) live in :mod:`oppfolging.risk.model_services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApproveForm(forms.Form):
    prefix = "approve"

    note = forms.CharField(
        label=_("Merknad til godkjenningen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For eksempel hva du har sett etter i tallene."),
    )


class RejectForm(forms.Form):
    prefix = "reject"

    note = forms.CharField(
        label=_("Hvorfor avvises modellen?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv hvorfor modellen avvises.")},
    )

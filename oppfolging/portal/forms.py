"""The small forms of the person's own view: each asks one thing in plain words."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 4000


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Din kommentar"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Alle i teamet kan lese det du skriver her."),
        error_messages={"required": _("Skriv kommentaren din før du sender.")},
    )


class GoalForm(forms.Form):
    text = forms.CharField(
        label=_("Nytt mål"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skriv med dine egne ord hva du vil klare. For eksempel: «Gå tur med hunden selv»."),
        error_messages={"required": _("Skriv målet før du sender.")},
    )


class MeetingChangeForm(forms.Form):
    meeting = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Hva vil du endre?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For eksempel et annet tidspunkt, et annet sted, eller hvem som skal være med."),
        error_messages={"required": _("Skriv hva du vil endre før du sender.")},
    )

"""The small forms of the person's own view: each asks one thing in plain words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from oppfolging.function.models import SURVEY_FIELDS, SURVEY_HIGHEST, SURVEY_LOWEST, SURVEY_QUESTIONS
from oppfolging.function.survey_services import COMMENT_MAX_LENGTH

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


# «Vet ikke / vil ikke svare» has a value of its own, so that no choice is made until the person
# makes one (an empty value would show as chosen on an empty form).
DONT_KNOW = "vet-ikke"


def _answer(value: str) -> int | None:
    return None if value == DONT_KNOW else int(value)


class SurveyForm(forms.Form):
    """The six questions of :data:`SURVEY_QUESTIONS`, each 1 (helt uenig) to 5 (helt enig) or
    «Vet ikke», and an optional comment. A question left unanswered counts as «Vet ikke»."""

    comment = forms.CharField(
        label=_("Vil du si noe mer?"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skriv ikke noe her som du trenger svar på. Da tar du kontakt med koordinatoren."),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        choices: list[tuple[str, StrOrPromise]] = [
            (str(value), str(value)) for value in range(SURVEY_LOWEST, SURVEY_HIGHEST + 1)
        ]
        choices.append((DONT_KNOW, _("Vet ikke")))
        for name, text in SURVEY_QUESTIONS:
            self.fields[name] = forms.TypedChoiceField(
                label=text,
                choices=choices,
                coerce=_answer,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Velg et tall fra 1 til 5, eller «Vet ikke».")},
            )
        self.order_fields([*SURVEY_FIELDS, "comment"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answered = any(cleaned.get(name) is not None for name in SURVEY_FIELDS)
        if not answered and not cleaned.get("comment") and not self.errors:
            raise forms.ValidationError(_("Svar på minst ett av spørsmålene før du sender."))
        return cleaned

    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SURVEY_FIELDS]

    def answers(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in SURVEY_FIELDS}

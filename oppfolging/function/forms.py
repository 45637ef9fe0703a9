"""Forms for PSFS: the activities (up to five, in the person's words) and a measurement (a score
0-10 for each active activity). The same measurement form serves the staff page (date, occasion
and period too) and the person's own view (scores and a note only)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.function.models import MAX_ACTIVITIES, FunctionActivity, Occasion
from oppfolging.function.services import ACTIVITY_MAX_LENGTH
from oppfolging.plans.models import PlanPeriod

SCORE_CHOICES = [(str(value), str(value)) for value in range(11)]
SCORED_HELP = _("Har fått skår og kan ikke skrives om. Tøm feltet for å avslutte aktiviteten.")


class ActivitiesForm(forms.Form):
    """Five rows: the active activities first (with their key), then empty rows for new ones.
    An emptied row takes the activity away (retired if it has been scored)."""

    def __init__(
        self,
        data: Any = None,
        *,
        activities: Sequence[FunctionActivity] = (),
        scored: set[int] | frozenset[int] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        for number in range(1, MAX_ACTIVITIES + 1):
            activity = activities[number - 1] if number <= len(activities) else None
            help_text = SCORED_HELP if activity is not None and activity.pk in scored else ""
            self.fields[f"text_{number}"] = forms.CharField(
                label=_("Aktivitet %(number)s") % {"number": number},
                max_length=ACTIVITY_MAX_LENGTH,
                required=False,
                initial=activity.text if activity else "",
                help_text=help_text,
            )
            self.fields[f"key_{number}"] = forms.UUIDField(
                required=False, widget=forms.HiddenInput, initial=activity.uuid if activity else None
            )

    def wanted(self) -> list[tuple[str | None, str]]:
        rows = []
        for number in range(1, MAX_ACTIVITIES + 1):
            key = self.cleaned_data.get(f"key_{number}")
            text = self.cleaned_data.get(f"text_{number}", "")
            rows.append((str(key) if key else None, text))
        return rows


class NewActivitiesForm(forms.Form):
    """The person names their activities and scores them in one go (their baseline)."""

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for number in range(1, MAX_ACTIVITIES + 1):
            self.fields[f"text_{number}"] = forms.CharField(
                label=_("Aktivitet %(number)s") % {"number": number},
                max_length=ACTIVITY_MAX_LENGTH,
                required=number == 1,
            )
            self.fields[f"score_{number}"] = forms.TypedChoiceField(
                label=_("Hvor godt klarer du aktivitet %(number)s nå?") % {"number": number},
                choices=SCORE_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for number in range(1, MAX_ACTIVITIES + 1):
            text, score = cleaned.get(f"text_{number}"), cleaned.get(f"score_{number}")
            if text and score is None and f"score_{number}" not in self.errors:
                self.add_error(f"score_{number}", _("Velg et tall fra 0 til 10."))
            if score is not None and not text and f"text_{number}" not in self.errors:
                self.add_error(f"text_{number}", _("Skriv hva aktiviteten er."))
        return cleaned

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"text_{n}"], self[f"score_{n}"]) for n in range(1, MAX_ACTIVITIES + 1)]

    def named(self) -> list[tuple[str, int]]:
        return [
            (self.cleaned_data[f"text_{n}"], self.cleaned_data[f"score_{n}"])
            for n in range(1, MAX_ACTIVITIES + 1)
            if self.cleaned_data.get(f"text_{n}")
        ]


class MeasurementForm(forms.Form):
    """A score for each active activity; with ``staff`` also the date, the occasion and, for an
    evaluation, the period evaluated."""

    note = forms.CharField(
        label=_("Merknad"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        activities: Sequence[FunctionActivity] = (),
        staff: bool = False,
        periods: Sequence[PlanPeriod] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.activities = list(activities)
        if staff:
            self.fields["measured_on"] = forms.DateField(
                label=_("Dato"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields["occasion"] = forms.ChoiceField(label=_("Anledning"), choices=Occasion.choices)
            self.fields["period"] = forms.ModelChoiceField(
                label=_("Planperiode som evalueres"),
                queryset=PlanPeriod.all_tenants.filter(pk__in=[p.pk for p in periods]).order_by("number"),
                to_field_name="uuid",
                required=False,
                help_text=_("Bare ved evaluering."),
            )
            self.fields["period"].label_from_instance = _period_label  # type: ignore[attr-defined]
        for activity in self.activities:
            self.fields[f"score_{activity.uuid}"] = forms.TypedChoiceField(
                label=activity.text,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Velg et tall fra 0 til 10.")},
            )
        # The note last, after the scores.
        self.order_fields([*(f for f in ("measured_on", "occasion", "period") if f in self.fields)])

    def score_fields(self) -> list[forms.BoundField]:
        return [self[f"score_{activity.uuid}"] for activity in self.activities]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("measured_on", "occasion", "period") if name in self.fields]

    def scores(self) -> dict[str, int]:
        return {
            str(activity.uuid): self.cleaned_data[f"score_{activity.uuid}"] for activity in self.activities
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "occasion" in self.fields:
            if cleaned.get("occasion") == Occasion.EVALUATION and not cleaned.get("period"):
                self.add_error("period", _("Velg hvilken planperiode som evalueres."))
            measured_on = cleaned.get("measured_on")
            if isinstance(measured_on, datetime.date) and measured_on > timezone.localdate():
                self.add_error("measured_on", _("Datoen kan ikke være fram i tid."))
        return cleaned


def _period_label(period: PlanPeriod) -> str:
    return str(
        _("Periode %(number)s, %(start)s til %(end)s")
        % {
            "number": period.number,
            "start": period.starts_on.strftime("%d.%m.%Y"),
            "end": period.ends_on.strftime("%d.%m.%Y"),
        }
    )


def add_errors(exc: ValidationError, form: forms.Form) -> None:
    """A service's refusal on the field it names, else on the form as a whole."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)

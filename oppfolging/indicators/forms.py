"""The indicators' filter form (GET): the period by month, the step, and the scope. Unit choices
carry UUIDs, never database ids, and hold only the units the user may narrow to: asking for
another unit is a form error, and no figures are shown."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import Unit
from oppfolging.indicators.base import MAX_BUCKETS, Step
from oppfolging.indicators.selectors import IndicatorFilters, bucket_count, default_period
from oppfolging.overview.groups import TargetGroup

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]
EARLIEST = datetime.date(2000, 1, 1)


class MonthInput(forms.DateInput):
    """A month picker where the browser has one; typed «2026-03» where it has not."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"placeholder": _("ÅÅÅÅ-MM"), **(attrs or {})}, format="%Y-%m")


class MonthField(forms.DateField):
    widget = MonthInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=MONTH_FORMATS, **kwargs)

    def to_python(self, value: Any) -> datetime.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day is not None else None


class IndicatorFilterForm(forms.Form):
    start = MonthField(
        label=_("Fra og med måned"),
        required=False,
        error_messages={"invalid": _("Skriv måneden som år og måned, for eksempel 2026-01.")},
    )
    end = MonthField(
        label=_("Til og med måned"),
        required=False,
        error_messages={"invalid": _("Skriv måneden som år og måned, for eksempel 2026-12.")},
    )
    step = forms.ChoiceField(label=_("Inndeling"), required=False, choices=Step.choices)
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        to_field_name="uuid",
        label=_("Enhet"),
        required=False,
        empty_label=_("Hele kommunen"),
        error_messages={"invalid_choice": _("Velg en enhet fra listen.")},
    )
    group = forms.ChoiceField(
        label=_("Målgruppe"),
        required=False,
        choices=[("", _("Alle målgrupper")), *TargetGroup.choices],
        error_messages={"invalid_choice": _("Velg en målgruppe fra listen.")},
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], today: datetime.date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        start, end = default_period(self.today)
        self.fields["start"].initial = start
        self.fields["end"].initial = end
        self.fields["step"].initial = Step.QUARTER

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        step = data.get("step") or Step.QUARTER
        default_start, default_end = default_period(self.today, step)
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        if "start" in self.errors or "end" in self.errors:
            return data
        this_month = self.today.replace(day=1)
        if end > this_month:
            self.add_error("end", _("Perioden kan ikke slutte etter denne måneden."))
        elif start < EARLIEST:
            self.add_error("start", _("Perioden kan ikke begynne før år 2000."))
        elif end < start:
            self.add_error("end", _("Til-måneden kan ikke være før fra-måneden."))
        elif bucket_count(start, end, step) > MAX_BUCKETS:
            self.add_error(
                "start",
                _("Perioden er for lang: velg høyst %(count)s måneder eller kvartaler.")
                % {"count": MAX_BUCKETS},
            )
        data.update(start=start, end=end, step=step)
        return data

    def filters(self) -> IndicatorFilters | None:
        """The filters chosen (the defaults when the form is unbound or left empty); None when
        the form has errors, so that nothing is computed for a unit the user may not see."""
        if not self.is_bound:
            return IndicatorFilters.default(self.today)
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return IndicatorFilters(
            start=data["start"],
            end=data["end"],
            step=data["step"],
            unit=data["unit"],
            group=data["group"] or "",
        )

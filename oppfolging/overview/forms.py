"""The overview's filter form (GET). Unit choices carry UUIDs, never database ids."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import Unit
from oppfolging.overview.groups import Stage, TargetGroup
from oppfolging.overview.selectors import OverviewFilters


class OverviewFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        to_field_name="uuid",
        label=_("Enhet i teamet"),
        required=False,
        empty_label=_("Alle enheter"),
        error_messages={"invalid_choice": _("Velg en enhet fra listen.")},
    )
    group = forms.ChoiceField(
        label=_("Målgruppe"), required=False, choices=[("", _("Alle målgrupper")), *TargetGroup.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle statuser")), *Stage.choices]
    )
    overdue = forms.BooleanField(label=_("Bare de som er over fristen"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def filters(self) -> OverviewFilters:
        """The filters chosen; none when the form is unbound or not valid."""
        if not self.is_bound or not self.is_valid():
            return OverviewFilters()
        data = self.cleaned_data
        return OverviewFilters(
            unit=data["unit"],
            group=data["group"],
            stage=data["status"],
            overdue_only=data["overdue"],
        )

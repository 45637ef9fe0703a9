"""PSFS — the patient-specific functional scale, «Hva er viktig for deg?» (SPEC §4.6).

The person names up to five activities that matter and are hard now; each is scored 0 to 10 at
baseline and again at follow-ups. The score of a measurement is the mean over its activities."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import TenantModel

MAX_ACTIVITIES = 5


class FunctionActivity(TenantModel):
    """An activity in the person's own words. Kept for the whole series: follow-ups score the
    same activities as the baseline; an activity can be retired but not rewritten."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="function_activities")
    text = models.CharField(_("aktivitet"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    retired_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["order", "id"]
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return self.text


class Occasion(models.TextChoices):
    BASELINE = "baseline", _("Utgangspunkt")
    EVALUATION = "evaluation", _("Evaluering")
    FOLLOW_UP = "follow_up", _("Oppfølging")


class FunctionMeasurement(TenantModel):
    """One scoring of the person's activities on a date, by staff with the person or by the
    person (or a relative) in their own view — ``entered_by_kind`` marks which."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="function_measurements"
    )
    measured_on = models.DateField(_("dato"), default=timezone.localdate)
    occasion = models.CharField(_("anledning"), max_length=10, choices=Occasion.choices)
    # For a measurement at an evaluation: the period evaluated.
    period = models.ForeignKey(
        "plans.PlanPeriod", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_by_label = models.CharField(max_length=150)
    entered_by_kind = models.CharField(max_length=8)  # plans.AuthorKind: staff / person / relative
    note = models.TextField(_("merknad"), blank=True)

    class Meta:
        verbose_name = _("PSFS-måling")
        verbose_name_plural = _("PSFS-målinger")
        ordering = ["measured_on", "id"]
        base_manager_name = "all_tenants"


class FunctionScore(TenantModel):
    measurement = models.ForeignKey(FunctionMeasurement, on_delete=models.CASCADE, related_name="scores")
    activity = models.ForeignKey(FunctionActivity, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(
        _("skår"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )

    class Meta:
        base_manager_name = "all_tenants"
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "activity"], name="function_score_unique_activity"
            ),
            models.CheckConstraint(condition=models.Q(score__lte=10), name="function_score_at_most_10"),
        ]

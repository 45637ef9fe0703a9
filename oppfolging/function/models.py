"""PSFS — the patient-specific functional scale, «Hva er viktig for deg?» (SPEC §4.6).

The person names up to five activities that matter and are hard now; each is scored 0 to 10 at
baseline and again at follow-ups. The score of a measurement is the mean over its activities."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

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
        # A measurement's scores within the tenant scope: without planner statistics (SQLite as
        # installed) a correlated «the baseline's scores» subquery otherwise walks every score of
        # the municipality (the PSFS change indicator; benchmarks/README).
        indexes = [models.Index(fields=["municipality", "measurement"], name="function_score_muni_meas")]
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "activity"], name="function_score_unique_activity"
            ),
            models.CheckConstraint(condition=models.Q(score__lte=10), name="function_score_at_most_10"),
        ]


# --- The experienced-quality survey ---------------------------------------------------------------

SURVEY_LOWEST, SURVEY_HIGHEST = 1, 5

# The six questions, in the person's own voice, defined once: the form in the person's own view,
# the page that shows it and the leaders' indicator all read this list. Field name, then text.
SURVEY_QUESTIONS: tuple[tuple[str, StrOrPromise], ...] = (
    ("decisions", _("Jeg får være med og bestemme over tjenestene mine.")),
    ("coordinator", _("Jeg vet hvem koordinatoren min er.")),
    ("together", _("Tjenestene jeg får, samarbeider godt med hverandre.")),
    ("information", _("Jeg får nok informasjon om hvilke tjenester jeg kan få.")),
    ("listened_to", _("Jeg blir lyttet til.")),
    ("benefit", _("Alt i alt har jeg nytte av oppfølgingen.")),
)
SURVEY_FIELDS = tuple(name for name, _text in SURVEY_QUESTIONS)


def _answer(label: StrOrPromise) -> models.PositiveSmallIntegerField[int | None, int | None]:
    # Null is «vet ikke / vil ikke svare»: it is not an answer and is left out of every mean.
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(SURVEY_LOWEST), MaxValueValidator(SURVEY_HIGHEST)],
    )


class ExperienceSurvey(TenantModel):
    """The person's own view of the follow-up, on a scale from 1 (helt uenig) to 5 (helt enig),
    answered by the person (or a relative on their behalf) in the person's own view. A new answer
    is a new row: the leaders' indicator takes each person's latest answer in a period."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="experience_surveys")
    answered_on = models.DateField(_("dato"), default=timezone.localdate)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_by_kind = models.CharField(max_length=8)  # plans.AuthorKind: person / relative
    decisions = _answer(_("Være med og bestemme"))
    coordinator = _answer(_("Vite hvem koordinatoren er"))
    together = _answer(_("Tjenestene samarbeider"))
    information = _answer(_("Nok informasjon om tjenester"))
    listened_to = _answer(_("Blir lyttet til"))
    benefit = _answer(_("Nytte alt i alt"))
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("svar om opplevd kvalitet")
        verbose_name_plural = _("svar om opplevd kvalitet")
        ordering = ["answered_on", "id"]
        base_manager_name = "all_tenants"
        indexes = [models.Index(fields=["municipality", "answered_on"], name="experience_survey_answered")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__isnull": True})
                | models.Q(**{f"{name}__gte": SURVEY_LOWEST, f"{name}__lte": SURVEY_HIGHEST}),
                name=f"experience_survey_{name}_1_to_5",
            )
            for name in SURVEY_FIELDS
        ]

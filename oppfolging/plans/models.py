"""The individual plan (forskrift om habilitering, rehabilitering, individuell plan og koordinator
§ 19; SPEC §4.5): goals in the person's own words → plan periods → sub-goals → measures, evaluated
at a checkpoint in each period. Every change is recorded as a :class:`PlanVersion` holding the
whole plan as it then stood, so the plan can be shown as of any date and compared."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import TenantModel

# The evaluation checkpoint falls this long before the period ends unless chosen otherwise.
EVALUATION_BEFORE_END = datetime.timedelta(days=7)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Under arbeid")
    ACTIVE = "active", _("Aktiv")
    CLOSED = "closed", _("Avsluttet plan")


class CloseReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("Målene er nådd")
    NO_LONGER_NEEDED = "no_longer_needed", _("Behovet for koordinerte tjenester er over")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Personen har trukket samtykket")
    MOVED = "moved", _("Personen har flyttet fra kommunen")
    DIED = "died", _("Personen er død")
    OTHER = "other", _("Annen grunn")


class AuthorKind(models.TextChoices):
    """Who wrote it: what the person and relatives write is marked as theirs."""

    STAFF = "staff", _("Tjenesteyter")
    PERSON = "person", _("Personen selv")
    RELATIVE = "relative", _("Pårørende")


class CarePlan(TenantModel):
    """One plan per person. The text fields hold the regulation's content that is not goals,
    periods or measures; ``version`` guards them against concurrent edits, ``revision`` counts
    the plan's versions (the number of the latest :class:`PlanVersion`)."""

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="care_plan")
    status = models.CharField(_("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    resources = models.TextField(_("personens ressurser"), blank=True)
    needs = models.TextField(_("personens behov"), blank=True)
    persons_contribution = models.TextField(_("hva personen selv bidrar med"), blank=True)
    relatives_contribution = models.TextField(_("hva pårørende bidrar med"), blank=True)
    coordination = models.TextField(_("hvordan tiltakene gjennomføres og samordnes"), blank=True)
    participation_wishes = models.TextField(_("personens ønsker for møter og hvem som deltar"), blank=True)
    version = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    activated_at = models.DateTimeField(_("aktivert"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_reason = models.CharField(_("grunn"), max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(_("utdyping av grunnen"), blank=True)

    class Meta:
        verbose_name = _("individuell plan")
        verbose_name_plural = _("individuelle planer")
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Aktivt")
    ACHIEVED = "achieved", _("Nådd")
    DROPPED = "dropped", _("Ikke lenger aktuelt")


class Goal(TenantModel):
    """A goal of the person's, in their own words (``in_own_words``); the plan cannot be
    activated without one."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("mål"))
    in_own_words = models.BooleanField(_("med personens egne ord"), default=True)
    status = models.CharField(
        _("status"), max_length=8, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    order = models.PositiveSmallIntegerField(default=0)
    author_kind = models.CharField(max_length=8, choices=AuthorKind.choices, default=AuthorKind.STAFF)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(max_length=150, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["order", "id"]
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return self.text[:60]


class PeriodStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    ACTIVE = "active", _("Pågår")
    EVALUATED = "evaluated", _("Evaluert")


class PlanPeriod(TenantModel):
    """A stretch of the plan (e.g. two months, then three) with its evaluation checkpoint."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField(_("periode nr."))
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"))
    evaluation_due_on = models.DateField(_("evaluering senest"))
    status = models.CharField(
        _("status"), max_length=9, choices=PeriodStatus.choices, default=PeriodStatus.PLANNED
    )
    focus = models.TextField(_("hva perioden skal handle om"), blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("planperiode")
        verbose_name_plural = _("planperioder")
        ordering = ["number"]
        base_manager_name = "all_tenants"
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_period_unique_number")]
        indexes = [models.Index(fields=["status", "evaluation_due_on"])]

    def __str__(self) -> str:
        return f"{self.number}: {self.starts_on}-{self.ends_on}"

    @staticmethod
    def default_evaluation_date(ends_on: datetime.date) -> datetime.date:
        return ends_on - EVALUATION_BEFORE_END


class SubGoal(TenantModel):
    """What to reach in one period towards one goal. ``carried_from`` links it to the sub-goal of
    the previous period it was carried forward from at an evaluation."""

    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="sub_goals")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="sub_goals")
    text = models.TextField(_("delmål"))
    order = models.PositiveSmallIntegerField(default=0)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("delmål")
        verbose_name_plural = _("delmål")
        ordering = ["order", "id"]
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return self.text[:60]


class ResponsibleKind(models.TextChoices):
    MEMBER = "member", _("Teammedlem")
    PERSON = "person", _("Personen selv")
    RELATIVE = "relative", _("Pårørende")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Ikke startet")
    ONGOING = "ongoing", _("Pågår")
    DONE = "done", _("Gjennomført")
    STOPPED = "stopped", _("Stoppet")


class Measure(TenantModel):
    """A measure (tiltak): what is done, its scope, who is responsible (a team member, the
    person or a relative), when, and how it is carried out and coordinated."""

    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="measures")
    sub_goal = models.ForeignKey(SubGoal, on_delete=models.CASCADE, related_name="measures")
    description = models.TextField(_("tiltak"))
    scope = models.CharField(_("omfang"), max_length=200, blank=True)
    how = models.TextField(_("gjennomføring og samordning"), blank=True)
    responsible_kind = models.CharField(
        _("ansvarlig"), max_length=8, choices=ResponsibleKind.choices, default=ResponsibleKind.MEMBER
    )
    responsible_member = models.ForeignKey(
        "teams.TeamMember", on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    responsible_relative = models.ForeignKey(
        "people.Relative", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    due_on = models.DateField(_("frist"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    order = models.PositiveSmallIntegerField(default=0)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")
        ordering = ["order", "id"]
        base_manager_name = "all_tenants"
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.description[:60]


class Evaluation(TenantModel):
    """The checkpoint of a period: each goal achieved / partly / not, each measure done /
    continue / stop, the team's composition reviewed, and the next period created."""

    period = models.OneToOneField(PlanPeriod, on_delete=models.CASCADE, related_name="evaluation")
    held_on = models.DateField(_("evaluert dato"))
    summary = models.TextField(_("oppsummering"), blank=True)
    persons_view = models.TextField(_("personens egen vurdering"), blank=True)
    team_reviewed = models.BooleanField(_("teamets sammensetning er gjennomgått"), default=False)
    team_review_note = models.TextField(_("endringer i teamet"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("evaluering")
        verbose_name_plural = _("evalueringer")
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return f"{self.period} ({self.held_on})"


class GoalOutcome(models.TextChoices):
    ACHIEVED = "achieved", _("Nådd")
    PARTLY = "partly", _("Delvis nådd")
    NOT_ACHIEVED = "not_achieved", _("Ikke nådd")


class GoalResult(TenantModel):
    """One goal (through one of its sub-goals in the period, when it had any) at an evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="goal_results")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="results")
    sub_goal = models.ForeignKey(
        SubGoal, on_delete=models.PROTECT, null=True, blank=True, related_name="results"
    )
    outcome = models.CharField(_("resultat"), max_length=12, choices=GoalOutcome.choices)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        base_manager_name = "all_tenants"
        ordering = ["id"]


class MeasureDecision(models.TextChoices):
    DONE = "done", _("Gjennomført")
    CONTINUE = "continue", _("Fortsetter")
    STOP = "stop", _("Stoppes")


class MeasureResult(TenantModel):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="measure_results")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="results")
    decision = models.CharField(_("videre"), max_length=8, choices=MeasureDecision.choices)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        base_manager_name = "all_tenants"
        ordering = ["id"]


class LinkKind(models.TextChoices):
    IOP = "iop", _("Individuell opplæringsplan (IOP)")
    REHABILITATION = "rehabilitation", _("Rehabiliteringsplan")
    SPECIALIST = "specialist", _("Plan i spesialisthelsetjenesten")
    NAV = "nav", _("Aktivitetsplan hos NAV")
    CHILD_WELFARE = "child_welfare", _("Tiltaksplan i barnevernet")
    CRISIS = "crisis", _("Kriseplan")
    OTHER = "other", _("Annen plan eller etat")


class PlanLink(TenantModel):
    """Cooperation with another plan or agency (IOP at school, rehabilitation plan, NAV)."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("type"), max_length=16, choices=LinkKind.choices)
    title = models.CharField(_("plan eller etat"), max_length=200)
    held_by = models.CharField(_("hvem har planen"), max_length=200, blank=True)
    contact = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    note = models.TextField(_("hvordan planene henger sammen"), blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("kobling til annen plan")
        verbose_name_plural = _("koblinger til andre planer")
        ordering = ["id"]
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return self.title


class PlanComment(TenantModel):
    """A comment on the plan (optionally on one goal), by staff, the person or a relative;
    what the person and relatives write is marked as theirs."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="comments")
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments")
    text = models.TextField(_("kommentar"))
    author_kind = models.CharField(max_length=8, choices=AuthorKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_label = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["created_at", "id"]
        base_manager_name = "all_tenants"


class TransitionKind(models.TextChoices):
    LIFE_PHASE = "life_phase", _("Overgang mellom livsfaser")
    HOSPITAL_DISCHARGE = "hospital_discharge", _("Utskriving fra sykehus")
    INTO_PATHWAY = "into_pathway", _("Inn i pakkeforløp")
    OUT_OF_PATHWAY = "out_of_pathway", _("Ut av pakkeforløp")
    CHANGE_OF_SERVICE = "change_of_service", _("Bytte av tjeneste eller enhet")


class TransitionStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    COMPLETED = "completed", _("Gjennomført")
    CANCELLED = "cancelled", _("Avlyst")


class Transition(TenantModel):
    """A planned transition with a date, the receiving unit and an overlap of coordinators: the
    next coordinator starts on ``overlap_from`` while the current one stays until the date."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(_("type overgang"), max_length=20, choices=TransitionKind.choices)
    planned_on = models.DateField(_("dato for overgangen"))
    from_description = models.CharField(_("fra"), max_length=200, blank=True)
    receiving_unit = models.ForeignKey(
        "core.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mottakende enhet"),
    )
    receiving_description = models.CharField(_("til"), max_length=200, blank=True)
    next_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ny koordinator"),
    )
    next_coordinator_name = models.CharField(_("ny koordinator (navn)"), max_length=150, blank=True)
    overlap_from = models.DateField(_("overlapp fra"), null=True, blank=True)
    what_to_hand_over = models.TextField(_("hva som skal overføres"), blank=True)
    status = models.CharField(
        _("status"), max_length=9, choices=TransitionStatus.choices, default=TransitionStatus.PLANNED
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("overgang")
        verbose_name_plural = _("overganger")
        ordering = ["planned_on", "id"]
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_on}"


class PlanVersion(TenantModel):
    """One change to the plan: who, when, in which role, what (``changes``: the differences from
    the version before), and the whole plan as it stood after it (``snapshot``). Append-only."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=40, blank=True)
    author_kind = models.CharField(max_length=8, choices=AuthorKind.choices, default=AuthorKind.STAFF)
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=list)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-number"]
        base_manager_name = "all_tenants"
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")]
        indexes = [models.Index(fields=["plan", "at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.action}"


class FormDraft(TenantModel):
    """What a user typed in a long form and has not saved (plan text, evaluation, minutes):
    kept across a session timeout and offered back. ``key`` names the form and its object;
    ``base_version`` is the version the user started from, so a later save is still checked."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    data = models.JSONField(default=dict)
    base_version = models.PositiveIntegerField(default=0)

    class Meta:
        base_manager_name = "all_tenants"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="form_draft_unique_key")]

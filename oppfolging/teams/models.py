"""The team around the person, its members, and who coordinates."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import TenantModel


class CareTeam(TenantModel):
    """One team per person (oppfølgingsteam). A child-coordinator case (pasient- og
    brukerrettighetsloven § 2-5 c) is marked here; the guardians consent, the child's own view is
    recorded."""

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="care_team")
    is_child_coordinator_case = models.BooleanField(_("barnekoordinatorsak"), default=False)
    child_view = models.TextField(_("barnets eget syn"), blank=True)
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)
    closed_reason = models.TextField(_("grunn til avslutning"), blank=True)

    class Meta:
        verbose_name = _("oppfølgingsteam")
        verbose_name_plural = _("oppfølgingsteam")
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class MemberKind(models.TextChoices):
    CORE = "core", _("Kjernemedlem")
    AS_NEEDED = "as_needed", _("Ved behov")


class TeamMember(TenantModel):
    """A service provider in the team (from any unit or sector, external ones included), or a
    relative taking part as the person wants. Access ends the moment ``left_on`` is set; what was
    written while they were a member stays readable to them."""

    team = models.ForeignKey(CareTeam, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_memberships",
    )
    relative = models.ForeignKey(
        "people.Relative", on_delete=models.PROTECT, null=True, blank=True, related_name="team_memberships"
    )
    name = models.CharField(_("navn"), max_length=150)
    discipline = models.CharField(_("fag eller funksjon"), max_length=100, blank=True)
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(
        _("deltakelse"), max_length=10, choices=MemberKind.choices, default=MemberKind.CORE
    )
    joined_at = models.DateTimeField(_("med fra"), default=timezone.now)
    left_at = models.DateTimeField(_("sluttet"), null=True, blank=True)

    class Meta:
        verbose_name = _("teammedlem")
        verbose_name_plural = _("teammedlemmer")
        ordering = ["joined_at", "id"]
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Foreslått, venter på leders godkjenning")
    DECLINED = "declined", _("Avslått av leder")
    APPROVED = "approved", _("Godkjent av leder")
    ACTIVE = "active", _("Koordinator")
    ENDED = "ended", _("Avsluttet")


class CoordinatorAssignment(TenantModel):
    """Who coordinates, with its history: KE proposes a team member, the candidate's leader
    approves seeing the caseload against the cap, KE registers. In a transition the next
    coordinator starts before the current one ends, so both are active for the overlap."""

    team = models.ForeignKey(CareTeam, on_delete=models.PROTECT, related_name="coordinator_assignments")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coordinator_assignments"
    )
    is_child_coordinator = models.BooleanField(_("barnekoordinator"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PROPOSED
    )
    persons_wish = models.CharField(_("personens ønske"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    leader_decided_at = models.DateTimeField(null=True, blank=True)
    leader_comment = models.TextField(_("kommentar fra leder"), blank=True)
    caseload_at_approval = models.PositiveSmallIntegerField(null=True, blank=True)
    cap_at_approval = models.PositiveSmallIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(_("koordinator fra"), null=True, blank=True)
    ended_at = models.DateTimeField(_("koordinator til"), null=True, blank=True)

    class Meta:
        verbose_name = _("koordinatoroppnevning")
        verbose_name_plural = _("koordinatoroppnevninger")
        ordering = ["-proposed_at", "-id"]
        base_manager_name = "all_tenants"
        # A coordinator's assignments within the tenant scope: without planner statistics
        # (SQLite as installed) a correlated «this coordinator's assignments» subquery otherwise
        # walks every assignment of the municipality (the caseload indicator; benchmarks/README).
        indexes = [models.Index(fields=["municipality", "coordinator"], name="coord_assign_muni_coord")]

    def __str__(self) -> str:
        return f"{self.coordinator} ({self.get_status_display()})"


class CoordinatorTraining(models.Model):
    """Training and supervision in KE's coordinator registry (not about a person)."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Opplæring")
        SUPERVISION = "supervision", _("Veiledning")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_training"
    )
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("dato"), default=datetime.date.today)
    description = models.CharField(_("beskrivelse"), max_length=200)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"

"""Meetings (SPEC §4.7, guideline 7.8): "as few as possible, as many as necessary". An invitation
names the concrete items to settle, the participants chosen with the person, time and place; it
is sent as an iCalendar file. The minutes record per item what was agreed; team members then have
a short deadline to propose corrections, which the coordinator accepts or rejects."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import TenantModel

# Team members may propose corrections to the minutes for this long (guideline 7.8 step 8).
CORRECTION_DAYS = 3


class MeetingKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Kartleggingssamtale")
    START_UP = "start_up", _("Oppstartsmøte")
    EVALUATION = "evaluation", _("Evalueringsmøte")
    AD_HOC = "ad_hoc", _("Møte ved behov")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    INVITED = "invited", _("Innkalt")
    HELD = "held", _("Holdt, referat skrives")
    MINUTES_OUT = "minutes_out", _("Referat til retting")
    CLOSED = "closed", _("Referat godkjent")
    CANCELLED = "cancelled", _("Avlyst")


class Meeting(TenantModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="meetings")
    plan = models.ForeignKey(
        "plans.CarePlan", on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    # For an evaluation meeting: the period it evaluates.
    period = models.ForeignKey(
        "plans.PlanPeriod", on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    kind = models.CharField(_("type møte"), max_length=10, choices=MeetingKind.choices)
    title = models.CharField(_("tittel"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("tidspunkt"))
    duration_minutes = models.PositiveSmallIntegerField(_("varighet (minutter)"), default=60)
    place = models.CharField(_("sted"), max_length=200)
    participants_chosen_with_person = models.BooleanField(
        _("deltakerne er valgt sammen med personen"), default=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # iCalendar: the UID stays, the sequence grows with each change sent.
    ical_sequence = models.PositiveIntegerField(default=0)
    invited_at = models.DateTimeField(null=True, blank=True)
    minutes_summary = models.TextField(_("oppsummering"), blank=True)
    minutes_written_at = models.DateTimeField(null=True, blank=True)
    minutes_written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    corrections_due_on = models.DateField(_("frist for retting"), null=True, blank=True)
    cancelled_reason = models.CharField(_("grunn til avlysning"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        ordering = ["starts_at", "id"]
        base_manager_name = "all_tenants"
        indexes = [models.Index(fields=["person", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class AgendaItem(TenantModel):
    """A concrete item to settle; the minutes record per item what was agreed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("sak"), max_length=300)
    agreed = models.TextField(_("hva som ble avtalt"), blank=True)
    # Plan changes agreed under this item, waiting to be written into the plan in one step
    # (see :mod:`oppfolging.meetings.apply_services`): a list of {"id", "type", ...fields}.
    proposed_changes = models.JSONField(default=list, blank=True)
    # Set when the agreed change was written into the plan (one step from the minutes).
    applied_to_plan_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return self.title


class ParticipantKind(models.TextChoices):
    PERSON = "person", _("Personen selv")
    MEMBER = "member", _("Teammedlem")
    RELATIVE = "relative", _("Pårørende")
    OTHER = "other", _("Annen")


class ParticipantResponse(models.TextChoices):
    NONE = "", _("Ikke svart")
    ACCEPTED = "accepted", _("Kommer")
    DECLINED = "declined", _("Kommer ikke")


class MeetingParticipant(TenantModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(max_length=8, choices=ParticipantKind.choices)
    team_member = models.ForeignKey(
        "teams.TeamMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    relative = models.ForeignKey(
        "people.Relative", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("navn"), max_length=150)
    email = models.EmailField(_("e-post"), blank=True)
    response = models.CharField(max_length=8, choices=ParticipantResponse.choices, blank=True, default="")
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return self.name


class CorrectionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Foreslått")
    ACCEPTED = "accepted", _("Tatt inn")
    REJECTED = "rejected", _("Ikke tatt inn")


class MinutesCorrection(TenantModel):
    """A team member's proposed correction to the minutes (to one item or the summary)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="corrections")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="corrections"
    )
    text = models.TextField(_("forslag til retting"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_by_label = models.CharField(max_length=150)
    status = models.CharField(
        max_length=8, choices=CorrectionStatus.choices, default=CorrectionStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("begrunnelse"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        base_manager_name = "all_tenants"


class ChangeRequestStatus(models.TextChoices):
    OPEN = "open", _("Ikke behandlet")
    DONE = "done", _("Behandlet")


class MeetingChangeRequest(TenantModel):
    """The person (or a consented relative) asks to move or change a meeting from their view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="change_requests")
    text = models.TextField(_("hva du ønsker endret"))
    author_kind = models.CharField(max_length=8)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_label = models.CharField(max_length=150)
    status = models.CharField(
        max_length=4, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("svar"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        base_manager_name = "all_tenants"

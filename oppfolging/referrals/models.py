"""From a report of need to a decision: NeedReport, Assessment (the guideline's checklist),
ServiceType (each municipality's catalogue) and ServiceDecision."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import TenantModel

ONE_MONTH = datetime.timedelta(days=30)  # forvaltningsloven § 11 a: reply within a month
APPEAL_PERIOD = datetime.timedelta(weeks=4)


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Mottatt")
    BEING_ASSESSED = "being_assessed", _("Under vurdering")
    DECIDED = "decided", _("Vedtak fattet")
    CLOSED = "closed", _("Avsluttet")


class ReportKind(models.TextChoices):
    NEED = "need", _("Melding om behov")
    CHANGED_NEED = "changed_need", _("Endret behov")


class ReportChannel(models.TextChoices):
    WRITTEN = "written", _("Skriftlig")
    ORAL = "oral", _("Muntlig")
    ELECTRONIC = "electronic", _("Elektronisk melding")


class ReportSource(models.TextChoices):
    STAFF = "staff", _("Ansatt eller tjeneste")
    PERSON = "person", _("Personen selv")
    RELATIVE = "relative", _("Pårørende")


class Knowledge(models.TextChoices):
    KNOWS_AND_AGREES = "agrees", _("Personen kjenner til meldingen og er enig")
    KNOWS_NOT_AGREES = "knows", _("Personen kjenner til meldingen, men er ikke enig")
    DOES_NOT_KNOW = "unknown", _("Personen kjenner ikke til meldingen")


class Routing(models.TextChoices):
    QUEUE = "queue", _("Tildelingskontorets kø")
    COORDINATOR = "coordinator", _("Koordinatorens innboks")


class NeedReport(TenantModel):
    """A report that someone may need services or coordination. Legally an application: it is
    recorded in the person's municipality's one queue and must be handled."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="need_reports")
    kind = models.CharField(_("type"), max_length=16, choices=ReportKind.choices, default=ReportKind.NEED)
    routing = models.CharField(_("sendt til"), max_length=12, choices=Routing.choices, default=Routing.QUEUE)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reporter_unit = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reporter_role = models.CharField(_("melderens rolle"), max_length=100, blank=True)
    source = models.CharField(_("hvem meldingen kommer fra"), max_length=10, choices=ReportSource.choices)
    source_name = models.CharField(_("navn på den som meldte muntlig"), max_length=150, blank=True)
    channel = models.CharField(_("kanal"), max_length=12, choices=ReportChannel.choices)
    observed = models.TextField(_("hva er observert"))
    requested = models.TextField(_("hva det bes om"), blank=True)
    knowledge = models.CharField(_("personens kjennskap"), max_length=8, choices=Knowledge.choices)
    reason_without_knowledge = models.TextField(_("grunn til å melde uten personens kjennskap"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("mottatt"), default=timezone.now)
    decided_at = models.DateTimeField(_("vedtak"), null=True, blank=True)
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)
    interim_reply_at = models.DateTimeField(_("foreløpig svar sendt"), null=True, blank=True)
    interim_reply_expected_by = models.DateField(_("forventet svar innen"), null=True, blank=True)
    interim_reply_text = models.TextField(_("foreløpig svar"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("melding om behov")
        verbose_name_plural = _("meldinger om behov")
        ordering = ["-received_at"]
        base_manager_name = "all_tenants"
        indexes = [models.Index(fields=["municipality", "status", "received_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_at:%Y-%m-%d}"

    @property
    def is_overdue(self) -> bool:
        """No decision a month after it was received, and the person not told why (§ 11 a)."""
        if self.status in {ReportStatus.DECIDED, ReportStatus.CLOSED} or self.interim_reply_at:
            return False
        return timezone.now() - self.received_at > ONE_MONTH


class ReportStatusChange(TenantModel):
    """Every status change, timed, so the time spent in each status can be told."""

    report = models.ForeignKey(NeedReport, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReportStatus.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["changed_at", "id"]
        base_manager_name = "all_tenants"


class Answer(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nei")


class OfferStatus(models.TextChoices):
    NOT_OFFERED = "not_offered", _("Ikke tilbudt")
    OFFERED = "offered", _("Tilbudt")
    ACCEPTED = "accepted", _("Takket ja")
    DECLINED = "declined", _("Takket nei")


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Pågår")
    COMPLETED = "completed", _("Fullført")


class Assessment(TenantModel):
    """The interdisciplinary assessment (guideline 6.5). Filled over several sittings; each
    checklist section is its own row with its own version, so two people can work on different
    sections at once and a conflicting edit of the same section is caught, not overwritten."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="assessments")
    report = models.ForeignKey(
        NeedReport, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.IN_PROGRESS
    )
    led_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("startet"), default=timezone.now)
    completed_at = models.DateTimeField(_("fullført"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    interpreter_needed = models.BooleanField(_("tolk trengs"), default=False)
    interpreter_used = models.BooleanField(_("tolk ble brukt"), default=False)
    minor_children_as_next_of_kin = models.CharField(
        _("mindreårige barn som pårørende"), max_length=3, choices=Answer.choices, blank=True
    )
    minor_children_attended_to = models.TextField(_("hvordan barna blir ivaretatt"), blank=True)
    rehabilitation_potential_assessed = models.BooleanField(
        _("rehabiliteringspotensial vurdert før kompenserende tiltak"), default=False
    )
    rehabilitation_notes = models.TextField(_("vurdering av rehabiliteringspotensial"), blank=True)
    needs_coordinated_services = models.CharField(
        _("behov for langvarige og koordinerte tjenester"), max_length=3, choices=Answer.choices, blank=True
    )
    needs_reason = models.TextField(_("begrunnelse"), blank=True)
    ip_status = models.CharField(
        _("individuell plan"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.NOT_OFFERED
    )
    coordinator_status = models.CharField(
        _("koordinator"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.NOT_OFFERED
    )
    coordinator_wish = models.CharField(_("personens ønske om koordinator"), max_length=200, blank=True)
    informed_about_ip_and_coordinator = models.BooleanField(
        _("informert om oppfølgingsteam, individuell plan og koordinator"), default=False
    )

    class Meta:
        verbose_name = _("kartlegging")
        verbose_name_plural = _("kartlegginger")
        ordering = ["-started_at"]
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.started_at:%Y-%m-%d}"


class AssessmentSection(TenantModel):
    """One checklist section's text (``key`` from :mod:`oppfolging.referrals.checklist`)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=32)
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        base_manager_name = "all_tenants"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="assessment_section_unique_key")
        ]


class AssessmentDraft(TenantModel):
    """What a user has typed into a section but not saved: kept across a session timeout."""

    section = models.ForeignKey(AssessmentSection, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    base_version = models.PositiveIntegerField(default=0)

    class Meta:
        base_manager_name = "all_tenants"
        constraints = [models.UniqueConstraint(fields=["section", "user"], name="assessment_draft_unique")]


class AssessmentParticipant(TenantModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("navn"), max_length=150)
    discipline = models.CharField(_("fag"), max_length=100, blank=True)
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_gp = models.BooleanField(_("fastlege"), default=False)

    class Meta:
        base_manager_name = "all_tenants"


class ServiceType(TenantModel):
    """The municipality's own service catalogue."""

    name = models.CharField(_("navn"), max_length=120)
    description = models.TextField(_("beskrivelse"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("tjeneste")
        verbose_name_plural = _("tjenester")
        ordering = ["name"]
        base_manager_name = "all_tenants"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="service_type_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class DecisionKind(models.TextChoices):
    SERVICE = "service", _("Tjeneste")
    INDIVIDUAL_PLAN = "individual_plan", _("Individuell plan")
    COORDINATOR = "coordinator", _("Koordinator")
    CHILD_COORDINATOR = "child_coordinator", _("Barnekoordinator")


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", _("Innvilget")
    REFUSED = "refused", _("Avslått")


class ServiceDecision(TenantModel):
    """A formal decision (vedtak). IP, coordinator and child coordinator are decided by KE and
    recorded the same way as services."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="decisions")
    report = models.ForeignKey(
        NeedReport, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    kind = models.CharField(_("gjelder"), max_length=20, choices=DecisionKind.choices)
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    scope = models.CharField(_("omfang"), max_length=200, blank=True)
    valid_from = models.DateField(_("fra"), null=True, blank=True)
    valid_to = models.DateField(_("til"), null=True, blank=True)
    outcome = models.CharField(_("utfall"), max_length=8, choices=DecisionOutcome.choices)
    decided_on = models.DateField(_("vedtaksdato"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notified_on = models.DateField(_("personen underrettet"), null=True, blank=True)
    reason = models.TextField(_("begrunnelse"), blank=True)

    class Meta:
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")
        ordering = ["-decided_on", "-id"]
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on}"

    @property
    def appeal_deadline(self) -> datetime.date | None:
        """Four weeks from when the person was told (forvaltningsloven § 29)."""
        return self.notified_on + APPEAL_PERIOD if self.notified_on else None

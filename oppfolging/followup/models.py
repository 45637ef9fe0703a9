"""Follow-up that cannot be forgotten: in-app notices to staff and the record of reminders sent,
which makes the reminder job safe to run any number of times."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import TenantModel


class Notice(TenantModel):
    """An in-app notice to one user about one person's case (an evaluation soon due or overdue,
    minutes to correct, a change request from the person). Shown until read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    text = models.CharField(_("melding"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        base_manager_name = "all_tenants"
        indexes = [models.Index(fields=["user", "read_at"])]


class ReminderSent(TenantModel):
    """One reminder of one kind about one object to one user, sent once: the unique constraint
    is what makes the job idempotent (a second run finds the row and sends nothing)."""

    kind = models.CharField(max_length=40)  # e.g. "evaluation_due", "evaluation_overdue"
    object_uuid = models.UUIDField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        base_manager_name = "all_tenants"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_uuid", "user"], name="reminder_sent_once")
        ]


class Medicine(TenantModel):
    """A medicine the person uses, as recorded by the GP or imported from the record. Four or
    more regular medicines put a medication review on the GP's list (fastlegeforskriften § 25)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="medicines")
    name = models.CharField(_("legemiddel"), max_length=200)
    atc_code = models.CharField(_("ATC-kode"), max_length=8, blank=True)
    is_regular = models.BooleanField(_("fast legemiddel"), default=True)
    started_on = models.DateField(_("fra"), null=True, blank=True)
    ended_on = models.DateField(_("til"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("sist gjennomgått"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("legemiddel")
        verbose_name_plural = _("legemidler")
        ordering = ["name"]
        base_manager_name = "all_tenants"

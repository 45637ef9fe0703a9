"""The person's consents: to plan work, to each team member, to sharing information (which
member may see which parts), and to involving relatives. Checked at the moment of access, so a
withdrawal takes effect on the next request."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import TenantModel


class ConsentKind(models.TextChoices):
    PLAN_WORK = "plan_work", _("Oppstart av planarbeid og individuell plan")
    TEAM_MEMBERSHIP = "team_membership", _("Medlem i oppfølgingsteamet")
    INFORMATION_SHARING = "information_sharing", _("Deling av opplysninger")
    INVOLVE_RELATIVES = "involve_relatives", _("Involvering av pårørende")


class GivenBy(models.TextChoices):
    PERSON = "person", _("Personen selv")
    GUARDIAN = "guardian", _("Foresatt")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Verge")


class Consent(TenantModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(_("samtykke til"), max_length=24, choices=ConsentKind.choices)
    given_by = models.CharField(_("gitt av"), max_length=24, choices=GivenBy.choices)
    given_by_relative = models.ForeignKey(
        "people.Relative", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    persons_own_view = models.TextField(_("personens eget syn"), blank=True)
    given_on = models.DateField(_("dato"), default=timezone.localdate)
    expires_on = models.DateField(_("gjelder til"), null=True, blank=True)
    # For TEAM_MEMBERSHIP: the member consented to. For INVOLVE_RELATIVES: the relative.
    team_member = models.ForeignKey(
        "teams.TeamMember", on_delete=models.PROTECT, null=True, blank=True, related_name="consents"
    )
    relative = models.ForeignKey(
        "people.Relative", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("merknad"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")
        ordering = ["-given_on", "-id"]
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.given_on})"

    def is_in_force(self) -> bool:
        today = timezone.localdate()
        if self.withdrawn_at is not None:
            return False
        return self.expires_on is None or self.expires_on >= today


class ConsentShare(TenantModel):
    """Scope of an information-sharing consent: this member may see these assessment sections
    (keys from ``referrals.checklist``)."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="shares")
    team_member = models.ForeignKey("teams.TeamMember", on_delete=models.CASCADE, related_name="shares")
    sections = models.JSONField(default=list)

    class Meta:
        base_manager_name = "all_tenants"
        constraints = [
            models.UniqueConstraint(fields=["consent", "team_member"], name="consent_share_unique_member")
        ]

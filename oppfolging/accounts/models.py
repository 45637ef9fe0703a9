"""Users, and what they are in which unit.

A staff user's roles come from memberships (user x unit x role); a citizen user (the person
followed up, or a relative) has no memberships and reaches only what their link to a person gives.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import BaseModel, Language


class Role(models.TextChoices):
    KE_STAFF = "ke_staff", _("Koordinerende enhet")
    ALLOCATION_OFFICER = "allocation_officer", _("Saksbehandler i tildelingskontoret")
    COORDINATOR = "coordinator", _("Koordinator")
    TEAM_MEMBER = "team_member", _("Teammedlem")
    GP = "gp", _("Fastlege")
    LEADER = "leader", _("Leder")
    MUNICIPALITY_ADMIN = "municipality_admin", _("Kommuneadministrator")


class UserKind(models.TextChoices):
    STAFF = "staff", _("Ansatt")
    CITIZEN = "citizen", _("Innbygger")


class User(AbstractUser):
    """Anyone who logs in. ``is_staff``/``is_superuser`` are Django's and mean *platform operator*
    (the Django admin); they give no access to case content through the application."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("brukertype"), max_length=10, choices=UserKind.choices, default=UserKind.STAFF)
    preferred_language = models.CharField(
        _("foretrukket språk"), max_length=2, choices=Language.choices, blank=True
    )
    title = models.CharField(_("stilling/fag"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    # Health personnel number (HPR): how registry extracts name a person's GP.
    hpr_number = models.CharField(_("HPR-nummer"), max_length=9, blank=True, db_index=True)

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_citizen(self) -> bool:
        return self.kind == UserKind.CITIZEN


class Membership(BaseModel):
    """A user holds a role in a unit. Roles are always per unit, so a leader leads *their* units
    and a municipality administrator administers *their* municipality."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("rolle"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role_in_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.unit}"

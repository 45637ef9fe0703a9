"""The person followed up, and their relatives."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import Language, TenantModel
from oppfolging.lib import identity


class Sex(models.TextChoices):
    FEMALE = identity.Sex.FEMALE.value, _("Kvinne")
    MALE = identity.Sex.MALE.value, _("Mann")


class IdentityKind(models.TextChoices):
    FODSELSNUMMER = identity.IdentityKind.FODSELSNUMMER.value, _("Fødselsnummer")
    D_NUMMER = identity.IdentityKind.D_NUMMER.value, _("D-nummer")


class Person(TenantModel):
    """A citizen who is (or may be) followed up. Birth date and sex are derived from the number."""

    national_id = models.CharField(_("fødselsnummer / D-nummer"), max_length=11)
    id_kind = models.CharField(_("type nummer"), max_length=3, choices=IdentityKind.choices)
    id_is_synthetic = models.BooleanField(_("syntetisk nummer"), default=False)
    birth_date = models.DateField(_("fødselsdato"))
    sex = models.CharField(_("kjønn"), max_length=6, choices=Sex.choices)
    given_name = models.CharField(_("fornavn"), max_length=100)
    family_name = models.CharField(_("etternavn"), max_length=100)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("foretrukket språk"), max_length=2, choices=Language.choices, default=Language.BOKMAAL
    )
    interpreter_needed = models.BooleanField(_("trenger tolk"), default=False)
    interpreter_language = models.CharField(_("tolkespråk"), max_length=60, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("innbyggerkonto"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["family_name", "given_name"]
        base_manager_name = "all_tenants"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "national_id"], name="person_unique_number_per_municipality"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "family_name", "given_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def masked_id(self) -> str:
        return identity.mask(self.national_id)

    def age(self, on: datetime.date | None = None) -> int:
        day = on or timezone.localdate()
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class RelativeKind(models.TextChoices):
    NEXT_OF_KIN = "next_of_kin", _("Pårørende")
    GUARDIAN = "guardian", _("Foresatt (forelder til mindreårig)")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Verge")


class Relative(TenantModel):
    """Takes part as the person consents; guardians of minors by law."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relatives")
    kind = models.CharField(_("type"), max_length=24, choices=RelativeKind.choices)
    name = models.CharField(_("navn"), max_length=150)
    relation = models.CharField(
        _("relasjon"), max_length=60, blank=True, help_text=_("For eksempel mor, datter, nabo.")
    )
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relative_links",
        verbose_name=_("innbyggerkonto"),
    )

    class Meta:
        verbose_name = _("pårørende")
        verbose_name_plural = _("pårørende")
        ordering = ["name"]
        base_manager_name = "all_tenants"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

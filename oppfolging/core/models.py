"""The tenant (Municipality), organisational units, and the base every model stands on."""

from __future__ import annotations

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from oppfolging.core.tenancy import TenantManager


class BaseModel(models.Model):
    """UUID for URLs (never sequential ids), and creation/change times."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        abstract = True


class TenantModel(BaseModel):
    """A record that belongs to one municipality and is invisible outside its scope."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommune")
    )

    # Concrete models repeat ``objects`` with their own type; the plain manager is for Django's
    # internals (related lookups after access was checked) and for code inside ``unscoped()``.
    objects = TenantManager()
    all_tenants = models.Manager()  # noqa: DJ012

    class Meta:
        abstract = True
        base_manager_name = "all_tenants"


class Language(models.TextChoices):
    BOKMAAL = "nb", _("Norsk bokmål")
    NYNORSK = "nn", _("Norsk nynorsk")
    ENGLISH = "en", _("Engelsk")


class Municipality(BaseModel):
    """The tenant: owns its persons, units and every record about them."""

    name = models.CharField(_("navn"), max_length=100, unique=True)
    number = models.CharField(
        _("kommunenummer"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("Kommunenummeret har fire sifre."))],
    )
    default_language = models.CharField(
        _("standardspråk"),
        max_length=2,
        choices=[(Language.BOKMAAL, Language.BOKMAAL.label), (Language.NYNORSK, Language.NYNORSK.label)],
        default=Language.BOKMAAL,
    )
    coordinator_caseload_cap = models.PositiveSmallIntegerField(_("maks personer per koordinator"), default=5)

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class UnitKind(models.TextChoices):
    COORDINATING_UNIT = "coordinating_unit", _("Koordinerende enhet")
    ALLOCATION_OFFICE = "allocation_office", _("Tildelingskontor")
    HOME_CARE = "home_care", _("Hjemmetjeneste")
    MENTAL_HEALTH = "mental_health", _("Psykisk helse og rus")
    GP_OFFICE = "gp_office", _("Legekontor")
    NAV_OFFICE = "nav_office", _("NAV-kontor")
    SCHOOL = "school", _("Skole")
    KINDERGARTEN = "kindergarten", _("Barnehage")
    CHILD_WELFARE = "child_welfare", _("Barnevern")
    HOSPITAL_DEPARTMENT = "hospital_department", _("Sykehusavdeling")
    DENTAL_SERVICE = "dental_service", _("Tannhelsetjeneste")
    PRIVATE_PRACTICE = "private_practice", _("Privat praksis")
    OTHER = "other", _("Annen enhet")


class Unit(BaseModel):
    """An organisational unit. Municipal units belong to a municipality; external units (a
    hospital department, a NAV office run by the state, a private practice) have none, and their
    staff reach a person only through membership of that person's team."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("kommune"),
    )
    name = models.CharField(_("navn"), max_length=150)
    kind = models.CharField(_("type"), max_length=32, choices=UnitKind.choices)
    organisation_number = models.CharField(
        _("organisasjonsnummer"),
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", _("Organisasjonsnummeret har ni sifre."))],
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="unit_unique_name_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.municipality_id is None

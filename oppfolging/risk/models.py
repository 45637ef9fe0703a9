"""Preventive risk stratification (SPEC §4.1, guideline 2.1): the municipality's registry-like
extracts (persons, diagnoses, medicines, contacts, municipal services), the risk models, the scores
they give, and the reviews that keep a person off the work-list until their data change.

Scores are decision support, never decisions: nothing here changes a person's case by itself.
Population-scale batches keep every person's score in a columnar file (``ScoreBatch.path``), the
persons above a threshold or with a flag in a second one that the work-lists read
(``listed.py``), and in the database the batch with its aggregated tiers; a ``RiskSubject`` is
made for a person when a list shows them or someone acts on them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oppfolging.core.models import BaseModel, TenantModel


class BatchJSONField(models.JSONField):
    """JSON without the per-row ``JSON_VALID`` check that SQLite's JSONField carries, for the
    score rows a population batch once wrote by the hundred thousand. No model has it now (the
    listed persons are a file, ``listed.py``); migration 0002 names it."""

    def db_check(self, connection: BaseDatabaseWrapper) -> str | None:
        return None


class RiskSubject(TenantModel):
    """A person as the extracts know them: possibly not (yet) known to the pathway. ``person`` is
    set when the municipality has registered them. ``data_hash`` is the importer's fingerprint of
    the subject's stored rows (``extract.data_hashes``), which tells it what an import changed; a
    review holds on the score's fingerprint instead (``data_hash`` in the batch's list)."""

    national_id = models.CharField(_("fødselsnummer / D-nummer"), max_length=11)
    birth_date = models.DateField(_("fødselsdato"))
    sex = models.CharField(_("kjønn"), max_length=6)
    gp_hpr = models.CharField(_("fastlegens HPR-nummer"), max_length=9, blank=True, db_index=True)
    # Indexed only where set (Meta.indexes): most subjects are not registered persons, and an
    # import inserts them unlinked by the hundred thousand.
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_subjects",
        db_index=False,
    )
    data_hash = models.CharField(max_length=64, blank=True)
    # TenantModel's, without its own index: the unique (municipality, national_id) serves it.
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kommune"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("person i uttrekket")
        verbose_name_plural = _("personer i uttrekket")
        base_manager_name = "all_tenants"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "national_id"], name="risk_subject_unique_number")
        ]
        indexes = [
            models.Index(fields=["person"], condition=Q(person__isnull=False), name="risk_subject_person_set")
        ]


class CodeSystem(models.TextChoices):
    ICPC2 = "icpc2", "ICPC-2"
    ICD10 = "icd10", "ICD-10"


class Diagnosis(TenantModel):
    subject = models.ForeignKey(RiskSubject, on_delete=models.CASCADE, related_name="diagnoses")
    system = models.CharField(max_length=5, choices=CodeSystem.choices)
    code = models.CharField(max_length=10)
    on = models.DateField()
    source = models.CharField(max_length=20, blank=True)

    class Meta:
        base_manager_name = "all_tenants"
        indexes = [models.Index(fields=["subject", "on"])]


class MedicineUse(TenantModel):
    subject = models.ForeignKey(RiskSubject, on_delete=models.CASCADE, related_name="medicines")
    atc = models.CharField(max_length=8)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    regular = models.BooleanField(default=True)

    class Meta:
        base_manager_name = "all_tenants"


class ContactKind(models.TextChoices):
    GP = "gp", _("Fastlege")
    OUT_OF_HOURS = "out_of_hours", _("Legevakt")
    EMERGENCY_ADMISSION = "emergency_admission", _("Øyeblikkelig hjelp-innleggelse")
    PLANNED_ADMISSION = "planned_admission", _("Planlagt innleggelse")
    OUTPATIENT = "outpatient", _("Poliklinikk")


class Contact(TenantModel):
    subject = models.ForeignKey(RiskSubject, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField()
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    length_of_stay = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        base_manager_name = "all_tenants"
        indexes = [models.Index(fields=["subject", "on"])]


class MunicipalService(TenantModel):
    subject = models.ForeignKey(RiskSubject, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(max_length=40)
    hours_per_week = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        base_manager_name = "all_tenants"


class ImportBatch(TenantModel):
    """One imported extract. The file's hash is unique per municipality: the same extract twice
    changes nothing."""

    file_name = models.CharField(max_length=255)
    file_hash = models.CharField(max_length=64)
    format = models.CharField(max_length=20)
    rows = models.PositiveIntegerField(default=0)
    subjects = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        base_manager_name = "all_tenants"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "file_hash"], name="risk_import_once_per_file")
        ]


class ModelKind(models.TextChoices):
    DEFAULT = "default", _("Standardvekter, ikke validert lokalt")
    FITTED = "fitted", _("Tilpasset kommunens egne data")


class ModelStatus(models.TextChoices):
    PROPOSED = "proposed", _("Venter på godkjenning")
    APPROVED = "approved", _("Godkjent, i bruk")
    RETIRED = "retired", _("Ikke lenger i bruk")
    REJECTED = "rejected", _("Avvist")


class RiskModelVersion(BaseModel):
    """Weights of the admission-risk model. The shipped default has no municipality; a fitted one
    belongs to the municipality whose history it was fitted on and is used only once approved."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=100)
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=ModelKind.choices)
    status = models.CharField(max_length=8, choices=ModelStatus.choices, default=ModelStatus.PROPOSED)
    weights = models.JSONField(default=dict)  # {"intercept": float, "coefficients": {feature: float}}
    metrics = models.JSONField(default=dict)  # c-statistic, Brier score, calibration by decile, n
    sources = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="risk_model_unique_number")
        ]


class ScoreBatch(TenantModel):
    """One scoring of the municipality's population: the model version, the date, where every
    person's scores are kept (a Parquet file under ``RISK_STORE_DIR``), and the aggregated tiers
    by age group and target group for the population view."""

    model_version = models.ForeignKey(RiskModelVersion, on_delete=models.PROTECT, related_name="batches")
    computed_on = models.DateField()
    persons = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=500, blank=True)
    pyramid = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)

    class Meta:
        base_manager_name = "all_tenants"
        ordering = ["-computed_on", "-id"]


class Review(TenantModel):
    """«Vurdert»: a GP or KE looked at the person and decided no report is needed now. Holds while
    the latest score rests on the data the review was made with (``data_hash``, the score's)."""

    subject = models.ForeignKey(RiskSubject, on_delete=models.CASCADE, related_name="reviews")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("begrunnelse"))
    data_hash = models.CharField(max_length=64)

    class Meta:
        base_manager_name = "all_tenants"
        ordering = ["-created_at"]

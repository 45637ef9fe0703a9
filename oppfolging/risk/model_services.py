"""Model versions of the admission-risk model: fitting one on the municipality's own history,
approving or rejecting it, and which version is in use.

Who decides (issue 5, "a person with the right role approves before it is used"):

* KE staff of the municipality, or a **leader of its coordinating unit** (a Membership with the
  leader role in a unit of kind ``coordinating_unit``), may approve or reject a proposed version.
  KE owns the work-lists the model feeds, and the coordinating unit's leader answers for them;
  leaders of other units see the models (planning) but do not decide on them.
* **Four eyes**: never the user who fitted the version. A version fitted by the system (the
  command run without ``--user``) may be decided by anyone with the role.
* Approving retires the municipality's previously approved fitted version: one version is in use.
* Nothing is used until approved: :func:`model_in_use` gives the approved fitted version, else the
  shipped default (``engine.ensure_default_model()``), which the UI marks as not validated locally.

Every write records an audit row (``what="risk.model"``) in its own transaction.
"""

from __future__ import annotations

import datetime

import sklearn
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Role
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.models import Municipality, UnitKind
from oppfolging.risk import fitting
from oppfolging.risk.access import may_see_population
from oppfolging.risk.engine import ModelWeights, ensure_default_model
from oppfolging.risk.extract import Extract
from oppfolging.risk.models import ModelKind, ModelStatus, RiskModelVersion

DEFAULT_SEED = 20240101
SYSTEM_ROLE = "system"


# --- Who may do what ---------------------------------------------------------------------------


def leads_coordinating_unit(actor: Actor) -> bool:
    municipality = actor.municipality
    if municipality is None:
        return False
    return any(
        unit.kind == UnitKind.COORDINATING_UNIT and unit.municipality_id == municipality.pk
        for unit in actor.units_with_role(Role.LEADER)
    )


def may_decide_models(actor: Actor) -> bool:
    """KE staff or a leader of the coordinating unit, acting in a municipality."""
    if not actor.is_staff_user or actor.municipality is None:
        return False
    return actor.has_role(Role.KE_STAFF) or leads_coordinating_unit(actor)


def decision_problem(actor: Actor, version: RiskModelVersion) -> str | None:
    """Why ``actor`` may not approve or reject ``version`` now, in words; ``None`` if they may."""
    if not may_decide_models(actor) or actor.municipality is None:
        return _("Bare koordinerende enhet og lederen for koordinerende enhet kan godkjenne modeller.")
    if version.kind != ModelKind.FITTED or version.municipality_id != actor.municipality.pk:
        return _("Bare modeller tilpasset kommunens egne data kan godkjennes.")
    if version.status != ModelStatus.PROPOSED:
        return _("Modellen er allerede behandlet: %(status)s.") % {"status": version.get_status_display()}
    if (
        version.created_by_id is not None
        and actor.user is not None
        and version.created_by_id == actor.user.pk
    ):
        return _("Du tilpasset denne modellen selv. En annen må godkjenne den (fire øyne).")
    return None


def _role(actor: Actor) -> str:
    if actor.user is None:
        return SYSTEM_ROLE
    if actor.has_role(Role.KE_STAFF):
        return Role.KE_STAFF.value
    return Role.LEADER.value


# --- Which model is used ----------------------------------------------------------------------


def model_in_use(municipality: Municipality) -> RiskModelVersion:
    """The municipality's approved fitted version, else the shipped default."""
    approved = (
        RiskModelVersion.objects.filter(
            municipality=municipality, kind=ModelKind.FITTED, status=ModelStatus.APPROVED
        )
        .order_by("-decided_at", "-id")
        .first()
    )
    if approved is not None:
        return approved
    return ensure_default_model()


def weights_of(version: RiskModelVersion) -> ModelWeights:
    """The stored weights as the engine takes them."""
    return ModelWeights.of_version(version)


# --- Fitting ------------------------------------------------------------------------------------


def _sources(municipality: Municipality, result: fitting.FitResult, label: str) -> str:
    lines = [
        _("Tilpasset på historikken til %(municipality)s%(label)s.")
        % {"municipality": municipality.name, "label": f" ({label})" if label else ""},
        _(
            "Kjennetegn per %(year_end)s fra data til og med den datoen; utfall: minst én "
            "øyeblikkelig hjelp-innleggelse de neste 12 månedene."
        )
        % {"year_end": result.year_end.isoformat()},
        _(
            "%(n_train)s personer til tilpasning, %(n_test)s holdt utenfor og brukt til å måle "
            "(70/30, stratifisert, frø %(seed)s)."
        )
        % {"n_train": result.n_train, "n_test": result.fitted.n, "seed": result.seed},
        _(
            "Logistisk regresjon i scikit-learn %(version)s (L2, C=%(c)s) på standardiserte "
            "kjennetegn; vektene er regnet tilbake til kjennetegnenes egen skala."
        )
        % {"version": sklearn.__version__, "c": fitting.REGULARISATION_C},
        _(
            "Mål: c-statistikk (Hanley og McNeil 1982 for intervallet), Brier-skår, kalibrering i "
            "tideler og kalibreringshelning/-skjæringspunkt (Van Calster mfl., J Clin Epidemiol 2016)."
        ),
    ]
    return "\n".join(str(line) for line in lines)


def model_fit_and_propose(
    *,
    actor: Actor,
    municipality: Municipality,
    extract: Extract,
    year_end: datetime.date,
    seed: int = DEFAULT_SEED,
    label: str = "",
) -> RiskModelVersion:
    """Fit on ``extract`` (features as of ``year_end``, outcomes the year after) and store the
    result as a proposed version, with the default's figures on the same held-out persons.
    ``actor`` without a user is the system (the command run by an operator). Raises
    :class:`fitting.FitError` when the history cannot support a fit."""
    if actor.user is not None and (
        not may_see_population(actor)
        or actor.municipality is None
        or actor.municipality.pk != municipality.pk
    ):
        raise PermissionDenied("not KE or a leader of this municipality")
    default = ensure_default_model()
    result = fitting.fit(extract, year_end=year_end, seed=seed, default=weights_of(default))
    with transaction.atomic():
        # Serialise numbering per municipality.
        Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
        number = (
            RiskModelVersion.objects.filter(municipality=municipality).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        version = RiskModelVersion.objects.create(
            municipality=municipality,
            name=_("Tilpasset modell %(number)s (historikk til %(year_end)s)")
            % {"number": number, "year_end": year_end.isoformat()},
            number=number,
            kind=ModelKind.FITTED,
            status=ModelStatus.PROPOSED,
            weights={"intercept": result.intercept, "coefficients": result.coefficients},
            metrics={**result.metrics_json(), "default_version": str(default.uuid)},
            sources=_sources(municipality, result, label),
            created_by=actor.user,
        )
        audit_record(
            actor=actor.user,
            action=AuditAction.CREATE,
            what="risk.model",
            role=_role(actor),
            municipality=municipality,
            object_uuid=version.uuid,
            detail={
                "number": number,
                "status": version.status,
                "year_end": year_end.isoformat(),
                "c_statistic": round(result.fitted.c_statistic, 4),
                "brier": round(result.fitted.brier, 5),
            },
        )
    return version


# --- Deciding -----------------------------------------------------------------------------------


def _locked(version: RiskModelVersion) -> RiskModelVersion:
    return RiskModelVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)


def model_approve(*, actor: Actor, version: RiskModelVersion, note: str = "") -> RiskModelVersion:
    """Put a proposed fitted version in use; the one in use until now is retired."""
    with transaction.atomic():
        version = _locked(version)
        problem = decision_problem(actor, version)
        if problem is not None:
            raise ValidationError(problem)
        retired = list(
            RiskModelVersion.objects.select_for_update()
            .filter(municipality=version.municipality, kind=ModelKind.FITTED, status=ModelStatus.APPROVED)
            .exclude(pk=version.pk)
        )
        now = timezone.now()
        for old in retired:
            old.status = ModelStatus.RETIRED
            old.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor.user,
                action=AuditAction.UPDATE,
                what="risk.model",
                role=_role(actor),
                municipality=version.municipality,
                object_uuid=old.uuid,
                detail={"number": old.number, "status": old.status, "replaced_by": str(version.uuid)},
            )
        version.status = ModelStatus.APPROVED
        version.decided_by = actor.user
        version.decided_at = now
        version.decision_note = note.strip()
        version.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        audit_record(
            actor=actor.user,
            action=AuditAction.UPDATE,
            what="risk.model",
            role=_role(actor),
            municipality=version.municipality,
            object_uuid=version.uuid,
            detail={
                "number": version.number,
                "status": version.status,
                "retired": [str(old.uuid) for old in retired],
            },
        )
    return version


def model_reject(*, actor: Actor, version: RiskModelVersion, note: str) -> RiskModelVersion:
    """Refuse a proposed version, with the reason; the model in use stays as it is."""
    if not note.strip():
        raise ValidationError({"note": _("Skriv hvorfor modellen avvises.")})
    with transaction.atomic():
        version = _locked(version)
        problem = decision_problem(actor, version)
        if problem is not None:
            raise ValidationError(problem)
        version.status = ModelStatus.REJECTED
        version.decided_by = actor.user
        version.decided_at = timezone.now()
        version.decision_note = note.strip()
        version.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        audit_record(
            actor=actor.user,
            action=AuditAction.UPDATE,
            what="risk.model",
            role=_role(actor),
            municipality=version.municipality,
            object_uuid=version.uuid,
            detail={"number": version.number, "status": version.status},
        )
    return version

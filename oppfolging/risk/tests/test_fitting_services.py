"""Who may approve a fitted model, four eyes, one model in use, and the default until then."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from oppfolging.access.actor import resolve_actor
from oppfolging.accounts.models import Role
from oppfolging.audit.models import AuditEvent
from oppfolging.core.models import UnitKind
from oppfolging.core.tenancy import unscoped
from oppfolging.risk import model_services as services
from oppfolging.risk.engine import ensure_default_model
from oppfolging.risk.models import ModelKind, ModelStatus
from oppfolging.risk.tests.test_fitting_support import proposed_version, staff

pytestmark = pytest.mark.django_db


def _fitted_by_ke(cast):
    return proposed_version(cast.municipalities["fjordvik"], created_by=cast.users["fjordvik-ke"])


def _second_ke(cast):
    return resolve_actor(staff(cast, "ke-to", unit_kind=UnitKind.COORDINATING_UNIT, role=Role.KE_STAFF))


def test_the_default_is_used_when_nothing_is_approved(cast):
    in_use = services.model_in_use(cast.municipalities["fjordvik"])
    assert in_use.kind == ModelKind.DEFAULT
    assert in_use.municipality_id is None
    assert in_use == ensure_default_model()


def test_a_proposed_model_is_not_used_until_approved(cast):
    fjordvik = cast.municipalities["fjordvik"]
    version = _fitted_by_ke(cast)
    assert services.model_in_use(fjordvik).kind == ModelKind.DEFAULT
    services.model_approve(actor=_second_ke(cast), version=version, note="Tallene ser rimelige ut.")
    assert services.model_in_use(fjordvik) == version
    # ... and only in its own municipality.
    assert services.model_in_use(cast.municipalities["lidal"]).kind == ModelKind.DEFAULT
    weights = services.weights_of(services.model_in_use(fjordvik))
    assert weights.kind == ModelKind.FITTED
    assert weights.version_id == version.pk


def test_the_fitter_cannot_approve_their_own(cast):
    version = _fitted_by_ke(cast)
    with pytest.raises(ValidationError, match="fire øyne"):
        services.model_approve(actor=resolve_actor(cast.users["fjordvik-ke"]), version=version)
    with pytest.raises(ValidationError, match="fire øyne"):
        services.model_reject(actor=resolve_actor(cast.users["fjordvik-ke"]), version=version, note="Nei.")
    version.refresh_from_db()
    assert version.status == ModelStatus.PROPOSED


def test_approving_retires_the_one_in_use(cast):
    fjordvik = cast.municipalities["fjordvik"]
    approver = _second_ke(cast)
    first = _fitted_by_ke(cast)
    services.model_approve(actor=approver, version=first)
    second = proposed_version(fjordvik, created_by=cast.users["fjordvik-ke"], seed=2)
    services.model_approve(actor=approver, version=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ModelStatus.RETIRED
    assert second.status == ModelStatus.APPROVED
    assert second.decided_by == approver.user
    assert services.model_in_use(fjordvik) == second
    with unscoped():
        rows = AuditEvent.objects.filter(what="risk.model", municipality=fjordvik)
        assert {(str(r.object_uuid), r.detail["status"]) for r in rows} >= {
            (str(first.uuid), "approved"),
            (str(first.uuid), "retired"),
            (str(second.uuid), "approved"),
        }


def test_only_ke_or_the_coordinating_units_leader_decides(cast):
    version = _fitted_by_ke(cast)
    # The demo leader leads home care and occupational therapy, not the coordinating unit.
    with pytest.raises(ValidationError, match="Bare koordinerende enhet"):
        services.model_approve(actor=resolve_actor(cast.users["fjordvik-leder"]), version=version)
    with pytest.raises(ValidationError):
        services.model_approve(actor=resolve_actor(cast.users["lidal-ke"]), version=version)
    ke_leader = staff(cast, "ke-leder", unit_kind=UnitKind.COORDINATING_UNIT, role=Role.LEADER)
    services.model_approve(actor=resolve_actor(ke_leader), version=version)
    version.refresh_from_db()
    assert version.status == ModelStatus.APPROVED


def test_a_rejection_needs_a_reason_and_keeps_the_model_in_use(cast):
    fjordvik = cast.municipalities["fjordvik"]
    version = _fitted_by_ke(cast)
    approver = _second_ke(cast)
    with pytest.raises(ValidationError):
        services.model_reject(actor=approver, version=version, note="  ")
    services.model_reject(actor=approver, version=version, note="For få innleggelser i grunnlaget.")
    version.refresh_from_db()
    assert version.status == ModelStatus.REJECTED
    assert version.decision_note == "For få innleggelser i grunnlaget."
    assert services.model_in_use(fjordvik).kind == ModelKind.DEFAULT
    with pytest.raises(ValidationError, match="allerede behandlet"):
        services.model_approve(actor=approver, version=version)


def test_a_system_fit_may_be_decided_by_anyone_with_the_role(cast):
    version = proposed_version(cast.municipalities["fjordvik"], created_by=None)
    services.model_approve(actor=resolve_actor(cast.users["fjordvik-ke"]), version=version)
    version.refresh_from_db()
    assert version.status == ModelStatus.APPROVED

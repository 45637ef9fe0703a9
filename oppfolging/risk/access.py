"""Who may see risk scores (issue 5): only the person's GP and KE staff of the municipality.

A GP is the person's GP when the extract names them: the subject's ``gp_hpr`` equals the user's
``hpr_number`` and the user holds the GP role in the subject's municipality. KE staff see every
subject of their municipality. Leaders and KE see the population view, which holds aggregated
counts only and no person. Every route of the work-lists goes through :func:`access_subject`
(404 for "missing or not yours" alike), and every score shown is audited by the selectors.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import Http404

from oppfolging.access.actor import Actor
from oppfolging.access.rules import any_role
from oppfolging.accounts.models import Role
from oppfolging.core.models import Unit
from oppfolging.risk.models import RiskSubject

GP_ONLY = any_role(Role.GP)
# The subject's page and its actions: GP or KE; which subject is theirs is checked per subject.
RISK_READER = any_role(Role.GP, Role.KE_STAFF)
POPULATION_READER = any_role(Role.KE_STAFF, Role.LEADER)

GP_ROLE = Role.GP.value
KE_ROLE = Role.KE_STAFF.value


def gp_hpr_of(actor: Actor) -> str:
    """The actor's HPR number when they act as a GP in a municipality; ``""`` otherwise."""
    if not actor.is_staff_user or actor.user is None or actor.municipality is None:
        return ""
    if not actor.has_role(Role.GP):
        return ""
    return actor.user.hpr_number.strip()


def is_ke(actor: Actor) -> bool:
    return actor.is_staff_user and actor.municipality is not None and actor.has_role(Role.KE_STAFF)


def may_see_population(actor: Actor) -> bool:
    return (
        actor.is_staff_user and actor.municipality is not None and actor.has_role(Role.KE_STAFF, Role.LEADER)
    )


@dataclass(frozen=True)
class SubjectAccess:
    """A subject the actor may see the scores of, and the role that gives it (for the audit)."""

    subject: RiskSubject
    role: str  # "gp" or "ke_staff"

    @property
    def is_gp(self) -> bool:
        return self.role == GP_ROLE


def role_for(actor: Actor, subject: RiskSubject) -> str | None:
    """The role in which ``actor`` may see ``subject``'s scores, or ``None``. The GP role is
    preferred when both apply: the GP is the one who knows the patient."""
    if actor.municipality is None or subject.municipality_id != actor.municipality.pk:
        return None
    hpr = gp_hpr_of(actor)
    if hpr and subject.gp_hpr == hpr:
        return GP_ROLE
    if is_ke(actor):
        return KE_ROLE
    return None


def access_subject(actor: Actor, subject_uuid: uuid.UUID | str) -> SubjectAccess:
    """The subject, if the actor is their GP or KE of their municipality; else Http404."""
    if not actor.is_staff_user or actor.municipality is None:
        raise Http404
    try:
        subject = (
            RiskSubject.objects.select_related("person", "municipality")
            .filter(municipality=actor.municipality, uuid=subject_uuid)
            .first()
        )
    except (ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
    if subject is None:
        raise Http404
    role = role_for(actor, subject)
    if role is None:
        raise Http404
    return SubjectAccess(subject=subject, role=role)


def reporting_unit(actor: Actor, role: str) -> Unit | None:
    """The unit a report from the work-list comes from: the actor's unit in the role they see
    the subject in (the GP office, or KE)."""
    wanted = Role.GP if role == GP_ROLE else Role.KE_STAFF
    municipality_id = actor.municipality.pk if actor.municipality else None
    return next(
        (
            unit
            for unit, unit_role in actor.unit_roles
            if unit_role == wanted and unit.municipality_id == municipality_id
        ),
        None,
    )

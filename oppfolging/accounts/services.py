"""Account events, each with its audit row."""

from __future__ import annotations

from django.db import transaction

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record


def _role_label(actor: Actor) -> str:
    if actor.is_citizen:
        return "citizen"
    return ",".join(sorted(role.value for role in actor.roles))


def record_login(*, actor: Actor) -> None:
    audit_record(
        actor=actor.user,
        action=AuditAction.LOGIN,
        what="session",
        role=_role_label(actor),
        municipality=actor.municipality,
    )


def record_logout(*, actor: Actor) -> None:
    if actor.user is not None:
        audit_record(
            actor=actor.user,
            action=AuditAction.LOGOUT,
            what="session",
            role=_role_label(actor),
            municipality=actor.municipality,
        )


def record_failed_login(*, username: str) -> None:
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, what="session", detail={"username": username})


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])

"""Account events, each with its audit row."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction, AuditEvent
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


def login_is_locked(*, username: str) -> bool:
    """Too many failed logins for this username lately? Counted from the audit log itself, so
    the lockout needs no state of its own and every attempt stays on record."""
    since = timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    failures = AuditEvent.all_tenants.filter(
        action=AuditAction.LOGIN_FAILED, occurred_at__gte=since, detail__username=username
    ).count()
    return failures >= settings.LOGIN_MAX_FAILURES


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])

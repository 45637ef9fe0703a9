"""Drafts of long forms, kept across a session timeout: what a user typed in the plan's text,
an evaluation or minutes and has not saved. Any form can have one: it names itself with a key
(``plan:<uuid>:details``), and ``static/js/drafts.js`` sends what is typed to ``plans:draft``.

A draft is the user's own and about one person: only they are offered it back, and it is deleted
when the form is saved (:func:`draft_discard`). ``base_version`` is the version the user started
from, so a save from a draft is still checked against what was saved meanwhile. Drafts are case
content: the first draft of a form is audited, later keystrokes update it silently (the save is
audited as the change it makes).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.plans.models import FormDraft

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(:[A-Za-z0-9_-]+)+$")
MAX_FIELDS = 150
MAX_VALUE_LENGTH = 20_000
MAX_TOTAL_LENGTH = 100_000
DRAFT_WHAT = "plan.draft"


def _user(actor: Actor) -> User:
    if actor.user is None:
        raise PermissionDenied
    return actor.user


def _require_current_content(access: PersonAccess) -> None:
    """Drafts are written by someone who reads the case now (not a former member's past)."""
    if Need.CASE_CONTENT not in access.needs or access.until is not None:
        raise PermissionDenied


def valid_key(key: str) -> bool:
    return len(key) <= FormDraft._meta.get_field("key").max_length and bool(KEY_PATTERN.match(key))  # type: ignore[operator]


def _clean_data(data: dict[str, Any]) -> dict[str, str | list[str]]:
    if len(data) > MAX_FIELDS:
        raise ValidationError(_("Utkastet har for mange felt."))
    cleaned: dict[str, str | list[str]] = {}
    total = 0
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        strings = [str(v) for v in values]
        if any(len(s) > MAX_VALUE_LENGTH for s in strings):
            raise ValidationError(_("Utkastet er for langt."))
        total += sum(len(s) for s in strings)
        cleaned[str(name)[:100]] = strings if isinstance(value, list) else strings[0]
    if total > MAX_TOTAL_LENGTH:
        raise ValidationError(_("Utkastet er for langt."))
    return cleaned


@transaction.atomic
def draft_save(
    *, actor: Actor, access: PersonAccess, key: str, data: dict[str, Any], base_version: int
) -> FormDraft:
    """Keep what the user typed in the form named ``key`` (one draft per user and form)."""
    user = _user(actor)
    _require_current_content(access)
    if not valid_key(key):
        raise ValidationError(_("Ukjent skjema."))
    cleaned = _clean_data(data)
    person = access.person
    draft, created = FormDraft.all_tenants.update_or_create(
        user=user,
        key=key,
        defaults={
            "person": person,
            "municipality_id": person.municipality_id,
            "data": cleaned,
            "base_version": max(base_version, 0),
        },
    )
    if created:
        audit_person_write(
            user=user,
            access=access,
            action=AuditAction.CREATE,
            what=DRAFT_WHAT,
            about=person.uuid,
            detail={"key": key},
        )
    return draft


@transaction.atomic
def draft_discard(*, actor: Actor, access: PersonAccess, key: str) -> bool:
    """Delete the user's draft of the form (after a save, or when they let it go)."""
    user = _user(actor)
    deleted, _rows = FormDraft.all_tenants.filter(user=user, key=key, person=access.person).delete()
    if deleted:
        audit_person_write(
            user=user,
            access=access,
            action=AuditAction.DELETE,
            what=DRAFT_WHAT,
            about=access.person.uuid,
            detail={"key": key},
        )
    return bool(deleted)

"""Reads of a person's consents. Opening the consents page is recorded in the audit log.

Who may open it is decided by :func:`oppfolging.teams.team_selectors.team_access` (with
``manage``): the people who record and withdraw consents — KE, the allocation officer handling
the case, the coordinator. Team members see the consents in force on the team page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.consents.models import Consent, ConsentShare
from oppfolging.people.models import Person
from oppfolging.referrals.checklist import SECTIONS, Section

if TYPE_CHECKING:
    from oppfolging.teams.team_selectors import TeamAccess

EXPIRING_SOON_DAYS = 30


@dataclass(frozen=True)
class ShareRow:
    team_member_id: int
    member_name: str
    sections: list[str]  # keys, in checklist order
    labels: list[Section]


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    in_force: bool
    days_left: int | None  # days until it expires, while in force and with an expiry
    shares: list[ShareRow]

    @property
    def expiring_soon(self) -> bool:
        return self.days_left is not None and self.days_left <= EXPIRING_SOON_DAYS

    @property
    def expired(self) -> bool:
        return self.consent.withdrawn_at is None and not self.in_force


def _share_row(share: ConsentShare) -> ShareRow:
    keys = set(share.sections)
    ordered = [section for section in SECTIONS if section.key in keys]
    return ShareRow(
        team_member_id=share.team_member_id,
        member_name=share.team_member.name,
        sections=[section.key for section in ordered],
        labels=ordered,
    )


def consent_rows(*, person: Person) -> list[ConsentRow]:
    """Every consent of the person, newest first, with its scope: three queries in all."""
    today = timezone.localdate()
    consents = (
        Consent.objects.filter(person=person)
        .select_related("given_by_relative", "relative", "team_member", "recorded_by", "withdrawn_by")
        .prefetch_related("shares__team_member")
        .order_by("-given_on", "-id")
    )
    rows = []
    for consent in consents:
        in_force = consent.is_in_force()
        days_left = (consent.expires_on - today).days if in_force and consent.expires_on else None
        rows.append(
            ConsentRow(
                consent=consent,
                in_force=in_force,
                days_left=days_left,
                shares=[_share_row(share) for share in consent.shares.all()],
            )
        )
    return rows


def consent_page(*, actor: Actor, access: TeamAccess) -> list[ConsentRow]:
    """The consents page for those who record and withdraw consents; the read is audited."""
    rows = consent_rows(person=access.person)
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what="consent",
        role=access.role,
        person=access.person,
        object_uuid=access.person.uuid,
    )
    return rows


def consent_get(*, access: TeamAccess, consent_uuid: uuid.UUID | str) -> Consent:
    consent = Consent.objects.filter(person=access.person, uuid=consent_uuid).first()
    if consent is None:
        raise Http404
    return consent

"""Reads of the person's medicines and the medication-review rule (fastlegeforskriften § 25: the
GP reviews the medicines of patients who use four or more). The review is the GP's task; the
coordinator's day shows it as a signal, the GP's start page as a work-list.

The rule: a review is due when the person has at least :data:`REVIEW_THRESHOLD` regular medicines
in use, and one of them has never been reviewed or was last reviewed more than
:data:`REVIEW_INTERVAL` ago — so a new regular medicine after a review makes it due again.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.accounts.models import Role
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.followup.models import Medicine
from oppfolging.people.models import Person

REVIEW_THRESHOLD = 4
REVIEW_INTERVAL = datetime.timedelta(days=365)


def in_use(today: datetime.date) -> Q:
    """Not ended, or ending after ``today`` (the end date is the day it was stopped)."""
    return Q(ended_on__isnull=True) | Q(ended_on__gt=today)


@dataclass(frozen=True)
class MedicationStatus:
    regular: int  # regular medicines in use
    reviewed_on: datetime.date | None  # the oldest review among them (None: one never reviewed)
    review_due: bool


def _status(reviews: list[datetime.date | None], today: datetime.date) -> MedicationStatus:
    never = any(r is None for r in reviews)
    known = [r for r in reviews if r is not None]
    oldest = None if never or not known else min(known)
    stale = never or (oldest is not None and oldest < today - REVIEW_INTERVAL)
    return MedicationStatus(
        regular=len(reviews), reviewed_on=oldest, review_due=len(reviews) >= REVIEW_THRESHOLD and stale
    )


def medication_statuses(*, person_ids: Iterable[int], today: datetime.date) -> dict[int, MedicationStatus]:
    """Each person's regular medicines in use and whether a review is due. One query."""
    reviews: dict[int, list[datetime.date | None]] = {}
    rows = Medicine.all_tenants.filter(in_use(today), person_id__in=list(person_ids), is_regular=True)
    for person_id, reviewed in rows.values_list("person_id", "last_reviewed_on"):
        reviews.setdefault(person_id, []).append(reviewed)
    return {person_id: _status(dates, today) for person_id, dates in reviews.items()}


def medicines_of(person: Person) -> QuerySet[Medicine]:
    return (
        Medicine.all_tenants.filter(person=person)
        .select_related("recorded_by")
        .order_by("-is_regular", "name", "id")
    )


def medication_status(person: Person, today: datetime.date) -> MedicationStatus:
    return medication_statuses(person_ids=[person.pk], today=today).get(
        person.pk, MedicationStatus(regular=0, reviewed_on=None, review_due=False)
    )


def medicine_access(actor: Actor, person_uuid: uuid.UUID | str) -> PersonAccess:
    """The medicines page is for the person's coordinator and for a GP who is an active,
    consented member of the person's team. Http404 for anyone else."""
    access = access_person(actor, person_uuid, Need.CASE_CONTENT)
    if "coordinator" in access.roles:
        return access
    if "team_member" in access.roles and actor.has_role(Role.GP):
        return access
    raise Http404


def medicines_opened(*, actor: Actor, access: PersonAccess) -> None:
    if actor.user is not None:
        audit_person_write(
            user=actor.user, access=access, action=AuditAction.VIEW, what="medicine", about=access.person.uuid
        )

"""What handling a case gives, as a grant source: the allocation officer sees the content of
cases in the queue (an open report or an assessment under way); KE staff see content only of
cases they handle themselves (they are named as handler or lead the assessment)."""

from __future__ import annotations

from collections.abc import Iterable

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Grant, Need
from oppfolging.accounts.models import Role
from oppfolging.people.models import Person
from oppfolging.referrals.models import Assessment, AssessmentStatus, NeedReport, ReportStatus

HANDLER_NEEDS = frozenset({Need.ADMIN_DATA, Need.IDENTITY, Need.CASE_CONTENT, Need.EDIT})
OPEN = (ReportStatus.RECEIVED, ReportStatus.BEING_ASSESSED)


def case_handling_grants(actor: Actor, person: Person) -> Iterable[Grant]:
    if (
        not actor.is_staff_user
        or actor.municipality is None
        or actor.municipality.pk != person.municipality_id
    ):
        return
    if actor.has_role(Role.ALLOCATION_OFFICER):
        in_queue = (
            NeedReport.all_tenants.filter(person=person, status__in=OPEN).exists()
            or Assessment.all_tenants.filter(person=person, status=AssessmentStatus.IN_PROGRESS).exists()
        )
        if in_queue:
            yield Grant(Role.ALLOCATION_OFFICER.value, HANDLER_NEEDS)
    if actor.has_role(Role.KE_STAFF):
        handling = (
            NeedReport.all_tenants.filter(person=person, handled_by=actor.user, status__in=OPEN).exists()
            or Assessment.all_tenants.filter(
                person=person, led_by=actor.user, status=AssessmentStatus.IN_PROGRESS
            ).exists()
        )
        if handling:
            yield Grant(Role.KE_STAFF.value, HANDLER_NEEDS)

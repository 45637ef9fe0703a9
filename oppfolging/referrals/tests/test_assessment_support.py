"""Builders for the assessment tests and the permission matrix: a report in the queue, an
assessment opened through the service, a team with consents written straight to the database
(the team and consent pages are another part's), and the URLs of an assessment."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from oppfolging.access.actor import resolve_actor
from oppfolging.access.persons import Need, access_person
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditEvent
from oppfolging.consents.models import Consent, ConsentKind, ConsentShare, GivenBy
from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.people.models import Person
from oppfolging.referrals import assessment_services
from oppfolging.referrals.models import (
    Assessment,
    AssessmentSection,
    AssessmentStatus,
    Knowledge,
    NeedReport,
    ReportChannel,
    ReportSource,
)
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, TeamMember


def make_report(cast: Any, person: str = "Per", reporter: str = "fjordvik-fastlege") -> NeedReport:
    target = cast.persons[person]
    with unscoped():
        return NeedReport.objects.create(
            municipality_id=target.municipality_id,
            person=target,
            reporter=cast.users[reporter],
            source=ReportSource.STAFF,
            channel=ReportChannel.WRITTEN,
            observed="Trenger tjenester fra flere.",
            knowledge=Knowledge.KNOWS_AND_AGREES,
        )


def open_assessment(
    cast: Any, person: str = "Per", by: str = "fjordvik-tildeling", *, report: NeedReport | None = None
) -> Assessment:
    """An assessment opened through the service, as the allocation office (or KE) would."""
    target = cast.persons[person]
    actor = resolve_actor(cast.users[by])
    with municipality_scope(target.municipality_id):
        access = access_person(actor, target.uuid, Need.EDIT)
        return assessment_services.assessment_create(actor=actor, access=access, report=report)


def existing_or_new(cast: Any, person: str, by: str) -> Assessment:
    """The person's assessment in progress, or a new one (for the permission matrix)."""
    with unscoped():
        found = Assessment.objects.filter(
            person=cast.persons[person], status=AssessmentStatus.IN_PROGRESS
        ).first()
    return found or open_assessment(cast, person, by, report=make_report(cast, person, by))


def section(assessment: Assessment, key: str) -> AssessmentSection:
    with unscoped():
        return AssessmentSection.objects.get(assessment=assessment, key=key)


def write(
    assessment: Assessment, key: str, text: str, user: User, *, at: datetime.datetime | None = None
) -> None:
    """Put text in a section directly, as if saved at ``at``."""
    with unscoped():
        AssessmentSection.objects.filter(assessment=assessment, key=key).update(
            text=text, version=1, updated_by=user, updated_at=at or timezone.now()
        )


def url(name: str, assessment: Assessment, *args: Any) -> str:
    with unscoped():
        person_uuid = assessment.person.uuid
    return reverse(f"assessments:{name}", args=[person_uuid, assessment.uuid, *args])


def give_team(
    cast: Any,
    person: str,
    members: Mapping[str, Iterable[str]],
    *,
    coordinator: str | None = None,
    left_at: datetime.datetime | None = None,
) -> dict[str, tuple[TeamMember, Consent | None]]:
    """A team for ``person``: each username in ``members`` is a consented member who may see the
    sections named (an information-sharing consent per member). ``left_at`` makes them former
    members. Returns each member with their information-sharing consent."""
    target = cast.persons[person]
    recorder = cast.users["fjordvik-ke"]
    created: dict[str, tuple[TeamMember, Consent | None]] = {}
    with unscoped():
        team, _new = CareTeam.objects.get_or_create(municipality_id=target.municipality_id, person=target)
        common = {"municipality_id": target.municipality_id, "person": target, "recorded_by": recorder}
        for username, keys in members.items():
            user = cast.users[username]
            member = TeamMember.objects.create(
                municipality_id=target.municipality_id,
                team=team,
                user=user,
                name=user.get_full_name(),
                joined_at=timezone.now() - datetime.timedelta(days=30),
                left_at=left_at,
            )
            Consent.objects.create(
                kind=ConsentKind.TEAM_MEMBERSHIP, given_by=GivenBy.PERSON, team_member=member, **common
            )
            sharing = None
            if keys:
                sharing = Consent.objects.create(
                    kind=ConsentKind.INFORMATION_SHARING, given_by=GivenBy.PERSON, **common
                )
                ConsentShare.objects.create(
                    municipality_id=target.municipality_id,
                    consent=sharing,
                    team_member=member,
                    sections=list(keys),
                )
            created[username] = (member, sharing)
        if coordinator is not None:
            CoordinatorAssignment.objects.create(
                municipality_id=target.municipality_id,
                team=team,
                coordinator=cast.users[coordinator],
                status=AssignmentStatus.ACTIVE,
                proposed_by=recorder,
                started_at=timezone.now(),
            )
    return created


class AuditMark:
    """``mark = AuditMark()`` before an action; ``mark.rows()`` after it gives the rows it wrote."""

    def __init__(self) -> None:
        with unscoped():
            self.start = AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0

    def rows(self, **filters: Any) -> list[AuditEvent]:
        with unscoped():
            return list(AuditEvent.objects.filter(id__gt=self.start, **filters).order_by("id"))


def person_of(assessment: Assessment) -> Person:
    with unscoped():
        return assessment.person

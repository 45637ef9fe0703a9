"""Who takes part in the plan at one moment, for the printed plan: the coordinator with contact
details, the team members with discipline and unit, the relatives who take part, and the
consents then in force — to plan work, to each member, to sharing information (who may see
what) and to involving relatives. None of this is versioned with the plan, so it is read as it
stood at the moment the printed version describes: a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.accounts.models import Membership, User
from oppfolging.consents.models import Consent, ConsentKind, ConsentShare, GivenBy
from oppfolging.people.models import Person, Relative, RelativeKind
from oppfolging.referrals.checklist import SECTIONS
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, MemberKind, TeamMember

ADULT_AGE = 18


@dataclass(frozen=True)
class CoordinatorLine:
    name: str
    title: str
    unit: str
    phone: str
    email: str
    is_child_coordinator: bool
    since: datetime.date | None


@dataclass(frozen=True)
class MemberLine:
    name: str
    discipline: str
    unit: str
    kind: str
    joined_on: datetime.date


@dataclass(frozen=True)
class RelativeLine:
    name: str
    relation: str
    kind: str
    why: str  # on what basis they take part


@dataclass(frozen=True)
class ConsentLine:
    kind: str
    about: str  # the member or relative a consent names, if any
    given_by: str
    given_on: datetime.date
    expires_on: datetime.date | None
    own_view: str


@dataclass(frozen=True)
class ShareLine:
    member: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class Parties:
    coordinators: tuple[CoordinatorLine, ...]
    members: tuple[MemberLine, ...]
    relatives: tuple[RelativeLine, ...]
    consents: tuple[ConsentLine, ...]
    shares: tuple[ShareLine, ...]
    is_child_coordinator_case: bool
    child_view: str


def _members_at(moment: datetime.datetime) -> Q:
    return Q(joined_at__lte=moment) & (Q(left_at__isnull=True) | Q(left_at__gte=moment))


def _consent_in_force_at(moment: datetime.datetime) -> Q:
    day = timezone.localdate(moment)
    return (
        Q(given_on__lte=day)
        & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=moment))
        & (Q(expires_on__isnull=True) | Q(expires_on__gte=day))
    )


def _coordinators(person: Person, moment: datetime.datetime) -> tuple[CoordinatorLine, ...]:
    assignments = (
        CoordinatorAssignment.all_tenants.filter(
            Q(ended_at__isnull=True) | Q(ended_at__gte=moment),
            team__person=person,
            started_at__lte=moment,
            status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.ENDED],
        )
        .select_related("coordinator")
        .order_by("started_at", "id")
    )
    units = {
        m.user_id: m.unit.name
        for m in TeamMember.all_tenants.filter(team__person=person, user__isnull=False).select_related("unit")
        if m.unit is not None
    }
    assignments = assignments.prefetch_related(
        Prefetch(
            "coordinator__memberships",
            queryset=Membership.objects.filter(is_active=True).select_related("unit"),
        )
    )
    return tuple(
        CoordinatorLine(
            name=a.coordinator.get_full_name() or a.coordinator.username,
            title=a.coordinator.title,
            unit=units.get(a.coordinator_id) or _own_unit(a.coordinator),
            phone=a.coordinator.phone,
            email=a.coordinator.email,
            is_child_coordinator=a.is_child_coordinator,
            since=timezone.localdate(a.started_at) if a.started_at else None,
        )
        for a in assignments
    )


def _own_unit(user: User) -> str:
    """The coordinator's unit when they are not (yet) a member of the team with one."""
    return next((m.unit.name for m in user.memberships.all()), "")


def _given_by(consent: Consent) -> str:
    label = str(GivenBy(consent.given_by).label) if consent.given_by in GivenBy.values else consent.given_by
    if consent.given_by_relative is not None:
        return f"{label}: {consent.given_by_relative.name}"
    return label


def _relatives(
    person: Person,
    moment: datetime.datetime,
    consents: list[Consent],
    members: list[TeamMember],
) -> tuple[RelativeLine, ...]:
    """The relatives who take part: guardians of a minor by law, those the person has consented
    to involve, and those who are members of the team."""
    involved = {c.relative_id for c in consents if c.kind == ConsentKind.INVOLVE_RELATIVES and c.relative_id}
    in_team = {m.relative_id for m in members if m.relative_id}
    minor = person.age(timezone.localdate(moment)) < ADULT_AGE
    lines = []
    for relative in Relative.all_tenants.filter(person=person, created_at__lte=moment):
        if minor and relative.kind == RelativeKind.GUARDIAN:
            why = _("Foresatt")
        elif relative.pk in involved:
            why = _("Personen har samtykket til at de involveres")
        elif relative.pk in in_team:
            why = _("Medlem av teamet")
        else:
            continue
        lines.append(RelativeLine(relative.name, relative.relation, relative.get_kind_display(), why))
    return tuple(lines)


def _about(consent: Consent) -> str:
    if consent.team_member is not None:
        return consent.team_member.name
    if consent.relative is not None:
        return consent.relative.name
    return ""


def _shares(consents: list[Consent]) -> tuple[ShareLine, ...]:
    sharing = [c.pk for c in consents if c.kind == ConsentKind.INFORMATION_SHARING]
    keys: dict[str, set[str]] = {}
    for share in ConsentShare.all_tenants.filter(consent_id__in=sharing).select_related("team_member"):
        keys.setdefault(share.team_member.name, set()).update(share.sections)
    return tuple(
        ShareLine(name, tuple(str(s.label) for s in SECTIONS if s.key in chosen))
        for name, chosen in sorted(keys.items())
    )


def parties_as_of(person: Person, as_of: datetime.datetime | None) -> Parties:
    """Who took part at ``as_of`` (None: now). Labels are in the active language: call inside
    the document's language."""
    moment = as_of or timezone.now()
    team = CareTeam.all_tenants.filter(person=person).first()
    members = list(
        TeamMember.all_tenants.filter(_members_at(moment), team__person=person).select_related("unit")
    )
    in_team = {m.pk for m in members}
    consents = [
        c
        for c in Consent.all_tenants.filter(_consent_in_force_at(moment), person=person).select_related(
            "given_by_relative", "team_member", "relative"
        )
        # a membership consent about someone no longer in the team says nothing about the plan
        if c.kind != ConsentKind.TEAM_MEMBERSHIP or c.team_member_id in in_team
    ]
    order = {kind: index for index, kind in enumerate(ConsentKind.values)}
    consents.sort(key=lambda c: (order.get(c.kind, 99), c.given_on, c.pk))
    return Parties(
        coordinators=_coordinators(person, moment),
        members=tuple(
            MemberLine(
                name=m.name,
                discipline=m.discipline,
                unit=m.unit.name if m.unit is not None else "",
                kind=str(MemberKind(m.kind).label) if m.kind in MemberKind.values else m.kind,
                joined_on=timezone.localdate(m.joined_at),
            )
            for m in members
        ),
        relatives=_relatives(person, moment, consents, members),
        consents=tuple(
            ConsentLine(
                kind=c.get_kind_display(),
                about=_about(c),
                given_by=_given_by(c),
                given_on=c.given_on,
                expires_on=c.expires_on,
                own_view=c.persons_own_view,
            )
            for c in consents
        ),
        shares=_shares(consents),
        is_child_coordinator_case=bool(team and team.is_child_coordinator_case),
        child_view=team.child_view if team is not None else "",
    )

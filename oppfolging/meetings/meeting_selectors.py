"""Reads of a person's meetings: who may open them, who may change them, and the pages.

A meeting is reached through :func:`access_person` with ``Need.CASE_CONTENT`` (404 for "missing or
not yours"): the coordinator, the active consented team members, the allocation officer or KE
staff handling the case, and — in the portal — the person and consented relatives. A former
member sees the meetings set up before they left. Changing a meeting is for the coordinator; the
one handling the assessment may also set up and run an assessment conversation.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.consents.models import Consent, ConsentKind
from oppfolging.meetings.models import (
    AgendaItem,
    ChangeRequestStatus,
    CorrectionStatus,
    Meeting,
    MeetingChangeRequest,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
    MinutesCorrection,
    ParticipantKind,
)
from oppfolging.people.models import Person, Relative, RelativeKind
from oppfolging.plans.models import CarePlan, PeriodStatus, PlanPeriod
from oppfolging.plans.services import may_edit
from oppfolging.teams.models import TeamMember

# Before it is held a meeting can be changed, invited to and cancelled.
OPEN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.INVITED)
# The minutes are written from the day of the meeting until they are closed.
MINUTES_STATUSES = (
    MeetingStatus.PLANNED,
    MeetingStatus.INVITED,
    MeetingStatus.HELD,
    MeetingStatus.MINUTES_OUT,
)
# The team sees the minutes once they are sent for correction.
MINUTES_SHOWN = (MeetingStatus.MINUTES_OUT, MeetingStatus.CLOSED)


def may_manage(access: PersonAccess, kind: str) -> bool:
    """The coordinator runs the person's meetings; whoever handles the assessment (allowed to
    edit the case and read its content) runs the assessment conversation."""
    if may_edit(access):
        return True
    return (
        kind == MeetingKind.ASSESSMENT
        and Need.EDIT in access.needs
        and Need.CASE_CONTENT in access.needs
        and access.until is None
    )


def may_manage_any(access: PersonAccess) -> bool:
    return may_manage(access, MeetingKind.ASSESSMENT)


def may_edit_plan_meetings(access: PersonAccess) -> bool:
    """Start-up, evaluation and ad hoc meetings are the coordinator's."""
    return may_edit(access)


def person_access(actor: Actor, person_uuid: uuid.UUID | str) -> PersonAccess:
    return access_person(actor, person_uuid, Need.CASE_CONTENT)


def _visible(access: PersonAccess, meeting: Meeting) -> bool:
    return access.until is None or meeting.created_at <= access.until


def meeting_access(actor: Actor, meeting_uuid: uuid.UUID | str) -> tuple[PersonAccess, Meeting]:
    """The meeting and the actor's access to its person; Http404 when they have none. The
    meeting is looked up unscoped only to learn whose it is; access decides the rest."""
    person_uuid = Meeting.all_tenants.filter(uuid=meeting_uuid).values_list("person__uuid", flat=True).first()
    if person_uuid is None:
        raise Http404
    access = person_access(actor, person_uuid)
    meeting = (
        Meeting.objects.filter(uuid=meeting_uuid, person=access.person)
        .select_related("person", "plan", "period", "created_by", "minutes_written_by")
        .first()
    )
    if meeting is None or not _visible(access, meeting):
        raise Http404
    meeting.person = access.person
    return access, meeting


def manage_access(actor: Actor, meeting_uuid: uuid.UUID | str) -> tuple[PersonAccess, Meeting]:
    """Like :func:`meeting_access`, for the routes that change the meeting: 404 for anyone
    who may not (they learn nothing a 403 would tell)."""
    access, meeting = meeting_access(actor, meeting_uuid)
    if not may_manage(access, meeting.kind):
        raise Http404
    return access, meeting


def audit_read(*, actor: Actor, access: PersonAccess, what: str, about: uuid.UUID) -> None:
    if actor.user is not None:
        audit_person_write(user=actor.user, access=access, action=AuditAction.VIEW, what=what, about=about)


def plan_of(person: Person) -> CarePlan | None:
    return CarePlan.objects.filter(person=person).first()


def minutes_open(meeting: Meeting, today: datetime.date | None = None) -> bool:
    """Minutes are written from the day of the meeting, until they are closed."""
    today = today or timezone.localdate()
    return meeting.status in MINUTES_STATUSES and timezone.localdate(meeting.starts_at) <= today


def close_problem(meeting: Meeting, undecided: int, decided: int, today: datetime.date | None = None) -> str:
    """Why the minutes cannot be closed yet (empty: they can). Every correction must be
    decided; before the deadline, only once some correction came in and was decided."""
    today = today or timezone.localdate()
    if meeting.status != MeetingStatus.MINUTES_OUT:
        return _("Referatet er ikke sendt til retting.")
    if undecided:
        return _("Ta stilling til alle forslagene til retting først.")
    due = meeting.corrections_due_on
    if due is not None and today <= due and not decided:
        return _("Teamet har frist til %(date)s med å foreslå rettinger.") % {
            "date": due.strftime("%d.%m.%Y")
        }
    return ""


# --- Choices for the form ----------------------------------------------------------------------


def active_members(person: Person) -> QuerySet[TeamMember]:
    """The team's current members the person has consented to (in force today): the others
    are not told about the person's meetings."""
    today = timezone.localdate()
    consented = Consent.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
        kind=ConsentKind.TEAM_MEMBERSHIP,
        team_member=OuterRef("pk"),
        withdrawn_at__isnull=True,
    )
    return (
        TeamMember.objects.filter(Exists(consented), team__person=person, left_at__isnull=True)
        .select_related("user", "unit", "team", "relative")
        .order_by("name")
    )


def invitable_relatives(person: Person) -> QuerySet[Relative]:
    """Relatives the person has consented to involve (in force today), and the guardians of a
    minor, who take part by law. Others are not invited to the person's meetings."""
    today = timezone.localdate()
    consented = Consent.objects.filter(
        person=person, kind=ConsentKind.INVOLVE_RELATIVES, withdrawn_at__isnull=True, relative__isnull=False
    ).exclude(expires_on__lt=today)
    ids = set(consented.values_list("relative_id", flat=True))
    relatives = Relative.objects.filter(person=person)
    if person.age() < 18:
        ids |= set(relatives.filter(kind=RelativeKind.GUARDIAN).values_list("pk", flat=True))
    return relatives.filter(pk__in=ids).select_related("user").order_by("name")


def open_periods(plan: CarePlan | None) -> QuerySet[PlanPeriod]:
    if plan is None:
        return PlanPeriod.objects.none()
    return PlanPeriod.objects.filter(plan=plan).order_by("number")


def default_period(plan: CarePlan | None) -> PlanPeriod | None:
    return open_periods(plan).filter(status=PeriodStatus.ACTIVE).first()


# --- Pages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingListPage:
    access: PersonAccess
    upcoming: list[Meeting]
    past: list[Meeting]
    may_create: bool


def meeting_list(*, actor: Actor, person_uuid: uuid.UUID | str) -> MeetingListPage:
    """The person's meetings, upcoming first, in a fixed number of queries. Audited."""
    access = person_access(actor, person_uuid)
    meetings = Meeting.objects.filter(person=access.person).select_related("period").order_by("starts_at")
    if access.until is not None:
        meetings = meetings.filter(created_at__lte=access.until)
    now = timezone.now()
    rows = list(meetings)
    audit_read(actor=actor, access=access, what="meeting", about=access.person.uuid)
    return MeetingListPage(
        access=access,
        upcoming=[m for m in rows if m.ends_at >= now and m.status != MeetingStatus.CANCELLED],
        past=sorted(
            (m for m in rows if m.ends_at < now or m.status == MeetingStatus.CANCELLED),
            key=lambda m: m.starts_at,
            reverse=True,
        ),
        may_create=may_manage_any(access),
    )


@dataclass
class ItemView:
    item: AgendaItem
    corrections: list[MinutesCorrection] = field(default_factory=list)
    changes: list[tuple[str, str]] = field(default_factory=list)  # (id, in words), for managers

    @property
    def has_pending_changes(self) -> bool:
        return bool(self.item.proposed_changes) and self.item.applied_to_plan_at is None


@dataclass(frozen=True)
class MeetingPage:
    access: PersonAccess
    meeting: Meeting
    items: list[ItemView]
    participants: list[MeetingParticipant]
    summary_corrections: list[MinutesCorrection]
    open_requests: list[MeetingChangeRequest]
    done_requests: list[MeetingChangeRequest]
    may_manage: bool
    may_correct: bool
    minutes_shown: bool
    minutes_open: bool
    undecided: int
    decided: int

    @property
    def close_problem(self) -> str:
        return close_problem(self.meeting, self.undecided, self.decided)

    @property
    def may_change(self) -> bool:
        return self.may_manage and self.meeting.status in OPEN_STATUSES

    @property
    def outdated_invitation(self) -> bool:
        """Changed after the invitation went out: it should be sent again."""
        return self.meeting.invited_at is not None and self.meeting.status == MeetingStatus.PLANNED

    @property
    def correction_deadline_passed(self) -> bool:
        due = self.meeting.corrections_due_on
        return due is not None and timezone.localdate() > due


def _participants(meeting: Meeting) -> QuerySet[MeetingParticipant]:
    return MeetingParticipant.objects.filter(meeting=meeting).select_related("team_member__user", "relative")


def may_correct(
    access: PersonAccess, meeting: Meeting, participants: list[MeetingParticipant], user_id: int | None
) -> bool:
    """A team member who took part (active, consented) may propose corrections while the
    minutes are out; the deadline is checked when they do."""
    if meeting.status != MeetingStatus.MINUTES_OUT or "team_member" not in access.roles:
        return False
    if access.until is not None or user_id is None:
        return False
    return any(
        p.kind == ParticipantKind.MEMBER
        and p.team_member is not None
        and p.team_member.user_id == user_id
        and p.attended is not False
        for p in participants
    )


def meeting_page(*, actor: Actor, meeting_uuid: uuid.UUID | str) -> MeetingPage:
    """The meeting page: items with what was agreed and their corrections, participants, open
    change requests — in a fixed number of queries however many there are. Audited."""
    access, meeting = meeting_access(actor, meeting_uuid)
    items = [ItemView(item) for item in AgendaItem.objects.filter(meeting=meeting)]
    by_item = {view.item.pk: view for view in items}
    participants = list(_participants(meeting))
    summary_corrections: list[MinutesCorrection] = []
    corrections = list(MinutesCorrection.objects.filter(meeting=meeting).select_related("decided_by"))
    for correction in corrections:
        target = by_item.get(correction.item_id) if correction.item_id else None
        (target.corrections if target else summary_corrections).append(correction)
    requests = list(MeetingChangeRequest.objects.filter(meeting=meeting))
    managing = may_manage(access, meeting.kind)
    user_id = actor.user.pk if actor.user else None
    audit_read(actor=actor, access=access, what="meeting", about=meeting.uuid)
    return MeetingPage(
        access=access,
        meeting=meeting,
        items=items,
        participants=participants,
        summary_corrections=summary_corrections,
        open_requests=[r for r in requests if r.status == ChangeRequestStatus.OPEN],
        done_requests=[r for r in requests if r.status != ChangeRequestStatus.OPEN],
        may_manage=managing,
        may_correct=may_correct(access, meeting, participants, user_id),
        minutes_shown=managing or meeting.status in MINUTES_SHOWN,
        minutes_open=minutes_open(meeting),
        undecided=sum(1 for c in corrections if c.status == CorrectionStatus.PROPOSED),
        decided=sum(1 for c in corrections if c.status != CorrectionStatus.PROPOSED),
    )


def participants_of(meeting: Meeting) -> list[MeetingParticipant]:
    return list(_participants(meeting))


def items_of(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting))


# --- For the portal ----------------------------------------------------------------------------


def _with_items_and_participants(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.prefetch_related(
        Prefetch("items", queryset=AgendaItem.all_tenants.order_by("order", "id")),
        Prefetch("participants", queryset=MeetingParticipant.all_tenants.order_by("id")),
        Prefetch("change_requests", queryset=MeetingChangeRequest.all_tenants.order_by("created_at", "id")),
    ).select_related("created_by")


def next_meeting_for(person: Person) -> Meeting | None:
    """The person's next meeting that is not cancelled (it has not ended yet), with its items,
    participants and change requests prefetched."""
    meetings = Meeting.all_tenants.filter(
        person=person, status__in=OPEN_STATUSES, starts_at__gte=timezone.now() - datetime.timedelta(hours=4)
    ).order_by("starts_at", "id")
    for meeting in _with_items_and_participants(meetings)[:3]:
        if meeting.ends_at >= timezone.now():
            return meeting
    return None


def meetings_for_portal(person: Person) -> list[Meeting]:
    """The person's meetings for their own view, newest first, items and participants
    prefetched. Minutes are the team's until they are closed: the portal shows what was agreed
    only for meetings whose status is CLOSED."""
    meetings = Meeting.all_tenants.filter(person=person).order_by("-starts_at", "-id")
    return list(_with_items_and_participants(meetings))

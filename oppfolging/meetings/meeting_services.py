"""Setting up a meeting, changing it before it is held, inviting to it and cancelling it.

Guideline 7.8: "as few as possible, as many as necessary" — the invitation names the concrete
items to settle, the participants are chosen with the person, and it goes out with time and place
as an iCalendar file. Each write checks who may, writes its audit row and changes the meeting in
one transaction; the e-mails are sent at its end (a failure to send undoes the change).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import PersonAccess
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.meetings import ical, mail
from oppfolging.meetings.meeting_selectors import (
    OPEN_STATUSES,
    active_members,
    may_manage,
    participants_of,
    plan_of,
)
from oppfolging.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
    ParticipantKind,
)
from oppfolging.people.models import Relative
from oppfolging.plans.models import PlanPeriod
from oppfolging.plans.services import normalise_text, user_of
from oppfolging.teams.models import TeamMember


class MeetingConflictError(Exception):
    """The meeting was changed by someone else after the user opened it; nothing was saved."""

    def __init__(self, current: Meeting) -> None:
        super().__init__("conflict")
        self.current = current


@dataclass
class MeetingData:
    """What the meeting form gives: the meeting, its items (one per line) and participants."""

    kind: str
    starts_at: datetime.datetime
    place: str
    items: list[str]
    title: str = ""
    duration_minutes: int = 60
    period: PlanPeriod | None = None
    include_person: bool = True
    members: list[TeamMember] = field(default_factory=list)
    relatives: list[Relative] = field(default_factory=list)
    others: list[tuple[str, str]] = field(default_factory=list)  # (name, email)
    chosen_with_person: bool = False


def _audit(
    user: User, access: PersonAccess, action: AuditAction, what: str, meeting: Meeting, **detail: object
) -> None:
    audit_person_write(user=user, access=access, action=action, what=what, about=meeting.uuid, detail=detail)


def _require_manage(access: PersonAccess, kind: str) -> None:
    if not may_manage(access, kind):
        raise PermissionDenied


def _clean(access: PersonAccess, data: MeetingData) -> MeetingData:
    if data.kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Velg hva slags møte det er.")})
    items = [normalise_text(line) for line in data.items if normalise_text(line)]
    if not items:
        raise ValidationError({"items": _("Skriv minst én konkret sak som skal avklares.")})
    if not data.place.strip():
        raise ValidationError({"place": _("Skriv hvor møtet skal være.")})
    person = access.person
    period = data.period if data.kind == MeetingKind.EVALUATION else None
    if data.kind == MeetingKind.EVALUATION:
        plan = plan_of(person)
        if period is None or plan is None or period.plan_id != plan.pk:
            raise ValidationError({"period": _("Velg hvilken planperiode møtet skal evaluere.")})
    allowed = set(active_members(person).values_list("pk", flat=True)) if data.members else set()
    if any(member.pk not in allowed for member in data.members):
        raise ValidationError({"members": _("Velg blant teamets nåværende medlemmer med samtykke.")})
    for relative in data.relatives:
        if relative.person_id != person.pk:
            raise ValidationError({"relatives": _("Velg blant personens pårørende.")})
    data.items = items
    data.period = period
    data.place = data.place.strip()
    data.title = data.title.strip()
    return data


def _wanted_participants(access: PersonAccess, data: MeetingData) -> list[MeetingParticipant]:
    person = access.person
    wanted: list[MeetingParticipant] = []
    if data.include_person:
        wanted.append(
            MeetingParticipant(kind=ParticipantKind.PERSON, name=person.full_name, email=person.email)
        )
    for member in data.members:
        email = member.user.email if member.user is not None else ""
        if member.relative is not None and not email:
            email = member.relative.email
        wanted.append(
            MeetingParticipant(kind=ParticipantKind.MEMBER, team_member=member, name=member.name, email=email)
        )
    for relative in data.relatives:
        wanted.append(
            MeetingParticipant(
                kind=ParticipantKind.RELATIVE, relative=relative, name=relative.name, email=relative.email
            )
        )
    for name, email in data.others:
        wanted.append(MeetingParticipant(kind=ParticipantKind.OTHER, name=name, email=email))
    return wanted


def _key(participant: MeetingParticipant) -> tuple[str, int | None, int | None, str, str]:
    if participant.kind == ParticipantKind.OTHER:
        return (participant.kind, None, None, participant.name, participant.email)
    return (participant.kind, participant.team_member_id, participant.relative_id, "", "")


def _sync_participants(meeting: Meeting, wanted: list[MeetingParticipant]) -> bool:
    """Keep those still wanted (their answers stay), add the new, remove the rest."""
    existing = {_key(p): p for p in MeetingParticipant.objects.filter(meeting=meeting)}
    keep = {_key(p) for p in wanted}
    removed = [p.pk for key, p in existing.items() if key not in keep]
    added = [p for p in wanted if _key(p) not in existing]
    for participant in wanted:
        current = existing.get(_key(participant))
        if current is not None and (current.name, current.email) != (participant.name, participant.email):
            current.name, current.email = participant.name, participant.email
            current.save(update_fields=["name", "email", "updated_at"])
    MeetingParticipant.objects.filter(pk__in=removed).delete()
    for participant in added:
        participant.meeting = meeting
        participant.municipality_id = meeting.municipality_id
    MeetingParticipant.objects.bulk_create(added)
    return bool(removed or added)


def _sync_items(meeting: Meeting, titles: list[str]) -> bool:
    """Before the meeting is held the items are only titles: match by title, keep the order."""
    existing = list(AgendaItem.objects.filter(meeting=meeting))
    by_title = {item.title: item for item in existing}
    changed = [item.title for item in existing] != titles
    used: set[int] = set()
    for order, title in enumerate(titles, start=1):
        item = by_title.get(title)
        if item is not None and item.pk not in used:
            used.add(item.pk)
            if item.order != order:
                item.order = order
                item.save(update_fields=["order", "updated_at"])
        else:
            AgendaItem.objects.create(
                municipality_id=meeting.municipality_id, meeting=meeting, order=order, title=title
            )
    AgendaItem.objects.filter(meeting=meeting, pk__in=[i.pk for i in existing if i.pk not in used]).delete()
    return changed


@transaction.atomic
def meeting_create(*, actor: Actor, access: PersonAccess, data: MeetingData) -> Meeting:
    user = user_of(actor)
    _require_manage(access, data.kind)
    data = _clean(access, data)
    person = access.person
    meeting = Meeting.objects.create(
        municipality_id=person.municipality_id,
        person=person,
        plan=plan_of(person),
        period=data.period,
        kind=data.kind,
        title=data.title,
        starts_at=data.starts_at,
        duration_minutes=data.duration_minutes,
        place=data.place,
        participants_chosen_with_person=data.chosen_with_person,
        created_by=user,
    )
    _sync_items(meeting, data.items)
    _sync_participants(meeting, _wanted_participants(access, data))
    _audit(user, access, AuditAction.CREATE, "meeting", meeting, kind=data.kind, items=len(data.items))
    return meeting


MEETING_FIELDS = ("kind", "title", "starts_at", "duration_minutes", "place", "period")


@transaction.atomic
def meeting_update(
    *, actor: Actor, access: PersonAccess, meeting: Meeting, version: int, data: MeetingData
) -> Meeting:
    """Change a meeting before it is held. An invitation already sent is then out of date:
    the meeting goes back to PLANNED until it is sent again (with a higher sequence)."""
    user = user_of(actor)
    _require_manage(access, meeting.kind)
    _require_manage(access, data.kind)
    current = Meeting.all_tenants.select_for_update(of=("self",)).get(pk=meeting.pk)
    if current.status not in OPEN_STATUSES:
        raise ValidationError(_("Møtet er holdt eller avlyst og kan ikke endres."))
    if current.version != version:
        raise MeetingConflictError(current)
    data = _clean(access, data)
    values = {
        "kind": data.kind,
        "title": data.title,
        "starts_at": data.starts_at,
        "duration_minutes": data.duration_minutes,
        "place": data.place,
        "period": data.period,
    }
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, values[name])
    if current.participants_chosen_with_person != data.chosen_with_person:
        current.participants_chosen_with_person = data.chosen_with_person
        changed.append("participants_chosen_with_person")
    if _sync_items(current, data.items):
        changed.append("items")
    if _sync_participants(current, _wanted_participants(access, data)):
        changed.append("participants")
    if not changed:
        return current
    current.version += 1
    if current.status == MeetingStatus.INVITED:
        current.status = MeetingStatus.PLANNED
    current.save()
    _audit(user, access, AuditAction.UPDATE, "meeting", current, fields=changed)
    return current


@dataclass(frozen=True)
class InvitationResult:
    sent_to: list[str]
    without_email: list[str]
    sequence: int


@transaction.atomic
def meeting_invite(*, actor: Actor, access: PersonAccess, meeting: Meeting) -> InvitationResult:
    """Send the invitation to every participant with an e-mail address (the person's own
    too), with the .ics attached. Sent again after a change, the calendar event keeps its UID
    and its SEQUENCE grows, so calendars update it."""
    user = user_of(actor)
    _require_manage(access, meeting.kind)
    current = Meeting.all_tenants.select_for_update(of=("self",)).get(pk=meeting.pk)
    current.person = access.person
    if current.status not in OPEN_STATUSES:
        raise ValidationError(_("Møtet er holdt eller avlyst. Innkallingen kan ikke sendes."))
    if not current.participants_chosen_with_person:
        raise ValidationError(
            _("Kryss av for at deltakerne er valgt sammen med personen før innkallingen sendes.")
        )
    if current.starts_at <= timezone.now():
        raise ValidationError(_("Møtet har allerede begynt. Innkallingen kan ikke sendes."))
    if not AgendaItem.objects.filter(meeting=current).exists():
        raise ValidationError(_("Innkallingen må ha minst én sak som skal avklares."))
    if current.invited_at is not None:
        current.ical_sequence += 1
    current.invited_at = timezone.now()
    current.status = MeetingStatus.INVITED
    current.save(update_fields=["ical_sequence", "invited_at", "status", "updated_at"])
    participants = participants_of(current)
    people = mail.recipients(current, participants)
    _audit(
        user,
        access,
        AuditAction.CREATE,
        "meeting.invitation",
        current,
        recipients=len(people),
        sequence=current.ical_sequence,
    )
    mail.send_calendar(current, people, method=ical.REQUEST)
    return InvitationResult(
        sent_to=[r.name for r in people],
        without_email=[p.name for p in participants if not p.email],
        sequence=current.ical_sequence,
    )


@transaction.atomic
def meeting_cancel(*, actor: Actor, access: PersonAccess, meeting: Meeting, reason: str) -> Meeting:
    """Call off a meeting before it is held, with a reason. Those invited get a cancellation
    for their calendar (METHOD:CANCEL, same UID, next SEQUENCE)."""
    user = user_of(actor)
    _require_manage(access, meeting.kind)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Skriv hvorfor møtet avlyses.")})
    current = Meeting.all_tenants.select_for_update(of=("self",)).get(pk=meeting.pk)
    current.person = access.person
    if current.status not in OPEN_STATUSES:
        raise ValidationError(_("Bare et møte som ikke er holdt, kan avlyses."))
    was_invited = current.invited_at is not None
    if was_invited:
        current.ical_sequence += 1
    current.status = MeetingStatus.CANCELLED
    current.cancelled_reason = reason[:200]
    current.version += 1
    current.save()
    _audit(user, access, AuditAction.UPDATE, "meeting", current, status=MeetingStatus.CANCELLED)
    if was_invited:
        mail.send_calendar(current, mail.recipients(current, participants_of(current)), method=ical.CANCEL)
    return current

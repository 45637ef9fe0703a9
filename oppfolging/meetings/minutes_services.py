"""The minutes (guideline 7.8 step 8) and what follows them: the coordinator writes per item what
was agreed and sends the minutes for correction; the team members who took part propose
corrections until the deadline (three days by default); the coordinator accepts or rejects each,
and closes the minutes. The person (or a consented relative) may ask for a meeting to be changed.

A save written from an older version of the minutes is refused (:class:`MinutesConflictError`)
with the stored text, so the page can show both; nothing is lost or overwritten."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.followup.notice_services import notice_send
from oppfolging.meetings import mail
from oppfolging.meetings.meeting_selectors import (
    MINUTES_STATUSES,
    OPEN_STATUSES,
    close_problem,
    may_correct,
    may_manage,
    minutes_open,
    participants_of,
)
from oppfolging.meetings.models import (
    CORRECTION_DAYS,
    AgendaItem,
    ChangeRequestStatus,
    CorrectionStatus,
    Meeting,
    MeetingChangeRequest,
    MeetingParticipant,
    MeetingStatus,
    MinutesCorrection,
    ParticipantKind,
)
from oppfolging.people.models import Person
from oppfolging.plans.models import AuthorKind
from oppfolging.plans.services import author_kind_of, normalise_text, user_of
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment


@dataclass(frozen=True)
class StoredMinutes:
    """The minutes as stored when a stale save was refused: shown beside the user's text."""

    summary: str
    agreed: dict[str, str]  # item uuid -> agreed text
    by: User | None
    at: datetime.datetime


class MinutesConflictError(Exception):
    def __init__(self, stored: StoredMinutes, version: int) -> None:
        super().__init__("conflict")
        self.stored = stored
        self.version = version


def _audit(
    user: User, access: PersonAccess, action: AuditAction, what: str, about: uuid.UUID, **detail: object
) -> None:
    audit_person_write(user=user, access=access, action=action, what=what, about=about, detail=detail)


def _require_manage(access: PersonAccess, meeting: Meeting) -> None:
    if not may_manage(access, meeting.kind):
        raise PermissionDenied


def _lock(meeting: Meeting, person: Person) -> Meeting:
    current = Meeting.all_tenants.select_for_update(of=("self",)).get(pk=meeting.pk)
    current.person = person
    return current


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", kwargs={"meeting_uuid": meeting.uuid})


# --- Minutes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesInput:
    summary: str
    agreed: dict[str, str]  # item uuid -> what was agreed
    attended: set[str]  # participant uuids who attended
    corrections_due_on: datetime.date | None = None


def _stored(meeting: Meeting, items: list[AgendaItem]) -> StoredMinutes:
    return StoredMinutes(
        summary=meeting.minutes_summary,
        agreed={str(item.uuid): item.agreed for item in items},
        by=meeting.minutes_written_by,
        at=meeting.minutes_written_at or meeting.updated_at,
    )


@transaction.atomic
def minutes_save(
    *,
    actor: Actor,
    access: PersonAccess,
    meeting: Meeting,
    version: int,
    minutes: MinutesInput,
    send: bool = False,
) -> Meeting:
    """Save the minutes (the meeting is then HELD); with ``send``, send them for correction:
    MINUTES_OUT, a deadline (today + 3 days unless chosen), and a notice to each team member
    who took part."""
    user = user_of(actor)
    _require_manage(access, meeting)
    current = _lock(meeting, access.person)
    if not minutes_open(current):
        if current.status in MINUTES_STATUSES:
            raise ValidationError(_("Referatet kan skrives fra møtedagen."))
        raise ValidationError(_("Referatet er godkjent eller møtet er avlyst. Det kan ikke endres."))
    items = list(AgendaItem.objects.filter(meeting=current))
    participants = list(MeetingParticipant.objects.filter(meeting=current))
    summary = normalise_text(minutes.summary)
    agreed = {str(i.uuid): normalise_text(minutes.agreed.get(str(i.uuid), i.agreed)) for i in items}
    changed_items = [i for i in items if i.agreed != agreed[str(i.uuid)]]
    text_changed = bool(changed_items) or summary != current.minutes_summary
    if text_changed and current.version != version:
        raise MinutesConflictError(_stored(current, items), current.version)
    for item in changed_items:
        item.agreed = agreed[str(item.uuid)]
        item.save(update_fields=["agreed", "updated_at"])
    attended_changed = []
    for participant in participants:
        was_there = str(participant.uuid) in minutes.attended
        if participant.attended != was_there:
            participant.attended = was_there
            participant.save(update_fields=["attended", "updated_at"])
            attended_changed.append(participant)
    fields: list[str] = []
    if text_changed:
        current.minutes_summary = summary
        current.version += 1
        fields += ["minutes_summary", "version"]
    if text_changed or attended_changed or current.minutes_written_at is None:
        current.minutes_written_at = timezone.now()
        current.minutes_written_by = user
        fields += ["minutes_written_at", "minutes_written_by"]
    if current.status in OPEN_STATUSES:
        current.status = MeetingStatus.HELD
        fields.append("status")
    today = timezone.localdate()
    due = minutes.corrections_due_on
    if due is not None and due < today and (send or due != current.corrections_due_on):
        raise ValidationError({"corrections_due_on": _("Fristen for retting kan ikke være tilbake i tid.")})
    if send:
        if current.status != MeetingStatus.HELD:
            raise ValidationError(_("Referatet er allerede sendt til retting."))
        if not summary and not any(agreed.values()):
            raise ValidationError(_("Skriv hva som ble avtalt før referatet sendes til retting."))
        current.status = MeetingStatus.MINUTES_OUT
        current.corrections_due_on = due or today + datetime.timedelta(days=CORRECTION_DAYS)
        fields += ["status", "corrections_due_on"]
    elif (
        due is not None and current.status == MeetingStatus.MINUTES_OUT and due != current.corrections_due_on
    ):
        current.corrections_due_on = due
        fields.append("corrections_due_on")
    if fields:
        current.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
        _audit(
            user,
            access,
            AuditAction.UPDATE,
            "meeting.minutes",
            current.uuid,
            items=len(changed_items),
            summary=summary != meeting.minutes_summary,
            attended=len(attended_changed),
            sent=send,
        )
    if send:
        _notify_minutes_out(current)
    return current


def _notify_minutes_out(meeting: Meeting) -> None:
    """Each team member who took part is told the minutes are ready, with the deadline."""
    due = meeting.corrections_due_on
    url = meeting_url(meeting)
    members = [
        p.team_member.user
        for p in participants_of(meeting)
        if p.kind == ParticipantKind.MEMBER
        and p.team_member is not None
        and p.team_member.user is not None
        and p.attended is not False
    ]
    for user in {u.pk: u for u in members}.values():
        text = _("Referatet fra %(meeting)s %(date)s er klart for retting. Frist: %(due)s.") % {
            "meeting": meeting.get_kind_display().lower(),
            "date": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y"),
            "due": due.strftime("%d.%m.%Y") if due else "",
        }
        notice_send(user=user, person=meeting.person, kind="minutes_to_correct", text=text, url=url)
        mail.send_notice(
            to=user,
            language=meeting.person.municipality.default_language,
            template="minutes_ready",
            context={"meeting": meeting, "due": due},
        )


# --- Corrections -------------------------------------------------------------------------------


@transaction.atomic
def correction_add(
    *, actor: Actor, access: PersonAccess, meeting: Meeting, item: AgendaItem | None, text: str
) -> MinutesCorrection:
    """A team member who took part proposes a correction to one item or to the summary, until
    the deadline; after it the answer is a clear refusal."""
    user = user_of(actor)
    current = _lock(meeting, access.person)
    if not may_correct(access, current, participants_of(current), user.pk):
        if current.status != MeetingStatus.MINUTES_OUT:
            raise ValidationError(_("Referatet er ikke åpent for retting."))
        raise PermissionDenied
    due = current.corrections_due_on
    if due is not None and timezone.localdate() > due:
        raise ValidationError(
            _("Fristen for å rette referatet gikk ut %(date)s. Ta kontakt med koordinatoren.")
            % {"date": due.strftime("%d.%m.%Y")}
        )
    if item is not None and item.meeting_id != current.pk:
        raise ValidationError(_("Saken hører ikke til dette møtet."))
    text = normalise_text(text)
    if not text:
        raise ValidationError({"text": _("Skriv hvordan det bør stå.")})
    correction = MinutesCorrection.objects.create(
        municipality_id=current.municipality_id,
        meeting=current,
        item=item,
        text=text,
        proposed_by=user,
        proposed_by_label=user.get_full_name() or user.username,
    )
    _audit(user, access, AuditAction.CREATE, "meeting.correction", correction.uuid, item=bool(item))
    if current.minutes_written_by is not None:
        notice_send(
            user=current.minutes_written_by,
            person=current.person,
            kind="minutes_correction",
            text=_("%(name)s har foreslått en retting av referatet.")
            % {"name": correction.proposed_by_label},
            url=meeting_url(current),
        )
    return correction


@transaction.atomic
def correction_decide(
    *, actor: Actor, access: PersonAccess, correction: MinutesCorrection, accept: bool, note: str = ""
) -> MinutesCorrection:
    """The coordinator accepts (the correction's text replaces what the item — or the summary
    — said; the old text is kept in the audit row) or rejects it with a note."""
    user = user_of(actor)
    meeting = _lock(correction.meeting, access.person)
    _require_manage(access, meeting)
    correction = MinutesCorrection.all_tenants.select_for_update(of=("self",)).get(pk=correction.pk)
    if correction.status != CorrectionStatus.PROPOSED:
        raise ValidationError(_("Rettingen er allerede behandlet."))
    if meeting.status != MeetingStatus.MINUTES_OUT:
        raise ValidationError(_("Referatet er ikke åpent for retting."))
    note = normalise_text(note)
    if not accept and not note:
        raise ValidationError({"note": _("Skriv hvorfor rettingen ikke tas inn.")})
    old = ""
    if accept:
        if correction.item_id is not None:
            item = AgendaItem.all_tenants.select_for_update(of=("self",)).get(pk=correction.item_id)
            old, item.agreed = item.agreed, correction.text
            item.save(update_fields=["agreed", "updated_at"])
        else:
            old, meeting.minutes_summary = meeting.minutes_summary, correction.text
        meeting.version += 1
        meeting.save(update_fields=["minutes_summary", "version", "updated_at"])
    correction.status = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.REJECTED
    correction.decided_by = user
    correction.decided_at = timezone.now()
    correction.decision_note = note
    correction.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    detail: dict[str, object] = {"decision": correction.status}
    if accept:
        detail["replaced"] = old
    _audit(user, access, AuditAction.UPDATE, "meeting.correction", correction.uuid, **detail)
    return correction


@transaction.atomic
def minutes_close(*, actor: Actor, access: PersonAccess, meeting: Meeting) -> Meeting:
    user = user_of(actor)
    _require_manage(access, meeting)
    current = _lock(meeting, access.person)
    corrections = list(MinutesCorrection.objects.filter(meeting=current).values_list("status", flat=True))
    undecided = sum(1 for status in corrections if status == CorrectionStatus.PROPOSED)
    problem = close_problem(current, undecided, len(corrections) - undecided)
    if problem:
        raise ValidationError(problem)
    current.status = MeetingStatus.CLOSED
    current.save(update_fields=["status", "updated_at"])
    _audit(user, access, AuditAction.UPDATE, "meeting.minutes", current.uuid, status=MeetingStatus.CLOSED)
    return current


# --- The person's change requests --------------------------------------------------------------


def _coordinators(person: Person) -> list[User]:
    assignments = CoordinatorAssignment.all_tenants.filter(
        team__person=person, status=AssignmentStatus.ACTIVE, ended_at__isnull=True
    ).select_related("coordinator")
    return [a.coordinator for a in assignments]


@transaction.atomic
def change_request_add(
    *, actor: Actor, access: PersonAccess, meeting: Meeting, text: str
) -> MeetingChangeRequest:
    """The person ("self"), a guardian or a consented relative asks from their own view to move
    or change a meeting. Marked as theirs; the coordinator gets a notice and an e-mail."""
    user = user_of(actor)
    kind = author_kind_of(access)
    if kind == AuthorKind.STAFF or Need.CASE_CONTENT not in access.needs:
        raise PermissionDenied
    if meeting.person_id != access.person.pk:
        raise PermissionDenied
    if meeting.status not in OPEN_STATUSES or meeting.ends_at < timezone.now():
        raise ValidationError(_("Du kan bare be om endring av et møte som ikke er holdt."))
    text = normalise_text(text)
    if not text:
        raise ValidationError({"text": _("Skriv hva du ønsker endret.")})
    request = MeetingChangeRequest.all_tenants.create(
        municipality_id=meeting.municipality_id,
        meeting=meeting,
        text=text,
        author_kind=kind,
        author=user,
        author_label=user.get_full_name() or user.username,
    )
    _audit(
        user, access, AuditAction.CREATE, "meeting.change_request", request.uuid, meeting=str(meeting.uuid)
    )
    person = access.person
    notice = _("%(name)s ønsker å endre møtet %(date)s: %(text)s") % {
        "name": request.author_label,
        "date": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y %H:%M"),
        "text": text,
    }
    recipients = _coordinators(person) or [meeting.created_by]
    for coordinator in {u.pk: u for u in recipients}.values():
        notice_send(
            user=coordinator,
            person=person,
            kind="meeting_change_request",
            text=notice,
            url=meeting_url(meeting),
        )
        mail.send_notice(
            to=coordinator,
            language=person.municipality.default_language,
            template="change_request",
            context={"meeting": meeting},
        )
    return request


@transaction.atomic
def change_request_answer(
    *, actor: Actor, access: PersonAccess, request: MeetingChangeRequest, answer: str
) -> MeetingChangeRequest:
    """The coordinator marks the request as handled, with an answer the person sees."""
    user = user_of(actor)
    _require_manage(access, request.meeting)
    request = MeetingChangeRequest.all_tenants.select_for_update(of=("self",)).get(pk=request.pk)
    if request.status != ChangeRequestStatus.OPEN:
        raise ValidationError(_("Ønsket er allerede behandlet."))
    answer = normalise_text(answer)
    if not answer:
        raise ValidationError({"answer": _("Skriv et svar til den som spurte.")})
    request.status = ChangeRequestStatus.DONE
    request.answer = answer
    request.handled_by = user
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "answer", "handled_by", "handled_at", "updated_at"])
    _audit(user, access, AuditAction.UPDATE, "meeting.change_request", request.uuid, status=request.status)
    return request

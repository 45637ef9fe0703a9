"""The reminder job (``manage.py send_reminders``): evaluations soon due and overdue, and minutes
whose correction deadline has passed, to each active coordinator of the person — as an in-app
notice and an e-mail in the coordinator's language.

Safe to run twice, and on several machines at once: each reminder is recorded as a
:class:`ReminderSent` row (unique per kind, object and user) in the same transaction as its
notice. Only the run that created the row writes the notice and sends the e-mail, and the e-mail
goes after that transaction commits. A second run finds the rows and sends nothing.

The e-mail names no person: an e-mail is no place for health information. It says what kind of
thing is due and where to look; the notice in the application names the person.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from oppfolging.accounts.models import User
from oppfolging.core.tenancy import unscoped
from oppfolging.followup.models import ReminderSent
from oppfolging.followup.notice_services import notice_send
from oppfolging.followup.signal_selectors import link
from oppfolging.meetings.models import Meeting, MeetingStatus
from oppfolging.people.models import Person
from oppfolging.plans.evaluation_selectors import open_periods
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment

logger = logging.getLogger(__name__)

DUE_NOTICE = datetime.timedelta(days=7)  # the first reminder: a week before the checkpoint


class ReminderKind:
    EVALUATION_DUE = "evaluation_due"
    EVALUATION_OVERDUE = "evaluation_overdue"
    MINUTES_CORRECTIONS_DUE = "minutes_corrections_due"


@dataclass
class ReminderSummary:
    counts: dict[str, int] = field(default_factory=dict)
    mails: int = 0
    overlaps_started: int | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def line(self) -> str:
        parts = ", ".join(f"{kind}={n}" for kind, n in sorted(self.counts.items())) or "none"
        line = f"Reminders sent: {self.total} ({parts}); e-mails queued: {self.mails}"
        if self.overlaps_started is not None:
            line += f"; coordinator overlaps started: {self.overlaps_started}"
        return line


def language_of(user: User, person: Person) -> str:
    return user.preferred_language or person.municipality.default_language or settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Reminder:
    kind: str
    object_uuid: uuid.UUID
    person: Person
    url: str
    due_on: datetime.date
    number: int = 0  # the period's number (evaluations)


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def texts(reminder: Reminder) -> tuple[str, str, str]:
    """(notice, e-mail subject, e-mail body) in the active language. The notice names the person;
    the e-mail does not."""
    values: dict[str, Any] = {
        "name": reminder.person.full_name,
        "number": reminder.number,
        "date": _day(reminder.due_on),
    }
    look = _("Logg inn i Oppfølging og åpne «Min dag» for å se hvem.")
    if reminder.kind == ReminderKind.EVALUATION_DUE:
        return (
            _("Evalueringen av periode %(number)s i planen til %(name)s skal gjøres senest %(date)s.")
            % values,
            _("En evaluering nærmer seg"),
            _("Planen til en av personene du er koordinator for, skal evalueres innen en uke.") + " " + look,
        )
    if reminder.kind == ReminderKind.EVALUATION_OVERDUE:
        return (
            _(
                "Evalueringen av periode %(number)s i planen til %(name)s er ikke registrert. "
                "Fristen var %(date)s."
            )
            % values,
            _("En evaluering er forsinket"),
            _("Fristen for å evaluere planen til en av personene du er koordinator for, er passert.")
            + " "
            + look,
        )
    return (
        _(
            "Fristen for retting av referatet fra møtet med %(name)s gikk ut %(date)s. "
            "Ta stilling til forslagene og godkjenn referatet."
        )
        % values,
        _("Et referat venter på deg"),
        _("Fristen for teamets retting av et referat er ute.") + " " + look,
    )


def _mail(user: User, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def remind(reminder: Reminder, user: User, summary: ReminderSummary) -> bool:
    """Send ``reminder`` to ``user`` once. True if this call sent it."""
    with transaction.atomic():
        _row, created = ReminderSent.all_tenants.get_or_create(
            kind=reminder.kind,
            object_uuid=reminder.object_uuid,
            user=user,
            defaults={"municipality_id": reminder.person.municipality_id},
        )
        if not created:
            return False
        with translation.override(language_of(user, reminder.person)):
            notice, subject, body = texts(reminder)
        notice_send(user=user, person=reminder.person, kind=reminder.kind, text=notice, url=reminder.url)
        if user.email:
            transaction.on_commit(lambda: _mail(user, subject, body), robust=True)
            summary.mails += 1
    summary.counts[reminder.kind] = summary.counts.get(reminder.kind, 0) + 1
    return True


def coordinators_of(person_ids: list[int]) -> dict[int, list[User]]:
    """Active coordinators by person (two during a transition's overlap). One query."""
    found: dict[int, list[User]] = {}
    rows = CoordinatorAssignment.all_tenants.filter(
        team__person_id__in=person_ids,
        status=AssignmentStatus.ACTIVE,
        ended_at__isnull=True,
        team__closed_at__isnull=True,
        coordinator__is_active=True,
    ).select_related("coordinator", "team")
    for assignment in rows:
        found.setdefault(assignment.team.person_id, []).append(assignment.coordinator)
    return found


def _evaluation_reminders(today: datetime.date) -> list[Reminder]:
    """From a week before the checkpoint "due"; after it, still unevaluated, "overdue" (the same
    rule as :func:`oppfolging.plans.evaluation_selectors.is_overdue`)."""
    periods = (
        open_periods()
        .filter(evaluation_due_on__lte=today + DUE_NOTICE)
        .select_related("plan__person__municipality")
        .order_by("evaluation_due_on", "id")
    )
    return [
        Reminder(
            kind=(
                ReminderKind.EVALUATION_OVERDUE
                if period.evaluation_due_on < today
                else ReminderKind.EVALUATION_DUE
            ),
            object_uuid=period.uuid,
            person=period.plan.person,
            url=link("plans:evaluate", person_uuid=period.plan.person.uuid, period_uuid=period.uuid),
            due_on=period.evaluation_due_on,
            number=period.number,
        )
        for period in periods
    ]


def _minutes_reminders(today: datetime.date) -> list[Reminder]:
    meetings = (
        Meeting.all_tenants.filter(
            status=MeetingStatus.MINUTES_OUT, corrections_due_on__isnull=False, corrections_due_on__lt=today
        )
        .select_related("person__municipality")
        .order_by("corrections_due_on", "id")
    )
    return [
        Reminder(
            kind=ReminderKind.MINUTES_CORRECTIONS_DUE,
            object_uuid=meeting.uuid,
            person=meeting.person,
            url=link("meetings:detail", meeting_uuid=meeting.uuid),
            due_on=meeting.corrections_due_on,  # type: ignore[arg-type]
        )
        for meeting in meetings
    ]


def _start_overlaps(today: datetime.date) -> int | None:
    """Coordinator overlaps of planned transitions whose day has come (when that part exists)."""
    try:
        from oppfolging.plans.transition_services import start_due_overlaps
    except ImportError:
        return None
    return start_due_overlaps(today)


def send_reminders(*, today: datetime.date | None = None) -> ReminderSummary:
    """Run the job once. Every reminder is its own transaction: one failing does not undo the
    others, and a crash half-way is finished by the next run."""
    today = today or timezone.localdate()
    summary = ReminderSummary()
    with unscoped():
        summary.overlaps_started = _start_overlaps(today)
        reminders = _evaluation_reminders(today) + _minutes_reminders(today)
        coordinators = coordinators_of(sorted({r.person.pk for r in reminders}))
        for reminder in reminders:
            for user in coordinators.get(reminder.person.pk, []):
                remind(reminder, user, summary)
    return summary

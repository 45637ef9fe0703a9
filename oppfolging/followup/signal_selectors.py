"""What is due and overdue for a set of persons (SPEC §4.8): the signals the coordinator's day and
the board view show. Each kind of signal is ONE query for all the persons together, so a page
costs the same however many persons it lists (no query per person).

Windows: an evaluation shows from 14 days before its checkpoint, a period from 14 days before it
ends, a consent from 30 days before it expires. "Overdue" marks what is past its date.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from oppfolging.consents.models import Consent
from oppfolging.followup.medicine_selectors import medication_statuses
from oppfolging.meetings.models import (
    ChangeRequestStatus,
    CorrectionStatus,
    Meeting,
    MeetingChangeRequest,
    MeetingStatus,
)
from oppfolging.plans.evaluation_selectors import next_evaluations
from oppfolging.plans.models import Measure, MeasureStatus, PeriodStatus, PlanPeriod, PlanStatus
from oppfolging.referrals.models import NeedReport, ReportKind, ReportStatus, Routing

EVALUATION_WINDOW = datetime.timedelta(days=14)
PERIOD_END_WINDOW = datetime.timedelta(days=14)
CONSENT_WINDOW = datetime.timedelta(days=30)


class SignalKind(StrEnum):
    EVALUATION_OVERDUE = "evaluation_overdue"
    EVALUATION_DUE = "evaluation_due"
    MEASURE_OVERDUE = "measure_overdue"
    PERIOD_ENDING = "period_ending"
    CONSENT_EXPIRING = "consent_expiring"
    MINUTES_CORRECTIONS = "minutes_corrections"
    CHANGE_REQUEST = "change_request"
    MEDICATION_REVIEW = "medication_review"
    CHANGED_NEED = "changed_need"


ALL_KINDS = frozenset(SignalKind)


@dataclass(frozen=True)
class Signal:
    kind: SignalKind
    text: str
    on: datetime.date | None = None
    overdue: bool = False
    url: str = ""
    # Open improvement items on the board: a measure past due, corrections waiting for a decision.
    improvement: bool = False


Signals = dict[int, list[Signal]]


def link(name: str, **kwargs: object) -> str:
    """A route of another part of the product, or "" while that part has no such route."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _add(found: Signals, person_id: int, signal: Signal) -> None:
    found.setdefault(person_id, []).append(signal)


# --- One query per kind ------------------------------------------------------------------------


def _evaluations(ids: list[int], uuids: dict[int, object], today: datetime.date, found: Signals) -> None:
    for person_id, nxt in next_evaluations(person_ids=ids, today=today).items():
        if nxt.due_on > today + EVALUATION_WINDOW:
            continue
        url = link("plans:evaluate", person_uuid=uuids[person_id], period_uuid=nxt.period_uuid)
        if nxt.overdue:
            text = _("Evalueringen av periode %(number)s er forsinket (frist %(date)s)") % {
                "number": nxt.period_number,
                "date": _day(nxt.due_on),
            }
            _add(found, person_id, Signal(SignalKind.EVALUATION_OVERDUE, text, nxt.due_on, True, url))
        else:
            text = _("Evaluering av periode %(number)s senest %(date)s") % {
                "number": nxt.period_number,
                "date": _day(nxt.due_on),
            }
            _add(found, person_id, Signal(SignalKind.EVALUATION_DUE, text, nxt.due_on, False, url))


def _measures(ids: list[int], uuids: dict[int, object], today: datetime.date, found: Signals) -> None:
    rows = (
        Measure.all_tenants.filter(
            period__plan__person_id__in=ids,
            period__plan__status=PlanStatus.ACTIVE,
            period__status__in=(PeriodStatus.ACTIVE, PeriodStatus.PLANNED),
            status__in=(MeasureStatus.PLANNED, MeasureStatus.ONGOING),
            due_on__lt=today,
        )
        .order_by("due_on", "id")
        .values_list("period__plan__person_id", "description", "due_on")
    )
    for person_id, description, due_on in rows:
        if due_on is None:  # pragma: no cover - filtered on due_on above
            continue
        text = _("Tiltaket «%(text)s» skulle vært ferdig %(date)s") % {
            "text": description[:60],
            "date": _day(due_on),
        }
        url = link("plans:detail", person_uuid=uuids[person_id])
        _add(found, person_id, Signal(SignalKind.MEASURE_OVERDUE, text, due_on, True, url, improvement=True))


def _periods(ids: list[int], uuids: dict[int, object], today: datetime.date, found: Signals) -> None:
    rows = PlanPeriod.all_tenants.filter(
        plan__person_id__in=ids,
        plan__status=PlanStatus.ACTIVE,
        status=PeriodStatus.ACTIVE,
        ends_on__gte=today,
        ends_on__lte=today + PERIOD_END_WINDOW,
    ).values_list("plan__person_id", "number", "ends_on")
    for person_id, number, ends_on in rows:
        text = _("Periode %(number)s slutter %(date)s") % {"number": number, "date": _day(ends_on)}
        url = link("plans:detail", person_uuid=uuids[person_id])
        _add(found, person_id, Signal(SignalKind.PERIOD_ENDING, text, ends_on, False, url))


def _consents(ids: list[int], uuids: dict[int, object], today: datetime.date, found: Signals) -> None:
    rows = Consent.all_tenants.filter(
        person_id__in=ids,
        withdrawn_at__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + CONSENT_WINDOW,
    ).order_by("expires_on", "id")
    for consent in rows:
        text = _("Samtykket «%(kind)s» gjelder til %(date)s") % {
            "kind": consent.get_kind_display(),
            "date": _day(consent.expires_on),  # type: ignore[arg-type]
        }
        url = link("consents:list", person_uuid=uuids[consent.person_id])
        _add(
            found,
            consent.person_id,
            Signal(SignalKind.CONSENT_EXPIRING, text, consent.expires_on, False, url),
        )


def _minutes(ids: list[int], uuids: dict[int, object], today: datetime.date, found: Signals) -> None:
    rows = (
        Meeting.all_tenants.filter(person_id__in=ids, status=MeetingStatus.MINUTES_OUT)
        .annotate(proposed=Count("corrections", filter=Q(corrections__status=CorrectionStatus.PROPOSED)))
        .order_by("corrections_due_on", "id")
        .values_list("person_id", "uuid", "corrections_due_on", "proposed")
    )
    for person_id, meeting_uuid, due_on, proposed in rows:
        overdue = due_on is not None and due_on < today
        if proposed:
            text = _("Referatet har %(count)s forslag til retting som venter på deg") % {"count": proposed}
        elif due_on is None:
            text = _("Referatet er til retting hos teamet")
        elif overdue:
            text = _("Fristen for retting av referatet gikk ut %(date)s: godkjenn referatet") % {
                "date": _day(due_on)
            }
        else:
            text = _("Referatet er til retting hos teamet til %(date)s") % {"date": _day(due_on)}
        url = link("meetings:detail", meeting_uuid=meeting_uuid)
        signal = Signal(
            SignalKind.MINUTES_CORRECTIONS, text, due_on, overdue, url, improvement=bool(proposed)
        )
        _add(found, person_id, signal)


def _change_requests(ids: list[int], uuids: dict[int, object], today: datetime.date, found: Signals) -> None:
    rows = (
        MeetingChangeRequest.all_tenants.filter(meeting__person_id__in=ids, status=ChangeRequestStatus.OPEN)
        .order_by("created_at", "id")
        .values_list("meeting__person_id", "meeting__uuid", "author_label", "created_at")
    )
    for person_id, meeting_uuid, author, created_at in rows:
        text = _("%(name)s ønsker å endre et møte") % {"name": author}
        url = link("meetings:detail", meeting_uuid=meeting_uuid)
        _add(found, person_id, Signal(SignalKind.CHANGE_REQUEST, text, created_at.date(), False, url))


def _medication(ids: list[int], uuids: dict[int, object], today: datetime.date, found: Signals) -> None:
    for person_id, status in medication_statuses(person_ids=ids, today=today).items():
        if not status.review_due:
            continue
        text = _(
            "%(count)s faste legemidler: legemiddelgjennomgang er fastlegens oppgave "
            "(fastlegeforskriften § 25)"
        ) % {"count": status.regular}
        url = link("followup:medicines", person_uuid=uuids[person_id])
        _add(found, person_id, Signal(SignalKind.MEDICATION_REVIEW, text, status.reviewed_on, False, url))


def _changed_need(ids: list[int], uuids: dict[int, object], today: datetime.date, found: Signals) -> None:
    rows = (
        NeedReport.all_tenants.filter(
            person_id__in=ids,
            kind=ReportKind.CHANGED_NEED,
            routing=Routing.COORDINATOR,
            status=ReportStatus.RECEIVED,
        )
        .order_by("received_at", "id")
        .values_list("person_id", "uuid", "received_at")
    )
    for person_id, report_uuid, received_at in rows:
        text = _("Ny melding om endret behov, mottatt %(date)s") % {"date": _day(received_at.date())}
        url = link("reports:detail", report_uuid=report_uuid) or link("reports:inbox")
        _add(found, person_id, Signal(SignalKind.CHANGED_NEED, text, received_at.date(), False, url))


Producer = Callable[[list[int], dict[int, object], datetime.date, Signals], None]
PRODUCERS: dict[SignalKind, Producer] = {
    SignalKind.EVALUATION_DUE: _evaluations,
    SignalKind.MEASURE_OVERDUE: _measures,
    SignalKind.PERIOD_ENDING: _periods,
    SignalKind.CONSENT_EXPIRING: _consents,
    SignalKind.MINUTES_CORRECTIONS: _minutes,
    SignalKind.CHANGE_REQUEST: _change_requests,
    SignalKind.MEDICATION_REVIEW: _medication,
    SignalKind.CHANGED_NEED: _changed_need,
}


def signals_for(
    *,
    persons: Iterable[tuple[int, object]],
    today: datetime.date,
    kinds: Collection[SignalKind] = ALL_KINDS,
) -> Signals:
    """The signals of ``persons`` ((id, uuid) pairs) by person id, overdue first then by date.
    ``kinds`` narrows which are computed (the evaluation producer gives both due and overdue)."""
    uuids = dict(persons)
    ids = list(uuids)
    found: Signals = {}
    if not ids:
        return found
    for kind, producer in PRODUCERS.items():
        if kind in kinds or (kind == SignalKind.EVALUATION_DUE and SignalKind.EVALUATION_OVERDUE in kinds):
            producer(ids, uuids, today, found)
    for signals in found.values():
        signals.sort(key=lambda s: (not s.overdue, s.on or datetime.date.max))
    return found

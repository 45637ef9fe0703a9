"""Writes about reports of need. Each write records its audit row in the same transaction.

A report is an application (guideline 6.4) and lands in the *person's* municipality, whatever
municipality the reporter works in or whether they work in one at all (a hospital doctor): this
is the one place that writes a tenant's rows from outside its scope, and it does so with the
municipality named explicitly. The reporter gets nothing to read back but their own report.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.models import Municipality, Unit
from oppfolging.people.models import Person
from oppfolging.people.validators import parse_identity_number
from oppfolging.referrals.models import (
    Knowledge,
    NeedReport,
    ReportChannel,
    ReportKind,
    ReportSource,
    ReportStatus,
    ReportStatusChange,
    Routing,
)
from oppfolging.referrals.report_selectors import (
    OPEN_STATUSES,
    HandledReport,
    later_statuses,
    person_has_active_coordinator,
    reporter_role_in,
)


def _find_or_register_person(
    *,
    actor: Actor,
    role: str,
    municipality: Municipality,
    national_id: str,
    given_name: str,
    family_name: str,
) -> Person:
    """The person registered with this number in ``municipality``, or a new registration there.
    The lookup is by the exact number the reporter typed and shows them nothing."""
    number = parse_identity_number(national_id)
    person = Person.all_tenants.filter(municipality=municipality, national_id=number.number).first()
    if person is not None:
        return person
    errors = {}
    if not given_name.strip():
        errors["given_name"] = _("Skriv personens fornavn.")
    if not family_name.strip():
        errors["family_name"] = _("Skriv personens etternavn.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            person = Person.all_tenants.create(
                municipality=municipality,
                national_id=number.number,
                id_kind=number.kind.value,
                id_is_synthetic=number.synthetic,
                birth_date=number.birth_date,
                sex=number.sex.value,
                given_name=given_name.strip(),
                family_name=family_name.strip(),
                preferred_language=municipality.default_language,
            )
    except IntegrityError:  # registered by someone else a moment ago
        return Person.all_tenants.get(municipality=municipality, national_id=number.number)
    audit_record(
        actor=actor.user,
        action=AuditAction.CREATE,
        what="person",
        role=role,
        person=person,
        municipality=municipality,
        object_uuid=person.uuid,
        detail={"through": "need_report"},
    )
    return person


def _check_report_fields(
    *, source: str, source_name: str, channel: str, observed: str, knowledge: str, reason: str
) -> None:
    errors: dict[str, Any] = {}
    for field, value, choices in (
        ("source", source, ReportSource.values),
        ("channel", channel, ReportChannel.values),
        ("knowledge", knowledge, Knowledge.values),
    ):
        if value not in choices:
            errors[field] = _("Velg et av alternativene.")
    if source in (ReportSource.PERSON, ReportSource.RELATIVE):
        if not source_name.strip():
            errors["source_name"] = _("Skriv navnet på den som meldte behovet muntlig.")
        if channel != ReportChannel.ORAL:
            errors["channel"] = _(
                "Når personen selv eller en pårørende melder, registrerer du meldingen som muntlig."
            )
    if not observed.strip():
        errors["observed"] = _("Beskriv hva du har observert.")
    if knowledge == Knowledge.DOES_NOT_KNOW and not reason.strip():
        errors["reason_without_knowledge"] = _(
            "Skriv hvorfor meldingen sendes uten at personen kjenner til den."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_create(
    *,
    actor: Actor,
    municipality: Municipality,
    national_id: str,
    given_name: str = "",
    family_name: str = "",
    kind: str = ReportKind.NEED,
    reporter_unit: Unit,
    reporter_role: str = "",
    source: str = ReportSource.STAFF,
    source_name: str = "",
    channel: str,
    observed: str,
    requested: str = "",
    knowledge: str,
    reason_without_knowledge: str = "",
) -> NeedReport:
    """Record a report in the person's municipality's queue, or in the coordinator's inbox for a
    changed need of a person who has one. Registers the person there if they are not yet."""
    if not actor.is_staff_user or actor.user is None:
        raise PermissionError("only staff report")
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Velg hva meldingen gjelder.")})
    role = reporter_role_in(actor, reporter_unit)
    if not role:
        raise ValidationError({"reporter_unit": _("Velg en av dine egne enheter.")})
    _check_report_fields(
        source=source,
        source_name=source_name,
        channel=channel,
        observed=observed,
        knowledge=knowledge,
        reason=reason_without_knowledge,
    )
    person = _find_or_register_person(
        actor=actor,
        role=role,
        municipality=municipality,
        national_id=national_id,
        given_name=given_name,
        family_name=family_name,
    )
    routing = Routing.QUEUE
    if kind == ReportKind.CHANGED_NEED and person_has_active_coordinator(person.pk):
        routing = Routing.COORDINATOR
    now = timezone.now()
    report = NeedReport.all_tenants.create(
        municipality=municipality,
        person=person,
        kind=kind,
        routing=routing,
        reporter=actor.user,
        reporter_unit=reporter_unit,
        reporter_role=reporter_role.strip(),
        source=source,
        source_name=source_name.strip() if source != ReportSource.STAFF else "",
        channel=channel,
        observed=observed.strip(),
        requested=requested.strip(),
        knowledge=knowledge,
        reason_without_knowledge=(
            reason_without_knowledge.strip() if knowledge == Knowledge.DOES_NOT_KNOW else ""
        ),
        status=ReportStatus.RECEIVED,
        received_at=now,
    )
    ReportStatusChange.all_tenants.create(
        municipality=municipality,
        report=report,
        from_status="",
        to_status=ReportStatus.RECEIVED,
        changed_at=now,
        changed_by=actor.user,
    )
    audit_record(
        actor=actor.user,
        action=AuditAction.CREATE,
        what="need_report",
        role=role,
        person=person,
        municipality=municipality,
        object_uuid=report.uuid,
        detail={
            "kind": kind,
            "routing": routing,
            "source": source,
            "channel": channel,
            "knowledge": knowledge,
        },
    )
    return report


def _locked(handled: HandledReport) -> NeedReport:
    """The report row, locked for the rest of the transaction, so two handlers acting at once
    are put one after the other and the later one sees the earlier one's change."""
    return NeedReport.all_tenants.select_for_update().get(pk=handled.report.pk)


def _audit_update(actor: Actor, handled: HandledReport, report: NeedReport, detail: dict[str, Any]) -> None:
    audit_record(
        actor=actor.user,
        action=AuditAction.UPDATE,
        what="need_report",
        role=handled.role,
        person=handled.report.person,
        municipality=handled.report.municipality,
        object_uuid=report.uuid,
        detail=detail,
    )


@transaction.atomic
def report_take_over(*, actor: Actor, handled: HandledReport) -> NeedReport:
    """The actor becomes the report's handler."""
    report = _locked(handled)
    if report.handled_by_id == (actor.user.pk if actor.user else None):
        return report
    previous = report.handled_by_id
    report.handled_by = actor.user
    report.save(update_fields=["handled_by", "updated_at"])
    _audit_update(actor, handled, report, {"handled_by": "me", "had_handler": previous is not None})
    return report


@transaction.atomic
def report_change_status(*, actor: Actor, handled: HandledReport, to_status: str) -> NeedReport:
    """Move the report forward (never back), timed by a status change and audited."""
    if actor.user is None:
        raise PermissionError("no user")
    report = _locked(handled)
    if to_status not in later_statuses(report.status):
        raise ValidationError(
            {"to_status": _("Statusen kan bare flyttes fremover. Last siden på nytt og prøv igjen.")}
        )
    report_status_move(user=actor.user, role=handled.role, report=report, to_status=to_status)
    return report


def report_status_move(*, user: User, role: str, report: NeedReport, to_status: str) -> None:
    """The one place a report's status changes: the timestamp, the timed status change and the
    audit row. Callers have checked access and that the move is forward (the assessment service
    moves a received report to being assessed when it opens the assessment)."""
    now = timezone.now()
    from_status = report.status
    report.status = to_status
    fields = ["status", "updated_at"]
    if to_status == ReportStatus.DECIDED:
        report.decided_at = now
        fields.append("decided_at")
    if to_status == ReportStatus.CLOSED:
        report.closed_at = now
        fields.append("closed_at")
    report.save(update_fields=fields)
    ReportStatusChange.all_tenants.create(
        municipality_id=report.municipality_id,
        report=report,
        from_status=from_status,
        to_status=to_status,
        changed_at=now,
        changed_by=user,
    )
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        what="need_report",
        role=role,
        person=report.person,
        municipality=report.municipality,
        object_uuid=report.uuid,
        detail={"status": [from_status, to_status]},
    )


@transaction.atomic
def report_record_interim_reply(
    *, actor: Actor, handled: HandledReport, text: str, expected_by: datetime.date
) -> NeedReport:
    """Record that the person was told why the answer takes longer and when to expect it
    (forvaltningsloven § 11 a). This ends the overdue flag."""
    report = _locked(handled)
    errors = {}
    if report.status not in OPEN_STATUSES:
        raise ValidationError(_("Meldingen er allerede avgjort."))
    if not text.strip():
        errors["text"] = _("Skriv hva personen har fått vite.")
    if expected_by < timezone.localdate():
        errors["expected_by"] = _("Datoen for forventet svar kan ikke være passert.")
    if errors:
        raise ValidationError(errors)
    report.interim_reply_text = text.strip()
    report.interim_reply_expected_by = expected_by
    report.interim_reply_at = timezone.now()
    report.save(
        update_fields=["interim_reply_text", "interim_reply_expected_by", "interim_reply_at", "updated_at"]
    )
    _audit_update(actor, handled, report, {"interim_reply": expected_by.isoformat()})
    return report


@transaction.atomic
def report_send_to_queue(*, actor: Actor, handled: HandledReport) -> NeedReport:
    """The coordinator sends a changed need on to the municipality's queue (a new decision is
    needed). It leaves the coordinator's inbox."""
    report = _locked(handled)
    if report.routing == Routing.QUEUE:
        return report
    report.routing = Routing.QUEUE
    report.save(update_fields=["routing", "updated_at"])
    _audit_update(actor, handled, report, {"routing": [Routing.COORDINATOR, Routing.QUEUE]})
    return report

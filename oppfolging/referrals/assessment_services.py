"""Writes to interdisciplinary assessments. Each write records its audit row in the same
transaction.

Nothing anyone types is lost: every section and the assessment's own fields carry a version, and
a save made from an older version than the stored one is refused (:class:`SectionConflictError`,
:class:`AssessmentConflictError`) with what is stored, so the caller can show both texts side by side.
Unsaved text is kept as the user's own draft per section.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import PersonAccess
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.models import Unit
from oppfolging.people.models import Person
from oppfolging.referrals import checklist
from oppfolging.referrals.assessment_selectors import (
    OPEN_REPORT,
    may_edit_content,
    may_open_assessment,
    missing_for_completion,
)
from oppfolging.referrals.models import (
    Assessment,
    AssessmentDraft,
    AssessmentParticipant,
    AssessmentSection,
    AssessmentStatus,
    NeedReport,
    ReportStatus,
)
from oppfolging.referrals.report_services import report_status_move

CIRCUMSTANCE_FIELDS = (
    "interpreter_needed",
    "interpreter_used",
    "minor_children_as_next_of_kin",
    "minor_children_attended_to",
    "rehabilitation_potential_assessed",
    "rehabilitation_notes",
)
CONCLUSION_FIELDS = (
    "needs_coordinated_services",
    "needs_reason",
    "ip_status",
    "coordinator_status",
    "informed_about_ip_and_coordinator",
    "coordinator_wish",
)
EDITABLE_FIELDS = CIRCUMSTANCE_FIELDS + CONCLUSION_FIELDS


class SectionConflictError(Exception):
    """Someone saved the section after the version the user started from."""

    def __init__(self, current: AssessmentSection) -> None:
        super().__init__(current.key)
        self.current = current


class AssessmentConflictError(Exception):
    """Someone saved the assessment's fields after the version the user started from."""

    def __init__(self, current: Assessment) -> None:
        super().__init__(str(current.uuid))
        self.current = current


def _user(actor: Actor) -> User:
    if actor.user is None:
        raise PermissionError("anonymous")
    return actor.user


def _require_content_edit(access: PersonAccess) -> None:
    if not may_edit_content(access):
        raise PermissionError("assessment content not editable")


def _require_in_progress(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        raise ValidationError(_("Kartleggingen er fullført og kan ikke endres."))


def normalise_text(text: str) -> str:
    """Browsers send line breaks as CRLF: store LF, so a resent text compares equal. Outer white
    space goes too (a text area drops a leading line break when it shows the text again)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _audit(
    user: User, access: PersonAccess, action: AuditAction, what: str, about: uuid.UUID, detail: dict[str, Any]
) -> None:
    """Every write here is about the assessment of the person ``access`` was granted for, in the
    role it was granted in."""
    audit_record(
        actor=user,
        action=action,
        what=what,
        role=access.role,
        person=access.person,
        object_uuid=about,
        detail=detail,
    )


@transaction.atomic
def assessment_create(*, actor: Actor, access: PersonAccess, report: NeedReport | None = None) -> Assessment:
    """Open an assessment with one empty row per checklist section. Opened from a report, the
    report moves from received to being assessed (timed, audited)."""
    user = _user(actor)
    if not may_open_assessment(actor, access):
        raise PermissionError("only the allocation office or KE opens assessments")
    person = Person.objects.select_for_update().get(pk=access.person.pk)
    if report is not None:
        if report.person_id != person.pk:
            raise ValueError("the report is about someone else")
        report = NeedReport.objects.select_for_update().get(pk=report.pk)
        if report.status not in OPEN_REPORT:
            raise ValidationError(_("Meldingen er allerede avgjort eller avsluttet."))
    if Assessment.objects.filter(person=person, status=AssessmentStatus.IN_PROGRESS).exists():
        raise ValidationError(_("Det pågår allerede en kartlegging for denne personen."))
    assessment = Assessment.objects.create(
        municipality_id=person.municipality_id,
        person=person,
        report=report,
        led_by=user,
        interpreter_needed=person.interpreter_needed,
    )
    AssessmentSection.objects.bulk_create(
        AssessmentSection(municipality_id=person.municipality_id, assessment=assessment, key=key)
        for key in checklist.SECTION_KEYS
    )
    _audit(
        user,
        access,
        AuditAction.CREATE,
        "assessment",
        assessment.uuid,
        {"report": str(report.uuid)} if report is not None else {},
    )
    if report is not None and report.status == ReportStatus.RECEIVED:
        report_status_move(user=user, role=access.role, report=report, to_status=ReportStatus.BEING_ASSESSED)
    return assessment


@transaction.atomic
def assessment_section_update(
    *, actor: Actor, access: PersonAccess, section: AssessmentSection, text: str, version: int
) -> AssessmentSection:
    """Save a section's text if it was written from the stored version; otherwise raise
    :class:`SectionConflictError` with the stored section and change nothing. The user's draft of the
    section goes once the text is saved."""
    user = _user(actor)
    _require_content_edit(access)
    current = (
        # Lock only the section row: PostgreSQL cannot lock the nullable side of the outer join
        # that the (optional) updated_by brings in.
        AssessmentSection.objects.select_for_update(of=("self",))
        .select_related("assessment", "updated_by")
        .get(pk=section.pk)
    )
    _require_in_progress(current.assessment)
    text = normalise_text(text)
    if current.text == text:  # nothing to save, whoever saved it
        AssessmentDraft.objects.filter(section=current, user=user).delete()
        return current
    if current.version != version:
        raise SectionConflictError(current)
    current.text = text
    current.version += 1
    current.updated_by = user
    current.save(update_fields=["text", "version", "updated_by", "updated_at"])
    AssessmentDraft.objects.filter(section=current, user=user).delete()
    _audit(
        user,
        access,
        AuditAction.UPDATE,
        "assessment.section",
        current.assessment.uuid,
        {"key": current.key, "version": current.version},
    )
    return current


@transaction.atomic
def assessment_draft_save(
    *, actor: Actor, access: PersonAccess, section: AssessmentSection, text: str, base_version: int
) -> AssessmentDraft:
    """Keep what the user has typed but not saved. Drafts are content: the first draft of a
    section by a user is audited; later keystrokes update it silently (the save is audited)."""
    user = _user(actor)
    _require_content_edit(access)
    _require_in_progress(section.assessment)
    draft, created = AssessmentDraft.objects.update_or_create(
        section=section,
        user=user,
        defaults={"text": normalise_text(text), "base_version": base_version},
        create_defaults={
            "municipality_id": section.municipality_id,
            "text": normalise_text(text),
            "base_version": base_version,
        },
    )
    if created:
        _audit(
            user,
            access,
            AuditAction.CREATE,
            "assessment.draft",
            section.assessment.uuid,
            {"key": section.key},
        )
    return draft


@transaction.atomic
def assessment_draft_discard(*, actor: Actor, access: PersonAccess, section: AssessmentSection) -> bool:
    user = _user(actor)
    _require_content_edit(access)
    deleted, _rows = AssessmentDraft.objects.filter(section=section, user=user).delete()
    if deleted:
        _audit(
            user,
            access,
            AuditAction.DELETE,
            "assessment.draft",
            section.assessment.uuid,
            {"key": section.key},
        )
    return bool(deleted)


@transaction.atomic
def assessment_update(
    *, actor: Actor, access: PersonAccess, assessment: Assessment, version: int, **fields: Any
) -> Assessment:
    """Change the assessment's own fields (circumstances, conclusion) if written from the stored
    version; otherwise raise :class:`AssessmentConflictError` and change nothing.

    IP and coordinator are answered separately on purpose: a coordinator is offered, and may be
    accepted, even when the person declines the individual plan (guideline 6.5, SPEC §4.2).
    """
    user = _user(actor)
    _require_content_edit(access)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_in_progress(current)
    changed = {name: value for name, value in fields.items() if getattr(current, name) != value}
    if not changed:
        return current
    if current.version != version:
        raise AssessmentConflictError(current)
    for name, value in changed.items():
        setattr(current, name, value)
    current.version += 1
    current.save(update_fields=[*changed, "version", "updated_at"])
    _audit(
        user,
        access,
        AuditAction.UPDATE,
        "assessment",
        current.uuid,
        {"fields": sorted(changed), "version": current.version},
    )
    return current


@transaction.atomic
def assessment_complete(
    *, actor: Actor, access: PersonAccess, assessment: Assessment, version: int
) -> Assessment:
    """Complete the assessment: it needs the person's own answer to «Hva er viktig for deg?» and
    a conclusion on the need for long-term coordinated services (and, when there is such a need,
    IP and coordinator offered)."""
    user = _user(actor)
    _require_content_edit(access)
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_in_progress(current)
    if current.version != version:
        raise AssessmentConflictError(current)
    wishes = AssessmentSection.objects.filter(assessment=current, key=checklist.WISHES).first()
    missing = missing_for_completion(current, wishes)
    if missing:
        raise ValidationError(missing)
    current.status = AssessmentStatus.COMPLETED
    current.completed_at = timezone.now()
    current.version += 1
    current.save(update_fields=["status", "completed_at", "version", "updated_at"])
    _audit(
        user,
        access,
        AuditAction.UPDATE,
        "assessment",
        current.uuid,
        {"status": AssessmentStatus.COMPLETED.value},
    )
    return current


@transaction.atomic
def assessment_participant_add(
    *,
    actor: Actor,
    access: PersonAccess,
    assessment: Assessment,
    name: str,
    discipline: str = "",
    unit: Unit | None = None,
    is_gp: bool = False,
) -> AssessmentParticipant:
    user = _user(actor)
    _require_content_edit(access)
    _require_in_progress(assessment)
    participant = AssessmentParticipant.objects.create(
        municipality_id=assessment.municipality_id,
        assessment=assessment,
        name=name,
        discipline=discipline,
        unit=unit,
        is_gp=is_gp,
    )
    _audit(
        user,
        access,
        AuditAction.CREATE,
        "assessment.participant",
        assessment.uuid,
        {"participant": str(participant.uuid)},
    )
    return participant


@transaction.atomic
def assessment_participant_remove(
    *, actor: Actor, access: PersonAccess, assessment: Assessment, participant: AssessmentParticipant
) -> None:
    user = _user(actor)
    _require_content_edit(access)
    _require_in_progress(assessment)
    if participant.assessment_id != assessment.pk:
        raise ValueError("the participant belongs to another assessment")
    participant_uuid = participant.uuid
    participant.delete()
    _audit(
        user,
        access,
        AuditAction.DELETE,
        "assessment.participant",
        assessment.uuid,
        {"participant": str(participant_uuid)},
    )

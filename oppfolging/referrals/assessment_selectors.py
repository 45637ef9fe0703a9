"""Reads of interdisciplinary assessments.

An assessment is reached through its person (``access_person`` first, then the assessment of that
person), so "missing" and "not yours" answer alike. What the actor sees is narrowed part by part:
a checklist section only if ``access.may_see_section(key)`` allows it and it was last written
while the actor's access lasted (``access.may_see_written_at``). The parts outside the checklist
(who took part, circumstances, conclusion) are narrowed the same way under their own keys, so an
information-sharing consent may name them too. Every read is audited with the parts shown.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.accounts.models import Role
from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.audit.services import audit_record
from oppfolging.people.models import Person
from oppfolging.referrals import checklist
from oppfolging.referrals.models import (
    Answer,
    Assessment,
    AssessmentDraft,
    AssessmentParticipant,
    AssessmentSection,
    AssessmentStatus,
    NeedReport,
    OfferStatus,
    ReportStatus,
)

# The assessment's parts outside the checklist, under keys a consent can name like a section's.
PARTICIPANTS = "participants"
CIRCUMSTANCES = "circumstances"
CONCLUSION = "conclusion"
EXTRA_PARTS = (PARTICIPANTS, CIRCUMSTANCES, CONCLUSION)

OPEN_REPORT = (ReportStatus.RECEIVED, ReportStatus.BEING_ASSESSED)


@dataclass(frozen=True)
class SectionView:
    """One checklist section as the actor gets it. ``text`` and ``version`` are what the edit
    form carries: the saved text normally, the actor's own text after a refused save."""

    section: AssessmentSection
    spec: checklist.Section
    editable: bool
    text: str
    version: int
    draft: AssessmentDraft | None = None  # the actor's own unsaved draft, offered when it differs
    conflict: AssessmentSection | None = None  # someone else's save that refused the actor's
    notice: str = ""
    errors: tuple[str, ...] = ()
    clear_local: bool = False  # the browser's copy is saved or discarded: the script forgets it

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def draft_is_behind(self) -> bool:
        return self.draft is not None and self.draft.base_version < self.section.version


@dataclass(frozen=True)
class GroupView:
    key: str
    label: Promise
    sections: list[SectionView]


@dataclass(frozen=True)
class AssessmentPage:
    access: PersonAccess
    assessment: Assessment
    groups: list[GroupView]
    editable: bool
    narrowed: bool  # the actor sees only some parts (consent) or only up to a date (former member)
    show_participants: bool
    show_circumstances: bool
    show_conclusion: bool
    participants: list[AssessmentParticipant]
    missing_for_completion: list[str]

    @property
    def person(self) -> Person:
        return self.access.person


def may_edit_content(access: PersonAccess) -> bool:
    """Writing in an assessment needs the whole case: edit rights and content not narrowed by
    consent or ended by leaving (the handler at the allocation office, KE leading it, the
    coordinator). Team members read what the person shares with them."""
    return (
        access.may(Need.EDIT)
        and access.may(Need.CASE_CONTENT)
        and access.sections is None
        and access.until is None
    )


def may_open_assessment(actor: Actor, access: PersonAccess) -> bool:
    """The allocation office or KE of the person's own municipality opens assessments."""
    return (
        access.may(Need.EDIT)
        and actor.has_role(Role.ALLOCATION_OFFICER, Role.KE_STAFF)
        and actor.municipality is not None
        and actor.municipality.pk == access.person.municipality_id
    )


def _uuid_or_404(value: str | uuid.UUID) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def report_for_assessment(*, report_uuid: str | uuid.UUID) -> NeedReport:
    """A report in the actor's own municipality's queue (the request's scope), or 404."""
    try:
        return NeedReport.objects.select_related("person").get(uuid=_uuid_or_404(report_uuid))
    except (NeedReport.DoesNotExist, ValidationError):
        raise Http404 from None


def assessment_in_progress(*, person: Person) -> Assessment | None:
    return Assessment.objects.filter(person=person, status=AssessmentStatus.IN_PROGRESS).first()


def assessment_access(
    *, actor: Actor, person_uuid: uuid.UUID | str, assessment_uuid: uuid.UUID | str, need: Need
) -> tuple[PersonAccess, Assessment]:
    """The person (access-checked for ``need``) and their assessment, or 404. Not audited: the
    callers audit what they then read or write."""
    access = access_person(actor, person_uuid, need)
    try:
        assessment = Assessment.objects.select_related("led_by", "report").get(
            uuid=_uuid_or_404(assessment_uuid), person=access.person
        )
    except Assessment.DoesNotExist:
        raise Http404 from None
    return access, assessment


def _visible(access: PersonAccess, key: str, written_at: datetime.datetime) -> bool:
    return access.may_see_section(key) and access.may_see_written_at(written_at)


def _audit_read(*, actor: Actor, access: PersonAccess, assessment: Assessment, shown: list[str]) -> None:
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what="assessment",
        role=access.role,
        person=access.person,
        object_uuid=assessment.uuid,
        detail={"sections": shown},
    )


def _section_views(
    *, actor: Actor, access: PersonAccess, assessment: Assessment, keys: set[str] | None = None
) -> list[SectionView]:
    """The visible sections in checklist order, with the actor's own drafts when they may edit."""
    editable = may_edit_content(access) and assessment.status == AssessmentStatus.IN_PROGRESS
    sections = AssessmentSection.objects.filter(assessment=assessment).select_related("updated_by")
    if keys is not None:
        sections = sections.filter(key__in=keys)
    by_key = {section.key: section for section in sections}
    drafts: dict[int, AssessmentDraft] = {}
    if editable:
        mine = AssessmentDraft.objects.filter(section__assessment=assessment, user=actor.user)
        drafts = {draft.section_id: draft for draft in mine}
    views = []
    for spec in checklist.SECTIONS:
        section = by_key.get(spec.key)
        if section is None or not _visible(access, spec.key, section.updated_at):
            continue
        section.assessment = assessment  # known already: no query when a service asks
        draft = drafts.get(section.pk)
        views.append(
            SectionView(
                section=section,
                spec=spec,
                editable=editable,
                text=section.text,
                version=section.version,
                draft=draft if draft is not None and draft.text != section.text else None,
            )
        )
    return views


def missing_for_completion(assessment: Assessment, wishes: AssessmentSection | None) -> list[str]:
    """What must be in place before the assessment can be completed, in words for the user."""
    missing = []
    if wishes is None or not wishes.text.strip():
        missing.append(_("Personens eget svar på «Hva er viktig for deg?» er ikke fylt ut."))
    if not assessment.needs_coordinated_services:
        missing.append(_("Konklusjonen om behov for langvarige og koordinerte tjenester mangler."))
    elif assessment.needs_coordinated_services == Answer.YES:
        # The right to both follows from the need; a coordinator is offered even if the IP is not.
        if assessment.ip_status == OfferStatus.NOT_OFFERED:
            missing.append(_("Personen har rett til individuell plan: registrer at den er tilbudt."))
        if assessment.coordinator_status == OfferStatus.NOT_OFFERED:
            missing.append(_("Personen har rett til koordinator: registrer at koordinator er tilbudt."))
    return missing


def assessment_page(
    *, actor: Actor, person_uuid: uuid.UUID | str, assessment_uuid: uuid.UUID | str
) -> AssessmentPage:
    """The assessment as the actor may see it. The read is audited with the parts shown."""
    access, assessment = assessment_access(
        actor=actor, person_uuid=person_uuid, assessment_uuid=assessment_uuid, need=Need.CASE_CONTENT
    )
    views = _section_views(actor=actor, access=access, assessment=assessment)
    groups = []
    for group_key, label in checklist.GROUP_LABELS.items():
        members = [view for view in views if view.spec.group == group_key]
        if members:
            groups.append(GroupView(key=group_key, label=label, sections=members))
    show_participants = access.may_see_section(PARTICIPANTS)
    participants = assessment_participants(access=access, assessment=assessment) if show_participants else []
    show_circumstances = _visible(access, CIRCUMSTANCES, assessment.updated_at)
    show_conclusion = _visible(access, CONCLUSION, assessment.updated_at)
    shown = [view.key for view in views] + [
        key
        for key, shown_part in (
            (PARTICIPANTS, show_participants),
            (CIRCUMSTANCES, show_circumstances),
            (CONCLUSION, show_conclusion),
        )
        if shown_part
    ]
    _audit_read(actor=actor, access=access, assessment=assessment, shown=shown)
    editable = may_edit_content(access) and assessment.status == AssessmentStatus.IN_PROGRESS
    wishes = next((view.section for view in views if view.key == checklist.WISHES), None)
    return AssessmentPage(
        access=access,
        assessment=assessment,
        groups=groups,
        editable=editable,
        narrowed=access.sections is not None or access.until is not None,
        show_participants=show_participants,
        show_circumstances=show_circumstances,
        show_conclusion=show_conclusion,
        participants=participants,
        missing_for_completion=missing_for_completion(assessment, wishes) if editable else [],
    )


def audit_part_read(*, actor: Actor, access: PersonAccess, assessment: Assessment, key: str) -> None:
    """A part's form shows its saved values: a read like the page's."""
    _audit_read(actor=actor, access=access, assessment=assessment, shown=[key])


def assessment_participants(*, access: PersonAccess, assessment: Assessment) -> list[AssessmentParticipant]:
    """Who took part, as far as the actor may see (a former member: those added before leaving)."""
    if not access.may_see_section(PARTICIPANTS):
        return []
    participants = AssessmentParticipant.objects.filter(assessment=assessment).select_related("unit")
    return [
        participant
        for participant in participants.order_by("created_at", "id")
        if access.may_see_written_at(participant.created_at)
    ]


def assessment_participant(*, assessment: Assessment, participant_uuid: uuid.UUID) -> AssessmentParticipant:
    try:
        return AssessmentParticipant.objects.get(assessment=assessment, uuid=participant_uuid)
    except AssessmentParticipant.DoesNotExist:
        raise Http404 from None


def last_saved_by(*, assessment: Assessment) -> str:
    """Who last changed the assessment's own fields (from the audit log: the model keeps no
    ``updated_by``), to name them when their save refuses someone else's."""
    event = (
        AuditEvent.objects.filter(
            person_id=assessment.person_id,
            object_uuid=assessment.uuid,
            what="assessment",
            action=AuditAction.UPDATE,
        )
        .order_by("-occurred_at", "-id")
        .first()
    )
    return event.actor_label if event is not None else ""


def assessment_section(
    *, actor: Actor, access: PersonAccess, assessment: Assessment, key: str, audit: bool = True
) -> SectionView:
    """One section as the actor may see it, or 404. Showing it is a read and is audited."""
    if key not in checklist.BY_KEY:
        raise Http404
    views = _section_views(actor=actor, access=access, assessment=assessment, keys={key})
    if not views:
        raise Http404
    if audit:
        _audit_read(actor=actor, access=access, assessment=assessment, shown=[key])
    return views[0]


def assessments_for_person(
    *, actor: Actor, person_uuid: uuid.UUID | str
) -> tuple[PersonAccess, list[Assessment]]:
    """A person's assessments (dates, status, who leads): administrative data, audited as a look
    at the list. Their content is read on the assessment's own page. A former team member, who
    keeps content but not the person's current details, sees those begun before they left."""
    try:
        access = access_person(actor, person_uuid, Need.ADMIN_DATA)
    except Http404:
        access = access_person(actor, person_uuid, Need.CASE_CONTENT)
    assessments = Assessment.objects.filter(person=access.person).select_related("led_by", "report")
    if not access.may(Need.ADMIN_DATA) and access.until is not None:
        assessments = assessments.filter(started_at__lte=access.until)
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what="assessment.list",
        role=access.role,
        person=access.person,
        object_uuid=access.person.uuid,
    )
    return access, list(assessments.order_by("-started_at"))

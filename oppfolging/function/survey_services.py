"""The person's answers to the experienced-quality survey (SPEC §5: «bedre opplevd kvalitet»).

Only the person answers, in their own view (or a guardian, or a relative the person has consented
to involve, on the person's behalf; ``entered_by_kind`` marks which). Staff do not answer for
the person: the survey is about how the person experiences the services staff give. Leaders see
the answers only as counts and means over at least five persons (the indicator
``experienced_quality``). Each answer is a new row with its audit row in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.function.models import SURVEY_FIELDS, SURVEY_HIGHEST, SURVEY_LOWEST, ExperienceSurvey
from oppfolging.plans.models import AuthorKind
from oppfolging.plans.services import author_kind_of, normalise_text, user_of

COMMENT_MAX_LENGTH = 2000


def may_answer(access: PersonAccess) -> bool:
    """The person, a guardian or a consented relative, with current access to the case."""
    if Need.CASE_CONTENT not in access.needs or access.until is not None:
        return False
    return author_kind_of(access) != AuthorKind.STAFF


def _check(answers: Mapping[str, int | None], comment: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    unknown = set(answers) - set(SURVEY_FIELDS)
    if unknown:
        errors["__all__"] = [_("Skjemaet er endret. Last siden på nytt.")]
    for name in SURVEY_FIELDS:
        value = answers.get(name)
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not SURVEY_LOWEST <= value <= SURVEY_HIGHEST
        ):
            errors.setdefault(name, []).append(_("Velg et tall fra 1 til 5, eller «Vet ikke»."))
    if all(answers.get(name) is None for name in SURVEY_FIELDS) and not comment and not errors:
        errors["__all__"] = [_("Svar på minst ett av spørsmålene før du sender.")]
    if len(comment) > COMMENT_MAX_LENGTH:
        errors.setdefault("comment", []).append(_("Skriv høyst %(max)s tegn.") % {"max": COMMENT_MAX_LENGTH})
    return errors


@transaction.atomic
def survey_answer(
    *, actor: Actor, access: PersonAccess, answers: Mapping[str, int | None], comment: str = ""
) -> ExperienceSurvey:
    """Store one set of answers (None: «vet ikke / vil ikke svare») dated today."""
    user = user_of(actor)
    if not may_answer(access):
        raise PermissionDenied
    comment = normalise_text(comment)
    errors = _check(answers, comment)
    if errors:
        raise ValidationError(errors)
    person = access.person
    kind = author_kind_of(access)
    survey = ExperienceSurvey.all_tenants.create(
        municipality_id=person.municipality_id,
        person=person,
        answered_on=timezone.localdate(),
        entered_by=user,
        entered_by_kind=kind,
        comment=comment,
        **{name: answers.get(name) for name in SURVEY_FIELDS},
    )
    audit_person_write(
        user=user,
        access=access,
        action=AuditAction.CREATE,
        what="function.survey",
        about=survey.uuid,
        detail={"by": kind},
    )
    return survey

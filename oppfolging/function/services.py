"""Writes to the person's PSFS: the activities in their own words and the measurements.

Who may do what:
- the coordinator names and changes the activities and records measurements (with the person);
- the person, a guardian of a minor and a consented relative record scores from their own view
  (``entered_by_kind`` marks it), and may name the activities while none are named yet;
- everyone else is stopped by the access module (404) before they get here.

An activity that has been scored is never rewritten (the series would then compare different
things); it can be retired, and a new one named. Each write has its audit row in the same
transaction.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.function.models import (
    MAX_ACTIVITIES,
    FunctionActivity,
    FunctionMeasurement,
    FunctionScore,
    Occasion,
)
from oppfolging.function.scoring import MAX_SCORE, MIN_SCORE
from oppfolging.people.models import Person
from oppfolging.plans.models import AuthorKind, PlanPeriod
from oppfolging.plans.services import author_kind_of, may_edit, normalise_text, user_of

ACTIVITY_MAX_LENGTH = 200


def may_record(access: PersonAccess) -> bool:
    """The coordinator, or the person (or a guardian or consented relative) in their own view.
    A former member, who sees only the past, records nothing."""
    if Need.CASE_CONTENT not in access.needs or access.until is not None:
        return False
    return may_edit(access) or author_kind_of(access) != AuthorKind.STAFF


def _require_record(access: PersonAccess) -> None:
    if not may_record(access):
        raise PermissionDenied


def _lock_person(person: Person) -> None:
    """One writer at a time per person: two saves of the activities cannot both pass the
    five-activity limit, and a measurement sees the activities as they stand."""
    Person.all_tenants.select_for_update().filter(pk=person.pk).first()


def active_activities(person: Person) -> list[FunctionActivity]:
    return list(
        FunctionActivity.all_tenants.filter(person=person, retired_on__isnull=True).order_by("order", "id")
    )


def _scored_ids(activities: Sequence[FunctionActivity]) -> set[int]:
    return set(
        FunctionScore.all_tenants.filter(activity__in=activities).values_list("activity_id", flat=True)
    )


def _audit(
    user: User, access: PersonAccess, action: AuditAction, what: str, about: uuid.UUID, **detail: object
) -> None:
    audit_person_write(user=user, access=access, action=action, what=what, about=about, detail=dict(detail))


@transaction.atomic
def activities_set(
    *, actor: Actor, access: PersonAccess, activities: Sequence[tuple[uuid.UUID | str | None, str]]
) -> list[FunctionActivity]:
    """Make the person's active activities the given list, in order: ``(uuid, text)`` for an
    activity kept (its text may change only while it has no scores), ``(None, text)`` for a new
    one. An active activity left out is retired if it has been scored, else removed. At most
    five, each named once."""
    user = user_of(actor)
    _require_record(access)
    person = access.person
    _lock_person(person)
    current = active_activities(person)
    staff = author_kind_of(access) == AuthorKind.STAFF
    if not staff and current:
        # The person names the activities the first time; changing them is done with the coordinator.
        raise PermissionDenied
    wanted = [(str(key) if key else None, normalise_text(text)) for key, text in activities]
    wanted = [(key, text) for key, text in wanted if text]
    errors = _check_wanted(wanted, current)
    if errors:
        raise ValidationError(errors)
    by_uuid = {str(activity.uuid): activity for activity in current}
    scored = _scored_ids(current)
    kept = {key for key, _text in wanted if key}
    today = timezone.localdate()
    for activity in current:
        if str(activity.uuid) in kept:
            continue
        if activity.pk in scored:
            activity.retired_on = today
            activity.save(update_fields=["retired_on", "updated_at"])
            _audit(user, access, AuditAction.UPDATE, "function.activity", activity.uuid, retired=True)
        else:
            _audit(user, access, AuditAction.DELETE, "function.activity", activity.uuid)
            activity.delete()
    result = []
    for order, (key, text) in enumerate(wanted, start=1):
        if key is None:
            activity = FunctionActivity.all_tenants.create(
                municipality_id=person.municipality_id, person=person, text=text, order=order, created_by=user
            )
            _audit(user, access, AuditAction.CREATE, "function.activity", activity.uuid)
        else:
            activity = by_uuid[key]
            changed = [
                name for name, value in (("text", text), ("order", order)) if getattr(activity, name) != value
            ]
            if changed:
                activity.text, activity.order = text, order
                activity.save(update_fields=[*changed, "updated_at"])
                if "text" in changed:
                    _audit(
                        user, access, AuditAction.UPDATE, "function.activity", activity.uuid, fields=["text"]
                    )
        result.append(activity)
    return result


def _check_wanted(wanted: list[tuple[str | None, str]], current: list[FunctionActivity]) -> list[str]:
    errors = []
    if len(wanted) > MAX_ACTIVITIES:
        errors.append(_("Du kan ha høyst %(max)s aktiviteter.") % {"max": MAX_ACTIVITIES})
    if any(len(text) > ACTIVITY_MAX_LENGTH for _key, text in wanted):
        errors.append(_("Skriv hver aktivitet med høyst %(max)s tegn.") % {"max": ACTIVITY_MAX_LENGTH})
    names = [text.casefold() for _key, text in wanted]
    if len(set(names)) != len(names):
        errors.append(_("Den samme aktiviteten står to ganger."))
    by_uuid = {str(activity.uuid): activity for activity in current}
    if any(key is not None and key not in by_uuid for key, _text in wanted):
        errors.append(_("En av aktivitetene er endret av noen andre. Last siden på nytt."))
        return errors
    scored = _scored_ids(current)
    for key, text in wanted:
        activity = by_uuid.get(key) if key else None
        if activity is not None and activity.pk in scored and activity.text != text:
            errors.append(
                _(
                    "«%(text)s» har fått skår og kan ikke skrives om. Ta den bort (den avsluttes) "
                    "og skriv en ny aktivitet."
                )
                % {"text": activity.text}
            )
    return errors


@transaction.atomic
def measurement_record(
    *,
    actor: Actor,
    access: PersonAccess,
    measured_on: datetime.date,
    occasion: str,
    scores: Mapping[str, int] | Mapping[uuid.UUID, int],
    note: str = "",
    period: PlanPeriod | None = None,
) -> FunctionMeasurement:
    """Score every active activity 0-10 on a date. At an evaluation the period evaluated is
    named. The person (or a relative) may record their own scores; it is marked as theirs."""
    user = user_of(actor)
    _require_record(access)
    person = access.person
    _lock_person(person)
    activities = active_activities(person)
    by_uuid = {str(key): value for key, value in scores.items()}
    errors = _check_measurement(person, activities, measured_on, occasion, by_uuid, period)
    if errors:
        raise ValidationError(errors)
    kind = author_kind_of(access)
    measurement = FunctionMeasurement.all_tenants.create(
        municipality_id=person.municipality_id,
        person=person,
        measured_on=measured_on,
        occasion=occasion,
        period=period if occasion == Occasion.EVALUATION else None,
        entered_by=user,
        entered_by_label=user.get_full_name() or user.username,
        entered_by_kind=kind,
        note=normalise_text(note),
    )
    FunctionScore.all_tenants.bulk_create(
        FunctionScore(
            municipality_id=person.municipality_id,
            measurement=measurement,
            activity=activity,
            score=by_uuid[str(activity.uuid)],
        )
        for activity in activities
    )
    _audit(
        user, access, AuditAction.CREATE, "function.measurement", measurement.uuid, occasion=occasion, by=kind
    )
    return measurement


def _check_measurement(
    person: Person,
    activities: list[FunctionActivity],
    measured_on: datetime.date,
    occasion: str,
    scores: Mapping[str, int],
    period: PlanPeriod | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not activities:
        add("__all__", _("Skriv først hvilke aktiviteter som er viktige for personen."))
    if occasion not in Occasion.values:
        add("occasion", _("Velg hva målingen gjelder."))
    if measured_on > timezone.localdate():
        add("measured_on", _("Datoen kan ikke være fram i tid."))
    if occasion == Occasion.EVALUATION and period is None:
        add("period", _("Velg hvilken planperiode som evalueres."))
    if period is not None and period.plan.person_id != person.pk:
        add("period", _("Perioden hører ikke til denne personens plan."))
    known = {str(activity.uuid) for activity in activities}
    given = set(scores)
    if given - known:
        add("__all__", _("En av aktivitetene er endret av noen andre. Last siden på nytt."))
    for activity in activities:
        value = scores.get(str(activity.uuid))
        if value is None:
            add(f"score_{activity.uuid}", _("Gi «%(text)s» en skår fra 0 til 10.") % {"text": activity.text})
        elif isinstance(value, bool) or not isinstance(value, int) or not MIN_SCORE <= value <= MAX_SCORE:
            add(f"score_{activity.uuid}", _("Skåren må være et helt tall fra 0 til 10."))
    return errors


def own_occasion(person: Person) -> str:
    """What a measurement the person enters themself counts as: their first is the baseline,
    later ones are follow-ups (the coordinator marks evaluations)."""
    if FunctionMeasurement.all_tenants.filter(person=person).exists():
        return Occasion.FOLLOW_UP
    return Occasion.BASELINE


@transaction.atomic
def activities_first_scoring(
    *, actor: Actor, access: PersonAccess, named: Sequence[tuple[str, int]], note: str = ""
) -> FunctionMeasurement:
    """The person names their activities and scores them in one step: their baseline."""
    activities = activities_set(
        actor=actor, access=access, activities=[(None, text) for text, _score in named]
    )
    by_text = {activity.text: activity for activity in activities}
    scores = {str(by_text[normalise_text(text)].uuid): score for text, score in named}
    return measurement_record(
        actor=actor,
        access=access,
        measured_on=timezone.localdate(),
        occasion=Occasion.BASELINE,
        scores=scores,
        note=note,
    )

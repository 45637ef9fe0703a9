"""Writes to the individual plan. Each service checks what the access allows, refuses a save
written from an older version of the same part (:class:`PlanConflictError`, nothing changed),
writes its audit row, and records the plan's next version — all in one transaction.

Who may do what:
- the coordinator (during a transition both coordinators) edits the plan;
- the person and consented relatives add goals of their own and comments (marked as theirs);
- team members read; nobody else reaches the plan at all (the access module answers 404).
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess
from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.consents.models import Consent, ConsentKind
from oppfolging.plans.history import record_version
from oppfolging.plans.models import (
    AuthorKind,
    CarePlan,
    CloseReason,
    Goal,
    GoalStatus,
    Measure,
    MeasureStatus,
    PeriodStatus,
    PlanComment,
    PlanLink,
    PlanPeriod,
    PlanStatus,
    ResponsibleKind,
    SubGoal,
)

EDITOR_ROLES = frozenset({"coordinator"})
PERSON_ROLES = {"self": AuthorKind.PERSON, "guardian": AuthorKind.RELATIVE, "relative": AuthorKind.RELATIVE}

M = TypeVar("M", bound=models.Model)


class PlanConflictError(Exception):
    """The part was saved by someone else after the user opened it. ``current`` is the stored
    object, ``mine`` what the user sent; nothing was changed."""

    def __init__(self, current: models.Model, mine: dict[str, Any]) -> None:
        super().__init__("conflict")
        self.current = current
        self.mine = mine


def normalise_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def user_of(actor: Actor) -> User:
    if actor.user is None:
        raise PermissionDenied
    return actor.user


def may_edit(access: PersonAccess) -> bool:
    return Need.CASE_CONTENT in access.needs and bool(access.roles & EDITOR_ROLES)


def author_kind_of(access: PersonAccess) -> str:
    for role, kind in PERSON_ROLES.items():
        if role in access.roles:
            return kind
    return AuthorKind.STAFF


def require_edit(access: PersonAccess) -> None:
    if not may_edit(access):
        raise PermissionDenied


def require_open(plan: CarePlan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("Planen er avsluttet og kan ikke endres."))


def _audit(user: User, access: PersonAccess, action: AuditAction, what: str, obj: Any, **detail: Any) -> None:
    audit_person_write(user=user, access=access, action=action, what=what, about=obj.uuid, detail=detail)


def _version(plan: CarePlan, user: User, access: PersonAccess, action: str) -> None:
    record_version(plan, user=user, role=access.role, action=action, author_kind=author_kind_of(access))


def _save_versioned(obj: M, version: int, fields: dict[str, Any]) -> tuple[M, list[str]]:
    """Lock ``obj``'s row; if it was written from the stored version, set ``fields`` and bump the
    version. Returns the stored object and the names that changed (none: nothing saved)."""
    manager = type(obj).all_tenants  # type: ignore[attr-defined]
    current = manager.select_for_update(of=("self",)).get(pk=obj.pk)
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    if not changed:
        return current, []
    if current.version != version:
        raise PlanConflictError(current, fields)
    for name in changed:
        setattr(current, name, fields[name])
    current.version += 1
    current.save(update_fields=[*changed, "version", "updated_at"])
    return current, changed


# --- The plan ----------------------------------------------------------------------------------


def plan_of(person_id: int) -> CarePlan | None:
    return CarePlan.all_tenants.filter(person_id=person_id).first()


@transaction.atomic
def plan_create(*, actor: Actor, access: PersonAccess) -> CarePlan:
    """Start the person's plan (a draft). Resources and needs are carried from the latest
    completed assessment, for the coordinator and the person to rewrite."""
    from oppfolging.plans.carry import from_assessment

    user = user_of(actor)
    require_edit(access)
    person = access.person
    if CarePlan.all_tenants.filter(person=person).exists():
        raise ValidationError(_("Personen har allerede en individuell plan."))
    resources, needs = from_assessment(person)
    plan = CarePlan.objects.create(
        municipality_id=person.municipality_id,
        person=person,
        created_by=user,
        resources=resources,
        needs=needs,
    )
    _audit(user, access, AuditAction.CREATE, "plan", plan)
    _version(plan, user, access, "plan.create")
    return plan


PLAN_TEXT_FIELDS = (
    "resources",
    "needs",
    "persons_contribution",
    "relatives_contribution",
    "coordination",
    "participation_wishes",
)


@transaction.atomic
def plan_update(
    *, actor: Actor, access: PersonAccess, plan: CarePlan, version: int, **fields: str
) -> CarePlan:
    user = user_of(actor)
    require_edit(access)
    require_open(plan)
    unknown = set(fields) - set(PLAN_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    current, changed = _save_versioned(plan, version, {k: normalise_text(v) for k, v in fields.items()})
    if changed:
        _audit(user, access, AuditAction.UPDATE, "plan", current, fields=changed)
        _version(current, user, access, "plan.update")
    return current


def activation_problems(plan: CarePlan) -> list[str]:
    """Why the plan cannot be activated yet (empty: it can): the person's consent to plan work
    must be in force, and at least one active goal must be in the person's own words."""
    problems = []
    today = timezone.localdate()
    consent = Consent.all_tenants.filter(
        models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today),
        person_id=plan.person_id,
        kind=ConsentKind.PLAN_WORK,
        withdrawn_at__isnull=True,
    )
    if not consent.exists():
        problems.append(_("Personen har ikke samtykket til planarbeid (eller samtykket er trukket)."))
    if not plan.goals(manager="all_tenants").filter(in_own_words=True, status=GoalStatus.ACTIVE).exists():
        problems.append(_("Planen har ikke et mål med personens egne ord."))
    return problems


@transaction.atomic
def plan_activate(*, actor: Actor, access: PersonAccess, plan: CarePlan) -> CarePlan:
    user = user_of(actor)
    require_edit(access)
    plan = CarePlan.all_tenants.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("Bare en plan under arbeid kan aktiveres."))
    problems = activation_problems(plan)
    if problems:
        raise ValidationError(problems)
    plan.status = PlanStatus.ACTIVE
    plan.activated_at = timezone.now()
    plan.activated_by = user
    plan.save(update_fields=["status", "activated_at", "activated_by", "updated_at"])
    first = plan.periods(manager="all_tenants").filter(status=PeriodStatus.PLANNED).order_by("number").first()
    if (
        first is not None
        and not plan.periods(manager="all_tenants").filter(status=PeriodStatus.ACTIVE).exists()
    ):
        PlanPeriod.all_tenants.filter(pk=first.pk).update(status=PeriodStatus.ACTIVE)
    _audit(user, access, AuditAction.UPDATE, "plan", plan, status=PlanStatus.ACTIVE)
    _version(plan, user, access, "plan.activate")
    return plan


@transaction.atomic
def plan_close(
    *, actor: Actor, access: PersonAccess, plan: CarePlan, reason: str, note: str = ""
) -> CarePlan:
    """Close the plan with a reason. It stays readable to whom it was readable."""
    user = user_of(actor)
    require_edit(access)
    if reason not in CloseReason.values:
        raise ValidationError(_("Velg en grunn til å avslutte planen."))
    if reason == CloseReason.OTHER and not note.strip():
        raise ValidationError(_("Skriv grunnen til å avslutte planen."))
    plan = CarePlan.all_tenants.select_for_update().get(pk=plan.pk)
    require_open(plan)
    plan.status = PlanStatus.CLOSED
    plan.closed_at = timezone.now()
    plan.closed_by = user
    plan.close_reason = reason
    plan.close_note = normalise_text(note)
    plan.save(update_fields=["status", "closed_at", "closed_by", "close_reason", "close_note", "updated_at"])
    _audit(user, access, AuditAction.UPDATE, "plan", plan, status=PlanStatus.CLOSED, reason=reason)
    _version(plan, user, access, "plan.close")
    return plan


# --- Goals -------------------------------------------------------------------------------------


@transaction.atomic
def goal_add(
    *,
    actor: Actor,
    access: PersonAccess,
    plan: CarePlan,
    text: str,
    in_own_words: bool = True,
    record: bool = True,
) -> Goal:
    """A goal by the coordinator, or by the person or a relative from their own view (marked as
    theirs; a goal the person writes is in their own words by definition)."""
    user = user_of(actor)
    kind = author_kind_of(access)
    if kind == AuthorKind.STAFF:
        require_edit(access)
    elif Need.CASE_CONTENT not in access.needs:
        raise PermissionDenied
    require_open(plan)
    text = normalise_text(text)
    if not text:
        raise ValidationError(_("Skriv målet."))
    goal = Goal.all_tenants.create(
        municipality_id=plan.municipality_id,
        plan=plan,
        text=text,
        in_own_words=True if kind == AuthorKind.PERSON else in_own_words,
        order=plan.goals(manager="all_tenants").count() + 1,
        author_kind=kind,
        author=user,
        author_label=user.get_full_name() or user.username,
    )
    _audit(user, access, AuditAction.CREATE, "plan.goal", goal)
    if record:
        _version(plan, user, access, "goal.add")
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: Actor,
    access: PersonAccess,
    goal: Goal,
    version: int,
    text: str,
    in_own_words: bool,
    status: str,
) -> Goal:
    user = user_of(actor)
    require_edit(access)
    require_open(goal.plan)
    if status not in GoalStatus.values:
        raise ValidationError(_("Ugyldig status."))
    text = normalise_text(text)
    if not text:
        raise ValidationError(_("Skriv målet."))
    current, changed = _save_versioned(
        goal, version, {"text": text, "in_own_words": in_own_words, "status": status}
    )
    if changed:
        _audit(user, access, AuditAction.UPDATE, "plan.goal", current, fields=changed)
        _version(goal.plan, user, access, "goal.update")
    return current


# --- Periods, sub-goals, measures --------------------------------------------------------------


def _check_dates(starts_on: datetime.date, ends_on: datetime.date, evaluation_due_on: datetime.date) -> None:
    if ends_on <= starts_on:
        raise ValidationError(_("Perioden må slutte etter at den begynner."))
    if not starts_on <= evaluation_due_on <= ends_on:
        raise ValidationError(_("Evalueringen må ligge innenfor perioden."))


@transaction.atomic
def period_add(
    *,
    actor: Actor,
    access: PersonAccess,
    plan: CarePlan,
    starts_on: datetime.date,
    ends_on: datetime.date,
    evaluation_due_on: datetime.date | None = None,
    focus: str = "",
    record: bool = True,
) -> PlanPeriod:
    """A new period at the end of the plan; the checkpoint defaults to a week before its end.
    The period is active at once when the plan is active and no other period is."""
    user = user_of(actor)
    require_edit(access)
    require_open(plan)
    evaluation_due_on = evaluation_due_on or PlanPeriod.default_evaluation_date(ends_on)
    _check_dates(starts_on, ends_on, evaluation_due_on)
    periods = plan.periods(manager="all_tenants")
    last = periods.order_by("-number").first()
    if last is not None and starts_on < last.starts_on:
        raise ValidationError(_("En ny periode kan ikke begynne før den forrige."))
    active = plan.status == PlanStatus.ACTIVE and not periods.filter(status=PeriodStatus.ACTIVE).exists()
    period = PlanPeriod.all_tenants.create(
        municipality_id=plan.municipality_id,
        plan=plan,
        number=(last.number + 1) if last else 1,
        starts_on=starts_on,
        ends_on=ends_on,
        evaluation_due_on=evaluation_due_on,
        focus=normalise_text(focus),
        status=PeriodStatus.ACTIVE if active else PeriodStatus.PLANNED,
    )
    _audit(user, access, AuditAction.CREATE, "plan.period", period, number=period.number)
    if record:
        _version(plan, user, access, "period.add")
    return period


@transaction.atomic
def period_update(
    *,
    actor: Actor,
    access: PersonAccess,
    period: PlanPeriod,
    version: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    evaluation_due_on: datetime.date,
    focus: str,
) -> PlanPeriod:
    user = user_of(actor)
    require_edit(access)
    require_open(period.plan)
    _check_dates(starts_on, ends_on, evaluation_due_on)
    fields = {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "evaluation_due_on": evaluation_due_on,
        "focus": normalise_text(focus),
    }
    current, changed = _save_versioned(period, version, fields)
    if changed:
        _audit(user, access, AuditAction.UPDATE, "plan.period", current, fields=changed)
        _version(period.plan, user, access, "period.update")
    return current


@transaction.atomic
def sub_goal_add(
    *,
    actor: Actor,
    access: PersonAccess,
    period: PlanPeriod,
    goal: Goal,
    text: str,
    carried_from: SubGoal | None = None,
    record: bool = True,
) -> SubGoal:
    user = user_of(actor)
    require_edit(access)
    require_open(period.plan)
    if goal.plan_id != period.plan_id:
        raise ValidationError(_("Delmålet må høre til et mål i samme plan."))
    text = normalise_text(text)
    if not text:
        raise ValidationError(_("Skriv delmålet."))
    sub_goal = SubGoal.all_tenants.create(
        municipality_id=period.municipality_id,
        period=period,
        goal=goal,
        text=text,
        order=period.sub_goals(manager="all_tenants").count() + 1,
        carried_from=carried_from,
    )
    _audit(user, access, AuditAction.CREATE, "plan.sub_goal", sub_goal)
    if record:
        _version(period.plan, user, access, "sub_goal.add")
    return sub_goal


@transaction.atomic
def sub_goal_update(
    *, actor: Actor, access: PersonAccess, sub_goal: SubGoal, version: int, text: str
) -> SubGoal:
    user = user_of(actor)
    require_edit(access)
    require_open(sub_goal.period.plan)
    text = normalise_text(text)
    if not text:
        raise ValidationError(_("Skriv delmålet."))
    current, changed = _save_versioned(sub_goal, version, {"text": text})
    if changed:
        _audit(user, access, AuditAction.UPDATE, "plan.sub_goal", current, fields=changed)
        _version(sub_goal.period.plan, user, access, "sub_goal.update")
    return current


MEASURE_FIELDS = (
    "description",
    "scope",
    "how",
    "responsible_kind",
    "responsible_member",
    "responsible_relative",
    "starts_on",
    "due_on",
    "status",
)


def _clean_measure(period: PlanPeriod, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    fields = dict(fields)
    for name in ("description", "scope", "how"):
        if name in fields:
            fields[name] = normalise_text(fields[name] or "")
    if not fields.get("description"):
        raise ValidationError(_("Beskriv tiltaket."))
    kind = fields.get("responsible_kind", ResponsibleKind.MEMBER)
    member, relative = fields.get("responsible_member"), fields.get("responsible_relative")
    if kind == ResponsibleKind.MEMBER and (member is None or member.team.person_id != period.plan.person_id):
        raise ValidationError(_("Velg hvilket teammedlem som er ansvarlig."))
    if kind == ResponsibleKind.RELATIVE and (relative is None or relative.person_id != period.plan.person_id):
        raise ValidationError(_("Velg hvilken pårørende som er ansvarlig."))
    if kind != ResponsibleKind.MEMBER:
        fields["responsible_member"] = None
    if kind != ResponsibleKind.RELATIVE:
        fields["responsible_relative"] = None
    starts_on, due_on = fields.get("starts_on"), fields.get("due_on")
    if starts_on and due_on and due_on < starts_on:
        raise ValidationError(_("Fristen kan ikke være før start."))
    if fields.get("status", MeasureStatus.PLANNED) not in MeasureStatus.values:
        raise ValidationError(_("Ugyldig status."))
    return fields


@transaction.atomic
def measure_add(
    *,
    actor: Actor,
    access: PersonAccess,
    sub_goal: SubGoal,
    carried_from: Measure | None = None,
    record: bool = True,
    **fields: Any,
) -> Measure:
    user = user_of(actor)
    require_edit(access)
    period = sub_goal.period
    require_open(period.plan)
    fields = _clean_measure(period, fields)
    measure = Measure.all_tenants.create(
        municipality_id=period.municipality_id,
        period=period,
        sub_goal=sub_goal,
        order=period.measures(manager="all_tenants").count() + 1,
        carried_from=carried_from,
        **fields,
    )
    _audit(user, access, AuditAction.CREATE, "plan.measure", measure)
    if record:
        _version(period.plan, user, access, "measure.add")
    return measure


@transaction.atomic
def measure_update(
    *, actor: Actor, access: PersonAccess, measure: Measure, version: int, **fields: Any
) -> Measure:
    user = user_of(actor)
    require_edit(access)
    require_open(measure.period.plan)
    merged = {name: getattr(measure, name) for name in MEASURE_FIELDS} | fields
    cleaned = _clean_measure(measure.period, merged)
    current, changed = _save_versioned(measure, version, cleaned)
    if changed:
        _audit(user, access, AuditAction.UPDATE, "plan.measure", current, fields=changed)
        _version(measure.period.plan, user, access, "measure.update")
    return current


# --- Links and comments ------------------------------------------------------------------------


@transaction.atomic
def link_add(
    *,
    actor: Actor,
    access: PersonAccess,
    plan: CarePlan,
    kind: str,
    title: str,
    held_by: str = "",
    contact: str = "",
    note: str = "",
) -> PlanLink:
    user = user_of(actor)
    require_edit(access)
    require_open(plan)
    if not title.strip():
        raise ValidationError(_("Skriv hvilken plan eller etat det gjelder."))
    link = PlanLink.all_tenants.create(
        municipality_id=plan.municipality_id,
        plan=plan,
        kind=kind,
        title=title.strip(),
        held_by=held_by.strip(),
        contact=contact.strip(),
        note=normalise_text(note),
    )
    _audit(user, access, AuditAction.CREATE, "plan.link", link)
    _version(plan, user, access, "link.add")
    return link


@transaction.atomic
def comment_add(
    *, actor: Actor, access: PersonAccess, plan: CarePlan, text: str, goal: Goal | None = None
) -> PlanComment:
    """Anyone who may read the plan may comment on it; what the person and relatives write is
    marked as theirs."""
    user = user_of(actor)
    if Need.CASE_CONTENT not in access.needs or access.until is not None:
        raise PermissionDenied
    require_open(plan)
    text = normalise_text(text)
    if not text:
        raise ValidationError(_("Skriv kommentaren."))
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationError(_("Målet hører ikke til denne planen."))
    comment = PlanComment.all_tenants.create(
        municipality_id=plan.municipality_id,
        plan=plan,
        goal=goal,
        text=text,
        author_kind=author_kind_of(access),
        author=user,
        author_label=user.get_full_name() or user.username,
    )
    _audit(user, access, AuditAction.CREATE, "plan.comment", comment)
    _version(plan, user, access, "comment.add")
    return comment

"""Agreed changes become plan changes in one step (SPEC §4.7: "minutes with decisions that become
plan changes and measures").

While writing the minutes the coordinator attaches to an item the plan changes agreed under it:
a new goal (in the person's own words), a new period, a new sub-goal, a new measure. They wait on
the item (``AgendaItem.proposed_changes``, a JSON list) until the coordinator applies them; then
they are written through the plan's own services and recorded as ONE plan version
("meeting.apply"), and the item is stamped ``applied_to_plan_at`` — under a row lock, so applying
twice is impossible.

A change may refer to what already is in the plan (by uuid) or to a change earlier in the same
item (``"new:<id>"``): the start-up meeting's first sub-goal and its measures go in together.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import PersonAccess
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.meetings.meeting_selectors import minutes_open, plan_of
from oppfolging.meetings.models import AgendaItem, Meeting, MeetingStatus
from oppfolging.people.models import Relative
from oppfolging.plans import services as plan_services
from oppfolging.plans.history import record_version
from oppfolging.plans.models import (
    CarePlan,
    Goal,
    GoalStatus,
    PeriodStatus,
    PlanPeriod,
    PlanVersion,
    ResponsibleKind,
    SubGoal,
)
from oppfolging.teams.models import TeamMember

GOAL, PERIOD, SUB_GOAL, MEASURE = "goal", "period", "sub_goal", "measure"
TYPES = (GOAL, PERIOD, SUB_GOAL, MEASURE)
NEW = "new:"
# What each kind of change refers to, and the kind it must be.
REFERENCES = {SUB_GOAL: {"goal": GOAL, "period": PERIOD}, MEASURE: {"sub_goal": SUB_GOAL}}
APPLY_STATUSES = (MeetingStatus.HELD, MeetingStatus.MINUTES_OUT, MeetingStatus.CLOSED)

Proposal = dict[str, Any]
DASH = "\N{EN DASH}"


def _require(access: PersonAccess, meeting: Meeting) -> CarePlan:
    if not plan_services.may_edit(access):
        raise PermissionDenied
    plan = plan_of(access.person)
    if plan is None:
        raise ValidationError(_("Personen har ingen individuell plan ennå."))
    plan_services.require_open(plan)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("Møtet er avlyst."))
    return plan


# --- What the plan offers to refer to ---------------------------------------------------------


def plan_goals(plan: CarePlan) -> list[Goal]:
    return list(Goal.objects.filter(plan=plan, status=GoalStatus.ACTIVE).order_by("order", "id"))


def plan_periods(plan: CarePlan) -> list[PlanPeriod]:
    """Periods a sub-goal can go in: the active one and those planned after it."""
    return list(
        PlanPeriod.objects.filter(plan=plan, status__in=[PeriodStatus.ACTIVE, PeriodStatus.PLANNED]).order_by(
            "number"
        )
    )


def plan_sub_goals(plan: CarePlan) -> list[SubGoal]:
    """Sub-goals a measure can go under: those of the active period, then planned ones."""
    return list(
        SubGoal.objects.filter(
            period__plan=plan, period__status__in=[PeriodStatus.ACTIVE, PeriodStatus.PLANNED]
        )
        .select_related("period")
        .order_by("period__number", "order", "id")
    )


def _existing(plan: CarePlan, kind: str, value: str) -> Any:
    try:
        key = uuid.UUID(value)
    except (TypeError, ValueError):
        return None
    if kind == GOAL:
        return Goal.objects.filter(plan=plan, uuid=key, status=GoalStatus.ACTIVE).first()
    if kind == PERIOD:
        return PlanPeriod.objects.filter(
            plan=plan, uuid=key, status__in=[PeriodStatus.ACTIVE, PeriodStatus.PLANNED]
        ).first()
    return (
        SubGoal.objects.filter(
            period__plan=plan, uuid=key, period__status__in=[PeriodStatus.ACTIVE, PeriodStatus.PLANNED]
        )
        .select_related("period__plan")
        .first()
    )


def _check_references(plan: CarePlan, proposal: Proposal, earlier: list[Proposal]) -> None:
    for name, kind in REFERENCES.get(proposal["type"], {}).items():
        value = str(proposal.get(name) or "")
        if value.startswith(NEW):
            target = next((p for p in earlier if p["id"] == value[len(NEW) :]), None)
            if target is None or target["type"] != kind:
                raise ValidationError({name: _("Velg noe som står tidligere i samme sak eller i planen.")})
        elif _existing(plan, kind, value) is None:
            raise ValidationError({name: _("Velg et gyldig alternativ.")})


def _date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# --- Proposing and withdrawing -----------------------------------------------------------------


@transaction.atomic
def proposal_add(*, actor: Actor, access: PersonAccess, item: AgendaItem, proposal: Proposal) -> AgendaItem:
    """Attach one agreed plan change to the item. ``proposal`` holds the change's fields as
    plain JSON (uuids and ISO dates as strings); its references are checked now and again
    when it is applied."""
    user = plan_services.user_of(actor)
    meeting = item.meeting
    plan = _require(access, meeting)
    if not minutes_open(meeting) and meeting.status not in APPLY_STATUSES:
        raise ValidationError(_("Planendringer føres på etter at møtet er holdt."))
    current = AgendaItem.all_tenants.select_for_update(of=("self",)).get(pk=item.pk)
    if current.applied_to_plan_at is not None:
        raise ValidationError(_("Endringene i denne saken er allerede ført inn i planen."))
    if proposal.get("type") not in TYPES:
        raise ValidationError(_("Ukjent type endring."))
    _check_references(plan, proposal, list(current.proposed_changes))
    proposal = {**proposal, "id": uuid.uuid4().hex[:8]}
    current.proposed_changes = [*current.proposed_changes, proposal]
    current.save(update_fields=["proposed_changes", "updated_at"])
    audit_person_write(
        user=user,
        access=access,
        action=AuditAction.UPDATE,
        what="meeting.item",
        about=current.uuid,
        detail={"proposed": proposal["type"]},
    )
    return current


@transaction.atomic
def proposal_remove(*, actor: Actor, access: PersonAccess, item: AgendaItem, proposal_id: str) -> AgendaItem:
    user = plan_services.user_of(actor)
    _require(access, item.meeting)
    current = AgendaItem.all_tenants.select_for_update(of=("self",)).get(pk=item.pk)
    if current.applied_to_plan_at is not None:
        raise ValidationError(_("Endringene i denne saken er allerede ført inn i planen."))
    remaining = [p for p in current.proposed_changes if p.get("id") != proposal_id]
    if len(remaining) == len(current.proposed_changes):
        raise ValidationError(_("Endringen finnes ikke."))
    if any(
        NEW + proposal_id == str(p.get(name)) for p in remaining for name in REFERENCES.get(p["type"], {})
    ):
        raise ValidationError(_("Fjern først endringene som bygger på denne."))
    current.proposed_changes = remaining
    current.save(update_fields=["proposed_changes", "updated_at"])
    audit_person_write(
        user=user,
        access=access,
        action=AuditAction.UPDATE,
        what="meeting.item",
        about=current.uuid,
        detail={"withdrawn": proposal_id},
    )
    return current


# --- Applying ----------------------------------------------------------------------------------


def _responsible(plan: CarePlan, value: str) -> dict[str, Any]:
    kind, _sep, key = value.partition(":")
    if kind == ResponsibleKind.PERSON:
        return {"responsible_kind": ResponsibleKind.PERSON}
    if kind == ResponsibleKind.MEMBER:
        member = (
            TeamMember.objects.filter(team__person_id=plan.person_id, uuid=key, left_at__isnull=True)
            .select_related("team")
            .first()
        )
        if member is not None:
            return {"responsible_kind": ResponsibleKind.MEMBER, "responsible_member": member}
    if kind == ResponsibleKind.RELATIVE:
        relative = Relative.objects.filter(person_id=plan.person_id, uuid=key).first()
        if relative is not None:
            return {"responsible_kind": ResponsibleKind.RELATIVE, "responsible_relative": relative}
    raise ValidationError(_("Velg hvem som er ansvarlig for tiltaket."))


def _resolve(plan: CarePlan, kind: str, value: str, created: dict[str, Any]) -> Any:
    found = created.get(value[len(NEW) :]) if value.startswith(NEW) else _existing(plan, kind, value)
    if found is None:
        raise ValidationError(_("En endring viser til noe som ikke lenger finnes i planen."))
    return found


def _apply_one(
    actor: Actor, access: PersonAccess, plan: CarePlan, p: Proposal, created: dict[str, Any]
) -> Any:
    if p["type"] == GOAL:
        return plan_services.goal_add(
            actor=actor,
            access=access,
            plan=plan,
            text=p["text"],
            in_own_words=bool(p.get("in_own_words", True)),
            record=False,
        )
    if p["type"] == PERIOD:
        starts_on, ends_on = _date(p["starts_on"]), _date(p["ends_on"])
        if starts_on is None or ends_on is None:
            raise ValidationError(_("Skriv når perioden begynner og slutter."))
        return plan_services.period_add(
            actor=actor,
            access=access,
            plan=plan,
            starts_on=starts_on,
            ends_on=ends_on,
            evaluation_due_on=_date(p.get("evaluation_due_on")),
            focus=p.get("focus", ""),
            record=False,
        )
    if p["type"] == SUB_GOAL:
        return plan_services.sub_goal_add(
            actor=actor,
            access=access,
            period=_resolve(plan, PERIOD, p["period"], created),
            goal=_resolve(plan, GOAL, p["goal"], created),
            text=p["text"],
            record=False,
        )
    sub_goal = _resolve(plan, SUB_GOAL, p["sub_goal"], created)
    return plan_services.measure_add(
        actor=actor,
        access=access,
        sub_goal=sub_goal,
        description=p["description"],
        scope=p.get("scope", ""),
        how=p.get("how", ""),
        starts_on=_date(p.get("starts_on")),
        due_on=_date(p.get("due_on")),
        record=False,
        **_responsible(plan, p.get("responsible", "")),
    )


@transaction.atomic
def apply_to_plan(
    *, actor: Actor, access: PersonAccess, meeting: Meeting, items: list[AgendaItem] | None = None
) -> PlanVersion | None:
    """Write the pending changes of ``items`` (all the meeting's items with changes if None)
    into the plan and record one plan version. Refused — with nothing changed — if any was
    applied already or a change no longer fits the plan."""
    user = plan_services.user_of(actor)
    plan = _require(access, meeting)
    if meeting.status not in APPLY_STATUSES:
        raise ValidationError(_("Skriv referatet før endringene føres inn i planen."))
    wanted = [i.pk for i in items] if items is not None else None
    locked = (
        AgendaItem.all_tenants.select_for_update(of=("self",)).filter(meeting=meeting).order_by("order", "id")
    )
    chosen = [i for i in locked if wanted is None or i.pk in wanted]
    if wanted is not None and any(i.applied_to_plan_at is not None for i in chosen):
        raise ValidationError(_("Endringene i denne saken er allerede ført inn i planen."))
    pending = [i for i in chosen if i.proposed_changes and i.applied_to_plan_at is None]
    if not pending:
        raise ValidationError(_("Det er ingen planendringer som venter på å bli ført inn."))
    now = timezone.now()
    for item in pending:
        created: dict[str, Any] = {}
        applied = []
        for proposal in item.proposed_changes:
            obj = _apply_one(actor, access, plan, proposal, created)
            created[proposal["id"]] = obj
            applied.append({**proposal, "created": str(obj.uuid)})
        item.proposed_changes = applied
        item.applied_to_plan_at = now
        item.save(update_fields=["proposed_changes", "applied_to_plan_at", "updated_at"])
        audit_person_write(
            user=user,
            access=access,
            action=AuditAction.UPDATE,
            what="meeting.item",
            about=item.uuid,
            detail={"applied": len(applied)},
        )
    return record_version(
        plan,
        user=user,
        role=access.role,
        action="meeting.apply",
        author_kind=plan_services.author_kind_of(access),
    )


# --- Showing them ------------------------------------------------------------------------------


def _d(value: Any) -> str:
    day = _date(value)
    return day.strftime("%d.%m.%Y") if day else ""


def _name(value: str, table: dict[str, Any], pending: dict[str, Proposal], field: str) -> str:
    if value.startswith(NEW):
        return str(pending.get(value[len(NEW) :], {}).get(field, ""))
    return str(table.get(value, ""))


def describe_proposals(meeting: Meeting, items: list[AgendaItem]) -> dict[int, list[tuple[str, str]]]:
    """Each item's plan changes in words, as (id, text), in a fixed number of queries."""
    if not any(item.proposed_changes for item in items):
        return {}
    plan = meeting.plan or plan_of(meeting.person)
    if plan is None:
        return {}
    goals = {str(g.uuid): g.text for g in Goal.objects.filter(plan=plan)}
    periods = {str(p.uuid): p.number for p in PlanPeriod.objects.filter(plan=plan)}
    sub_goals = {str(s.uuid): s.text for s in SubGoal.objects.filter(period__plan=plan)}
    people = {
        f"{ResponsibleKind.MEMBER}:{m.uuid}": m.name
        for m in TeamMember.objects.filter(team__person_id=plan.person_id)
    }
    people |= {
        f"{ResponsibleKind.RELATIVE}:{r.uuid}": r.name
        for r in Relative.objects.filter(person_id=plan.person_id)
    }
    people[ResponsibleKind.PERSON.value] = _("personen selv")
    described: dict[int, list[tuple[str, str]]] = {}
    for item in items:
        pending = {p["id"]: p for p in item.proposed_changes}
        rows = []
        for p in item.proposed_changes:
            if p["type"] == GOAL:
                text = _("Nytt mål: «%(text)s»") % {"text": p["text"]}
            elif p["type"] == PERIOD:
                text = _("Ny periode: %(dates)s") % {"dates": f"{_d(p['starts_on'])}{DASH}{_d(p['ends_on'])}"}
            elif p["type"] == SUB_GOAL:
                text = _("Nytt delmål under målet «%(goal)s»: «%(text)s»") % {
                    "goal": _name(p["goal"], goals, pending, "text")[:80],
                    "text": p["text"],
                }
                number = periods.get(p["period"])
                if number:
                    text += " " + _("(periode %(number)s)") % {"number": number}
            else:
                text = _("Nytt tiltak under delmålet «%(sub_goal)s»: «%(text)s», ansvarlig: %(who)s") % {
                    "sub_goal": _name(p["sub_goal"], sub_goals, pending, "text")[:80],
                    "text": p["description"],
                    "who": people.get(p.get("responsible", ""), DASH),
                }
                if p.get("scope"):
                    text += f", {p['scope']}"
                if p.get("starts_on") or p.get("due_on"):
                    text += f" ({_d(p.get('starts_on'))}{DASH}{_d(p.get('due_on'))})"
            rows.append((p["id"], text))
        described[item.pk] = rows
    return described

"""The board view (tavlemøte): a unit's regular look at its persons with signals and open
improvement items. It lists only persons the viewer may see case content for — those they
coordinate or are an active, consented team member for — whose coordinator or a team member
belongs to the chosen unit. Nothing is shown, not even a count, for the unit's other persons.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Membership
from oppfolging.core.models import Unit
from oppfolging.core.selectors import MyPerson, my_persons
from oppfolging.followup.day_selectors import audit_persons_seen
from oppfolging.followup.signal_selectors import Signal, SignalKind, signals_for
from oppfolging.people.models import Person
from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment, TeamMember

BOARD_KINDS = frozenset(
    {
        SignalKind.EVALUATION_OVERDUE,
        SignalKind.MEASURE_OVERDUE,
        SignalKind.CHANGE_REQUEST,
        SignalKind.CHANGED_NEED,
        SignalKind.MINUTES_CORRECTIONS,
    }
)
# Shown as signals; measures past due and corrections waiting are the improvement items.
SIGNAL_KINDS = frozenset({SignalKind.EVALUATION_OVERDUE, SignalKind.CHANGE_REQUEST, SignalKind.CHANGED_NEED})


@dataclass(frozen=True)
class BoardRow:
    person: Person
    coordinator: bool
    signals: list[Signal] = field(default_factory=list)
    improvements: list[Signal] = field(default_factory=list)

    @property
    def measures_overdue(self) -> int:
        return sum(1 for s in self.improvements if s.kind == SignalKind.MEASURE_OVERDUE)

    @property
    def has_anything(self) -> bool:
        return bool(self.signals or self.improvements)


@dataclass(frozen=True)
class Board:
    unit: Unit | None
    units: list[Unit]
    rows: list[BoardRow]

    @property
    def with_signals(self) -> list[BoardRow]:
        return [row for row in self.rows if row.has_anything]

    @property
    def without_signals(self) -> list[BoardRow]:
        return [row for row in self.rows if not row.has_anything]


def board_units(actor: Actor) -> list[Unit]:
    """The units the viewer belongs to, each once, by name."""
    units = {unit.pk: unit for unit, _role in actor.unit_roles}
    return sorted(units.values(), key=lambda unit: unit.name)


def _in_unit(unit: Unit) -> Q:
    """Persons whose coordinator or an active team member belongs to ``unit`` (the member's own
    unit in the team, or an active role in the unit)."""
    in_unit = Membership.objects.filter(user=OuterRef("user_id"), unit=unit, is_active=True)
    members = TeamMember.all_tenants.filter(left_at__isnull=True, team__closed_at__isnull=True).filter(
        Q(unit=unit) | Exists(in_unit)
    )
    coordinator_in_unit = Membership.objects.filter(
        user=OuterRef("coordinator_id"), unit=unit, is_active=True
    )
    coordinators = CoordinatorAssignment.all_tenants.filter(
        Exists(coordinator_in_unit), status=AssignmentStatus.ACTIVE, ended_at__isnull=True
    )
    return Q(pk__in=members.values("team__person_id")) | Q(pk__in=coordinators.values("team__person_id"))


def board(*, actor: Actor, unit: Unit | None, today: datetime.date | None = None) -> Board:
    """The board for ``unit`` (one of the viewer's own units; None: the first of them)."""
    today = today or timezone.localdate()
    units = board_units(actor)
    if unit is None or unit.pk not in {u.pk for u in units}:
        unit = units[0] if units else None
    if unit is None:
        return Board(unit=None, units=units, rows=[])
    mine: dict[int, MyPerson] = {m.person.pk: m for m in my_persons(actor)}
    ids = set(Person.all_tenants.filter(_in_unit(unit), pk__in=list(mine)).values_list("pk", flat=True))
    shown = [mine[pk] for pk in mine if pk in ids]
    signals = signals_for(
        persons=[(m.person.pk, m.person.uuid) for m in shown], today=today, kinds=BOARD_KINDS
    )
    rows = []
    for m in shown:
        found = signals.get(m.person.pk, [])
        rows.append(
            BoardRow(
                person=m.person,
                coordinator=m.coordinator,
                signals=[s for s in found if s.kind in SIGNAL_KINDS],
                improvements=[s for s in found if s.improvement],
            )
        )
    rows.sort(
        key=lambda r: (
            not r.has_anything,
            not any(s.overdue for s in r.signals + r.improvements),
            r.person.family_name,
            r.person.given_name,
        )
    )
    for coordinator in (True, False):
        audit_persons_seen(
            actor=actor,
            persons=[r.person for r in rows if r.coordinator is coordinator],
            what="followup.board",
            role="coordinator" if coordinator else "team_member",
        )
    return Board(unit=unit, units=units, rows=rows)

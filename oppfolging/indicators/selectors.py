"""What the leaders' pages show: every registered indicator for the chosen period, step and
scope, grouped in the dashboard's sections, and one indicator's drill-down by unit and by target
group. Only aggregated figures leave this module (an :class:`Outcome` of suppressed
:class:`Cell` objects per indicator); no person is ever loaded, so none can be shown.

Who sees what (SPEC §5, "drilling down ends at the unit, never the person"): KE staff and leaders
of the municipality see its totals; KE may narrow to any active unit of the municipality, a
leader only to the units they lead. Every page, report and export is recorded once in the audit
log, with the filters and without a person.

The dashboard costs the sum of the indicators' own queries, which do not depend on the number of
rows (see :mod:`oppfolging.indicators.base`), plus the unit list and the audit row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.rules import any_role
from oppfolging.accounts.models import Role
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.models import Municipality, Unit
from oppfolging.indicators.base import (
    Indicator,
    Kind,
    Line,
    Outcome,
    Scope,
    Step,
    Window,
    indicators,
)
from oppfolging.indicators.display import NOTHING, ShownCell, cell_text, hidden_reason
from oppfolging.indicators.parallel import run_all
from oppfolging.lib.dates import month_start_after
from oppfolging.overview.groups import TargetGroup

READER_ROLES = (Role.KE_STAFF, Role.LEADER)
READER = any_role(*READER_ROLES)
DEFAULT_MONTHS = 12
PAPER_COLUMNS = 6  # months or quarters per printed table: what fits across an A4 page


# --- Who may narrow to which unit -------------------------------------------------------------


def unit_choices(*, actor: Actor) -> QuerySet[Unit]:
    """The units the actor may narrow the figures to: for KE every active unit of the
    municipality, for a leader the active units they lead in it. External units (hospital,
    state NAV) are never a choice: their staff are counted through the municipality's teams."""
    if actor.municipality is None or not actor.has_role(*READER_ROLES):
        return Unit.objects.none()
    units = Unit.objects.filter(municipality=actor.municipality, is_active=True)
    if not actor.has_role(Role.KE_STAFF):
        units = units.filter(pk__in=[unit.pk for unit in actor.units_with_role(Role.LEADER)])
    return units.order_by("name")


def _audit_role(actor: Actor) -> str:
    return ",".join(sorted(role.value for role in actor.roles if role in READER_ROLES))


# --- The filters ----------------------------------------------------------------------------------


def months_between(start: datetime.date, end: datetime.date) -> int:
    """How many calendar months from ``start``'s month to ``end``'s, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def default_period(today: datetime.date, step: str = Step.QUARTER) -> tuple[datetime.date, datetime.date]:
    """The last twelve months up to and including the current one; by quarter, the four
    quarters ending with the current one (so that no quarter is cut)."""
    end = today.replace(day=1)
    start = month_start_after(end, 1 - DEFAULT_MONTHS)
    if step == Step.QUARTER:
        quarter_start = end.replace(month=(end.month - 1) // 3 * 3 + 1)
        start = month_start_after(quarter_start, -9)
    return start, end


def bucket_count(start: datetime.date, end: datetime.date, step: str) -> int:
    if step == Step.QUARTER:
        first = start.year * 4 + (start.month - 1) // 3
        last = end.year * 4 + (end.month - 1) // 3
        return last - first + 1
    return months_between(start, end)


@dataclass(frozen=True)
class IndicatorFilters:
    """The chosen period (first and last month), step and scope."""

    start: datetime.date
    end: datetime.date
    step: str = Step.QUARTER
    unit: Unit | None = None
    group: str = ""

    @classmethod
    def default(cls, today: datetime.date | None = None) -> IndicatorFilters:
        start, end = default_period(today or timezone.localdate())
        return cls(start=start, end=end)

    @cached_property
    def window(self) -> Window:
        return Window.of(self.start, self.end, self.step)

    def scope(self, municipality_id: int, *, unit: Unit | None = None, group: str | None = None) -> Scope:
        """The scope of these filters, or (for the drill-down) of another unit or group."""
        chosen_unit = self.unit if unit is None else unit
        return Scope(
            municipality_id=municipality_id,
            unit_id=chosen_unit.pk if chosen_unit is not None else None,
            group=self.group if group is None else group,
            today=timezone.localdate(),
        )

    @property
    def group_label(self) -> str:
        return str(TargetGroup(self.group).label) if self.group in TargetGroup.values else ""

    @property
    def scope_label(self) -> str:
        parts = [part for part in (self.unit.name if self.unit else "", self.group_label) if part]
        return ", ".join(parts) if parts else _("Hele kommunen")

    @property
    def step_label(self) -> str:
        return str(Step(self.step).label) if self.step in Step.values else self.step

    @property
    def period_label(self) -> str:
        window = self.window
        return _("%(start)s–%(end)s") % {  # noqa: RUF001 - the en dash of a range
            "start": date_format(window.start, "DATE_FORMAT"),
            "end": date_format(window.end, "DATE_FORMAT"),
        }

    def query(self, **extra: str) -> dict[str, str]:
        """The filters as GET parameters (for links to the report and the CSV)."""
        params = {
            "start": f"{self.start:%Y-%m}",
            "end": f"{self.end:%Y-%m}",
            "step": self.step,
        }
        if self.unit is not None:
            params["unit"] = str(self.unit.uuid)
        if self.group:
            params["group"] = self.group
        params.update(extra)
        return params

    def as_detail(self) -> dict[str, Any]:
        """For the audit row: the period and what the figures were narrowed to."""
        return {
            "start": f"{self.window.start:%Y-%m-%d}",
            "end": f"{self.window.end:%Y-%m-%d}",
            "step": self.step,
            "unit": {"uuid": str(self.unit.uuid), "name": self.unit.name} if self.unit else None,
            "group": self.group,
        }


# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    key: str
    label: str
    main: bool
    cells: list[ShownCell]  # one per bucket, the whole period last


@dataclass(frozen=True)
class Table:
    """An indicator's table, or on paper one piece of it (``part`` of ``parts``)."""

    headers: list[str]
    rows: list[TableRow]
    part: int = 1
    parts: int = 1


def main_line(outcome: Outcome, key: str = "") -> Line | None:
    """The line the chart draws: the one named ``key``, else the one marked main, else the
    first."""
    if key:
        for line in outcome.lines:
            if line.key == key:
                return line
    return next((line for line in outcome.lines if line.main), outcome.lines[0] if outcome.lines else None)


def kind_label(kind: str) -> str:
    return str(Kind(kind).label) if kind in Kind.values else kind


@dataclass
class Result:
    """One indicator computed for a scope and window (suppressed)."""

    indicator: Indicator
    outcome: Outcome
    window: Window

    @property
    def key(self) -> str:
        return self.indicator.key

    @property
    def kind_label(self) -> str:
        return kind_label(self.indicator.kind)

    @property
    def section(self) -> str:
        return str(self.indicator.group) if self.indicator.group else self.kind_label

    @cached_property
    def main(self) -> Line | None:
        return main_line(self.outcome)

    @property
    def main_text(self) -> str:
        return cell_text(self.main.total) if self.main is not None else ""

    @property
    def main_hidden(self) -> str:
        return hidden_reason(self.main.total) if self.main is not None else ""

    @cached_property
    def rows(self) -> list[TableRow]:
        main = self.main
        return [
            TableRow(
                key=line.key,
                label=str(line.label),
                main=line is main,
                cells=[ShownCell.of(cell) for cell in line.all_cells],
            )
            for line in self.outcome.lines
        ]

    @property
    def headers(self) -> list[str]:
        return [*(bucket.label for bucket in self.window.buckets), str(self.window.whole.label)]

    @property
    def table(self) -> Table:
        return Table(headers=self.headers, rows=self.rows)

    @property
    def paper_tables(self) -> list[Table]:
        """The table cut into pieces of at most :data:`PAPER_COLUMNS` months or quarters, the
        whole period with the last piece, so that no column runs off a printed page."""
        count = len(self.window.buckets)
        starts = list(range(0, count, PAPER_COLUMNS)) or [0]
        tables = []
        for number, start in enumerate(starts, start=1):
            stop = min(start + PAPER_COLUMNS, count)
            columns = list(range(start, stop)) + ([count] if number == len(starts) else [])
            tables.append(
                Table(
                    headers=[self.headers[i] for i in columns],
                    rows=[
                        TableRow(row.key, row.label, row.main, [row.cells[i] for i in columns])
                        for row in self.rows
                    ],
                    part=number,
                    parts=len(starts),
                )
            )
        return tables

    @cached_property
    def chart(self) -> SafeString:
        from oppfolging.indicators.chart import trend_chart

        return trend_chart(self)


@dataclass
class Section:
    number: int  # for the heading's id
    title: str
    results: list[Result] = field(default_factory=list)


@dataclass
class Dashboard:
    filters: IndicatorFilters
    sections: list[Section]
    municipality_name: str
    made_at: datetime.datetime
    made_by: str

    @property
    def window(self) -> Window:
        return self.filters.window

    @property
    def results(self) -> list[Result]:
        return [result for section in self.sections for result in section.results]


# The indicators that took longest at 30 000 persons (make bench-indicators): started first.
COSTLIEST = frozenset({"coordinated_needs_coverage", "psfs_change", "before_after", "days_to_assessment"})


def compute(indicator: Indicator, scope: Scope, window: Window) -> Result:
    return Result(indicator=indicator, outcome=indicator.run(scope, window), window=window)


def _sections(results: list[Result]) -> list[Section]:
    """The results grouped by their section, in the registry's order of first appearance."""
    sections: dict[str, Section] = {}
    for result in results:
        title = result.section
        if title not in sections:
            sections[title] = Section(number=len(sections) + 1, title=title)
        sections[title].results.append(result)
    return list(sections.values())


def _municipality(actor: Actor) -> Municipality:
    if actor.municipality is None or not actor.has_role(*READER_ROLES):
        raise PermissionError("The indicators need a leader or KE of a municipality")
    return actor.municipality


def _record(actor: Actor, municipality: Municipality, what: str, detail: dict[str, Any]) -> None:
    """One audit row per page, report or export: who, in which role, with which filters. No
    person: the figures are aggregated (``audit_record`` takes ``person=None``)."""
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what=what,
        role=_audit_role(actor),
        municipality=municipality,
        detail=detail,
    )


def dashboard(*, actor: Actor, filters: IndicatorFilters, what: str) -> Dashboard:
    """Every indicator for ``filters``; the view (``what``: the page, the report, the CSV) is
    recorded once, with the filters."""
    municipality = _municipality(actor)
    scope = filters.scope(municipality.pk)
    window = filters.window
    # The costliest first, so that no connection is left with one of them at the end.
    items = sorted(indicators(), key=lambda item: item.key not in COSTLIEST)
    computed = run_all(items, lambda item: compute(item, scope, window))
    by_key = {item.key: result for item, result in zip(items, computed, strict=True)}
    results = [by_key[item.key] for item in indicators()]
    _record(actor, municipality, what, {**filters.as_detail(), "indicators": len(results)})
    user = actor.user
    return Dashboard(
        filters=filters,
        sections=_sections(results),
        municipality_name=municipality.name,
        made_at=timezone.now(),
        made_by=(user.get_full_name() or user.username) if user is not None else "",
    )


# --- One indicator's drill-down -------------------------------------------------------------------


@dataclass(frozen=True)
class DrillRow:
    label: str
    cell: ShownCell
    total: bool = False  # the row for the whole municipality (or every group)


@dataclass
class Drilldown:
    result: Result
    filters: IndicatorFilters
    by_unit: list[DrillRow]
    by_group: list[DrillRow]
    line_label: str
    municipality_name: str

    @property
    def indicator(self) -> Indicator:
        return self.result.indicator


def whole_window(window: Window) -> Window:
    """The same period as one bucket: the drill-down needs the whole period's figure only."""
    return Window(start=window.start, end=window.end, step=window.step, buckets=(window.whole,))


def _main_total(indicator: Indicator, scope: Scope, window: Window, line_key: str) -> ShownCell:
    line = main_line(indicator.run(scope, window), line_key)
    if line is None:
        return ShownCell(text=NOTHING, hidden="", kind="")
    return ShownCell.of(line.total)


def drilldown(*, actor: Actor, indicator: Indicator, filters: IndicatorFilters, what: str) -> Drilldown:
    """``indicator`` for ``filters``, and its main figure for the whole period for the whole
    municipality and per unit the actor may see (for the chosen target group), and for every
    target group together and each one (for the chosen unit). Persons can belong to several
    units and groups, so the rows do not add up and reveal nothing by subtraction. Recorded once
    (``what``: the page or the CSV), with the filters and the indicator."""
    municipality = _municipality(actor)
    result = compute(indicator, filters.scope(municipality.pk), filters.window)
    main = result.main
    line_key = main.key if main is not None else ""
    whole = whole_window(filters.window)
    today = timezone.localdate()
    units = list(unit_choices(actor=actor))
    everyone = Scope(municipality.pk, group=filters.group, today=today)
    by_unit = [DrillRow(_("Hele kommunen"), _main_total(indicator, everyone, whole, line_key), total=True)]
    by_unit += [
        DrillRow(
            unit.name, _main_total(indicator, filters.scope(municipality.pk, unit=unit), whole, line_key)
        )
        for unit in units
    ]
    every_group = Scope(municipality.pk, unit_id=filters.unit.pk if filters.unit else None, today=today)
    by_group = [
        DrillRow(_("Alle målgrupper"), _main_total(indicator, every_group, whole, line_key), total=True)
    ]
    by_group += [
        DrillRow(
            str(label), _main_total(indicator, filters.scope(municipality.pk, group=value), whole, line_key)
        )
        for value, label in TargetGroup.choices
    ]
    _record(
        actor, municipality, what, {**filters.as_detail(), "indicator": indicator.key, "units": len(units)}
    )
    return Drilldown(
        result=result,
        filters=filters,
        by_unit=by_unit,
        by_group=by_group,
        line_label=str(main.label) if main is not None else "",
        municipality_name=municipality.name,
    )

"""The population view (SPEC §4.1, §5): the municipality's risk pyramid from its latest scoring,
by age group and by target group, aggregated with small cells suppressed. No person data.

Suppression, the rules the tests pin down:

- a count from 1 to 4 is shown as «<5» (primary suppression); 0 is shown;
- a count that, with the totals, would reveal a hidden one is hidden too («skjult»,
  complementary suppression): in every line with a total (a row and its row total; a column and
  its column total where the rows split the population), a line with exactly one hidden member
  gets a second one — a count above zero that also mends another such line if there is one,
  else the smallest count above zero, else (every other count is 0) the line's total. A zero is
  never hidden: beside known zeros a hidden zero could pin the hidden count down. One cell at a
  time, until no line has a single hidden member;
- a row with the same counts in two tables (the target group «children» is the age group 0-17)
  hides the same cells in both, or one table would show what the other hides.

This stops every count being worked out exactly from one line's sum. It is not a full audit
against every combination of lines and bounds (which statistics offices do with linear
programming, e.g. τ-ARGUS); the tables are few and coarse, and the view shows no person.

The target groups may overlap (one person in several), so their table has row totals only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.overview.groups import TargetGroup
from oppfolging.risk import worklist_labels as labels
from oppfolging.risk.models import ScoreBatch
from oppfolging.risk.worklist_selectors import AGE_GROUPS, is_default_model, latest_batch

TIERS = (1, 2, 3, 4)
SMALLEST_SHOWN = 5
SMALL = "small"
COMPLEMENT = "complement"


@dataclass
class Cell:
    value: int
    hidden: str = ""  # "", SMALL or COMPLEMENT

    @property
    def display(self) -> str:
        if self.hidden == SMALL:
            return "<5"
        if self.hidden == COMPLEMENT:
            return _("skjult")
        return str(self.value)

    @property
    def shown(self) -> int | None:
        """The count when it may be shown, else ``None``."""
        return None if self.hidden else self.value


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]  # one per tier
    total: Cell


@dataclass
class Table:
    key: str
    caption: str
    heading: str  # the first column's header
    rows: list[Row]
    totals: Row | None = None  # the column totals, when the rows split the population

    @property
    def all_rows(self) -> list[Row]:
        return [*self.rows, *([self.totals] if self.totals else [])]


Line = tuple[list[Cell], Cell]  # the members of a line, and their total


def _hidden(line: Line) -> int:
    cells, total = line
    return sum(1 for cell in cells if cell.hidden) + (1 if total.hidden else 0)


def _complement(line: Line, needy: list[Line]) -> Cell | None:
    """The cell to hide beside the single hidden member of ``line``: a count above zero that
    also sits in another line with a single hidden member (one cell mends both), else the
    smallest count above zero, else the line's total."""
    cells, total = line
    elsewhere = {id(cell) for other in needy if other is not line for cell in (*other[0], other[1])}
    candidates = [cell for cell in cells if not cell.hidden and cell.value > 0]
    if not total.hidden and total.value > 0 and id(total) in elsewhere:
        candidates.append(total)
    if candidates:
        # min() keeps the first of equals: the lowest tier, the first row.
        return min(candidates, key=lambda cell: (id(cell) not in elsewhere, cell.value))
    return total if not total.hidden and total.value > 0 else None


def suppress(rows: list[Row], totals: Row | None) -> None:
    """Hide small counts and their complements in place (see the module's docstring). One
    hidden cell at a time: first where the total is the only choice, then line by line."""
    every = [cell for row in rows for cell in (*row.cells, row.total)]
    if totals is not None:
        every += [*totals.cells, totals.total]
    for cell in every:
        if 0 < cell.value < SMALLEST_SHOWN:
            cell.hidden = SMALL
    lines: list[Line] = [(row.cells, row.total) for row in rows]
    if totals is not None:
        lines.append((totals.cells, totals.total))
    if totals is not None and rows:
        lines += [([row.cells[i] for row in rows], totals.cells[i]) for i in range(len(TIERS))]
        lines.append(([row.total for row in rows], totals.total))
    stuck: set[int] = set()  # lines with nothing left to hide (only when totals do not add up)
    while needy := [line for line in lines if _hidden(line) == 1 and id(line) not in stuck]:
        forced = [line for line in needy if not any(c.value > 0 and not c.hidden for c in line[0])]
        line = (forced or needy)[0]
        chosen = _complement(line, needy)
        if chosen is None:
            stuck.add(id(line))
        else:
            chosen.hidden = COMPLEMENT


def _count(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _by_tier(counts: Any) -> list[int]:
    """Counts per tier from {"1": n, ...} (or a list of four counts)."""
    if isinstance(counts, Mapping):
        return [_count(counts.get(str(tier), counts.get(tier, 0))) for tier in TIERS]
    if isinstance(counts, Sequence) and not isinstance(counts, str):
        padded = [*counts, 0, 0, 0, 0]
        return [_count(v) for v in padded[: len(TIERS)]]
    return [0] * len(TIERS)


def _row(key: str, label: str, counts: list[int]) -> Row:
    return Row(key=key, label=label, cells=[Cell(n) for n in counts], total=Cell(sum(counts)))


def _age_label(key: str) -> str:
    group = next((g for g in AGE_GROUPS if g.key == key), None)
    return group.label if group is not None else key


def _group_label(key: str) -> str:
    return str(TargetGroup(key).label) if key in TargetGroup.values else key


def _ordered(keys: Mapping[str, Any], known: list[str]) -> list[str]:
    """``keys`` in the order of ``known``, any others after them by name (a JSON object's keys
    come back in another order from PostgreSQL's jsonb)."""
    names = [str(k) for k in keys]
    return [k for k in known if k in names] + sorted(k for k in names if k not in known)


def _tier_headers() -> list[str]:
    return [labels.tier_label(tier) for tier in TIERS]


@dataclass(frozen=True)
class PopulationView:
    batch: ScoreBatch
    tiers: Table  # one row: the whole population by tier
    by_age: Table | None
    by_group: Table | None

    @property
    def is_default_model(self) -> bool:
        return is_default_model(self.batch)

    @property
    def tier_headers(self) -> list[str]:
        return _tier_headers()

    @property
    def tables(self) -> list[Table]:
        return [t for t in (self.tiers, self.by_age, self.by_group) if t is not None]


def _align(tables: list[list[Row]]) -> bool:
    """Rows with the same counts in different tables (the target group «children» is the age
    group 0-17) must hide the same cells, or one would show what the other hides. Hides in each
    what the other hides; whether anything changed."""
    changed = False
    flat = [row for rows in tables for row in rows]
    for index, row in enumerate(flat):
        for other in flat[index + 1 :]:
            mine, theirs = [*row.cells, row.total], [*other.cells, other.total]
            if [c.value for c in mine] != [c.value for c in theirs]:
                continue
            for a, b in zip(mine, theirs, strict=True):
                if a.hidden != b.hidden and not (a.hidden and b.hidden):
                    a.hidden = b.hidden = a.hidden or b.hidden
                    changed = True
    return changed


def population_tables(pyramid: Mapping[str, Any]) -> tuple[Table, Table | None, Table | None]:
    """The three tables of a batch's ``pyramid``, suppressed. The whole population's row is the
    age table's totals row, so both show the same hidden cells; a row with the same counts in
    both tables hides the same cells in both."""
    whole = _row("all", _("Alle"), _by_tier(pyramid.get("tiers", {})))
    ages, groups = pyramid.get("by_age") or {}, pyramid.get("by_group") or {}
    age_rows: list[Row] = []
    if isinstance(ages, Mapping):
        age_rows = [
            _row(k, _age_label(k), _by_tier(ages[k])) for k in _ordered(ages, [g.key for g in AGE_GROUPS])
        ]
    group_rows: list[Row] = []
    if isinstance(groups, Mapping):
        group_rows = [
            _row(k, _group_label(k), _by_tier(groups[k])) for k in _ordered(groups, list(TargetGroup.values))
        ]
    suppress(age_rows, whole)
    suppress(group_rows, None)
    while _align([age_rows, group_rows]):
        suppress(age_rows, whole)
        suppress(group_rows, None)
    tiers = Table("tiers", _("Antall personer på hvert risikonivå"), _("Befolkning"), [whole])
    by_age = (
        Table("age", _("Risikonivå etter aldersgruppe"), _("Aldersgruppe"), age_rows, totals=whole)
        if age_rows
        else None
    )
    by_group = (
        Table("group", _("Risikonivå etter målgruppe"), _("Målgruppe"), group_rows) if group_rows else None
    )
    return tiers, by_age, by_group


def population_view(*, actor: Actor) -> PopulationView | None:
    """The latest batch's pyramid for the actor's municipality; the view is recorded (no
    person: the figures are aggregated)."""
    if actor.municipality is None:
        return None
    batch = latest_batch(actor.municipality.pk)
    if batch is None:
        return None
    tiers, by_age, by_group = population_tables(batch.pyramid or {})
    audit_record(
        actor=actor.user,
        action=AuditAction.VIEW,
        what="risk.population",
        role=",".join(sorted(r.value for r in actor.roles if r.value in {"ke_staff", "leader"})),
        municipality=actor.municipality,
        object_uuid=batch.uuid,
    )
    return PopulationView(batch=batch, tiers=tiers, by_age=by_age, by_group=by_group)


def csv_rows(view: PopulationView) -> list[list[str]]:
    """The same tables, suppressed the same way, as CSV rows: table, row, the tiers, total."""
    header = [_("Tabell"), _("Gruppe"), *_tier_headers(), _("Totalt")]
    rows = [header]
    for table in view.tables:
        for row in table.all_rows:
            label = _("Totalt") if row is table.totals else row.label
            rows.append([table.caption, label, *(cell.display for cell in row.cells), row.total.display])
    return rows

"""The indicators' tables as CSV, written exactly as the pages show them: a hidden figure is
exported as «<5» or «skjult», never as its number. One row per line of an indicator, with a
column per month or quarter and the whole period last; the drill-down's rows (per unit and per
target group) carry the whole period's figure only.

Semicolons and a byte order mark, so that spreadsheet programs set to Norwegian open the file
as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from oppfolging.indicators.selectors import Dashboard, Drilldown, IndicatorFilters, Result

BOM = "\ufeff"


def _header(filters: IndicatorFilters) -> list[str]:
    window = filters.window
    return [
        _("Seksjon"),
        _("Indikator"),
        _("Nøkkel"),
        _("Type"),
        _("Omfang"),
        _("Linje"),
        *(bucket.label for bucket in window.buckets),
        str(window.whole.label),
    ]


def _result_rows(result: Result, section: str, scope: str) -> list[list[str]]:
    indicator = result.indicator
    lead = [section, str(indicator.name), indicator.key, result.kind_label, scope]
    return [[*lead, row.label, *(cell.text for cell in row.cells)] for row in result.rows]


def dashboard_rows(view: Dashboard) -> list[list[str]]:
    rows = [_header(view.filters)]
    scope = view.filters.scope_label
    for section in view.sections:
        for result in section.results:
            rows.extend(_result_rows(result, section.title, scope))
    return rows


def drilldown_rows(view: Drilldown) -> list[list[str]]:
    """The indicator's table, then its main figure for the whole period per unit and per target
    group: the scope column names the unit or group, the bucket columns are empty."""
    rows = [_header(view.filters)]
    result = view.result
    rows.extend(_result_rows(result, result.section, view.filters.scope_label))
    indicator = result.indicator
    blanks = [""] * len(view.filters.window.buckets)
    group = view.filters.group_label
    unit = view.filters.unit.name if view.filters.unit else ""
    for drill in view.by_unit:
        scope = ", ".join(part for part in (drill.label, group) if part)
        rows.append(
            [
                _("Per enhet"),
                str(indicator.name),
                indicator.key,
                result.kind_label,
                scope,
                view.line_label,
                *blanks,
                drill.cell.text,
            ]
        )
    for drill in view.by_group:
        scope = ", ".join(part for part in (unit, drill.label) if part)
        rows.append(
            [
                _("Per målgruppe"),
                str(indicator.name),
                indicator.key,
                result.kind_label,
                scope,
                view.line_label,
                *blanks,
                drill.cell.text,
            ]
        )
    return rows


def write(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def filename(filters: IndicatorFilters, key: str = "") -> str:
    window = filters.window
    name = f"indikatorer-{key}-" if key else "indikatorer-"
    return f"{name}{window.start:%Y-%m}-{window.end:%Y-%m}.csv".replace("_", "-")

"""How a cell is written on the pages, in the report, in the chart's text alternative and in the
CSV: one function each, so that a hidden figure reads the same everywhere and its number never
reaches any of them.

- a count: «12»; a share: «63 % (12 av 19)»; a statistic: «14 dager» (its unit in words);
- a count from 1 to 4: «<5»;
- a hidden share, whatever the reason (a small numerator, denominator or complement), and a
  statistic over fewer than five: «skjult». One word for every reason, and the reason never in
  the page: «skjult» beside a shown denominator of 6 would otherwise tell that 5 of 6 had it
  (a complement of 1), where «<5» would tell that at most 4 had;
- nothing to show (a share of none, a statistic with no values): a dash.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oppfolging.indicators.base import Cell

NOTHING = "–"  # noqa: RUF001 - an en dash, as the other tables write an empty cell


def _unit_forms(unit: str, count: int) -> str:
    """A statistic's unit (Cell.unit) in words, singular or plural; an unknown unit as given."""
    if unit in {"day", "days"}:
        return ngettext("dag", "dager", count)
    if unit == "hours":
        return ngettext("time", "timer", count)
    if unit == "points":
        return ngettext("poeng", "poeng", count)
    if unit == "persons":
        return ngettext("person", "personer", count)
    if unit == "years":
        return ngettext("år", "år", count)
    if unit == "admissions":
        return ngettext("innleggelse", "innleggelser", count)
    if unit in {"bed_days", "bed days"}:
        return ngettext("liggedøgn", "liggedøgn", count)
    return unit


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, Decimal | int | float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def number(value: float) -> str:
    """A whole number without decimals, any other with one (in the language's own notation)."""
    if float(value).is_integer():
        return number_format(int(value), use_l10n=True, force_grouping=True)
    return number_format(round(value, 1), decimal_pos=1, use_l10n=True, force_grouping=True)


def percent(value: float) -> str:
    """A share as a whole percentage, halves rounded up."""
    return _("%(value)s %%") % {"value": math.floor(value * 100 + 0.5)}


def unit_words(unit: str, value: float) -> str:
    return _unit_forms(unit, 1 if float(value) == 1 else 2) if unit else ""


def hidden_reason(cell: Cell) -> str:
    """Why the cell is hidden, as far as the page may tell: "small" for a count from 1 to 4,
    "hidden" for anything else hidden, "" when shown (see the module docstring)."""
    if not cell.hidden:
        return ""
    return "small" if cell.kind == "count" and cell.hidden == "small" else "hidden"


def hidden_text(cell: Cell) -> str:
    return "<5" if hidden_reason(cell) == "small" else _("skjult")


def cell_text(cell: Cell) -> str:
    """The cell as it is shown in a table and exported."""
    if cell.hidden:
        return hidden_text(cell)
    value = _number(cell.value)
    if value is None:
        return NOTHING
    if cell.kind == "share":
        return _("%(percent)s (%(numerator)s av %(denominator)s)") % {
            "percent": percent(value),
            "numerator": number(cell.numerator or 0),
            "denominator": number(cell.denominator or 0),
        }
    if cell.kind == "stat":
        words = unit_words(cell.unit, value)
        return f"{number(value)} {words}".strip()
    return number(value)


def cell_short(cell: Cell) -> str:
    """The cell in as few characters as possible: the chart's label over a bar."""
    if cell.hidden:
        return hidden_text(cell)
    value = _number(cell.value)
    if value is None:
        return NOTHING
    if cell.kind == "share":
        return percent(value)
    return number(value)


def cell_words(cell: Cell) -> str:
    """The cell read aloud: the chart's text alternative."""
    if hidden_reason(cell) == "small":
        return _("færre enn 5")
    if cell.hidden:
        return _("skjult")
    if _number(cell.value) is None:
        return _("ingen å regne ut fra")
    return cell_text(cell)


def cell_value(cell: Cell) -> float | None:
    """The number a chart draws, or None (hidden, or nothing to show)."""
    if not cell.shown:
        return None
    value = _number(cell.value)
    if value is None:
        return None
    return value * 100 if cell.kind == "share" else value


@dataclass(frozen=True)
class ShownCell:
    """A cell ready for a template: its text and, when hidden, why."""

    text: str
    hidden: str
    kind: str

    @classmethod
    def of(cls, cell: Cell) -> ShownCell:
        return cls(text=cell_text(cell), hidden=hidden_reason(cell), kind=cell.kind)

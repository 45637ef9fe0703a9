"""An indicator's trend as server-rendered SVG: its main line per month or quarter, as bars for
counts and shares and as points joined by a line for statistics (a median is not an amount to
stack). A hidden figure is drawn as a gap with «<5» or «skjult» where its bar would be, so the
chart shows no more than the table does.

``role="img"`` with ``<title>`` and ``<desc>`` is the text alternative; the description reads
every figure in words, and the table beside the chart holds the same figures. Every text reaching
the markup goes through :func:`django.utils.html.format_html` (escaped).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from oppfolging.indicators.base import Cell, Step
from oppfolging.indicators.display import cell_short, cell_value, cell_words, number

if TYPE_CHECKING:
    from oppfolging.indicators.selectors import Result

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 24, 44
TICKS = 4  # intervals on the y axis
MIN_LABEL_SLOT = 64  # px per x label: fewer labels when the buckets are narrower
# The look of each part: the class the page's stylesheet styles (theme colours, forced colours),
# and presentation attributes for where that stylesheet is absent (the PDF: WeasyPrint does
# not apply an HTML stylesheet's fill and stroke to inline SVG). CSS wins over the attributes.
PAINT = {
    "grid": 'class="app-ind-chart__grid" stroke="#c9ced6" stroke-width="1"',
    "axis": 'class="app-ind-chart__axis" stroke="#68707c" stroke-width="1.5"',
    "tick": 'class="app-ind-chart__tick" fill="#4b5260" font-size="12"',
    "bar": 'class="app-ind-chart__bar" fill="#1e4b8f"',
    "line": 'class="app-ind-chart__line" fill="none" stroke="#1e4b8f" stroke-width="3"',
    "point": 'class="app-ind-chart__point" fill="#1e4b8f"',
    "value": 'class="app-ind-chart__value" fill="#111111" font-size="12"',
    "gap": 'class="app-ind-chart__gap" fill="#4b5260" font-size="12" font-style="italic"',
    "none": 'class="app-ind-chart__none" fill="#4b5260" font-size="12" font-style="italic"',
}


def _paint(part: str) -> SafeString:
    return mark_safe(PAINT[part])  # noqa: S308 - constants of this module


ROTATE_ABOVE = 12  # more buckets than this: no figures over the bars, and «<5» stands on end


def _n(value: float) -> str:
    return f"{value:.1f}"


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least ``raw``."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw - 1e-9:
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def y_scale(kind: str, values: list[float | None]) -> tuple[float, float]:
    """The top of the y axis and the distance between its ticks: 0-100 % for shares, else
    from zero to a round number above the largest shown value (whole numbers for counts)."""
    if kind == "share":
        return 100.0, 25.0
    largest = max([value for value in values if value is not None] + [0.0])
    step = nice_step(largest / TICKS)
    if kind == "count":
        step = max(1.0, math.ceil(step))
    return step * TICKS, step


def _tick_label(kind: str, value: float) -> str:
    return f"{number(value)} %" if kind == "share" else number(value)


def _description(result: Result, cells: list[Cell], total: Cell, label: str) -> str:
    window = result.window
    per = _("per kvartal") if window.step == Step.QUARTER else _("per måned")
    figures = "; ".join(
        f"{bucket.label}: {cell_words(cell)}" for bucket, cell in zip(window.buckets, cells, strict=True)
    )
    text = _("%(line)s, %(per)s: %(figures)s. Hele perioden: %(total)s.") % {
        "line": label,
        "per": per,
        "figures": figures,
        "total": cell_words(total),
    }
    if any(cell.hidden for cell in cells):
        text += " " + _("Små tall er skjult og vises som et tomrom merket «<5» eller «skjult».")
    return f"{text} {_('Alle tallene står i tabellen.')}"


def _figure(x: float, y: float, text: str, part: str, rotate: bool) -> SafeString:
    if rotate:
        return format_html(
            '<text {} x="{}" y="{}" text-anchor="start" transform="rotate(-90 {} {})">{}</text>',
            _paint(part),
            _n(x + 4),
            _n(y),
            _n(x + 4),
            _n(y),
            text,
        )
    return format_html(
        '<text {} x="{}" y="{}" text-anchor="middle">{}</text>', _paint(part), _n(x), _n(y), text
    )


def trend_chart(result: Result) -> SafeString:
    """The chart of ``result``'s main line (empty when the indicator has no line)."""
    main = result.main
    if main is None or not main.cells:
        return mark_safe("")
    cells = list(main.cells)
    kind = cells[0].kind
    values = [cell_value(cell) for cell in cells]
    top, step = y_scale(kind, values)
    inner_w = WIDTH - LEFT - RIGHT
    inner_h = HEIGHT - TOP - BOTTOM
    base = TOP + inner_h
    slot = inner_w / len(cells)
    rotate = len(cells) > ROTATE_ABOVE

    def y_of(value: float) -> float:
        return base - inner_h * min(value, top) / top if top else base

    def x_of(index: int) -> float:
        return LEFT + slot * (index + 0.5)

    grid = format_html_join(
        "",
        '<line {} x1="{}" x2="{}" y1="{}" y2="{}"/><text {} x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (
                _paint("grid"),
                LEFT,
                WIDTH - RIGHT,
                _n(y_of(step * i)),
                _n(y_of(step * i)),
                _paint("tick"),
                LEFT - 6,
                _n(y_of(step * i) + 4),
                _tick_label(kind, step * i),
            )
            for i in range(TICKS + 1)
        ),
    )
    every = max(1, math.ceil(MIN_LABEL_SLOT / slot))
    x_labels = format_html_join(
        "",
        '<text {} x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (_paint("tick"), _n(x_of(i)), base + 18, bucket.label)
            for i, bucket in enumerate(result.window.buckets)
            if i % every == 0
        ),
    )
    marks: list[SafeString] = []
    if kind == "stat":
        segment: list[tuple[float, float]] = []
        segments = [segment]
        for index, value in enumerate(values):
            if value is None:
                segment = []
                segments.append(segment)
                continue
            segment.append((x_of(index), y_of(value)))
        for part in segments:
            if len(part) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in part)
                marks.append(format_html('<polyline {} points="{}"/>', _paint("line"), points))
            marks.extend(
                format_html('<circle {} cx="{}" cy="{}" r="4"/>', _paint("point"), _n(x), _n(y))
                for x, y in part
            )
    bar_w = min(slot * 0.6, 56.0)
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        x = x_of(index)
        if value is None:
            css = "gap" if cell.hidden else "none"
            marks.append(_figure(x, base - 6, cell_short(cell), css, rotate))
            continue
        y = y_of(value)
        if kind != "stat" and base - y > 0:
            marks.append(
                format_html(
                    '<rect {} x="{}" y="{}" width="{}" height="{}"/>',
                    _paint("bar"),
                    _n(x - bar_w / 2),
                    _n(y),
                    _n(bar_w),
                    _n(base - y),
                )
            )
        if not rotate:  # with many buckets the table alone holds the figures
            marks.append(_figure(x, y - 6, cell_short(cell), "value", rotate=False))
    prefix = f"chart-{result.key}"
    return format_html(
        '<svg class="app-ind-chart__svg" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{p}-title {p}-desc" focusable="false">'
        '<title id="{p}-title">{title}</title><desc id="{p}-desc">{desc}</desc>'
        "{grid}"
        '<line {axis} x1="{l}" x2="{l}" y1="{t}" y2="{b}"/>'
        '<line {axis} x1="{l}" x2="{r}" y1="{b}" y2="{b}"/>'
        "{x_labels}{marks}</svg>",
        w=WIDTH,
        h=HEIGHT,
        p=prefix,
        title=f"{result.indicator.name}: {main.label}",
        desc=_description(result, cells, main.total, str(main.label)),
        grid=grid,
        axis=_paint("axis"),
        l=LEFT,
        r=WIDTH - RIGHT,
        t=TOP,
        b=_n(base),
        x_labels=x_labels,
        marks=mark_safe("".join(marks)),  # noqa: S308 - every mark was built by format_html
    )

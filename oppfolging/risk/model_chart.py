"""The calibration chart as server-rendered SVG: for each tenth of persons ordered by predicted
risk, the mean predicted risk (x) against the share who were admitted (y). Points on the
diagonal are well calibrated; above it the model predicts too low, below too high.

The fitted and the default model are drawn on the same held-out persons, told apart by point
shape and dash as well as colour; ``role="img"`` with ``<title>``/``<desc>`` gives the text
alternative, and the page shows every number in a table. Texts go through ``format_html``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 64, 30, 14, 44
NICE_TOPS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0]
TICK_STEPS = [0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2]
MAX_TICKS = 6


@dataclass(frozen=True)
class Series:
    label: str
    deciles: Sequence[dict[str, Any]]  # {"mean_predicted", "observed", ...}
    css: str  # "app-chart__line--0" ...
    shape: str  # "circle" or "square"
    dash: str = ""


@dataclass(frozen=True)
class CalibrationChart:
    svg: SafeString
    legend: list[tuple[str, SafeString]]


def _n(value: float) -> str:
    return f"{value:.1f}"


def nice_top(values: Sequence[float]) -> float:
    largest = max([v for v in values if math.isfinite(v)] or [0.0])
    return next((top for top in NICE_TOPS if largest <= top), 1.0)


def _pct(value: float) -> str:
    percent = round(value * 100, 1)
    if percent == int(percent):
        return f"{int(percent)} %"
    return f"{number_format(percent, decimal_pos=1)} %"


def ticks(top: float) -> list[float]:
    """Round steps from 0 to ``top``, at most ``MAX_TICKS`` of them after 0."""
    step = next((s for s in TICK_STEPS if top / s <= MAX_TICKS + 1e-9), top)
    count = round(top / step)
    return [round(i * step, 6) for i in range(count + 1)]


def _point(shape: str, x: float, y: float, css: str) -> SafeString:
    if shape == "square":
        return format_html(
            '<rect class="{}" x="{}" y="{}" width="7" height="7"/>', css, _n(x - 3.5), _n(y - 3.5)
        )
    return format_html('<circle class="{}" cx="{}" cy="{}" r="4"/>', css, _n(x), _n(y))


def _draw(series: Series, points: list[tuple[float, float]]) -> SafeString:
    css = f"app-chart__line {series.css}"
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts = [
        format_html(
            '<polyline class="{}" points="{}" fill="none"{}/>',
            css,
            line,
            format_html(' stroke-dasharray="{}"', series.dash) if series.dash else "",
        )
    ]
    parts.extend(_point(series.shape, x, y, css) for x, y in points)
    return mark_safe("".join(parts))  # noqa: S308 - each part was built by format_html


def _sample(series: Series) -> SafeString:
    return format_html(
        '<svg class="app-chart__sample" viewBox="0 0 36 14" width="36" height="14" aria-hidden="true" '
        'focusable="false">{}</svg>',
        _draw(series, [(6.0, 7.0), (30.0, 7.0)]),
    )


def build_calibration_chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    id_prefix: str = "calibration",
) -> CalibrationChart:
    values = [float(d[k]) for s in series for d in s.deciles for k in ("mean_predicted", "observed")]
    top = nice_top(values)
    inner_w = WIDTH - LEFT - RIGHT
    inner_h = HEIGHT - TOP - BOTTOM

    def x(value: float) -> float:
        return LEFT + inner_w * min(value, top) / top

    def y(value: float) -> float:
        return TOP + inner_h * (1 - min(value, top) / top)

    grid = format_html_join(
        "",
        '<line class="app-chart__grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="app-chart__tick" x="{}" y="{}" text-anchor="end">{}</text>'
        '<text class="app-chart__tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (
                LEFT,
                WIDTH - RIGHT,
                _n(y(t)),
                _n(y(t)),
                LEFT - 6,
                _n(y(t) + 4),
                _pct(t),
                _n(x(t)),
                HEIGHT - BOTTOM + 18,
                _pct(t),
            )
            for t in ticks(top)
        ),
    )
    drawn = mark_safe(  # noqa: S308 - built by format_html
        "".join(
            str(_draw(s, [(x(float(d["mean_predicted"])), y(float(d["observed"]))) for d in s.deciles]))
            for s in series
        )
    )
    svg = format_html(
        '<svg class="app-chart__svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{p}-title {p}-desc" '
        'focusable="false"><title id="{p}-title">{title}</title><desc id="{p}-desc">{desc}</desc>'
        '<line class="app-chart__axis" x1="{l}" x2="{l}" y1="{t}" y2="{b}"/>'
        '<line class="app-chart__axis" x1="{l}" x2="{r}" y1="{b}" y2="{b}"/>'
        "{grid}"
        '<line class="app-chart__grid" x1="{l}" y1="{b}" x2="{r}" y2="{t}" stroke-dasharray="3 3"/>'
        '<text class="app-chart__tick" x="{mid_x}" y="{h_minus}" text-anchor="middle">{x_label}</text>'
        '<text class="app-chart__tick" x="12" y="{mid_y}" text-anchor="middle" '
        'transform="rotate(-90 12 {mid_y})">{y_label}</text>'
        "{drawn}</svg>",
        w=WIDTH,
        h=HEIGHT,
        p=id_prefix,
        title=title,
        desc=description,
        l=LEFT,
        r=WIDTH - RIGHT,
        t=TOP,
        b=HEIGHT - BOTTOM,
        grid=grid,
        mid_x=_n(LEFT + inner_w / 2),
        mid_y=_n(TOP + inner_h / 2),
        h_minus=HEIGHT - 4,
        x_label=x_label,
        y_label=y_label,
        drawn=drawn,
    )
    return CalibrationChart(svg=svg, legend=[(s.label, _sample(s)) for s in series])

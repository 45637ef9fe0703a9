"""The PSFS chart as server-rendered SVG: dates along x, scores 0-10 up y, one thick line for the
mean and a thin line for each activity. Lines differ by dash pattern and point shape as well as
colour, so the chart is not read by colour alone; ``role="img"`` with ``<title>`` and ``<desc>``
gives it a text alternative, and the page shows the numbers in a table beside it.

Every text that reaches the markup goes through :func:`django.utils.html.format_html` (escaped).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from oppfolging.function.selectors import FunctionSeries
    from oppfolging.people.models import Person

WIDTH = 400
HEIGHT = 250
LEFT, RIGHT, TOP, BOTTOM = 34, 14, 14, 38
MAX_X_LABELS = 5
# Thin activity lines: a dash pattern and a point shape each, besides the colour (CSS class).
DASHES = ["6 4", "2 4", "10 4 2 4", "1 3", "8 3 3 3"]
SHAPES = ["square", "triangle", "diamond", "cross", "circle"]


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[float | None]  # one per date; None where it was not scored
    is_mean: bool = False


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    legend: list[tuple[str, SafeString]]  # (label, a small sample of the line's look)


def _n(value: float) -> str:
    return f"{value:.1f}"


def _x(index_day: float, first: float, span: float) -> float:
    inner = WIDTH - LEFT - RIGHT
    if span <= 0:
        return LEFT + inner / 2
    return LEFT + inner * (index_day - first) / span


def _y(value: float) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return TOP + inner * (1 - value / 10)


def _marker(shape: str, x: float, y: float, css: str) -> SafeString:
    if shape == "square":
        return format_html('<rect class="{}" x="{}" y="{}" width="6" height="6"/>', css, _n(x - 3), _n(y - 3))
    if shape == "triangle":
        points = f"{x:.1f},{y - 4:.1f} {x + 4:.1f},{y + 3:.1f} {x - 4:.1f},{y + 3:.1f}"
        return format_html('<polygon class="{}" points="{}"/>', css, points)
    if shape == "diamond":
        points = f"{x:.1f},{y - 4:.1f} {x + 4:.1f},{y:.1f} {x:.1f},{y + 4:.1f} {x - 4:.1f},{y:.1f}"
        return format_html('<polygon class="{}" points="{}"/>', css, points)
    if shape == "cross":
        path = (
            f"M{x - 3:.1f},{y - 3:.1f}L{x + 3:.1f},{y + 3:.1f}"
            f"M{x - 3:.1f},{y + 3:.1f}L{x + 3:.1f},{y - 3:.1f}"
        )
        return format_html('<path class="{} app-chart__cross" d="{}"/>', css, path)
    return format_html('<circle class="{}" cx="{}" cy="{}" r="3"/>', css, _n(x), _n(y))


def _segments(xs: Sequence[float], values: Sequence[float | None]) -> list[list[tuple[float, float]]]:
    """The line breaks where an activity was not scored."""
    segments: list[list[tuple[float, float]]] = [[]]
    for x, value in zip(xs, values, strict=True):
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append((x, _y(value)))
    return [segment for segment in segments if segment]


def _css(is_mean: bool, number: int) -> str:
    return "app-chart__mean" if is_mean else f"app-chart__line app-chart__line--{number % len(DASHES)}"


def _draw(is_mean: bool, number: int, segments: list[list[tuple[float, float]]]) -> SafeString:
    css = _css(is_mean, number)
    parts = []
    for segment in segments:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
        if is_mean:
            parts.append(format_html('<polyline class="{}" points="{}" fill="none"/>', css, points))
        else:
            parts.append(
                format_html(
                    '<polyline class="{}" points="{}" fill="none" stroke-dasharray="{}"/>',
                    css,
                    points,
                    DASHES[number % len(DASHES)],
                )
            )
        for x, y in segment:
            if is_mean:
                parts.append(format_html('<circle class="{}" cx="{}" cy="{}" r="5"/>', css, _n(x), _n(y)))
            else:
                parts.append(_marker(SHAPES[number % len(SHAPES)], x, y, css))
    return mark_safe("".join(parts))  # noqa: S308 - every part was built by format_html


def _sample(is_mean: bool, number: int) -> SafeString:
    """The legend's sample of a line: the same stroke and point shape, 36 x 14."""
    return format_html(
        '<svg class="app-chart__sample" viewBox="0 0 36 14" width="36" height="14" aria-hidden="true" '
        'focusable="false">{}</svg>',
        _draw(is_mean, number, [[(6.0, 7.0), (30.0, 7.0)]]),
    )


def build_chart(
    *,
    dates: Sequence[datetime.date],
    date_labels: Sequence[str],
    lines: Sequence[Line],
    title: str,
    description: str,
    id_prefix: str = "psfs-chart",
) -> Chart:
    """The SVG for ``lines`` over ``dates`` (ascending; ``date_labels`` are how to write them).
    ``title`` and ``description`` are the text alternative."""
    ordinals = [day.toordinal() for day in dates]
    first = float(ordinals[0]) if ordinals else 0.0
    span = float(ordinals[-1] - ordinals[0]) if ordinals else 0.0
    xs = [_x(float(o), first, span) for o in ordinals]
    grid = format_html_join(
        "",
        '<line class="app-chart__grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="app-chart__tick" x="{}" y="{}" text-anchor="end">{}</text>',
        ((LEFT, WIDTH - RIGHT, _n(_y(v)), _n(_y(v)), LEFT - 6, _n(_y(v) + 4), v) for v in range(0, 11, 2)),
    )
    shown = _label_indexes(len(xs))
    x_labels = format_html_join(
        "",
        '<text class="app-chart__tick" x="{}" y="{}" text-anchor="{}">{}</text>',
        ((_n(xs[i]), HEIGHT - BOTTOM + 18, _anchor(i, len(xs)), date_labels[i]) for i in shown),
    )
    activity_lines = [line for line in lines if not line.is_mean]
    mean_lines = [line for line in lines if line.is_mean]
    drawn = mark_safe(  # noqa: S308 - each line was built by format_html
        "".join(_draw(False, n, _segments(xs, line.values)) for n, line in enumerate(activity_lines))
        + "".join(_draw(True, 0, _segments(xs, line.values)) for line in mean_lines)
    )
    svg = format_html(
        '<svg class="app-chart__svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{p}-title {p}-desc" '
        'focusable="false"><title id="{p}-title">{title}</title><desc id="{p}-desc">{desc}</desc>'
        '<line class="app-chart__axis" x1="{l}" x2="{l}" y1="{t}" y2="{b}"/>'
        '<line class="app-chart__axis" x1="{l}" x2="{r}" y1="{b}" y2="{b}"/>'
        "{grid}{x_labels}{drawn}</svg>",
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
        x_labels=x_labels,
        drawn=drawn,
    )
    legend = [(line.label, _sample(True, 0)) for line in mean_lines] + [
        (line.label, _sample(False, n)) for n, line in enumerate(activity_lines)
    ]
    return Chart(svg=svg, legend=legend)


def _label_indexes(count: int) -> list[int]:
    """Which dates get a label: all when few, else the first, the last and some evenly between."""
    if count <= MAX_X_LABELS:
        return list(range(count))
    step = (count - 1) / (MAX_X_LABELS - 1)
    return sorted({round(i * step) for i in range(MAX_X_LABELS)})


def _anchor(index: int, count: int) -> str:
    if count == 1:
        return "middle"
    if index == 0:
        return "start"
    return "end" if index == count - 1 else "middle"


def chart_for(series: FunctionSeries, person: Person, *, id_prefix: str = "psfs-chart") -> Chart | None:
    """The chart of a person's series, with its text alternative in the current language; none
    before the first measurement."""
    rows = series.rows
    if not rows:
        return None
    dates = [row.measurement.measured_on for row in rows]
    labels = [date_format(day, "SHORT_DATE_FORMAT") for day in dates]
    lines = [
        Line(label=str(_("Gjennomsnitt")), values=[row.mean_value for row in rows], is_mean=True),
        *(
            Line(label=activity.text, values=[row.cells[index].score for row in rows])
            for index, activity in enumerate(series.columns)
        ),
    ]
    first, last = rows[0], rows[-1]
    if len(rows) == 1:
        description = _("Én måling, %(date)s: gjennomsnitt %(mean)s av 10.") % {
            "date": labels[0],
            "mean": number_format(round(first.mean_value or 0, 2)),
        }
    else:
        description = _(
            "%(count)s målinger. Gjennomsnittet gikk fra %(first)s den %(first_date)s til %(last)s den "
            "%(last_date)s."
        ) % {
            "count": len(rows),
            "first": number_format(round(first.mean_value or 0, 2)),
            "first_date": labels[0],
            "last": number_format(round(last.mean_value or 0, 2)),
            "last_date": labels[-1],
        }
    if last.is_real_change:
        description += " " + str(_("Det er en reell endring fra utgangspunktet."))
    description += " " + str(_("Alle tallene står i tabellen."))
    return build_chart(
        dates=dates,
        date_labels=labels,
        lines=lines,
        title=str(_("«Hva er viktig for deg?»: skår over tid for %(name)s") % {"name": person.full_name}),
        description=str(description),
        id_prefix=id_prefix,
    )

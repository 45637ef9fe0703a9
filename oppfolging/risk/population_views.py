"""The population view for KE and leaders: the risk pyramid as a server-rendered SVG with a text
alternative, the numbers in tables, and the same tables as CSV. Aggregated counts only, with
small cells suppressed (:mod:`oppfolging.risk.population_selectors`)."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import permission
from oppfolging.risk import population_selectors as selectors
from oppfolging.risk import worklist_labels as labels
from oppfolging.risk.access import POPULATION_READER

WIDTH = 560
BAR_HEIGHT = 44
GAP = 8
LABEL_WIDTH = 200
MIN_BAR = 6  # a hidden or tiny count still shows as a sliver


def pyramid_svg(view: selectors.PopulationView) -> SafeString:
    """Tier 4 on top, tier 1 at the bottom; each bar centred, its width the tier's share of the
    largest tier (a hidden count is drawn as a dashed sliver and labelled «<5» or «skjult»).
    ``role="img"`` with ``<title>`` and ``<desc>`` is the text alternative; the table below the
    chart holds the same numbers."""
    cells = view.tiers.rows[0].cells
    largest = max([cell.value for cell in cells if not cell.hidden] + [1])
    inner = WIDTH - LABEL_WIDTH - 70
    centre = LABEL_WIDTH + inner / 2
    bars = []
    for index, tier in enumerate(reversed(selectors.TIERS)):
        cell = cells[tier - 1]
        width = MIN_BAR if cell.hidden else max(MIN_BAR, inner * cell.value / largest)
        y = GAP + index * (BAR_HEIGHT + GAP)
        bars.append(
            (
                tier,
                " app-pyramid__bar--hidden" if cell.hidden else "",
                f"{centre - width / 2:.1f}",
                f"{y:.1f}",
                f"{width:.1f}",
                BAR_HEIGHT,
                f"{y + BAR_HEIGHT / 2 + 5:.1f}",
                labels.tier_label(tier),
                f"{centre + width / 2 + 8:.1f}",
                f"{y + BAR_HEIGHT / 2 + 5:.1f}",
                cell.display,
            )
        )
    height = GAP + len(bars) * (BAR_HEIGHT + GAP)
    description = "; ".join(f"{labels.tier_label(t)}: {cells[t - 1].display}" for t in selectors.TIERS)
    body = format_html_join(
        "",
        '<rect class="app-pyramid__bar app-pyramid__bar--{}{}" x="{}" y="{}" width="{}" height="{}" rx="3"/>'
        '<text class="app-pyramid__label" x="8" y="{}">{}</text>'
        '<text class="app-pyramid__count" x="{}" y="{}">{}</text>',
        bars,
    )
    return format_html(
        '<svg class="app-pyramid__svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="pyramid-title pyramid-desc">'
        '<title id="pyramid-title">{}</title><desc id="pyramid-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        _("Risikopyramiden"),
        description,
        body,
    )


@permission(POPULATION_READER)
@require_http_methods(["GET"])
def population(request: HttpRequest) -> HttpResponse:
    view = selectors.population_view(actor=actor_of(request))
    context = {"view": view, "pyramid": pyramid_svg(view) if view is not None else ""}
    return render(request, "risk/population/pyramid.html", context)


@permission(POPULATION_READER)
@require_http_methods(["GET"])
def population_csv(request: HttpRequest) -> HttpResponse:
    view = selectors.population_view(actor=actor_of(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    day = date_format(view.batch.computed_on, "Y-m-d") if view is not None else "ingen"
    response["Content-Disposition"] = f'attachment; filename="risikopyramide-{day}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    if view is not None:
        writer.writerows(selectors.csv_rows(view))
    return response

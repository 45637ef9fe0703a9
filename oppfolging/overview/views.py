"""KE's overview page: parse the filters, call the selector, render. The selector audits the
page view once per request."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import KE_ONLY, permission
from oppfolging.overview import selectors
from oppfolging.overview.forms import OverviewFilterForm
from oppfolging.overview.groups import GROUP_HELP, STAGE_HELP, Stage, TargetGroup


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@permission(KE_ONLY)
@require_http_methods(["GET"])
def ke_overview(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = OverviewFilterForm(request.GET or None, units=selectors.unit_choices(actor=actor))
    filters = form.filters()
    page = selectors.overview_page(actor=actor, filters=filters, page=_page_number(request))
    return render(
        request,
        "overview/ke_overview.html",
        {
            "form": form,
            "page": page,
            "filtered": filters != selectors.OverviewFilters(),
            "group_help": [(TargetGroup(key).label, text) for key, text in GROUP_HELP.items()],
            "stage_help": [(Stage(key).label, text) for key, text in STAGE_HELP.items()],
        },
    )

"""The follow-up pages: the coordinator's day, the board view and the user's notices. Thin: the
reads are in the selectors, the writes in the services."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import STAFF, permission
from oppfolging.followup import notice_services
from oppfolging.followup.board_selectors import board, board_units
from oppfolging.followup.day_selectors import coordinator_day


@permission(STAFF)
@require_http_methods(["GET"])
def day(request: HttpRequest) -> HttpResponse:
    rows = coordinator_day(actor=actor_of(request))
    return render(request, "followup/day.html", {"rows": rows})


@permission(STAFF)
@require_http_methods(["GET"])
def board_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    chosen = request.GET.get("unit", "")
    units = board_units(actor)
    unit = next((u for u in units if str(u.uuid) == chosen), None)
    page = board(actor=actor, unit=unit)
    return render(request, "followup/board.html", {"board": page})


@permission(STAFF)
@require_http_methods(["GET"])
def notices(request: HttpRequest) -> HttpResponse:
    items = notice_services.notice_list(actor=actor_of(request))
    return render(request, "followup/notices.html", {"notices": items})


@permission(STAFF)
@require_http_methods(["POST"])
def notice_read(request: HttpRequest, notice_uuid: uuid.UUID) -> HttpResponse:
    """Mark the notice read; with ``open`` go on to what it is about."""
    notice = notice_services.notice_read(actor=actor_of(request), notice_uuid=notice_uuid)
    target = notice.url
    if (
        request.POST.get("open")
        and target
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return redirect(target)
    return redirect("followup:notices")

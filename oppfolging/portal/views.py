from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import CITIZEN, permission
from oppfolging.portal import selectors


@permission(CITIZEN)
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """The person's own page, and for a guardian the children they are guardian of."""
    return render(request, "portal/home.html", selectors.portal_overview(actor=actor_of(request)))

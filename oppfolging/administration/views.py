from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import MUNICIPALITY_ADMIN, permission
from oppfolging.administration import selectors


@permission(MUNICIPALITY_ADMIN)
@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "administration/user_list.html", {"users": selectors.user_list(actor=actor_of(request))}
    )


@permission(MUNICIPALITY_ADMIN)
@require_http_methods(["GET"])
def unit_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "administration/unit_list.html", {"units": selectors.unit_list(actor=actor_of(request))}
    )

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import AUTHENTICATED, permission
from oppfolging.audit.selectors import own_activity


@permission(AUTHENTICATED)
@require_http_methods(["GET"])
def my_activity(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/my_activity.html", {"events": own_activity(actor=actor_of(request))})

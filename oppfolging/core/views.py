from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import AUTHENTICATED, PUBLIC, permission
from oppfolging.accounts.models import Role
from oppfolging.core import selectors
from oppfolging.followup.day_selectors import coordinator_day, gp_medication_reviews
from oppfolging.people.selectors import person_recent
from oppfolging.referrals import report_selectors


@permission(AUTHENTICATED)
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """The start page shows each role what it works on; a user with several roles sees each."""
    actor = actor_of(request)
    if actor.is_citizen:
        return redirect("portal:home")
    context: dict[str, object] = {"roles": sorted(actor.roles, key=list(Role).index)}
    context["my_persons"] = selectors.my_persons(actor)
    if actor.has_role(Role.KE_STAFF, Role.ALLOCATION_OFFICER):
        context["person_count"] = selectors.municipality_person_count()
        context["recent_persons"] = person_recent(limit=8)
        context["report_counts"] = report_selectors.report_queue_counts(actor=actor)
    if actor.has_role(Role.COORDINATOR) or report_selectors.coordinates_anyone(actor.user):
        context["inbox_open"] = report_selectors.report_inbox_open_count(actor=actor)
        context["day_rows"] = coordinator_day(actor=actor)
    if actor.has_role(Role.GP):
        context["medication_reviews"] = gp_medication_reviews(actor=actor)
    if actor.has_role(Role.LEADER):
        context["staffing"] = selectors.leader_units_staffing(actor)
    if actor.has_role(Role.MUNICIPALITY_ADMIN):
        context["admin_summary"] = selectors.municipality_admin_summary(actor)
    return render(request, "core/home.html", context)


@permission(PUBLIC)
@require_http_methods(["GET"])
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

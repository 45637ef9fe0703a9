"""The plan's history (the list of versions; the plan as of a date or version, with the
differences) and closing the plan. Who may do what is decided in
:mod:`oppfolging.plans.history_selectors`; closing is :func:`oppfolging.plans.services.plan_close`."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import AUTHENTICATED, STAFF, permission
from oppfolging.plans import history_selectors as selectors
from oppfolging.plans import services
from oppfolging.plans.history_forms import AsOfForm, CloseForm
from oppfolging.plans.models import PlanStatus


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("side", "1")))
    except ValueError:
        return 1


@permission(AUTHENTICATED)
@require_http_methods(["GET"])
def history(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, plan = selectors.plan_reader(actor, person_uuid)
    page = selectors.history_page(actor=actor, access=access, plan=plan, page=_page_number(request))
    return render(
        request,
        "plans/history/list.html",
        {"person": access.person, "plan": plan, "page": page, "form": AsOfForm()},
    )


@permission(AUTHENTICATED)
@require_http_methods(["GET"])
def as_of(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    """With no date or version: the form alone. A wrong date or version: the form with the
    reason, never an error page."""
    actor = actor_of(request)
    access, plan = selectors.plan_reader(actor, person_uuid)
    form = AsOfForm(request.GET or None)
    page = None
    if form.asks and form.is_valid():
        try:
            page = selectors.as_of_page(
                actor=actor,
                access=access,
                plan=plan,
                day=form.cleaned_data["dato"],
                number=form.cleaned_data["versjon"],
                compare=form.cleaned_data["sammenlign"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "plans/history/as_of.html",
        {"person": access.person, "plan": plan, "form": form, "page": page, "until": access.until},
    )


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, plan = selectors.plan_editor(actor, person_uuid)
    form = CloseForm(request.POST if request.method == "POST" else None)
    if plan.status != PlanStatus.CLOSED and form.is_bound and form.is_valid():
        try:
            services.plan_close(
                actor=actor,
                access=access,
                plan=plan,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Planen er avsluttet. Den kan fortsatt leses av dem som kunne lese den.")
            )
            return redirect("plans:detail", person_uuid=access.person.uuid)
    return render(request, "plans/history/close.html", {"person": access.person, "plan": plan, "form": form})

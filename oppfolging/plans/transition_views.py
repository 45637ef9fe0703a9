"""Planning, completing and cancelling a transition: for the coordinator (during an overlap, both
coordinators). The plan page lists the transitions (``plans/transition/_list.html``)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import Actor, actor_of
from oppfolging.access.rules import STAFF, permission
from oppfolging.plans import transition_selectors as selectors
from oppfolging.plans import transition_services as services
from oppfolging.plans.history_selectors import plan_editor, plan_reader
from oppfolging.plans.transition_forms import TransitionForm
from oppfolging.teams.team_views import add_errors

LIST_ANCHOR = "#overganger"


def _back_to_plan(actor: Actor, person_uuid: uuid.UUID) -> HttpResponse:
    """To the plan's transitions, or to the start page when the actor no longer reaches the plan
    (the old coordinator, once a transition is completed)."""
    try:
        plan_reader(actor, person_uuid)
    except Http404:
        return redirect("core:home")
    return redirect(reverse("plans:detail", kwargs={"person_uuid": person_uuid}) + LIST_ANCHOR)


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def transition_add(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, plan = plan_editor(actor, person_uuid)
    form = TransitionForm(request.POST if request.method == "POST" else None, person=access.person)
    if form.is_bound and form.is_valid():
        try:
            services.transition_add(actor=actor, access=access, plan=plan, new=form.new_transition())
        except ValidationError as exc:
            add_errors(exc, form)
        else:
            messages.success(request, _("Overgangen er planlagt."))
            return _back_to_plan(actor, access.person.uuid)
    return render(
        request, "plans/transition/form.html", {"person": access.person, "plan": plan, "form": form}
    )


@permission(STAFF)
@require_http_methods(["POST"])
def transition_complete(
    request: HttpRequest, person_uuid: uuid.UUID, transition_uuid: uuid.UUID
) -> HttpResponse:
    actor = actor_of(request)
    access, plan = plan_editor(actor, person_uuid)
    transition = selectors.transition_get(plan=plan, transition_uuid=transition_uuid)
    try:
        services.transition_complete(actor=actor, access=access, transition=transition)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Overgangen er registrert som gjennomført."))
    return _back_to_plan(actor, access.person.uuid)


@permission(STAFF)
@require_http_methods(["POST"])
def transition_cancel(
    request: HttpRequest, person_uuid: uuid.UUID, transition_uuid: uuid.UUID
) -> HttpResponse:
    actor = actor_of(request)
    access, plan = plan_editor(actor, person_uuid)
    transition = selectors.transition_get(plan=plan, transition_uuid=transition_uuid)
    try:
        services.transition_cancel(actor=actor, access=access, transition=transition)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Overgangen er avlyst."))
    return _back_to_plan(actor, access.person.uuid)

"""The staff page of the person's PSFS («Hva er viktig for deg?»): the chart and the numbers for
everyone who reads the person's case content; the coordinator also names the activities and
records a measurement with the person."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.persons import PersonAccess
from oppfolging.access.rules import STAFF, permission
from oppfolging.function import selectors, services
from oppfolging.function.chart import chart_for
from oppfolging.function.forms import ActivitiesForm, MeasurementForm, add_errors
from oppfolging.function.models import FunctionScore
from oppfolging.plans.models import PlanPeriod
from oppfolging.plans.services import may_edit


def _forms(
    access: PersonAccess,
    activities_form: ActivitiesForm | None = None,
    measurement_form: MeasurementForm | None = None,
    periods: list[PlanPeriod] | None = None,
) -> dict[str, Any]:
    if not may_edit(access) or access.until is not None:
        return {}
    active = services.active_activities(access.person)
    scored = set(FunctionScore.all_tenants.filter(activity__in=active).values_list("activity_id", flat=True))
    periods = periods if periods is not None else selectors.plan_periods(access.person)
    return {
        "activities_form": activities_form or ActivitiesForm(activities=active, scored=scored),
        "measurement_form": measurement_form
        or MeasurementForm(activities=active, staff=True, periods=periods),
    }


def _render(request: HttpRequest, person_uuid: uuid.UUID, **bound: Any) -> HttpResponse:
    """The page, with a form the user sent back bound (errors shown, nothing they typed lost)."""
    page = selectors.function_page(actor=actor_of(request), person_uuid=person_uuid)
    context = {
        "page": page,
        "person": page.access.person,
        "series": page.series,
        "chart": chart_for(page.series, page.access.person),
        "may_edit": may_edit(page.access) and page.access.until is None,
        **_forms(page.access, periods=page.periods, **bound),
    }
    return render(request, "function/detail.html", context)


@permission(STAFF)
@require_http_methods(["GET"])
def detail(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    return _render(request, person_uuid)


def _editor_access(request: HttpRequest, person_uuid: uuid.UUID) -> PersonAccess:
    """Only the coordinator changes the person's PSFS from the staff page; others get 404."""
    access = selectors.function_access(actor_of(request), person_uuid)
    if not may_edit(access) or access.until is not None:
        raise Http404
    return access


@permission(STAFF)
@require_http_methods(["POST"])
def activities(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    access = _editor_access(request, person_uuid)
    active = services.active_activities(access.person)
    form = ActivitiesForm(request.POST, activities=active)
    if form.is_valid():
        try:
            services.activities_set(actor=actor_of(request), access=access, activities=form.wanted())
        except ValidationError as exc:
            add_errors(exc, form)
        else:
            messages.success(request, _("Aktivitetene er lagret."))
            return redirect("function:detail", person_uuid=access.person.uuid)
    return _render(request, person_uuid, activities_form=form)


@permission(STAFF)
@require_http_methods(["POST"])
def measure(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    access = _editor_access(request, person_uuid)
    active = services.active_activities(access.person)
    periods = selectors.plan_periods(access.person)
    form = MeasurementForm(request.POST, activities=active, staff=True, periods=periods)
    if form.is_valid():
        try:
            services.measurement_record(
                actor=actor_of(request),
                access=access,
                measured_on=form.cleaned_data["measured_on"],
                occasion=form.cleaned_data["occasion"],
                scores=form.scores(),
                note=form.cleaned_data["note"],
                period=form.cleaned_data.get("period"),
            )
        except ValidationError as exc:
            add_errors(exc, form)
        else:
            messages.success(request, _("Skårene er lagret."))
            return redirect("function:detail", person_uuid=access.person.uuid)
    return _render(request, person_uuid, measurement_form=form)

"""The plan's periods, their sub-goals and measures: each added and changed through a small form
in place on the plan page (see :mod:`plan_view_support`). Only the coordinator reaches these
routes; anyone else gets 404, as for a missing plan."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import STAFF, permission
from oppfolging.plans import plan_selectors as selectors
from oppfolging.plans import services
from oppfolging.plans.models import PlanPeriod
from oppfolging.plans.plan_forms import (
    MeasureForm,
    PeriodForm,
    SubGoalForm,
    measure_initial,
    new_period_initial,
    period_initial,
    sub_goal_initial,
)
from oppfolging.plans.plan_view_support import (
    FormSpec,
    Saved,
    add_errors,
    add_response,
    edit_response,
    render_form,
    saved_response,
)

MEASURE_COLUMNS = 7


# --- Periods -----------------------------------------------------------------------------------


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def period_add(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    """A new period at the end of the plan. Its evaluation date is shown filled in with the
    default (a week before the period ends); left empty it is set to that."""
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, edit=True)
    plan = selectors.plan_get(access)
    last = PlanPeriod.objects.filter(plan=plan).order_by("-number").first()
    spec = FormSpec(
        form=PeriodForm(
            request.POST or None,
            prefix="period-new",
            editing=False,
            initial=new_period_initial(last, timezone.localdate()),
        ),
        url=reverse("plans:period_add", args=[access.person.uuid]),
        slot="period-add",
        title=_("Ny planperiode"),
        anchor="periods",
        submit_label=_("Legg til perioden"),
    )
    return add_response(
        request,
        actor=actor,
        access=access,
        spec=spec,
        add=lambda data: services.period_add(actor=actor, access=access, plan=plan, **spec.form.values()),  # type: ignore[attr-defined]
        saved=lambda period: Saved(
            anchor=f"period-{period.uuid}",
            message=_("Perioden er lagt til."),
            main="period_add",
            pick=lambda page: {"period": page.content.find_period(period.uuid) if page.content else None},
        ),
    )


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, person_uuid: uuid.UUID, period_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, edit=True)
    plan = selectors.plan_get(access)
    period = selectors.period_get(plan, period_uuid)
    spec = FormSpec(
        form=PeriodForm(request.POST or None, prefix=f"period-{period.uuid}", initial=period_initial(period)),
        url=reverse("plans:period_edit", args=[access.person.uuid, period.uuid]),
        slot=f"period-{period.uuid}-facts",
        title=_("Endre periode %(number)s") % {"number": period.number},
        anchor=f"period-{period.uuid}",
        heading_level=4,
        base_version=period.version,
    )
    return edit_response(
        request,
        actor=actor,
        access=access,
        spec=spec,
        what="plan.period",
        about=period.uuid,
        initial=period_initial,
        save=lambda version, data: services.period_update(
            actor=actor,
            access=access,
            period=period,
            version=version,
            **spec.form.values(),  # type: ignore[attr-defined]
        ),
        saved=Saved(
            anchor=f"period-{period.uuid}",
            message=_("Perioden er lagret."),
            main="period",
            pick=lambda page: {"period": page.content.find_period(period.uuid) if page.content else None},
        ),
    )


# --- Sub-goals ---------------------------------------------------------------------------------


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def sub_goal_add(request: HttpRequest, person_uuid: uuid.UUID, period_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, edit=True)
    plan = selectors.plan_get(access)
    period = selectors.period_get(plan, period_uuid)
    spec = FormSpec(
        form=SubGoalForm(
            request.POST or None,
            prefix=f"sub-goal-new-{period.uuid}",
            goals=selectors.active_goals(plan),
            editing=False,
        ),
        url=reverse("plans:sub_goal_add", args=[access.person.uuid, period.uuid]),
        slot=f"sub-goal-add-{period.uuid}",
        title=_("Nytt delmål i periode %(number)s") % {"number": period.number},
        anchor=f"period-{period.uuid}",
        heading_level=4,
        submit_label=_("Legg til delmålet"),
    )
    form = spec.form
    if request.method == "GET":
        selectors.form_opened(actor=actor, access=access, what="plan.sub_goal", about=period.uuid)
        return render_form(request, access, spec)
    if not form.is_valid():
        return render_form(request, access, spec)
    try:
        sub_goal = services.sub_goal_add(
            actor=actor,
            access=access,
            period=period,
            goal=form.chosen_goal(),  # type: ignore[attr-defined]
            text=form.cleaned_data["text"],
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return render_form(request, access, spec)
    return saved_response(
        request,
        actor=actor,
        access=access,
        anchor=f"sub-goal-{sub_goal.uuid}",
        message=_("Delmålet er lagt til."),
        main="sub_goal_add",
        pick=lambda page: _sub_goal_context(page, sub_goal.uuid),
    )


def _sub_goal_context(page: selectors.PlanPage, sub_goal_uuid: uuid.UUID) -> dict[str, object]:
    found = page.content.find_sub_goal(sub_goal_uuid) if page.content else None
    return {"period": found[0], "sub_goal": found[1]} if found else {}


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def sub_goal_edit(request: HttpRequest, person_uuid: uuid.UUID, sub_goal_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, edit=True)
    plan = selectors.plan_get(access)
    sub_goal = selectors.sub_goal_get(plan, sub_goal_uuid)
    spec = FormSpec(
        form=SubGoalForm(
            request.POST or None, prefix=f"sub-goal-{sub_goal.uuid}", initial=sub_goal_initial(sub_goal)
        ),
        url=reverse("plans:sub_goal_edit", args=[access.person.uuid, sub_goal.uuid]),
        slot=f"sub-goal-{sub_goal.uuid}-text",
        title=_("Endre delmålet"),
        anchor=f"sub-goal-{sub_goal.uuid}",
        heading_level=4,
        base_version=sub_goal.version,
    )
    return edit_response(
        request,
        actor=actor,
        access=access,
        spec=spec,
        what="plan.sub_goal",
        about=sub_goal.uuid,
        initial=sub_goal_initial,
        save=lambda version, data: services.sub_goal_update(
            actor=actor, access=access, sub_goal=sub_goal, version=version, text=data["text"]
        ),
        saved=Saved(
            anchor=f"sub-goal-{sub_goal.uuid}",
            message=_("Delmålet er lagret."),
            main="sub_goal",
            pick=lambda page: _sub_goal_context(page, sub_goal.uuid),
        ),
    )


# --- Measures ----------------------------------------------------------------------------------


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def measure_add(request: HttpRequest, person_uuid: uuid.UUID, sub_goal_uuid: uuid.UUID) -> HttpResponse:
    """A measure under a sub-goal; the responsible party is an active team member, the person
    or one of the person's relatives."""
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, edit=True)
    plan = selectors.plan_get(access)
    sub_goal = selectors.sub_goal_get(plan, sub_goal_uuid)
    members, relatives = selectors.responsible_candidates(access.person)
    spec = FormSpec(
        form=MeasureForm(
            request.POST or None,
            prefix=f"measure-new-{sub_goal.uuid}",
            members=members,
            relatives=relatives,
            editing=False,
        ),
        url=reverse("plans:measure_add", args=[access.person.uuid, sub_goal.uuid]),
        slot=f"measure-add-{sub_goal.uuid}",
        title=_("Nytt tiltak"),
        anchor=f"sub-goal-{sub_goal.uuid}",
        heading_level=5,
        submit_label=_("Legg til tiltaket"),
    )
    form = spec.form
    if request.method == "GET":
        selectors.form_opened(actor=actor, access=access, what="plan.measure", about=sub_goal.uuid)
        return render_form(request, access, spec)
    if not form.is_valid():
        return render_form(request, access, spec)
    try:
        measure = services.measure_add(actor=actor, access=access, sub_goal=sub_goal, **form.values())  # type: ignore[attr-defined]
    except ValidationError as exc:
        add_errors(form, exc)
        return render_form(request, access, spec)
    return saved_response(
        request,
        actor=actor,
        access=access,
        anchor=f"measure-{measure.uuid}",
        message=_("Tiltaket er lagt til."),
        main="measure_add",
        pick=lambda page: _measure_context(page, measure.uuid),
    )


def _measure_context(page: selectors.PlanPage, measure_uuid: uuid.UUID) -> dict[str, object]:
    found = page.content.find_measure(measure_uuid) if page.content else None
    return {"period": found[0], "sub_goal": found[1], "measure": found[2]} if found else {}


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, person_uuid: uuid.UUID, measure_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, edit=True)
    plan = selectors.plan_get(access)
    measure = selectors.measure_get(plan, measure_uuid)
    members, relatives = selectors.responsible_candidates(access.person)
    current = measure.responsible_member
    if current is not None and all(m.pk != current.pk for m in members):
        members.append(current)  # has left the team since: still shown, so the form can be saved
    spec = FormSpec(
        form=MeasureForm(
            request.POST or None,
            prefix=f"measure-{measure.uuid}",
            members=members,
            relatives=relatives,
            initial=measure_initial(measure),
        ),
        url=reverse("plans:measure_edit", args=[access.person.uuid, measure.uuid]),
        slot=f"measure-{measure.uuid}",
        title=_("Endre tiltaket"),
        anchor=f"measure-{measure.uuid}",
        heading_level=5,
        tag="tr",
        colspan=MEASURE_COLUMNS,
        base_version=measure.version,
    )
    return edit_response(
        request,
        actor=actor,
        access=access,
        spec=spec,
        what="plan.measure",
        about=measure.uuid,
        initial=measure_initial,
        save=lambda version, data: services.measure_update(
            actor=actor,
            access=access,
            measure=measure,
            version=version,
            **spec.form.values(),  # type: ignore[attr-defined]
        ),
        saved=Saved(
            anchor=f"measure-{measure.uuid}",
            message=_("Tiltaket er lagret."),
            main="measure",
            pick=lambda page: _measure_context(page, measure.uuid),
        ),
    )

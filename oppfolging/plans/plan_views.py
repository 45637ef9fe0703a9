"""The plan page and its own parts: starting and activating the plan, its text, goals, links to
other plans and comments. Periods, sub-goals and measures are in :mod:`plan_period_views`; what
the routes share (forms in place, both versions on a refused save) in :mod:`plan_view_support`.

Who may do what is decided in :mod:`oppfolging.plans.plan_selectors`: the page is for those
who read the plan, every change for the coordinator (others get 404, as for a missing plan),
comments for anyone who reads the plan now.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import STAFF, permission
from oppfolging.plans import draft_services, services
from oppfolging.plans import plan_selectors as selectors
from oppfolging.plans.draft_selectors import DraftOffer, draft_for
from oppfolging.plans.plan_forms import (
    CommentForm,
    GoalForm,
    LinkForm,
    PlanDetailsForm,
    details_initial,
    goal_initial,
)
from oppfolging.plans.plan_view_support import (
    FormSpec,
    Saved,
    T,
    add_errors,
    add_response,
    conflict_response,
    edit_response,
    is_htmx,
    plan_url,
    render_form,
    saved_response,
)
from oppfolging.plans.services import PlanConflictError


def comment_spec(person_uuid: uuid.UUID, goals: object, data: object = None) -> FormSpec:
    return FormSpec(
        form=CommentForm(data, prefix="comment", goals=goals or ()),  # type: ignore[arg-type]
        url=reverse("plans:comment_add", args=[person_uuid]),
        slot="comment-add",
        title=_("Skriv en kommentar"),
        anchor="comments",
        submit_label=_("Legg til kommentaren"),
        cancel=False,
    )


@permission(STAFF)
@require_http_methods(["GET"])
def plan_detail(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    page = selectors.plan_page(actor_of(request), person_uuid)
    context = {"page": page, "person": page.person, "content": page.content}
    if page.may_comment and page.content is not None:
        context["comment"] = comment_spec(page.person.uuid, page.content.active_goals)
    return render(request, T + "detail.html", context)


@permission(STAFF)
@require_http_methods(["POST"])
def plan_create(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, edit=True)
    try:
        services.plan_create(actor=actor, access=access)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Planen er startet. Skriv målene sammen med personen, med personens egne ord."),
        )
    return redirect(plan_url(access.person))


@permission(STAFF)
@require_http_methods(["POST"])
def plan_activate(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    """Activate the plan; a refusal lists what is missing (consent to plan work, a goal in the
    person's own words) on the activation card."""
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, edit=True)
    plan = selectors.plan_get(access)
    try:
        services.plan_activate(actor=actor, access=access, plan=plan)
    except ValidationError as exc:
        page = selectors.plan_page_for(actor, access, audit=not is_htmx(request))
        context = {"page": page, "person": access.person, "content": page.content, "refused": exc.messages}
        if is_htmx(request):
            return render(request, T + "_activation.html", context)
        if page.may_comment and page.content is not None:
            context["comment"] = comment_spec(access.person.uuid, page.content.active_goals)
        return render(request, T + "detail.html", context)
    messages.success(request, _("Planen er aktivert."))
    if is_htmx(request):
        response = HttpResponse()
        response["HX-Redirect"] = plan_url(access.person)
        return response
    return redirect(plan_url(access.person))


# --- The plan's text ---------------------------------------------------------------------------


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def plan_details(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    """Resources and needs, what the person and relatives contribute, how the measures are
    carried out and coordinated, and the person's wishes for taking part: long texts, so the
    form keeps a draft across a session timeout."""
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, edit=True)
    plan = selectors.plan_get(access)
    key = f"plan:{plan.uuid}:details"
    url = reverse("plans:details", args=[access.person.uuid])
    spec = FormSpec(
        form=PlanDetailsForm(request.POST or None, prefix="details"),
        url=url,
        slot="details",
        title=_("Innholdet i planen"),
        anchor="details",
        heading_level=2,
        draft_key=key,
        base_version=plan.version,
        updated_at=plan.updated_at,
    )
    if request.method == "GET":
        draft = draft_for(actor.user, key, access.person)
        if draft is not None and request.GET.get("utkast"):
            initial = {k.removeprefix("details-"): v for k, v in draft.data.items()}
            spec.form = PlanDetailsForm(initial=initial | {"version": draft.base_version}, prefix="details")
            spec.base_version = draft.base_version
            spec.notice = _("Utkastet er hentet inn. Det er ikke lagret i planen før du trykker Lagre.")
        else:
            spec.form = PlanDetailsForm(initial=details_initial(plan), prefix="details")
            if draft is not None:
                spec.draft = DraftOffer(
                    draft=draft,
                    use_url=f"{url}?utkast=1",
                    discard_url=reverse("plans:draft", args=[access.person.uuid]),
                    target="#details",
                    behind=draft.base_version < plan.version,
                )
        selectors.form_opened(actor=actor, access=access, what="plan", about=plan.uuid)
        return render_form(request, access, spec)
    form = spec.form
    if not form.is_valid():
        return render_form(request, access, spec)
    version = form.cleaned_data["version"]
    try:
        services.plan_update(actor=actor, access=access, plan=plan, version=version, **form.values())  # type: ignore[attr-defined]
    except PlanConflictError as refused:
        # The user's text is kept as their draft too, in case they leave before saving again.
        data = {k: v for k, v in request.POST.items() if k.startswith("details-") and k != "details-version"}
        draft_services.draft_save(actor=actor, access=access, key=key, data=data, base_version=version)
        return conflict_response(request, access, spec, refused, details_initial)
    except ValidationError as exc:
        add_errors(form, exc)
        return render_form(request, access, spec)
    draft_services.draft_discard(actor=actor, access=access, key=key)
    return saved_response(
        request,
        actor=actor,
        access=access,
        anchor="details",
        message=_("Innholdet i planen er lagret."),
        main="details",
        pick=lambda page: {"draft_clear": key},
    )


# --- Goals -------------------------------------------------------------------------------------


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def goal_add(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, edit=True)
    plan = selectors.plan_get(access)
    spec = FormSpec(
        form=GoalForm(request.POST or None, prefix="goal-new", editing=False),
        url=reverse("plans:goal_add", args=[access.person.uuid]),
        slot="goal-add",
        title=_("Nytt mål"),
        anchor="goals",
        submit_label=_("Legg til målet"),
    )
    return add_response(
        request,
        actor=actor,
        access=access,
        spec=spec,
        add=lambda data: services.goal_add(
            actor=actor, access=access, plan=plan, text=data["text"], in_own_words=data["in_own_words"]
        ),
        saved=lambda goal: Saved(
            anchor=f"goal-{goal.uuid}",
            message=_("Målet er lagt til."),
            main="goal_add",
            pick=lambda page: {"goal": page.content.find_goal(goal.uuid) if page.content else None},
        ),
    )


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, person_uuid: uuid.UUID, goal_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, edit=True)
    plan = selectors.plan_get(access)
    goal = selectors.goal_get(plan, goal_uuid)
    spec = FormSpec(
        form=GoalForm(request.POST or None, prefix=f"goal-{goal.uuid}", initial=goal_initial(goal)),
        url=reverse("plans:goal_edit", args=[access.person.uuid, goal.uuid]),
        slot=f"goal-{goal.uuid}",
        title=_("Endre målet"),
        anchor=f"goal-{goal.uuid}",
        tag="li",
        base_version=goal.version,
    )
    return edit_response(
        request,
        actor=actor,
        access=access,
        spec=spec,
        what="plan.goal",
        about=goal.uuid,
        initial=goal_initial,
        save=lambda version, data: services.goal_update(
            actor=actor,
            access=access,
            goal=goal,
            version=version,
            text=data["text"],
            in_own_words=data["in_own_words"],
            status=data["status"],
        ),
        saved=Saved(
            anchor=f"goal-{goal.uuid}",
            message=_("Målet er lagret."),
            main="goal",
            pick=lambda page: {"goal": page.content.find_goal(goal.uuid) if page.content else None},
        ),
    )


# --- Links to other plans and agencies, comments -------------------------------------------------


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def link_add(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, edit=True)
    plan = selectors.plan_get(access)
    spec = FormSpec(
        form=LinkForm(request.POST or None, prefix="link"),
        url=reverse("plans:link_add", args=[access.person.uuid]),
        slot="link-add",
        title=_("Ny kobling til en annen plan eller etat"),
        anchor="links",
        submit_label=_("Legg til koblingen"),
    )
    return add_response(
        request,
        actor=actor,
        access=access,
        spec=spec,
        add=lambda data: services.link_add(actor=actor, access=access, plan=plan, **data),
        saved=lambda link: Saved(
            anchor="links",
            message=_("Koblingen er lagt til."),
            main="link_add",
            pick=lambda page: {"link": page.content.find_link(link.uuid) if page.content else None},
        ),
    )


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def comment_add(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    """Anyone who reads the plan now may comment on it (a former member only reads)."""
    actor = actor_of(request)
    access = selectors.plan_access(actor, person_uuid, current=True)
    plan = selectors.plan_get(access)
    goals = selectors.active_goals(plan)
    spec = comment_spec(access.person.uuid, goals, request.POST or None)

    def add(data: dict[str, Any]) -> Any:
        goal_uuid = spec.form.goal_uuid()  # type: ignore[attr-defined]
        goal = selectors.goal_get(plan, goal_uuid) if goal_uuid else None
        return services.comment_add(actor=actor, access=access, plan=plan, text=data["text"], goal=goal)

    return add_response(
        request,
        actor=actor,
        access=access,
        spec=spec,
        add=add,
        saved=lambda comment: Saved(
            anchor=f"comment-{comment.uuid}",
            message=_("Kommentaren er lagt til."),
            main="comment_add",
            pick=lambda page: {
                "item": page.content.find_comment(comment.uuid) if page.content else None,
                "comment": comment_spec(
                    access.person.uuid, page.content.active_goals if page.content else ()
                ),
            },
        ),
    )

"""The person's own view (Min side): the list of whom they follow, and one page per person with
the plan in plain words, the team, the next meeting, PSFS and who has looked at the case. From
it the person — or a guardian, or a relative the person has consented to involve — can write a
comment, add a goal of their own, answer PSFS, ask to change a meeting, and say how they
experience the follow-up (six short questions on a page of their own). Each action is a small
form that comes back to the page with a message; a refused or empty form comes back with what
was written still in it.

Everyone else gets 404 from :func:`oppfolging.portal.selectors.portal_access`, on the page and on
every action alike.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.persons import PersonAccess
from oppfolging.access.rules import CITIZEN, permission
from oppfolging.function import services as function_services
from oppfolging.function import survey_services
from oppfolging.function.chart import chart_for
from oppfolging.function.forms import MeasurementForm, NewActivitiesForm, add_errors
from oppfolging.meetings.minutes_services import change_request_add
from oppfolging.meetings.models import Meeting
from oppfolging.plans import services as plan_services
from oppfolging.plans.models import CarePlan, PlanStatus
from oppfolging.portal import selectors
from oppfolging.portal.forms import CommentForm, GoalForm, MeetingChangeForm, SurveyForm
from oppfolging.portal.text import measure_lines


@permission(CITIZEN)
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """The person's own page, and for a guardian the children they are guardian of."""
    return render(request, "portal/home.html", selectors.portal_overview(actor=actor_of(request)))


def _language(request: HttpRequest, access: PersonAccess) -> str | None:
    """The person's own page is in the person's language (bokmål or nynorsk) unless they have
    chosen a language themselves; a relative sees it in their own language."""
    user = actor_of(request).user
    if "self" not in access.roles or user is None or user.preferred_language:
        return None
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return None
    return access.person.preferred_language or None


def _psfs_form(access: PersonAccess, data: Any = None) -> forms.Form:
    active = function_services.active_activities(access.person)
    if active:
        return MeasurementForm(data, activities=active)
    return NewActivitiesForm(data)


def _page(request: HttpRequest, person_uuid: uuid.UUID | str, **bound: forms.Form) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.portal_access(actor, person_uuid)
    language = _language(request, access)
    with translation.override(language) if language else contextlib.nullcontext():
        page = selectors.portal_page(actor=actor, access=access)
        writable = page.plan is not None and page.plan.status != PlanStatus.CLOSED
        meeting = page.meeting
        context = {
            "page": page,
            "person": page.person,
            "series": page.function,
            "chart": chart_for(page.function, page.person),
            "period_lines": measure_lines(page.sub_goals, page.person, is_self=page.is_self),
            "writable": writable,
            "comment_form": bound.get("comment_form") or CommentForm(),
            "goal_form": bound.get("goal_form") or GoalForm(),
            "psfs_form": bound.get("psfs_form") or _psfs_form(access),
            "meeting_form": bound.get("meeting_form")
            or (MeetingChangeForm(initial={"meeting": meeting.uuid}) if meeting else None),
        }
        return render(request, "portal/person.html", context)


@permission(CITIZEN)
@require_http_methods(["GET"])
def person(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    return _page(request, person_uuid)


def _done(request: HttpRequest, access: PersonAccess, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("portal:person", person_uuid=access.person.uuid)


class _BackToPageError(Exception):
    """The action cannot be done as the page showed it (no open plan any more, the activities
    named meanwhile): back to the page, with the reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _open_plan(access: PersonAccess) -> CarePlan:
    plan = CarePlan.all_tenants.filter(person=access.person).first()
    if plan is None or plan.status == PlanStatus.CLOSED:
        raise _BackToPageError(_("Det er ingen åpen plan å skrive i."))
    return plan


def _write(
    request: HttpRequest,
    person_uuid: uuid.UUID,
    form: forms.Form,
    name: str,
    write: Callable[[PersonAccess], str],
) -> HttpResponse:
    """Run ``write`` when the form is valid; on a refusal show the page with the form as sent."""
    access = selectors.portal_access(actor_of(request), person_uuid)
    if form.is_valid():
        try:
            message = write(access)
        except ValidationError as exc:
            add_errors(exc, form)
        except _BackToPageError as exc:
            messages.error(request, exc.message)
            return redirect("portal:person", person_uuid=access.person.uuid)
        else:
            return _done(request, access, message)
    return _page(request, person_uuid, **{name: form})


@permission(CITIZEN)
@require_http_methods(["POST"])
def comment(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    form = CommentForm(request.POST)

    def write(access: PersonAccess) -> str:
        plan = _open_plan(access)
        plan_services.comment_add(
            actor=actor_of(request), access=access, plan=plan, text=form.cleaned_data["text"]
        )
        return _("Takk! Kommentaren din er lagret. Teamet ditt kan lese den.")

    return _write(request, person_uuid, form, "comment_form", write)


@permission(CITIZEN)
@require_http_methods(["POST"])
def goal(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    form = GoalForm(request.POST)

    def write(access: PersonAccess) -> str:
        plan = _open_plan(access)
        plan_services.goal_add(
            actor=actor_of(request), access=access, plan=plan, text=form.cleaned_data["text"]
        )
        return _("Takk! Målet er lagt til i planen. Det står at du har skrevet det.")

    return _write(request, person_uuid, form, "goal_form", write)


@permission(CITIZEN)
@require_http_methods(["POST"])
def psfs(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    access = selectors.portal_access(actor_of(request), person_uuid)
    form = _psfs_form(access, request.POST)

    def write(access: PersonAccess) -> str:
        actor = actor_of(request)
        if isinstance(form, NewActivitiesForm):
            try:
                function_services.activities_first_scoring(actor=actor, access=access, named=form.named())
            except PermissionDenied as exc:
                # The activities were named meanwhile (a second click, or by the coordinator).
                raise _BackToPageError(
                    _("Aktivitetene er allerede skrevet inn. Se over skårene og send på nytt.")
                ) from exc
        elif isinstance(form, MeasurementForm):
            function_services.measurement_record(
                actor=actor,
                access=access,
                measured_on=timezone.localdate(),
                occasion=function_services.own_occasion(access.person),
                scores=form.scores(),
                note=form.cleaned_data["note"],
            )
        return _("Takk! Svarene dine er lagret.")

    return _write(request, person_uuid, form, "psfs_form", write)


@permission(CITIZEN)
@require_http_methods(["POST"])
def meeting_change(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    form = MeetingChangeForm(request.POST)

    def write(access: PersonAccess) -> str:
        meeting = Meeting.all_tenants.filter(person=access.person, uuid=form.cleaned_data["meeting"]).first()
        if meeting is None:
            raise Http404
        try:
            change_request_add(
                actor=actor_of(request), access=access, meeting=meeting, text=form.cleaned_data["text"]
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        return _("Takk! Koordinatoren har fått beskjed om at du vil endre møtet.")

    return _write(request, person_uuid, form, "meeting_form", write)


@permission(CITIZEN)
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    """How the person experiences the follow-up: six questions on a page of their own, linked
    from the person's page. Sent answers are stored and the person is taken back to the page; a
    refused form comes back with what was chosen still chosen."""
    actor = actor_of(request)
    access = selectors.portal_access(actor, person_uuid)
    language = _language(request, access)
    with translation.override(language) if language else contextlib.nullcontext():
        form = SurveyForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                survey_services.survey_answer(
                    actor=actor, access=access, answers=form.answers(), comment=form.cleaned_data["comment"]
                )
            except ValidationError as exc:
                add_errors(exc, form)
            else:
                return _done(request, access, _("Takk! Svarene dine er lagret."))
        context = {"person": access.person, "is_self": "self" in access.roles, "form": form}
        return render(request, "portal/survey.html", context)

"""Coordinator pages: KE appoints (propose, register, end) and keeps the registry; the
candidate's leader approves; the coordinator sees their own assignments. Thin: objects come from
:mod:`oppfolging.teams.coordinator_selectors` (404 for missing or not yours), writes go through
:mod:`oppfolging.teams.coordinator_services`."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import KE_ONLY, STAFF, any_role, permission
from oppfolging.accounts.models import Role
from oppfolging.referrals.decision_views import add_service_errors
from oppfolging.teams import coordinator_selectors as selectors
from oppfolging.teams import coordinator_services as services
from oppfolging.teams.coordinator_forms import (
    ChildCaseForm,
    DirectRegistrationForm,
    LeaderDecisionForm,
    ProposeForm,
    TrainingForm,
)
from oppfolging.teams.models import AssignmentStatus

LEADER = any_role(Role.LEADER)
RECENT = datetime.timedelta(days=14)  # a new assignment is marked as new this long


# --- KE: one person ----------------------------------------------------------------------------


def _render_person(
    request: HttpRequest, person_uuid: uuid.UUID, form: ProposeForm | None = None
) -> HttpResponse:
    page = selectors.person_coordinators(actor=actor_of(request), person_uuid=person_uuid)
    return render(
        request,
        "teams/coordinators/person.html",
        {
            "page": page,
            "person": page.person,
            "form": form or ProposeForm(candidates=page.candidates, cap=page.cap),
            "statuses": AssignmentStatus,
        },
    )


@permission(KE_ONLY)
@require_http_methods(["GET"])
def person(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    return _render_person(request, person_uuid)


@permission(KE_ONLY)
@require_http_methods(["POST"])
def propose(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    page = selectors.person_coordinators(actor=actor, person_uuid=person_uuid)
    form = ProposeForm(request.POST, candidates=page.candidates, cap=page.cap)
    if form.is_valid():
        try:
            assignment = services.coordinator_propose(
                actor=actor, access=page.access, member=form.cleaned_data["member"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if services.leaders_of(assignment.coordinator, assignment.municipality_id).exists():
                messages.success(request, _("Forslaget er sendt til lederen for godkjenning."))
            else:
                messages.info(
                    request,
                    _(
                        "%(name)s har ingen leder i kommunen. "
                        "Registrer koordinatoren direkte, med begrunnelse."
                    )
                    % {"name": assignment.coordinator},
                )
            return redirect("coordinators:person", person_uuid=page.person.uuid)
    return _render_person(request, person_uuid, form)


@permission(KE_ONLY)
@require_http_methods(["POST"])
def register(request: HttpRequest, assignment_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    assignment = selectors.assignment_for_ke(actor=actor, assignment_uuid=assignment_uuid)
    try:
        services.coordinator_register(actor=actor, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s er registrert som koordinator og har fått beskjed.")
            % {"name": assignment.coordinator},
        )
    return redirect("coordinators:person", person_uuid=assignment.team.person.uuid)


@permission(KE_ONLY)
@require_http_methods(["GET", "POST"])
def register_direct(request: HttpRequest, assignment_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    assignment = selectors.assignment_for_ke(
        actor=actor, assignment_uuid=assignment_uuid, audit=request.method == "GET"
    )
    form = DirectRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.coordinator_register_direct(
                actor=actor, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s er registrert som koordinator og har fått beskjed.")
                % {"name": assignment.coordinator},
            )
            return redirect("coordinators:person", person_uuid=assignment.team.person.uuid)
    return render(
        request,
        "teams/coordinators/register_direct.html",
        {"form": form, "assignment": assignment, "person": assignment.team.person},
    )


@permission(KE_ONLY)
@require_http_methods(["POST"])
def end(request: HttpRequest, assignment_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    assignment = selectors.assignment_for_ke(actor=actor, assignment_uuid=assignment_uuid)
    try:
        services.coordinator_end(actor=actor, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(name)s er ikke lenger koordinator for personen.") % {"name": assignment.coordinator}
        )
    return redirect("coordinators:person", person_uuid=assignment.team.person.uuid)


@permission(KE_ONLY)
@require_http_methods(["GET", "POST"])
def child_case(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, team = selectors.child_case(actor=actor, person_uuid=person_uuid, audit=request.method == "GET")
    initial = (
        {"is_child_coordinator_case": team.is_child_coordinator_case, "child_view": team.child_view}
        if team
        else None
    )
    form = ChildCaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and team is not None and form.is_valid():
        try:
            services.child_case_update(actor=actor, access=access, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("coordinators:person", person_uuid=access.person.uuid)
    return render(
        request,
        "teams/coordinators/child_case.html",
        {
            "form": form,
            "person": access.person,
            "team": team,
            "under_age": access.person.age() < services.CHILD_AGE_LIMIT,
        },
    )


# --- KE: the registry --------------------------------------------------------------------------


@permission(KE_ONLY)
@require_http_methods(["GET"])
def registry(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    rows, pending = selectors.coordinator_registry(actor=actor)
    cap = actor.municipality.coordinator_caseload_cap if actor.municipality else 0
    return render(
        request,
        "teams/coordinators/registry.html",
        {"rows": rows, "pending": pending, "cap": cap, "statuses": AssignmentStatus},
    )


@permission(KE_ONLY)
@require_http_methods(["GET", "POST"])
def training_add(request: HttpRequest, user_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    coordinator = selectors.registry_user(actor=actor, user_uuid=user_uuid)
    form = TrainingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.coordinator_training_add(actor=actor, coordinator=coordinator, **form.cleaned_data)
        messages.success(request, _("Opplæringen er registrert."))
        return redirect("coordinators:registry")
    return render(
        request, "teams/coordinators/training_form.html", {"form": form, "coordinator": coordinator}
    )


# --- The leader --------------------------------------------------------------------------------


@permission(LEADER)
@require_http_methods(["GET"])
def approvals(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    waiting, decided = selectors.leader_proposals(actor=actor)
    cap = actor.municipality.coordinator_caseload_cap if actor.municipality else 0
    return render(
        request, "teams/coordinators/approvals.html", {"waiting": waiting, "decided": decided, "cap": cap}
    )


@permission(LEADER)
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, assignment_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    assignment = selectors.proposal_for_leader(
        actor=actor, assignment_uuid=assignment_uuid, audit=request.method == "GET"
    )
    form = LeaderDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == LeaderDecisionForm.APPROVE
        try:
            services.coordinator_leader_decide(
                actor=actor, assignment=assignment, approve=approve, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if approve:
                messages.success(
                    request, _("Du har godkjent forslaget. Koordinerende enhet registrerer oppnevningen.")
                )
            else:
                messages.success(
                    request, _("Du har ikke godkjent forslaget. Koordinerende enhet får beskjed.")
                )
            return redirect("coordinators:approvals")
    cap = assignment.municipality.coordinator_caseload_cap
    return render(
        request,
        "teams/coordinators/decide.html",
        {
            "form": form,
            "assignment": assignment,
            "cap": cap,
            "at_cap": assignment.current_caseload >= cap,  # type: ignore[attr-defined]
            "is_open": assignment.status == AssignmentStatus.PROPOSED,
        },
    )


# --- The coordinator ---------------------------------------------------------------------------


@permission(STAFF)
@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    assignments = selectors.my_assignments(actor=actor_of(request))
    recent = timezone.now() - RECENT
    return render(
        request,
        "teams/coordinators/mine.html",
        {
            "active": [a for a in assignments if a.status == AssignmentStatus.ACTIVE and a.ended_at is None],
            "ended": [a for a in assignments if a.status == AssignmentStatus.ENDED],
            "pending": sum(
                1 for a in assignments if a.status in (AssignmentStatus.PROPOSED, AssignmentStatus.APPROVED)
            ),
            "recent": recent,
        },
    )

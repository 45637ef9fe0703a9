"""The person's team: the page, starting the team, adding a member with the person's consent,
and a member leaving. Who may do what is decided in :mod:`oppfolging.teams.team_selectors`."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import STAFF, permission
from oppfolging.consents.forms import ConsentGiverForm
from oppfolging.plans.plan_selectors import may_read_plan
from oppfolging.teams import team_selectors as selectors
from oppfolging.teams import team_services as services
from oppfolging.teams.team_forms import MemberForm, MemberSearchForm


@permission(STAFF)
@require_http_methods(["GET"])
def team_detail(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    page = selectors.team_page(actor=actor_of(request), person_uuid=person_uuid)
    context = {"page": page, "person": page.access.person, "may_read_plan": may_read_plan(page.access.access)}
    return render(request, "teams/team/detail.html", context)


@permission(STAFF)
@require_http_methods(["POST"])
def team_create(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.team_access(actor, person_uuid, manage=True)
    try:
        services.team_create(actor=actor, access=access)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Oppfølgingsteamet er opprettet. Legg til medlemmene med personens samtykke.")
        )
    return redirect("teams:detail", person_uuid=access.person.uuid)


def add_errors(exc: ValidationError, *targets: forms.Form) -> None:
    """Show a service's refusal on the form that has the field it names (else the first)."""
    if not hasattr(exc, "error_dict"):
        targets[0].add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        target = next((form for form in targets if name in form.fields), targets[0])
        target.add_error(name if name in target.fields else None, errors)


def _uuid_or_none(value: str | None) -> str | None:
    try:
        return str(uuid.UUID(value)) if value else None
    except ValueError:
        return None


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.team_access(actor, person_uuid, manage=True)
    person = access.person
    if selectors.team_of(person) is None:
        messages.info(request, _("Opprett teamet før du legger til medlemmer."))
        return redirect("teams:detail", person_uuid=person.uuid)
    data = request.POST if request.method == "POST" else None
    search = MemberSearchForm(request.POST if data else request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    chosen = _uuid_or_none(request.POST.get("member-user")) if data else None
    candidates = selectors.staff_candidates(query=query, person=person, include=chosen)
    member_form = MemberForm(data, prefix="member", person=person, candidates=candidates)
    consent_form = ConsentGiverForm(data, prefix="consent", person=person)
    if data is not None and member_form.is_valid() & consent_form.is_valid():
        try:
            member = services.team_member_add(
                actor=actor, access=access, new=member_form.new_member(), consent=consent_form.giver()
            )
        except ValidationError as exc:
            add_errors(exc, member_form, consent_form)
        else:
            messages.success(request, _("%(name)s er lagt til i teamet.") % {"name": member.name})
            return redirect("teams:detail", person_uuid=person.uuid)
    if data is None:
        selectors.team_form_opened(actor=actor, access=access, what="care_team")
    return render(
        request,
        "teams/team/member_form.html",
        {
            "person": person,
            "search": search,
            "query": query,
            "no_hits": bool(query) and not candidates.exists(),
            "member_form": member_form,
            "consent_form": consent_form,
            "form": consent_form if consent_form.errors and not member_form.errors else member_form,
        },
    )


@permission(STAFF)
@require_http_methods(["POST"])
def member_remove(request: HttpRequest, person_uuid: uuid.UUID, member_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.team_access(actor, person_uuid, manage=True)
    member = selectors.team_member_get(access=access, member_uuid=member_uuid)
    try:
        services.team_member_remove(actor=actor, access=access, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s er ikke lenger med i teamet. Tilgangen er avsluttet.") % {"name": member.name},
        )
    return redirect("teams:detail", person_uuid=access.person.uuid)

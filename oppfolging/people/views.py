from __future__ import annotations

import copy
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import Actor, actor_of
from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.access.rules import AUTHENTICATED, CASE_INTAKE, STAFF, permission
from oppfolging.accounts.models import Role
from oppfolging.people import selectors, services
from oppfolging.people.forms import PersonCreateForm, PersonForm, PersonSearchForm, RelativeForm
from oppfolging.plans.plan_selectors import may_read_plan


def _intake_role(request: HttpRequest) -> str:
    actor = actor_of(request)
    return Role.KE_STAFF.value if actor.has_role(Role.KE_STAFF) else Role.ALLOCATION_OFFICER.value


@permission(CASE_INTAKE)
@require_http_methods(["GET"])
def person_search(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = selectors.person_search(
            actor=actor_of(request), role=_intake_role(request), query=form.cleaned_data["q"]
        )
    template = "people/_search_results.html" if request.headers.get("HX-Request") else "people/search.html"
    return render(request, template, {"form": form, "results": results})


@permission(CASE_INTAKE)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        national_id = data.pop("national_id")
        try:
            person = services.person_create(
                actor=actor_of(request), role=_intake_role(request), national_id=national_id, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s er registrert.") % {"name": person.full_name})
            return redirect("people:detail", person_uuid=person.uuid)
    return render(request, "people/create.html", {"form": form})


@permission(STAFF)
@require_http_methods(["GET"])
def person_detail(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.person_get(actor=actor, person_uuid=person_uuid)
    return render(
        request,
        "people/detail.html",
        {
            "case_links": _case_links(actor, access),
            "access": access,
            "person": access.person,
            "relatives": selectors.person_relatives(access=access),
            "show_identity": access.may(Need.IDENTITY),
            "may_edit": access.may(Need.EDIT),
            "may_see_log": access.may(Need.ACCESS_LOG),
        },
    )


def _case_links(actor: Actor, access: PersonAccess) -> list[tuple[str, str]]:
    """Links to the parts of the case the actor can open, so the page never offers a link that
    would answer 404. Each part's own view checks access again."""
    content = access.may(Need.CASE_CONTENT)
    intake = actor.has_role(Role.KE_STAFF, Role.ALLOCATION_OFFICER)
    ke = actor.has_role(Role.KE_STAFF)
    uuid_ = access.person.uuid
    links = []
    if content or intake:
        links.append((reverse("assessments:list", args=[uuid_]), _("Kartlegging")))
        links.append((reverse("decisions:person", args=[uuid_]), _("Vedtak")))
    if content or ke:
        links.append((reverse("teams:detail", args=[uuid_]), _("Oppfølgingsteam")))
    if ke or (content and access.role in {"coordinator", Role.ALLOCATION_OFFICER.value, Role.KE_STAFF.value}):
        links.append((reverse("consents:list", args=[uuid_]), _("Samtykker")))
    if ke:
        links.append((reverse("coordinators:person", args=[uuid_]), _("Koordinator")))
    if may_read_plan(access):
        links.append((reverse("plans:detail", args=[uuid_]), _("Individuell plan")))
    return links


def _open_for_edit(request: HttpRequest, person_uuid: uuid.UUID) -> PersonAccess:
    """Showing the form is a read of the person's data and is audited; a POST is audited by the
    service as the change it makes."""
    actor = actor_of(request)
    if request.method == "GET":
        return selectors.person_get(actor=actor, person_uuid=person_uuid, need=Need.EDIT)
    return access_person(actor, person_uuid, Need.EDIT)


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = _open_for_edit(request, person_uuid)
    # The form validates into a copy, so an invalid POST never shows unsaved values as saved
    # (in the heading, say), and the service compares against what is stored.
    form = PersonForm(request.POST or None, instance=copy.copy(access.person))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PersonForm.Meta.fields}
        services.person_update(actor=actor, access=access, **fields)
        messages.success(request, _("Endringene er lagret."))
        return redirect("people:detail", person_uuid=access.person.uuid)
    return render(request, "people/edit.html", {"form": form, "person": access.person})


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def relative_create(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = _open_for_edit(request, person_uuid)
    form = RelativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.relative_create(actor=actor, access=access, **form.cleaned_data)
        messages.success(request, _("Pårørende er lagt til."))
        return redirect("people:detail", person_uuid=access.person.uuid)
    return render(request, "people/relative_form.html", {"form": form, "person": access.person})


@permission(AUTHENTICATED)
@require_http_methods(["GET"])
def person_access_log(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    access, events = selectors.person_access_log(actor=actor_of(request), person_uuid=person_uuid)
    return render(request, "people/access_log.html", {"person": access.person, "events": events})

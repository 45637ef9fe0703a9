"""Decision pages (vedtak) and the municipality's service catalogue. Thin: each view finds its
object through :mod:`oppfolging.referrals.decision_selectors` (404 for missing or not yours) and
writes through :mod:`oppfolging.referrals.decision_services`."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import CASE_INTAKE, STAFF, permission
from oppfolging.referrals import decision_selectors as selectors
from oppfolging.referrals import decision_services as services
from oppfolging.referrals.decision_forms import (
    DecisionForm,
    NotificationForm,
    ServiceTypeEditForm,
    ServiceTypeForm,
)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's errors on the form's fields where it has them, else on the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- Decisions -------------------------------------------------------------------------------


@permission(STAFF)
@require_http_methods(["GET"])
def decision_list(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, decisions = selectors.decision_list(actor=actor, person_uuid=person_uuid)
    kinds = selectors.recordable_kinds(actor=actor, person=access.person)
    return render(
        request,
        "referrals/decisions/list.html",
        {
            "person": access.person,
            "decisions": decisions,
            "may_record": bool(kinds),
            "notifiable_kinds": {kind.value for kind in kinds},
            "today": timezone.localdate(),
        },
    )


@permission(CASE_INTAKE)
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.decision_write_access(
        actor=actor, person_uuid=person_uuid, audit=request.method == "GET"
    )
    person = access.person
    form = DecisionForm(
        request.POST or None,
        kinds=services.kinds_for(actor),
        service_types=selectors.service_type_choices(actor=actor, person=person),
        reports=selectors.report_choices(person=person),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_create(
                actor=actor,
                access=access,
                kind=data["kind"],
                outcome=data["outcome"],
                decided_on=data["decided_on"],
                service_type=data.get("service_type"),
                scope=data.get("scope", ""),
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                notified_on=data["notified_on"],
                reason=data["reason"],
                report=data["report"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Vedtaket er registrert."))
            return redirect("decisions:person", person_uuid=person.uuid)
    return render(request, "referrals/decisions/form.html", {"form": form, "person": person})


@permission(CASE_INTAKE)
@require_http_methods(["GET", "POST"])
def decision_notify(request: HttpRequest, decision_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    decision = selectors.decision_get_for_notification(
        actor=actor, decision_uuid=decision_uuid, audit=request.method == "GET"
    )
    initial = {"notified_on": decision.notified_on} if decision.notified_on else None
    form = NotificationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record_notification(
                actor=actor, decision=decision, notified_on=form.cleaned_data["notified_on"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Datoen for underretning er registrert."))
            return redirect("decisions:person", person_uuid=decision.person.uuid)
    return render(
        request,
        "referrals/decisions/notify.html",
        {"form": form, "decision": decision, "person": decision.person},
    )


# --- The service catalogue -------------------------------------------------------------------


@permission(CASE_INTAKE)
@require_http_methods(["GET"])
def catalogue(request: HttpRequest) -> HttpResponse:
    service_types = selectors.service_type_list(actor=actor_of(request))
    return render(request, "referrals/decisions/catalogue.html", {"service_types": service_types})


@permission(CASE_INTAKE)
@require_http_methods(["GET", "POST"])
def service_type_create(request: HttpRequest) -> HttpResponse:
    form = ServiceTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service_type = services.service_type_create(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Tjenesten %(name)s er lagt til.") % {"name": service_type.name})
            return redirect("decisions:catalogue")
    return render(request, "referrals/decisions/service_type_form.html", {"form": form, "service_type": None})


@permission(CASE_INTAKE)
@require_http_methods(["GET", "POST"])
def service_type_edit(request: HttpRequest, service_type_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    service_type = selectors.service_type_get(actor=actor, service_type_uuid=service_type_uuid)
    form = ServiceTypeEditForm.for_service_type(service_type, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_type_update(actor=actor, service_type=service_type, **form.cleaned_data)
        except ValidationError as exc:
            service_type.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("decisions:catalogue")
    return render(
        request, "referrals/decisions/service_type_form.html", {"form": form, "service_type": service_type}
    )

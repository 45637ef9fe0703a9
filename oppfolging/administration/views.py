"""The municipality administrator's pages. Each view finds its object through
:mod:`oppfolging.administration.access` (404 for missing or not yours) and writes through
:mod:`oppfolging.administration.services`."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import MUNICIPALITY_ADMIN, permission
from oppfolging.accounts.models import User
from oppfolging.administration import selectors, services
from oppfolging.administration.access import (
    access_managed_membership,
    access_managed_unit,
    access_managed_user,
)
from oppfolging.administration.forms import (
    MembershipAddForm,
    UnitForm,
    UserCreateForm,
    UserFilterForm,
    UserProfileForm,
)


def _add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's errors on the form's fields where it has them, else on the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- Users -----------------------------------------------------------------------------------


@permission(MUNICIPALITY_ADMIN)
@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = UserFilterForm(request.GET or None, units=selectors.unit_choices(actor=actor))
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {"role": form.cleaned_data["role"], "unit": form.cleaned_data["unit"]}
    users = selectors.user_list(actor=actor, **filters)
    return render(request, "administration/user_list.html", {"users": users, "filter_form": form})


@permission(MUNICIPALITY_ADMIN)
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = UserCreateForm(request.POST or None, units=selectors.unit_choices(actor=actor))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("password_confirm")
        membership = (data.pop("unit"), data.pop("role"))
        try:
            user = services.user_create(actor=actor, memberships=[membership], **data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Brukeren %(name)s er opprettet.") % {"name": user})
            return redirect("administration:user_detail", user_uuid=user.uuid)
    return render(request, "administration/user_create.html", {"form": form})


def _render_user_detail(
    request: HttpRequest,
    user: User,
    *,
    profile_form: UserProfileForm | None = None,
    membership_form: MembershipAddForm | None = None,
) -> HttpResponse:
    actor = actor_of(request)
    context = {
        "managed": user,
        "memberships": selectors.user_memberships(actor=actor, user=user),
        "profile_form": profile_form or UserProfileForm.for_user(user),
        "membership_form": membership_form
        or MembershipAddForm(units=selectors.unit_choices(actor=actor), prefix="membership"),
        "is_self": actor.user is not None and actor.user.pk == user.pk,
    }
    return render(request, "administration/user_detail.html", context)


@permission(MUNICIPALITY_ADMIN)
@require_http_methods(["GET"])
def user_detail(request: HttpRequest, user_uuid: uuid.UUID) -> HttpResponse:
    return _render_user_detail(request, access_managed_user(actor_of(request), user_uuid))


@permission(MUNICIPALITY_ADMIN)
@require_http_methods(["POST"])
def user_edit(request: HttpRequest, user_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    user = access_managed_user(actor, user_uuid)
    form = UserProfileForm(request.POST)
    if form.is_valid():
        try:
            services.user_update(actor=actor, user=user, **form.cleaned_data)
        except ValidationError as exc:
            user.refresh_from_db()
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("administration:user_detail", user_uuid=user.uuid)
    return _render_user_detail(request, user, profile_form=form)


@permission(MUNICIPALITY_ADMIN)
@require_http_methods(["POST"])
def user_set_active(request: HttpRequest, user_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    user = access_managed_user(actor, user_uuid)
    is_active = request.POST.get("is_active") == "1"
    try:
        services.user_set_active(actor=actor, user=user, is_active=is_active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if is_active:
            messages.success(request, _("%(name)s kan logge inn igjen.") % {"name": user})
        else:
            messages.success(request, _("%(name)s er deaktivert og kan ikke logge inn.") % {"name": user})
    return redirect("administration:user_detail", user_uuid=user.uuid)


@permission(MUNICIPALITY_ADMIN)
@require_http_methods(["POST"])
def membership_add(request: HttpRequest, user_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    user = access_managed_user(actor, user_uuid)
    form = MembershipAddForm(request.POST, units=selectors.unit_choices(actor=actor), prefix="membership")
    if form.is_valid():
        try:
            services.membership_add(actor=actor, user=user, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Rollen er lagt til."))
            return redirect("administration:user_detail", user_uuid=user.uuid)
    return _render_user_detail(request, user, membership_form=form)


@permission(MUNICIPALITY_ADMIN)
@require_http_methods(["POST"])
def membership_end(request: HttpRequest, user_uuid: uuid.UUID, membership_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    user = access_managed_user(actor, user_uuid)
    membership = access_managed_membership(actor, user, membership_uuid)
    try:
        services.membership_end(actor=actor, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Rollen %(role)s i %(unit)s er avsluttet.")
            % {"role": membership.get_role_display(), "unit": membership.unit.name},
        )
    return redirect("administration:user_detail", user_uuid=user.uuid)


# --- Units -----------------------------------------------------------------------------------


@permission(MUNICIPALITY_ADMIN)
@require_http_methods(["GET"])
def unit_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "administration/unit_list.html", {"units": selectors.unit_list(actor=actor_of(request))}
    )


@permission(MUNICIPALITY_ADMIN)
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    form = UnitForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Enheten %(name)s er opprettet.") % {"name": unit.name})
            return redirect("administration:units")
    return render(request, "administration/unit_form.html", {"form": form, "unit": None})


@permission(MUNICIPALITY_ADMIN)
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, unit_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    unit = access_managed_unit(actor, unit_uuid)
    form = UnitForm.for_unit(unit, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=actor, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            unit.refresh_from_db()
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("administration:units")
    return render(request, "administration/unit_form.html", {"form": form, "unit": unit})

"""Resolves the actor once per request, sets the tenant scope around the whole request, and
refuses any view that has not declared what it needs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden

from oppfolging.access.actor import resolve_actor
from oppfolging.access.rules import rule_of
from oppfolging.core.tenancy import municipality_scope, unscoped

logger = logging.getLogger(__name__)

# The Django admin governs itself (platform operators only, see config/admin.py); the JSON API
# declares a rule on every operation and refuses by default (see oppfolging/api/security.py).
SELF_GOVERNED_NAMESPACES = {"admin", "api"}


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = resolve_actor(request.user)
        request.actor = actor  # type: ignore[attr-defined]
        user = actor.user
        if user is not None and user.is_superuser and request.path_info.startswith("/admin/"):
            with unscoped():
                return self.get_response(request)
        with municipality_scope(actor.municipality):
            return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and SELF_GOVERNED_NAMESPACES.intersection(match.namespaces):
            return None
        rule = rule_of(view_func)
        if rule is None:
            logger.error("Refused %s: the view declares no access rule", request.path_info)
            return HttpResponseForbidden(b"This page declares no access rule and is refused.")
        actor = request.actor  # type: ignore[attr-defined]
        if rule.allows(actor):
            return None
        if not actor.is_authenticated:
            return redirect_to_login(request.get_full_path())
        # "Missing" and "not yours" look the same.
        raise Http404

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from oppfolging.access.actor import actor_of, resolve_actor
from oppfolging.access.rules import AUTHENTICATED, PUBLIC, permission
from oppfolging.accounts import services
from oppfolging.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    access_rule = PUBLIC
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        services.record_login(actor=resolve_actor(form.get_user()))
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        services.record_failed_login(username=str(form.data.get("username", ""))[:150])
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    access_rule = AUTHENTICATED

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        services.record_logout(actor=actor_of(request))
        return super().post(request, *args, **kwargs)


@permission(PUBLIC)
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch language and remember it: on the user when logged in, in a cookie always."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in {code for code, _name in settings.LANGUAGES}:
        return response
    actor = actor_of(request)
    if actor.user is not None:
        services.user_set_language(user=actor.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response

"""The user's language: their saved choice, else the language cookie, else their municipality's
default language (bokmål or nynorsk), else the browser's, else bokmål."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._choose(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)

    def _choose(self, request: HttpRequest) -> str | None:
        actor = getattr(request, "actor", None)
        user = getattr(actor, "user", None)
        if user is not None and user.preferred_language in SUPPORTED:
            return str(user.preferred_language)
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in SUPPORTED:
            return None  # LocaleMiddleware has already applied it
        municipality = getattr(actor, "municipality", None)
        if municipality is not None:
            return str(municipality.default_language)
        return None

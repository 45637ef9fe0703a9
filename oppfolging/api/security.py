"""API access: every operation declares ``auth=requires(rule)``; the API's default refuses.

An operation that declares nothing falls back to :data:`REFUSE`, which never authenticates, so it
answers 401 and its code does not run (fail closed). ``requires`` reuses the session (with ninja's
CSRF check for cookie authentication) and the same rules as the HTML views; an authenticated
actor the rule does not allow gets 404, as in the HTML views.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja.security import SessionAuth

from oppfolging.access.actor import Actor, actor_of
from oppfolging.access.rules import Rule


class RuleAuth(SessionAuth):
    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        actor = actor_of(request)
        if not actor.is_authenticated:
            return None
        if not self.rule.allows(actor):
            raise Http404
        return actor


class _Refuse(SessionAuth):
    """The default for operations that declare no rule."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return None


REFUSE = _Refuse()


def requires(rule: Rule) -> RuleAuth:
    return RuleAuth(rule)

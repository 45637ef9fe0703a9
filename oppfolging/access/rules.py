"""What a view or API route needs before it runs. Every route declares one rule; a route that
declares none refuses to run (see :mod:`oppfolging.access.middleware`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Role


@dataclass(frozen=True)
class Rule:
    """A named predicate on the actor. ``public`` rules also serve anonymous visitors."""

    name: str
    check: Callable[[Actor], bool]
    public: bool = False

    def allows(self, actor: Actor) -> bool:
        if not self.public and not actor.is_authenticated:
            return False
        return self.check(actor)

    def __repr__(self) -> str:
        return f"Rule({self.name})"


PUBLIC = Rule("public", lambda actor: True, public=True)
AUTHENTICATED = Rule("authenticated", lambda actor: actor.is_authenticated)
STAFF = Rule("staff", lambda actor: actor.is_staff_user)
CITIZEN = Rule("citizen", lambda actor: actor.is_citizen)


def any_role(*roles: Role) -> Rule:
    names = "|".join(sorted(role.value for role in roles))
    return Rule(f"role:{names}", lambda actor: actor.is_staff_user and actor.has_role(*roles))


# Role sets used by several views, named once.
CASE_INTAKE = any_role(Role.KE_STAFF, Role.ALLOCATION_OFFICER)
KE_ONLY = any_role(Role.KE_STAFF)
MUNICIPALITY_ADMIN = any_role(Role.MUNICIPALITY_ADMIN)

ACCESS_RULE_ATTR = "access_rule"

_V = TypeVar("_V", bound=Callable[..., Any])


def permission(rule: Rule) -> Callable[[_V], _V]:
    """Declare the rule a view needs. Without it the view does not run."""

    def mark(view: _V) -> _V:
        setattr(view, ACCESS_RULE_ATTR, rule)
        return view

    return mark


def rule_of(view: Callable[..., Any]) -> Rule | None:
    rule = getattr(view, ACCESS_RULE_ATTR, None)
    if rule is None:
        # Class-based views: as_view() keeps the class on ``view_class``.
        view_class = getattr(view, "view_class", None)
        rule = getattr(view_class, ACCESS_RULE_ATTR, None)
    return rule if isinstance(rule, Rule) else None

"""What the permission matrix is made of: the cast of users, how a route is called (Case), and
helpers for expectations. Each module beside this one adds ``ENTRIES`` for one part of the
product; ``tests/test_permission_matrix.py`` merges them and checks every route has one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ANON = "anonymous"
STAFF_USERS = [
    "fjordvik-ke",
    "fjordvik-tildeling",
    "fjordvik-koordinator",
    "fjordvik-team",
    "fjordvik-fastlege",
    "fjordvik-leder",
    "fjordvik-admin",
    "lidal-ke",
    "lidal-tildeling",
    "lidal-admin",
    "sykehus",
    "utenforstaaende",
]
CITIZENS = ["per", "aron-mor"]
EVERYONE = [ANON, *STAFF_USERS, *CITIZENS]
LOGGED_IN = [*STAFF_USERS, *CITIZENS]
FJORDVIK_INTAKE = ["fjordvik-ke", "fjordvik-tildeling"]
LIDAL_INTAKE = ["lidal-ke", "lidal-tildeling"]
ADMINS = ["fjordvik-admin", "lidal-admin"]


@dataclass
class Case:
    """One way of calling a route: its URL arguments and the expected status per user."""

    label: str
    kwargs: Callable[[Any], dict[str, Any]] = lambda cast: {}
    query: dict[str, str] = field(default_factory=dict)
    default: int = 404
    expect: dict[str, int] = field(default_factory=dict)

    def status_for(self, user: str) -> int:
        return self.expect.get(user, self.default)


def page(default: int = 404, anon: int = 302, **expect: int) -> dict[str, int]:
    return {ANON: anon, **{k.replace("_", "-"): v for k, v in expect.items()}}


def only(users: list[str], status: int = 200, anon: int = 302) -> dict[str, int]:
    return {ANON: anon, **dict.fromkeys(users, status)}


def per(cast: Any) -> dict[str, Any]:
    return {"person_uuid": cast.persons["Per"].uuid}


def sigrid(cast: Any) -> dict[str, Any]:
    return {"person_uuid": cast.persons["Sigrid"].uuid}


def fjordvik_user(cast: Any) -> dict[str, Any]:
    return {"user_uuid": cast.users["fjordvik-team"].uuid}


def lidal_user(cast: Any) -> dict[str, Any]:
    return {"user_uuid": cast.users["lidal-team"].uuid}


def fjordvik_membership(cast: Any) -> dict[str, Any]:
    user = cast.users["fjordvik-team"]
    return {"user_uuid": user.uuid, "membership_uuid": user.memberships.get().uuid}


def unit_named(name: str) -> Callable[[Any], dict[str, Any]]:
    def kwargs(cast: Any) -> dict[str, Any]:
        from oppfolging.core.models import Unit

        return {"unit_uuid": Unit.objects.get(name=name).uuid}

    return kwargs

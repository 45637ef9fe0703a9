"""Every URL pattern and API route in the project, and what each kind of user gets from it.

The route list is read from the URL resolver, so a new route without an entry here fails
``test_every_route_is_in_the_matrix``: nobody can add a page without saying who may open it.
Each entry names the URL arguments to use and the status each user gets; anything not named gets
the entry's default. "Missing" and "not yours" both answer 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from oppfolging.access.rules import rule_of
from tests.matrix import (
    ADMINS,
    ANON,
    CITIZENS,
    EVERYONE,
    FJORDVIK_INTAKE,
    LIDAL_INTAKE,
    LOGGED_IN,
    STAFF_USERS,
    Case,
    fjordvik_membership,
    fjordvik_user,
    lidal_user,
    only,
    per,
    sigrid,
    unit_named,
)

pytestmark = pytest.mark.django_db

BASE: dict[str, list[Case]] = {
    "core:home": [
        Case("start", expect={ANON: 302, "per": 302, "aron-mor": 302, **dict.fromkeys(STAFF_USERS, 200)})
    ],
    "core:healthz": [Case("health", default=200)],
    "accounts:login": [Case("login", default=302, expect={ANON: 200})],
    "accounts:logout": [Case("GET is not logging out", default=405, expect={ANON: 302})],
    "accounts:language": [Case("POST only", default=405)],
    "people:search": [Case("search", query={"q": "Olsen"}, expect=only([*FJORDVIK_INTAKE, *LIDAL_INTAKE]))],
    "people:create": [Case("form", expect=only([*FJORDVIK_INTAKE, *LIDAL_INTAKE]))],
    "people:detail": [
        Case("Fjordvik person", per, expect=only(FJORDVIK_INTAKE)),
        Case("Lidal person", sigrid, expect=only(LIDAL_INTAKE)),
    ],
    "people:edit": [
        Case("Fjordvik person", per, expect=only(FJORDVIK_INTAKE)),
        Case("Lidal person", sigrid, expect=only(LIDAL_INTAKE)),
    ],
    "people:relative_create": [
        Case("Fjordvik person", per, expect=only(FJORDVIK_INTAKE)),
        Case("Lidal person", sigrid, expect=only(LIDAL_INTAKE)),
    ],
    "people:access_log": [
        Case("Per's log", per, expect=only(["fjordvik-ke", "per"])),
        Case("Sigrid's log", sigrid, expect=only(["lidal-ke"])),
    ],
    "administration:users": [Case("list", expect=only(ADMINS))],
    "administration:units": [Case("list", expect=only(ADMINS))],
    "administration:user_create": [Case("form", expect=only(ADMINS))],
    "administration:user_detail": [
        Case("Fjordvik user", fjordvik_user, expect=only(["fjordvik-admin"])),
        Case("Lidal user", lidal_user, expect=only(["lidal-admin"])),
        Case("external user", lambda cast: {"user_uuid": cast.users["sykehus"].uuid}, expect=only([])),
    ],
    # POST-only routes: a GET is refused by method before any lookup, so 405 reveals nothing.
    "administration:user_edit": [Case("POST only", fjordvik_user, expect=only(ADMINS, 405))],
    "administration:user_set_active": [Case("POST only", fjordvik_user, expect=only(ADMINS, 405))],
    "administration:membership_add": [Case("POST only", fjordvik_user, expect=only(ADMINS, 405))],
    "administration:membership_end": [Case("POST only", fjordvik_membership, expect=only(ADMINS, 405))],
    "administration:unit_create": [Case("form", expect=only(ADMINS))],
    "administration:unit_edit": [
        Case("Fjordvik unit", unit_named("Hjemmetjenesten Fjordvik"), expect=only(["fjordvik-admin"])),
        Case("Lidal unit", unit_named("Heimetenesta Lidal"), expect=only(["lidal-admin"])),
        Case("external unit", unit_named("Fjellheim sykehus, medisinsk avdeling"), expect=only([])),
    ],
    "audit:my_activity": [Case("own log", default=200, expect={ANON: 302})],
    "portal:home": [Case("own page", expect=only(CITIZENS))],
    "api:openapi-json": [Case("schema", default=200)],
    "api:api-root": [Case("root", default=404)],
    "api:me": [Case("me", default=200, expect={ANON: 401})],
    "api:person_search": [
        Case("search", query={"q": "o"}, expect=only([*FJORDVIK_INTAKE, *LIDAL_INTAKE], anon=401))
    ],
    "api:person_detail": [
        Case("Fjordvik person", per, expect=only(FJORDVIK_INTAKE, anon=401)),
        Case("Lidal person", sigrid, expect=only(LIDAL_INTAKE, anon=401)),
    ],
}


def _merged() -> dict[str, list[Case]]:
    """The entries above, and every ``ENTRIES`` in the modules of ``tests/matrix``."""
    import importlib
    import pkgutil

    import tests.matrix

    merged = dict(BASE)
    for module_info in pkgutil.iter_modules(tests.matrix.__path__):
        module = importlib.import_module(f"tests.matrix.{module_info.name}")
        for name, cases in module.ENTRIES.items():
            assert name not in merged, f"{name} has entries in two places"
            merged[name] = cases
    return merged


MATRIX = _merged()


def _routes(patterns: list[Any], namespaces: tuple[str, ...] = ()) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _routes(entry.url_patterns, inner)
        else:
            yield ":".join((*namespaces, entry.name or "<unnamed>")), entry


ALL_ROUTES = list(_routes(get_resolver().url_patterns))
APP_ROUTES = [(name, pattern) for name, pattern in ALL_ROUTES if not name.startswith("admin:")]


def test_every_route_is_in_the_matrix():
    names = {name for name, _pattern in APP_ROUTES}
    assert "<unnamed>" not in {n.split(":")[-1] for n in names}, "every route needs a name"
    assert names - set(MATRIX) == set(), "routes with no entry in the permission matrix"
    assert set(MATRIX) - names == set(), "matrix entries for routes that no longer exist"


def test_every_html_view_declares_an_access_rule():
    for name, pattern in APP_ROUTES:
        if name.startswith("api:"):
            continue  # API operations: oppfolging/api/tests/test_api.py
        assert rule_of(pattern.callback) is not None, f"{name} declares no access rule"


CASES = [(name, case, user) for name, cases in MATRIX.items() for case in cases for user in EVERYONE]


@pytest.mark.parametrize(("name", "case", "user"), CASES, ids=[f"{n}[{c.label}]-{u}" for n, c, u in CASES])
def test_matrix(cast, name, case, user):
    client = cast.client(None if user == ANON else user)
    url = reverse(name, kwargs=case.kwargs(cast))
    response = client.get(url, case.query)
    expected = case.status_for(user)
    assert response.status_code == expected, f"{user} GET {url}: {response.status_code}, expected {expected}"
    if expected == 302 and user == ANON and not name.startswith("accounts:"):
        assert response["Location"].startswith(reverse("accounts:login"))


ADMIN_ROUTES = [
    (name, pattern)
    for name, pattern in ALL_ROUTES
    if name.startswith("admin:") and pattern.pattern.regex.groups == 0
]


@pytest.mark.parametrize("user", [ANON, *LOGGED_IN])
def test_django_admin_is_for_platform_operators_only(cast, user):
    """Municipal staff, whatever their roles, are sent to the admin's own login and see nothing."""
    client = cast.client(None if user == ANON else user)
    assert ADMIN_ROUTES
    for name, _pattern in ADMIN_ROUTES:
        if name in {"admin:login", "admin:logout", "admin:jsi18n"}:
            continue
        response = client.get(reverse(name))
        assert response.status_code == 302, f"{user} {name}: {response.status_code}"
        assert "/admin/login/" in response["Location"]


def test_a_platform_operator_reaches_the_admin(cast):
    from oppfolging.accounts.models import User

    operator = User.objects.create_superuser("drift", "drift@demo.invalid", "irrelevant-password-1")
    client = cast.client(None)
    client.force_login(operator)
    assert client.get(reverse("admin:index")).status_code == 200
    for name, _pattern in ADMIN_ROUTES:
        # autocomplete answers 403 without its query parameters, to operators too
        if name not in {"admin:logout", "admin:login", "admin:autocomplete"}:
            assert client.get(reverse(name)).status_code == 200, name

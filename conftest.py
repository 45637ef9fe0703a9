"""The cast every test can use: two municipalities with a user in every role in each, an external
hospital user, an outsider with no role, citizens, and the demo persons. Loaded once per test
database (the demo loader, with a fast password hasher); each test rolls back its own changes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from oppfolging.accounts.models import User
from oppfolging.core.models import Municipality
from oppfolging.core.tenancy import unscoped
from oppfolging.people.models import Person

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The browser tests' fixtures, registered once for the whole suite: a browser test outside
# tests/browser (the assessment's) then shares the session's server and its demo database
# instead of starting a second one (about 40 s).
pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from django.test import override_settings

    from oppfolging.core.demo import load_demo

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        load_demo(pathway=False)


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a request activates its user's language for the
    thread (``UserLanguageMiddleware``), which would otherwise carry into the next test run by
    the same worker (seen: a nynorsk plural in a test that reads bokmål)."""
    translation.deactivate()
    yield
    translation.deactivate()


@dataclass
class Cast:
    """Users by demo username, persons by given name, municipalities by slug."""

    users: dict[str, User]
    persons: dict[str, Person]
    municipalities: dict[str, Municipality]

    def client(self, username: str | None) -> Client:
        client = Client()
        if username is not None:
            client.force_login(self.users[username])
        return client


@pytest.fixture
def cast(db: None) -> Cast:
    with unscoped():
        return Cast(
            users={u.username: u for u in User.objects.all()},
            persons={p.given_name: p for p in Person.objects.select_related("municipality")},
            municipalities={m.name.split()[0].lower(): m for m in Municipality.objects.all()},
        )


@pytest.fixture
def in_scope() -> Iterator[None]:
    """Lift the tenant scope for test set-up code that reaches across municipalities."""
    with unscoped():
        yield

"""Fixtures of the browser tests: a real development server on a fresh database of its own
(see server.py), and Debian's headless Chromium driven by Playwright (see browsing.py).

The server lives for the session. The browser lives as long as this package's tests
(``scope="package"``), not the whole session: while Playwright's sync API is started, its event
loop counts as running in the main thread, and Django would refuse ORM calls in every later test
with SynchronousOnlyOperation ("You cannot call this from an async context").
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.browsing import CHROMIUM, CHROMIUM_ARGS, Browsing
from tests.browser.server import BrowserServer, demo_users, fresh_database, manage, serve, server_env


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, or a failure (never a skip): CI installs it, so its absence is a fault."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is missing: {CHROMIUM} does not exist. The browser tests drive Debian's "
            "chromium package and never download a browser; install it with "
            "`apt-get install -y chromium` (.ci/run does).",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserServer]:
    """``manage.py runserver`` on a free port, over a fresh database with the demo loaded —
    Per with his team and no plan yet (steps 1-5 of the acceptance scenario behind him), since a
    browser test walks steps 6-9."""
    directory = tmp_path_factory.mktemp("browser")
    with fresh_database(directory) as database_url:
        env = server_env(database_url)
        manage(["migrate", "--noinput"], env)
        manage(["demo", "--per-at", "team"], env)
        users = demo_users(manage(["demo_logins", "--json"], env))
        log = directory / "runserver.log"
        with serve(env, log) as url:
            yield BrowserServer(url=url, users=users, database_url=database_url, log=log)


@pytest.fixture(scope="package")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browsing(chromium: Path, browser_server: BrowserServer, browser: Browser) -> Iterator[Browsing]:
    # `chromium` first: without it, fail before the server and its database are set up.
    session = Browsing(browser=browser, server=browser_server)
    try:
        yield session
    finally:
        session.close()

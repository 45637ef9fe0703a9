#!/usr/bin/env python
"""Screenshots of the demo for the docs: the coordinator's day and Per's plan as his coordinator
sees them, Per's own page on a phone, and the leaders' indicators as Fjordvik's leader sees them.

    python benchmarks/screenshots.py            # -> docs/images/*.png
    python benchmarks/screenshots.py indicators-dashboard.png   # only the images named

It serves the demo from a throwaway SQLite database of its own (a temporary directory, deleted
afterwards) with the same helpers the browser tests use, logs in as the demo users, and saves
full-page PNGs with Debian's Chromium through Playwright.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
SHOTS = [
    # (user, path or "per-plan"/"per-own", file, width)
    ("fjordvik-koordinator", "/oppfolging/min-dag/", "coordinator-day.png", 1280),
    ("fjordvik-koordinator", "per-plan", "plan-page.png", 1280),
    ("per", "per-own", "portal-phone.png", 390),
]
DASHBOARD_HEIGHT = 2600  # px: the filters, the period and the first sections, not all of them


def log_in(browser: Any, url: str, username: str, password: str, width: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url + "/konto/logg-inn/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form:has(#id_username) [type=submit]").click()
    return page


def indicators_dashboard(browser: Any, url: str, password: str) -> Path:
    """The leaders' indicators as Fjordvik's leader sees them (the default period, by quarter):
    the top of the page, since the whole dashboard is many screens long."""
    page = log_in(browser, url, "fjordvik-leder", password, 1280)
    page.goto(url + "/indikatorer/")
    height = min(DASHBOARD_HEIGHT, int(page.evaluate("() => document.documentElement.scrollHeight")))
    path = OUT / "indicators-dashboard.png"
    page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": height})
    page.close()
    return path


def main() -> None:
    wanted = set(sys.argv[1:])  # file names; none: every image
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.browser.browsing import CHROMIUM, CHROMIUM_ARGS
    from tests.browser.server import demo_users, manage, serve, server_env

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as directory:
        env = server_env(f"sqlite:///{directory}/demo.sqlite3")
        manage(["migrate", "--noinput"], env)
        manage(["demo"], env)
        users = demo_users(manage(["demo_logins", "--json"], env))
        per = manage(
            [
                "shell",
                "-c",
                "from oppfolging.core.tenancy import unscoped\n"
                "from oppfolging.people.models import Person\n"
                "with unscoped():\n"
                "    print(Person.objects.get(given_name='Per', municipality__number='9901').uuid)",
            ],
            env,
        ).split()[-1]
        paths = {"per-plan": f"/plan/{per}/", "per-own": f"/min-side/{per}/"}
        with serve(env, Path(directory) / "server.log") as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for username, path, name, width in SHOTS:
                if wanted and name not in wanted:
                    continue
                page = log_in(browser, url, username, users[username].password, width)
                page.goto(url + paths.get(path, path))
                page.screenshot(path=str(OUT / name), full_page=True)
                print(OUT / name)
                page.close()
            if not wanted or "indicators-dashboard.png" in wanted:
                print(indicators_dashboard(browser, url, users["fjordvik-leder"].password))
            browser.close()


if __name__ == "__main__":
    main()

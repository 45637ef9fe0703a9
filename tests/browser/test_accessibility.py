"""WCAG 2.1 A and AA with axe-core, in headless Chromium, on the pages every user sees first: the
login page, a failed login, and the start page of every demo user after logging in through the
real login form — staff in every role in both municipalities, the hospital user, the outsider
and the citizens. Each page must also load without a Content-Security-Policy violation.

Run only these: ``pytest -m browser``; everything else: ``pytest -m "not browser"``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import Error, Page, expect

from oppfolging.accounts.forms import LoginForm
from oppfolging.core.demo import STAFF_ROLES, TOWNS
from tests.browser.axe import axe_violations, describe
from tests.browser.browsing import DESKTOP, PHONE, Browsing
from tests.browser.server import BrowserServer

pytestmark = pytest.mark.browser

LOGIN = "/konto/logg-inn/"
LOGOUT = "/konto/logg-ut/"
START = "/"
PORTAL = "/min-side/"

# Every demo user: staff in every role in each municipality, then the hospital user, the outsider
# and the citizens. test_every_demo_user_is_covered fails when the demo gains a user not here.
USERNAMES = [f"{town.slug}-{suffix}" for town in TOWNS for suffix in STAFF_ROLES] + [
    "sykehus",
    "utenforstaaende",
    "per",
    "aron-mor",
]
# At a phone's width too: the richest staff start page, the leader's tables, and a citizen's page.
PHONE_USERNAMES = ["fjordvik-ke", "fjordvik-leder", "per"]
START_PAGES = [pytest.param(name, DESKTOP, id=f"{name}-desktop") for name in USERNAMES] + [
    pytest.param(name, PHONE, id=f"{name}-phone") for name in PHONE_USERNAMES
]
VIEWPORTS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


def size(viewport: dict[str, int]) -> str:
    return f"{viewport['width']}x{viewport['height']}"


def assert_accessible(browsing: Browsing, page: Page, label: str) -> None:
    """No WCAG 2.1 A/AA violation by axe, and no Content-Security-Policy violation in the console
    of any page this test opened."""
    problems = []
    violations = axe_violations(page)
    if violations:
        problems.append(f"{len(violations)} WCAG 2.1 A/AA rule(s) violated:\n{describe(violations)}")
    csp = browsing.csp_violations()
    if csp:
        problems.append("Content-Security-Policy violations:\n" + "\n".join(f"- {line}" for line in csp))
    if problems:
        other = [line for line in browsing.console_errors() if line not in csp]
        if other:
            problems.append("Other console errors:\n" + "\n".join(f"- {line}" for line in other))
        pytest.fail(f"{label}: {page.url}\n" + "\n\n".join(problems), pytrace=False)


def log_in(page: Page, username: str, password: str) -> None:
    """Fill in and send the real login form, and wait for the page it leads to."""
    response = page.goto(LOGIN)
    assert response is not None
    assert response.status == 200, f"{LOGIN} answered {response.status}"
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form:has(#id_username) [type=submit]").click()


def main_text(page: Page) -> str:
    return " ".join(page.locator("main").inner_text().split())[:500]


def test_every_demo_user_is_covered(browser_server: BrowserServer) -> None:
    listed = set(browser_server.users)
    assert listed == set(USERNAMES), (
        f"demo_logins and this test disagree; not tested: {sorted(listed - set(USERNAMES))}, "
        f"no longer in the demo: {sorted(set(USERNAMES) - listed)}"
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_login_page(browsing: Browsing, viewport: dict[str, int]) -> None:
    page = browsing.new_page(viewport)
    response = page.goto(LOGIN)
    assert response is not None
    assert response.status == 200
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("#id_password")).to_be_visible()
    assert_accessible(browsing, page, f"the login page at {size(viewport)}")


@pytest.mark.parametrize(("username", "viewport"), START_PAGES)
def test_start_page_after_login(browsing: Browsing, username: str, viewport: dict[str, int]) -> None:
    user = browsing.server.users.get(username)
    if user is None:
        pytest.fail(f"{username} is not among the demo users of manage.py demo_logins", pytrace=False)
    page = browsing.new_page(viewport)
    log_in(page, user.username, user.password)
    expected = PORTAL if user.is_citizen else START
    landed = urlsplit(page.url).path
    if landed != expected:
        pytest.fail(
            f"{username} logged in and landed on {page.url}, not {expected}. It says: {main_text(page)}",
            pytrace=False,
        )
    # Logged in: the header offers to log out.
    expect(page.locator(f"form[action='{LOGOUT}']")).to_have_count(1)
    who = ", ".join(user.roles) or user.kind
    where = f" in {user.municipality}" if user.municipality else ""
    assert_accessible(browsing, page, f"the start page of {username} ({who}{where}) at {size(viewport)}")


def test_failed_login_shows_an_accessible_error(browsing: Browsing) -> None:
    user = browsing.server.users["fjordvik-ke"]
    page = browsing.new_page()
    log_in(page, user.username, "not-the-password")
    assert urlsplit(page.url).path == LOGIN, f"a wrong password led to {page.url}"
    with translation.override("nb"):
        message = str(LoginForm.error_messages["invalid_login"])
    expect(page.get_by_text(message)).to_be_visible()
    expect(page.locator("#id_password")).to_be_visible()
    expect(page.locator(f"form[action='{LOGOUT}']")).to_have_count(0)
    assert_accessible(browsing, page, "the login page after a wrong password")


def test_a_csp_violation_is_caught(browsing: Browsing) -> None:
    """The watch on the console works, and the pages keep their real policy (axe is not let in by
    switching it off): an inline script is refused, and the refusal is seen."""
    page = browsing.new_page()
    page.goto(LOGIN)
    with (
        page.expect_console_message(lambda message: "Content Security Policy" in message.text),
        pytest.raises(Error, match="Content Security Policy"),
    ):
        page.add_script_tag(content="window.inlineScriptRan = true;")
    assert page.evaluate("() => window.inlineScriptRan") is None, "an inline script ran despite the policy"
    assert browsing.csp_violations(), browsing.console


def test_axe_finds_and_reports_a_violation(browsing: Browsing) -> None:
    """axe really runs with the WCAG rules, and a violation is reported with its selector."""
    page = browsing.new_page()
    page.goto(LOGIN)
    page.evaluate(
        """() => {
            const image = document.createElement("img");
            image.id = "axe-canary";
            image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
            document.querySelector("main").append(image);
        }"""
    )
    violations = [v for v in axe_violations(page) if v["id"] == "image-alt"]
    report = describe(violations)
    assert "- image-alt [critical] Images must have alternative text" in report, report
    assert "* #axe-canary" in report, report

"""The assessment page in headless Chromium: the script autosaves drafts, keeps a copy in the
browser through an expired session and puts it back after the next login, a section is saved in
place, a conflicting save shows both texts, and the page has no WCAG 2.1 A/AA violation.

Run with ``pytest -m browser``. The fixtures are the browser tests' own (tests/browser), except
that the browser lives for this module only: while Playwright runs, Django refuses ORM calls in
the main thread, and the other tests of this package use the ORM.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser.browsing import CHROMIUM_ARGS, Browsing
from tests.browser.test_accessibility import assert_accessible, log_in

pytestmark = pytest.mark.browser

DRAFT_KEYS = "() => Object.keys(localStorage).filter(k => k.startsWith('oppfolging.assessment.draft.'))"


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def _logged_in(browsing: Browsing, page: Page | None = None) -> Page:
    office = browsing.server.users["fjordvik-tildeling"]
    page = page or browsing.new_page()
    log_in(page, office.username, office.password)
    return page


def _save(page: Page, key: str) -> None:
    """Press the section's own «Lagre» (its first button; the second saves a draft)."""
    page.locator(f"#section-{key} form[data-section-form] button[type=submit]").first.click()


def _open_pers_assessment(page: Page) -> str:
    """Start Per's assessment through the pages (or go to the one under way); its path."""
    page.goto("/personer/?q=Olsen")
    href = page.get_by_role("link", name="Per Olsen").first.get_attribute("href")
    assert href is not None
    person_uuid = href.strip("/").split("/")[-1]
    page.goto(f"/kartlegging/ny/?person={person_uuid}")
    with page.expect_navigation():
        existing = page.get_by_role("link", name="Gå til kartleggingen")
        if existing.count():
            existing.click()
        else:
            page.get_by_role("button", name="Start kartleggingen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tverrfaglig kartlegging av Per Olsen")
    return page.url


def test_nothing_typed_is_lost(browsing: Browsing) -> None:
    page = _logged_in(browsing)
    path = _open_pers_assessment(page)
    assert_accessible(browsing, page, "the assessment page")

    # Typing autosaves a draft on the server and keeps a copy in the browser.
    page.locator("#id_wishes-text").fill("Å gå tur med hunden igjen.")
    expect(page.locator("#section-wishes-status")).to_contain_text("Utkast lagret")
    assert len(page.evaluate(DRAFT_KEYS)) == 1

    # The session ends; what is typed now cannot reach the server but stays in the browser.
    page.context.clear_cookies()
    page.locator("#id_family-text").fill("Datter bor i nærheten.")
    expect(page.locator("[data-session-expired]")).to_be_visible()
    expect(page.locator("#section-family-status")).to_contain_text("tatt vare på i denne nettleseren")
    assert len(page.evaluate(DRAFT_KEYS)) == 2

    # After logging in again, the page puts the text back and offers the server's draft.
    _logged_in(browsing, page)
    page.goto(path)
    expect(page.locator("#id_family-text")).to_have_value("Datter bor i nærheten.")
    expect(page.locator("#section-family-status")).to_contain_text("hentet tilbake")
    expect(page.locator("#section-wishes")).to_contain_text("Du har et utkast fra")
    expect(page.locator("#id_wishes-text")).to_have_value("Å gå tur med hunden igjen.")

    # Saving swaps the section in place and forgets the browser's copy.
    _save(page, "family")
    expect(page.locator("#section-family")).to_contain_text("Lagret.")
    expect(page.locator("#section-family")).to_contain_text("Sist lagret av Tor Tildeling")
    page.wait_for_function(f"() => ({DRAFT_KEYS})().length === 1")

    # Someone saves the same section in another window: the stale save shows both texts.
    other = _logged_in(browsing)
    other.goto(path)
    other.locator("#id_medical-text").fill("KOLS, stabil.")
    _save(other, "medical")
    expect(other.locator("#section-medical")).to_contain_text("Lagret.")
    page.locator("#id_medical-text").fill("Hjertesvikt, ny medisin.")
    _save(page, "medical")
    section = page.locator("#section-medical")
    expect(section).to_contain_text("Ingenting er overskrevet")
    expect(section).to_contain_text("KOLS, stabil.")
    expect(page.locator("#id_medical-text")).to_have_value("Hjertesvikt, ny medisin.")
    assert_accessible(browsing, page, "the assessment page with a refused save")
    page.goto(path + "del/wishes/?utkast=1")
    expect(page.locator("#id_wishes-text")).to_have_value("Å gå tur med hunden igjen.")
    assert_accessible(browsing, page, "a section on a page of its own, with the draft taken in")
    # The refused requests of the expired session are logged by the browser; the script threw nothing.
    assert [line for line in browsing.console if line.startswith("[pageerror]")] == [], browsing.console


def test_without_script_drafts_and_conflicts_work_as_plain_forms(browsing: Browsing) -> None:
    def plain_page() -> Page:
        context = browsing.browser.new_context(
            base_url=browsing.server.url, java_script_enabled=False, locale="nb-NO"
        )
        browsing.contexts.append(context)
        return _logged_in(browsing, context.new_page())

    page = plain_page()
    path = _open_pers_assessment(page)
    page.locator("#id_coping_technology-text").fill("Trygghetsalarm.")
    with page.expect_navigation():
        page.locator("#section-coping_technology").get_by_role("button", name="Lagre som utkast").click()
    expect(page.locator("main")).to_contain_text("Utkastet er lagret.")
    section = page.locator("#section-coping_technology")
    expect(section).to_contain_text("Du har et utkast fra")
    with page.expect_navigation():
        section.get_by_role("link", name="Bruk utkastet").click()
    expect(page.locator("#id_coping_technology-text")).to_have_value("Trygghetsalarm.")

    other = plain_page()
    other.goto(path)
    other.locator("#id_coping_technology-text").fill("Rullator.")
    with other.expect_navigation():
        _save(other, "coping_technology")
    expect(other.locator("main")).to_contain_text("er lagret")

    with page.expect_navigation():
        _save(page, "coping_technology")
    expect(page.locator("main")).to_contain_text("Ingenting er overskrevet")
    expect(page.locator("main")).to_contain_text("Rullator.")
    expect(page.locator("#id_coping_technology-text")).to_have_value("Trygghetsalarm.")

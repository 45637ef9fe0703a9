"""The leaders' indicators in headless Chromium, as the Fjordvik leader sees them over the demo
(its pathway loaded): the dashboard, one indicator's drill-down and the printable report, each
with zero WCAG 2.1 A/AA violations and no Content-Security-Policy violation, at desktop and
phone width; no demo person's name or identity number anywhere in the pages; and the report's
print view without the menu."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from oppfolging.core.demo import PERSONS
from tests.browser.browsing import DESKTOP, Browsing
from tests.browser.test_accessibility import VIEWPORTS, assert_accessible, log_in, size

pytestmark = pytest.mark.browser

IDENTITY_NUMBER = re.compile(r"\b\d{11}\b|\b\d{6} \*{5}")


def assert_no_person(page: Page, label: str) -> None:
    """No demo person's full name, identity number or masked number is in the page's HTML."""
    html = page.content()
    for given, family, *_rest in PERSONS:
        assert f"{given} {family}" not in html, f"{label}: {given} {family} is on {page.url}"
    found = IDENTITY_NUMBER.search(html)
    assert found is None, f"{label}: an identity number ({found.group(0) if found else ''}) is on {page.url}"


def _leader_on_the_dashboard(browsing: Browsing, viewport: dict[str, int]) -> Page:
    leader = browsing.server.users["fjordvik-leder"]
    page = browsing.new_page(viewport)
    # Each page computes every indicator (the drill-down: one per unit and target group); on
    # PostgreSQL with a busy 2-core machine that took more than the default 15 s once.
    page.set_default_timeout(60_000)
    log_in(page, leader.username, leader.password)
    expect(page.locator("nav.app-header__nav a[href='/indikatorer/']")).to_have_text("Indikatorer")
    page.goto("/indikatorer/")
    expect(page.locator("h1")).to_have_text("Indikatorer")
    return page


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_dashboard_a_drill_down_and_the_report(browsing: Browsing, viewport: dict[str, int]) -> None:
    page = _leader_on_the_dashboard(browsing, viewport)
    expect(page.locator("main svg[role=img]").first).to_be_visible()
    expect(page.locator("main article.app-ind").first).to_be_visible()
    assert_accessible(browsing, page, f"the indicators at {size(viewport)}")
    assert_no_person(page, "the indicators")

    with page.expect_navigation():
        page.locator("main article.app-ind h3 a").first.click()
    expect(page.locator("#drill-unit")).to_be_visible()
    expect(page.locator("#drill-group")).to_be_visible()
    assert_accessible(browsing, page, f"an indicator's drill-down at {size(viewport)}")
    assert_no_person(page, "the drill-down")

    page.goto("/indikatorer/")
    with page.expect_navigation():
        page.locator("main a", has_text="Rapport for utskrift").click()
    expect(page.locator("h1")).to_contain_text("Indikatorrapport for Fjordvik kommune")
    assert_accessible(browsing, page, f"the indicators' report at {size(viewport)}")
    assert_no_person(page, "the report")


def test_a_unit_and_a_target_group_by_month(browsing: Browsing) -> None:
    page = _leader_on_the_dashboard(browsing, DESKTOP)
    page.locator("#id_step").select_option("month")
    page.locator("#id_unit").select_option(label="Hjemmetjenesten Fjordvik")
    page.locator("#id_group").select_option("frail_elderly")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    expect(page.locator(".app-ind-about")).to_contain_text("Hjemmetjenesten Fjordvik, Skrøpelige eldre")
    assert_accessible(browsing, page, "the indicators for a unit and a target group by month")
    assert_no_person(page, "the indicators for a unit")


def test_another_unit_is_a_form_error(browsing: Browsing) -> None:
    page = _leader_on_the_dashboard(browsing, DESKTOP)
    page.goto("/indikatorer/?unit=00000000-0000-0000-0000-000000000000")
    expect(page.locator(".ds-error-summary")).to_be_visible()
    expect(page.locator("main article.app-ind")).to_have_count(0)
    assert_accessible(browsing, page, "the indicators with a unit that is not the leader's")


def test_the_report_prints_without_the_menu(browsing: Browsing) -> None:
    page = _leader_on_the_dashboard(browsing, DESKTOP)
    page.goto("/indikatorer/rapport/")
    page.emulate_media(media="print")
    expect(page.locator(".app-header__nav")).to_be_hidden()
    expect(page.locator(".app-report__tools").first).to_be_hidden()
    expect(page.locator(".app-report__section").first).to_be_visible()

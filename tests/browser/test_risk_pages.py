"""The risk work-lists, a person's risk page (empty, and with a form's errors) and the risk
pyramid in headless Chromium: zero WCAG 2.1 A/AA violations and no Content-Security-Policy
violation, at desktop and phone width. The demo scores a small synthetic Fjordvik extract
(:func:`oppfolging.risk.demo.load_risk_demo`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.browsing import Browsing
from tests.browser.test_accessibility import VIEWPORTS, assert_accessible, log_in, size

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_gp_list_and_a_persons_page(browsing: Browsing, viewport: dict[str, int]) -> None:
    gp = browsing.server.users["fjordvik-fastlege"]
    page = browsing.new_page(viewport)
    log_in(page, gp.username, gp.password)
    page.goto("/risiko/mine/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main table tbody tr").first).to_be_visible()
    assert_accessible(browsing, page, f"the GP's risk list at {size(viewport)}")
    with page.expect_navigation():
        page.locator("main table tbody a").first.click()
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(browsing, page, f"a person's risk page at {size(viewport)}")
    page.locator("#id_reason").fill("")
    with page.expect_navigation():
        page.locator("form[action$='/vurdert/'] [type=submit]").click()
    expect(page.locator(".ds-error-summary")).to_be_visible()
    assert_accessible(browsing, page, f"a person's risk page with an error at {size(viewport)}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_ke_list_and_the_pyramid(browsing: Browsing, viewport: dict[str, int]) -> None:
    ke = browsing.server.users["fjordvik-ke"]
    page = browsing.new_page(viewport)
    log_in(page, ke.username, ke.password)
    page.goto("/risiko/kommune/?tier=3")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(browsing, page, f"KE's risk list at {size(viewport)}")
    page.goto("/risiko/befolkning/")
    expect(page.locator("svg[role=img]")).to_have_count(1)
    assert_accessible(browsing, page, f"the risk pyramid at {size(viewport)}")

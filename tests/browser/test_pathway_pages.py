"""The pathway's entry and overview in headless Chromium: the report-of-need form (empty, with
errors, sent, and its receipt) and the KE overview, each with zero WCAG 2.1 A/AA violations and no
Content-Security-Policy violation, at desktop and phone width."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from oppfolging.lib.identity import Sex, make_synthetic
from tests.browser.browsing import DESKTOP, PHONE, Browsing
from tests.browser.test_accessibility import VIEWPORTS, assert_accessible, log_in, size

pytestmark = pytest.mark.browser

NEW_PERSON_NUMBER = make_synthetic(datetime.date(1961, 3, 3), sex=Sex.MALE, serial=77)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_report_form_empty_and_with_errors(browsing: Browsing, viewport: dict[str, int]) -> None:
    gp = browsing.server.users["fjordvik-fastlege"]
    page = browsing.new_page(viewport)
    log_in(page, gp.username, gp.password)
    page.goto("/meldinger/ny/")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(browsing, page, f"the empty report form at {size(viewport)}")
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()
    expect(page.locator(".ds-error-summary")).to_be_visible()
    assert_accessible(browsing, page, f"the report form with errors at {size(viewport)}")


def test_report_is_sent_and_receipted(browsing: Browsing) -> None:
    gp = browsing.server.users["fjordvik-fastlege"]
    page = browsing.new_page(DESKTOP)
    log_in(page, gp.username, gp.password)
    page.goto("/meldinger/ny/")
    page.locator("#id_national_id").fill(NEW_PERSON_NUMBER)
    page.locator("#id_given_name").fill("Ragnar")
    page.locator("#id_family_name").fill("Ness")
    page.locator("#id_observed").fill("Flere fall hjemme, trenger hjelp fra flere tjenester.")
    page.locator("input[name=knowledge][value=agrees]").check()
    page.locator("input[name=channel][value=electronic]").check()
    page.locator("input[name=source][value=staff]").check()
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()
    assert urlsplit(page.url).path.endswith("/kvittering/"), page.url
    expect(page.locator("main")).to_contain_text("Ragnar")
    assert_accessible(browsing, page, "the receipt")


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_ke_overview(browsing: Browsing, viewport: dict[str, int]) -> None:
    ke = browsing.server.users["fjordvik-ke"]
    page = browsing.new_page(viewport)
    log_in(page, ke.username, ke.password)
    response = page.goto("/oversikt/")
    assert response is not None
    assert response.status == 200
    expect(page.locator("main table")).to_have_count(1)
    assert_accessible(browsing, page, f"the KE overview at {size(viewport)}")
    page.goto("/meldinger/mottak/")
    assert_accessible(browsing, page, f"the queue at {size(viewport)}")

"""Per answers «Hvordan opplever du oppfølgingen?» on his phone: the link from his page, the six
questions as groups of large buttons, a refused empty form and the stored answer — with zero
WCAG 2.1 A/AA violations (axe) and no Content-Security-Policy violation on every page visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.browsing import PHONE, Browsing
from tests.browser.server import manage, server_env
from tests.browser.test_accessibility import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_per_answers_the_survey_on_his_phone(browsing: Browsing) -> None:
    server = browsing.server
    person = (
        manage(
            [
                "shell",
                "-c",
                "from oppfolging.core.tenancy import unscoped\n"
                "from oppfolging.people.models import Person\n"
                "with unscoped():\n"
                "    print(Person.objects.get(given_name='Per', municipality__number='9901').uuid)",
            ],
            server_env(server.database_url),
        )
        .strip()
        .splitlines()[-1]
    )
    per_user = server.users["per"]
    phone = browsing.new_page(PHONE)
    log_in(phone, per_user.username, per_user.password)
    response = phone.goto(f"/min-side/{person}/")
    assert response is not None
    assert response.status == 200
    with phone.expect_navigation():
        phone.get_by_role("link", name="Svar på spørsmålene").click()
    expect(phone.locator("h1")).to_have_text("Hvordan opplever du oppfølgingen?")
    expect(phone.locator("main fieldset legend")).to_have_count(6)
    assert_accessible(browsing, phone, "the survey")
    # Sent with nothing chosen: refused, with the error summary.
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main")).to_contain_text("Svar på minst ett av spørsmålene før du sender.")
    assert_accessible(browsing, phone, "the refused survey")
    for fieldset in phone.locator("main fieldset").all():
        fieldset.get_by_role("radio", name="4").check()
    phone.get_by_role("group", name="Alt i alt har jeg nytte av oppfølgingen.").get_by_role(
        "radio", name="5 helt enig"
    ).check()
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main")).to_contain_text("Takk! Svarene dine er lagret.")
    assert phone.url.endswith(f"/min-side/{person}/")
    assert_accessible(browsing, phone, "Per's page after the survey")

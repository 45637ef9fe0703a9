"""The «Per» scenario's steps 6 to 9 (SPEC §8) in headless Chromium, as the coordinator clicks
through them, and then Per himself logging in to see his plan and his next meeting — with zero
WCAG 2.1 A/AA violations (axe) and no Content-Security-Policy violation on every page visited.

The server's demo has Per with his team in place and no plan (``manage.py demo --per-at team``).
A live server's clock cannot be moved, so where the story waits (the start-up meeting is held, the
period reaches its last week) the test moves those dates in the server's database with
``manage.py shell``, as the scenario test in ``tests/scenarios/test_per.py`` does with the ORM.
"""

from __future__ import annotations

import datetime
import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import DESKTOP, PHONE, Browsing
from tests.browser.server import BrowserServer, manage, server_env
from tests.browser.test_accessibility import assert_accessible, log_in

pytestmark = pytest.mark.browser

GOAL = "Å klare meg hjemme og komme meg på butikken selv igjen."
SUB_GOAL = "Handle selv på nærbutikken med rullator."
TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()  # noqa: DTZ011 - server's local day


def _shell(server: BrowserServer, code: str) -> str:
    return manage(["shell", "-c", code], server_env(server.database_url))


def _per(server: BrowserServer) -> dict[str, str]:
    out = _shell(
        server,
        "import json\n"
        "from oppfolging.core.tenancy import unscoped\n"
        "from oppfolging.people.models import Person\n"
        "from oppfolging.teams.models import TeamMember\n"
        "with unscoped():\n"
        "    p = Person.objects.get(given_name='Per', municipality__number='9901')\n"
        "    m = {t.discipline: str(t.uuid) for t in TeamMember.objects.filter(team__person=p)}\n"
        "print(json.dumps({'uuid': str(p.uuid), **m}))",
    )
    return dict(json.loads(out.strip().splitlines()[-1]))


def _meeting_held(server: BrowserServer, kind: str) -> None:
    _shell(
        server,
        "import datetime\n"
        "from django.utils import timezone\n"
        "from oppfolging.core.tenancy import unscoped\n"
        "from oppfolging.meetings.models import Meeting\n"
        "with unscoped():\n"
        f"    Meeting.objects.filter(person__given_name='Per', kind='{kind}')"
        ".update(starts_at=timezone.now() - datetime.timedelta(hours=2))",
    )


def _period_in_last_week(server: BrowserServer) -> None:
    _shell(
        server,
        "import datetime\n"
        "from django.utils import timezone\n"
        "from oppfolging.core.tenancy import unscoped\n"
        "from oppfolging.plans.models import PlanPeriod\n"
        "end = timezone.localdate() + datetime.timedelta(days=7)\n"
        "with unscoped():\n"
        "    PlanPeriod.objects.filter(plan__person__given_name='Per', number=1).update(\n"
        "        starts_on=end - datetime.timedelta(days=61), ends_on=end,\n"
        "        evaluation_due_on=end - datetime.timedelta(days=7))",
    )


def _submit(page: Page, form: str, button: str = "[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(f"main {form} {button}").first.click()


def _visit(browsing: Browsing, page: Page, path: str, label: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, f"{path} answered {response.status}"
    assert_accessible(browsing, page, label)


def test_per_scenario_6_to_9_in_the_browser_and_per_sees_his_plan(browsing: Browsing) -> None:
    server = browsing.server
    per = _per(server)
    person = per["uuid"]
    coordinator = server.users["fjordvik-koordinator"]
    page = browsing.new_page(DESKTOP)
    log_in(page, coordinator.username, coordinator.password)

    # Step 6: Per consents to plan work and to sharing; the plan starts with his own goal.
    _visit(browsing, page, f"/samtykker/{person}/ny/planarbeid/", "consent to plan work")
    page.locator("input[name='consent-given_by'][value='person']").check()
    page.locator("input[name='consent-confirmed']").check()
    _submit(page, "form.app-form")
    _visit(browsing, page, f"/plan/{person}/", "the plan page before the plan")
    _submit(page, f"form[action='/plan/{person}/opprett/']")
    assert_accessible(browsing, page, "the new plan")
    _visit(browsing, page, f"/plan/{person}/innhold/", "the plan's text")
    page.locator("[name='details-participation_wishes']").fill(
        "Få møter og ingen pårørende foreløpig. Teamet deltar på oppstartsmøtet og evalueringene."
    )
    _submit(page, f"form[action='/plan/{person}/innhold/']")
    _visit(browsing, page, f"/plan/{person}/mal/ny/", "a new goal")
    page.locator("[name='goal-new-text']").fill(GOAL)
    _submit(page, f"form[action='/plan/{person}/mal/ny/']")
    expect(page.locator("main")).to_contain_text(GOAL)

    # Step 7: the start-up meeting: a two-month period, the first sub-goal and its measures.
    _visit(browsing, page, f"/plan/{person}/perioder/ny/", "a new period")
    _submit(page, f"form[action='/plan/{person}/perioder/ny/']")
    _visit(browsing, page, f"/moter/person/{person}/ny/", "a new meeting")
    page.locator("input[name='kind'][value='start_up']").check()
    page.locator("[name='title']").fill("Oppstartsmøte")
    page.locator("[name='date']").fill(TOMORROW)
    page.locator("[name='time']").fill("10:00")
    page.locator("[name='place']").fill("Fjordvik helsehus")
    page.locator("[name='items']").fill(
        "Pers første delmål\nHenvisning til logoped\nLegebesøk de første ukene"
    )
    for discipline in ("Sykepleier", "Fastlege", "Privatpraktiserende fysioterapeut"):
        page.locator(f"input[name='members'][value='{per[discipline]}']").check()
    page.locator("[name='chosen_with_person']").check()
    _submit(page, f"form[action='/moter/person/{person}/ny/']")
    assert_accessible(browsing, page, "the start-up meeting")
    _submit(page, "form[action$='/innkalling/']")
    expect(page.locator("main")).to_contain_text("Innkalt")
    meeting_path = page.url.split(server.url, 1)[-1].split("?")[0]
    _meeting_held(server, "start_up")
    _visit(browsing, page, meeting_path + "referat/", "the minutes")
    areas = page.locator("main form[action$='/referat/'] textarea[name^='item_']")
    for index, text in enumerate(
        [
            "Første delmål: handle selv på nærbutikken.",
            "Fastlegen henviser til logoped.",
            "Legetime hver uke.",
        ]
    ):
        areas.nth(index).fill(text)
    page.locator("[name='summary']").fill("Per og koordinatoren skrev planen for de to første månedene.")
    _submit(page, "form[action$='/referat/']", "button:not([name='send'])")
    first_item = page.locator("main a[href*='/planendringer/']").first
    with page.expect_navigation():
        first_item.click()
    assert_accessible(browsing, page, "plan changes agreed under an item")
    page.locator("[name='sub_goal-goal']").select_option(index=1)
    page.locator("[name='sub_goal-period']").select_option(index=1)
    page.locator("[name='sub_goal-text']").fill(SUB_GOAL)
    _submit(page, "form:has([name='sub_goal-text'])")
    expect(page.locator("main")).to_contain_text(SUB_GOAL)
    for description, discipline in (
        ("Legetime hver uke de første fire ukene.", "Fastlege"),
        ("Be logoped om en vurdering av språket.", "Fastlege"),
        ("Balanse- og gangtrening.", "Privatpraktiserende fysioterapeut"),
    ):
        page.locator("[name='measure-sub_goal']").select_option(index=1)
        page.locator("[name='measure-description']").fill(description)
        page.locator("[name='measure-responsible']").select_option(f"member:{per[discipline]}")
        _submit(page, "form:has([name='measure-description'])")
        expect(page.locator("main")).to_contain_text(description)
    _visit(browsing, page, meeting_path + "referat/", "the minutes with plan changes")
    _submit(page, "form[action$='/til-planen/']")
    _visit(browsing, page, f"/plan/{person}/", "the plan with its first period")
    _submit(page, f"form[action='/plan/{person}/aktiver/']")
    expect(page.locator("main")).to_contain_text(SUB_GOAL)
    expect(page.locator("main")).to_contain_text("Balanse- og gangtrening.")

    # Step 8: the minutes go to the team with a deadline for corrections.
    _visit(browsing, page, meeting_path + "referat/", "the minutes before sending")
    _submit(page, "form[action$='/referat/']", "button[name='send']")
    expect(page.locator("main")).to_contain_text("retting")
    assert_accessible(browsing, page, "the minutes sent for correction")

    # Step 9: the evaluation meeting at the GP office; the evaluation opens a three-month period.
    _period_in_last_week(server)
    _visit(browsing, page, f"/moter/person/{person}/ny/?type=evaluation", "a new evaluation meeting")
    page.locator("[name='title']").fill("Evalueringsmøte")
    page.locator("[name='date']").fill(TOMORROW)
    page.locator("[name='time']").fill("09:00")
    page.locator("[name='place']").fill("Fjordvik legekontor")
    page.locator("[name='items']").fill(
        "Hvordan har det gått?\nNye mål for neste periode\nLogoped inn i teamet"
    )
    page.locator(f"input[name='members'][value='{per['Fastlege']}']").check()
    page.locator("[name='chosen_with_person']").check()
    _submit(page, f"form[action='/moter/person/{person}/ny/']")
    _submit(page, "form[action$='/innkalling/']")
    _visit(browsing, page, f"/team/{person}/medlemmer/ny/", "adding the speech therapist")
    page.locator("input[name='member-member_type'][value='name_only']").check()
    page.locator("[name='member-name']").fill("Logoped Lise Lund")
    page.locator("[name='member-discipline']").fill("Logoped")
    page.locator("input[name='consent-given_by'][value='person']").check()
    page.locator("input[name='consent-confirmed']").check()
    _submit(page, f"form[method='post'][action='/team/{person}/medlemmer/ny/']")
    expect(page.locator("main")).to_contain_text("Logoped Lise Lund")
    _visit(browsing, page, f"/plan/{person}/", "the plan before the evaluation")
    with page.expect_navigation():
        page.locator("main a[href$='/evaluer/']").first.click()
    assert_accessible(browsing, page, "the evaluation form")
    for outcome in page.locator("main input[name^='outcome-'][value='partly']").all():
        outcome.check()
    for decision in page.locator("main input[name^='decision-'][value='continue']").all():
        decision.check()
    page.locator("[name='team_reviewed']").check()
    page.locator("[name='team_review_note']").fill("Logoped Lise Lund er med i teamet fra nå.")
    page.locator("[name='next_months']").fill("3")
    _submit(page, "form.app-form")
    assert_accessible(browsing, page, "the recorded evaluation")
    _visit(browsing, page, f"/plan/{person}/", "the plan in its second period")
    expect(page.locator("main")).to_contain_text("Logoped Lise Lund")
    _visit(browsing, page, "/oppfolging/min-dag/", "the coordinator's day")

    # Per logs in on his phone and sees his plan and the next meeting.
    per_user = server.users["per"]
    phone = browsing.new_page(PHONE)
    log_in(phone, per_user.username, per_user.password)
    assert_accessible(browsing, phone, "Per's start page")
    _visit(browsing, phone, f"/min-side/{person}/", "Per's own page")
    main = phone.locator("main")
    expect(main).to_contain_text(GOAL)
    expect(main).to_contain_text(SUB_GOAL)
    expect(main).to_contain_text("Evalueringsmøte")
    expect(main).to_contain_text("Fjordvik legekontor")
    expect(main).to_contain_text("Ingrid")

"""Editing the plan through its routes: each part saved on its own, with htmx and without; a
save after someone else's is refused with both versions shown and nothing overwritten; only
the coordinator changes the plan; activation needs consent and a goal in the person's words."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import formats, timezone

from oppfolging.consents.models import Consent, ConsentKind
from oppfolging.core.tenancy import unscoped
from oppfolging.plans.models import (
    Goal,
    Measure,
    PlanComment,
    PlanLink,
    PlanPeriod,
    PlanVersion,
    ResponsibleKind,
    SubGoal,
)
from oppfolging.plans.tests.support import planned_person
from oppfolging.plans.tests.test_plan_support import first, form_version, full_plan, plan_of, url, versions
from oppfolging.teams.models import TeamMember

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
COORDINATOR = "fjordvik-koordinator"


def _goal(person):
    return first(Goal, plan__person=person)


# --- Concurrent edits ----------------------------------------------------------------------------


def test_two_people_editing_a_goal_the_second_is_refused_with_both_texts(cast):
    person = planned_person(cast)
    goal = _goal(person)
    edit = url("goal_edit", person, goal.uuid)
    ingrid, also_ingrid = cast.client(COORDINATOR), cast.client(COORDINATOR)
    prefix = f"goal-{goal.uuid}"
    opened = [form_version(c.get(edit).content.decode(), f"{prefix}-version") for c in (ingrid, also_ingrid)]
    assert opened[0] == opened[1] == goal.version
    before = versions(person)

    def post(client, text, version):
        data = {f"{prefix}-text": text, f"{prefix}-in_own_words": "on", f"{prefix}-status": "active"}
        return client.post(edit, data | {f"{prefix}-version": str(version)})

    saved = post(ingrid, "Klare meg selv hjemme, også om kvelden.", opened[0])
    assert saved.status_code == 302
    assert saved["Location"].endswith(f"#goal-{goal.uuid}")
    refused = post(also_ingrid, "Bo hjemme så lenge som mulig.", opened[1])
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Ingenting er overskrevet" in html
    assert "Klare meg selv hjemme, også om kvelden." in html  # the stored one
    assert "Bo hjemme så lenge som mulig." in html  # the user's own, still in the form
    assert "Lagret av Ingrid Ergoterapeut" in html
    assert _goal(person).text == "Klare meg selv hjemme, også om kvelden."
    assert versions(person) == before + 1  # no version for the refused save
    # The form now carries the stored version: saving again goes through.
    again = form_version(html, f"{prefix}-version")
    assert again == _goal(person).version
    assert post(also_ingrid, "Bo hjemme så lenge som mulig.", again).status_code == 302
    assert _goal(person).text == "Bo hjemme så lenge som mulig."


def test_two_people_editing_the_plan_text_with_htmx_the_second_gets_409(cast):
    person = planned_person(cast)
    plan = plan_of(person)
    details = url("details", person)
    first_client, second_client = cast.client(COORDINATOR), cast.client(COORDINATOR)
    version = form_version(first_client.get(details).content.decode(), "details-version")
    assert form_version(second_client.get(details).content.decode(), "details-version") == version
    before = versions(person)

    def post(client, needs):
        data = {"details-version": str(version), "details-needs": needs, "details-resources": "Nabo."}
        return client.post(details, data, **HTMX)

    assert post(first_client, "Hjelp med dusjen.").status_code == 200
    refused = post(second_client, "Hjelp med å lage mat.")
    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'id="details"' in html
    assert "Hjelp med dusjen." in html
    assert "Hjelp med å lage mat." in html
    plan.refresh_from_db()
    assert plan.needs == "Hjelp med dusjen."
    assert versions(person) == before + 1
    with unscoped():
        assert PlanVersion.objects.filter(plan=plan).latest("number").actor == cast.users[COORDINATOR]


@pytest.mark.parametrize("part", ["period", "sub_goal", "measure"])
def test_every_part_refuses_a_stale_save(cast, part):
    person = planned_person(cast)
    with unscoped():
        period = PlanPeriod.objects.get(plan__person=person)
        sub_goal = SubGoal.objects.get(period=period)
        measure = Measure.objects.get(period=period)
    today = timezone.localdate()
    obj: Any
    route, obj, fields = {
        "period": (
            "period_edit",
            period,
            {
                "starts_on": today.isoformat(),
                "ends_on": (today + datetime.timedelta(days=70)).isoformat(),
                "evaluation_due_on": "",
                "focus": "Dusjen.",
            },
        ),
        "sub_goal": ("sub_goal_edit", sub_goal, {"text": "Dusje selv med tilsyn."}),
        "measure": (
            "measure_edit",
            measure,
            {"description": "Trening i dusjen.", "responsible": "person", "status": "ongoing"},
        ),
    }[part]
    prefix = f"{'sub-goal' if part == 'sub_goal' else part}-{obj.uuid}"
    data = {f"{prefix}-{k}": v for k, v in fields.items()} | {f"{prefix}-version": str(obj.version)}
    client = cast.client(COORDINATOR)
    assert client.post(url(route, person, obj.uuid), data).status_code == 302
    before = versions(person)
    stale = dict(data)
    text_field = {"period": "focus", "sub_goal": "text", "measure": "description"}[part]
    stale[f"{prefix}-{text_field}"] += " Annen tekst."
    refused = client.post(url(route, person, obj.uuid), stale, **HTMX)
    assert refused.status_code == 409
    assert "Ingenting er overskrevet" in refused.content.decode()
    assert versions(person) == before


# --- Each part, with and without htmx ------------------------------------------------------------


def test_goal_add_with_htmx_answers_with_the_goal_and_the_status(cast):
    person = planned_person(cast)
    response = cast.client(COORDINATOR).post(
        url("goal_add", person),
        {"goal-new-text": "Gå i butikken selv.", "goal-new-in_own_words": "on"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-swap-oob="beforeend:#goal-list"' in html
    assert "Gå i butikken selv." in html
    assert 'id="plan-status" aria-labelledby="plan-status-heading" hx-swap-oob="true"' in html
    with unscoped():
        assert Goal.objects.filter(
            plan__person=person, text="Gå i butikken selv.", in_own_words=True
        ).exists()


def test_bad_input_keeps_what_was_typed(cast):
    person = planned_person(cast)
    today = timezone.localdate()
    response = cast.client(COORDINATOR).post(
        url("period_add", person),
        {
            "period-new-starts_on": today.isoformat(),
            "period-new-ends_on": (today - datetime.timedelta(days=1)).isoformat(),
            "period-new-focus": "Komme i gang med trening.",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Perioden må slutte etter at den begynner." in html
    assert "Komme i gang med trening." in html
    with unscoped():
        assert PlanPeriod.objects.filter(plan__person=person).count() == 1


def test_a_new_period_shows_and_gets_the_default_checkpoint(cast):
    person = planned_person(cast)
    client = cast.client(COORDINATOR)
    with unscoped():
        last = PlanPeriod.objects.get(plan__person=person)
    html = client.get(url("period_add", person)).content.decode()
    starts = last.ends_on + datetime.timedelta(days=1)
    ends = starts + datetime.timedelta(days=61)
    assert f'value="{(ends - datetime.timedelta(days=7)).isoformat()}"' in html
    assert "en uke før perioden slutter" in html
    ends = starts + datetime.timedelta(days=90)
    response = client.post(
        url("period_add", person),
        {"period-new-starts_on": starts.isoformat(), "period-new-ends_on": ends.isoformat()},
    )
    assert response.status_code == 302
    with unscoped():
        period = PlanPeriod.objects.get(plan__person=person, number=2)
    assert period.evaluation_due_on == ends - datetime.timedelta(days=7)


def test_sub_goal_and_measure_with_each_kind_of_responsible(cast):
    person = full_plan(cast)
    client = cast.client(COORDINATOR)
    with unscoped():
        period = PlanPeriod.objects.get(plan__person=person)
        goal = Goal.objects.filter(plan__person=person).order_by("id")[0]
        nurse = TeamMember.objects.get(team__person=person, user=cast.users["fjordvik-team"])
        relative = person.relatives.get()
    response = client.post(
        url("sub_goal_add", person, period.uuid),
        {
            f"sub-goal-new-{period.uuid}-goal": str(goal.uuid),
            f"sub-goal-new-{period.uuid}-text": "Kle på seg.",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert f'hx-swap-oob="beforeend:#sub-goals-{period.uuid}"' in response.content.decode()
    sub_goal = first(SubGoal, text="Kle på seg.")
    form = client.get(url("measure_add", person, sub_goal.uuid)).content.decode()
    assert f'value="member:{nurse.uuid}"' in form
    assert 'value="person"' in form
    assert f'value="relative:{relative.uuid}"' in form
    prefix = f"measure-new-{sub_goal.uuid}"
    for choice, kind in (
        (f"member:{nurse.uuid}", ResponsibleKind.MEMBER),
        ("person", ResponsibleKind.PERSON),
        (f"relative:{relative.uuid}", ResponsibleKind.RELATIVE),
    ):
        response = client.post(
            url("measure_add", person, sub_goal.uuid),
            {
                f"{prefix}-description": f"Tiltak {kind}",
                f"{prefix}-scope": "Daglig",
                f"{prefix}-responsible": choice,
                f"{prefix}-status": "planned",
                f"{prefix}-due_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
            },
            **HTMX,
        )
        assert response.status_code == 200, response.content.decode()
        assert f'beforeend:#measures-{sub_goal.uuid}"' in response.content.decode()
        measure = first(Measure, description=f"Tiltak {kind}")
        assert measure.responsible_kind == kind
    assert first(Measure, description="Tiltak member").responsible_member_id == nurse.pk
    assert first(Measure, description="Tiltak relative").responsible_relative_id == relative.pk


def test_links_and_comments(cast):
    person = planned_person(cast)
    response = cast.client(COORDINATOR).post(
        url("link_add", person), {"link-kind": "iop", "link-title": "IOP ved Fjordvik skole"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#links")
    with unscoped():
        assert PlanLink.objects.filter(plan__person=person, title="IOP ved Fjordvik skole").exists()
    # A member comments; it is marked as staff's and shown with their name.
    goal = _goal(person)
    response = cast.client("fjordvik-team").post(
        url("comment_add", person),
        {"comment-text": "Dusjen går bedre.", "comment-goal": str(goal.uuid)},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Nina Sykepleier" in response.content.decode()
    with unscoped():
        comment = PlanComment.objects.get(plan__person=person)
    assert (comment.author_kind, comment.goal_id) == ("staff", goal.pk)


# --- Who may change the plan ---------------------------------------------------------------------


@pytest.mark.parametrize("username", ["fjordvik-team", "sykehus", "fjordvik-fastlege", "fjordvik-ke"])
def test_only_the_coordinator_posts_changes(cast, username):
    person = planned_person(cast)
    goal = _goal(person)
    with unscoped():
        period = PlanPeriod.objects.get(plan__person=person)
        sub_goal = SubGoal.objects.get(period=period)
        measure = Measure.objects.get(period=period)
    client = cast.client(username)
    before = versions(person)
    for route, args in (
        ("details", ()),
        ("goal_add", ()),
        ("goal_edit", (goal.uuid,)),
        ("period_add", ()),
        ("period_edit", (period.uuid,)),
        ("sub_goal_add", (period.uuid,)),
        ("sub_goal_edit", (sub_goal.uuid,)),
        ("measure_add", (sub_goal.uuid,)),
        ("measure_edit", (measure.uuid,)),
        ("link_add", ()),
        ("activate", ()),
        ("create", ()),
    ):
        response = client.post(url(route, person, *args), {"goal-new-text": "Noe.", "link-title": "Noe."})
        assert response.status_code == 404, f"{username} {route}: {response.status_code}"
    assert versions(person) == before


# --- Activation ----------------------------------------------------------------------------------


def test_activation_refused_without_consent_and_without_a_goal_in_own_words(cast):
    person = planned_person(cast, activate=False)
    client = cast.client(COORDINATOR)
    with unscoped():
        Consent.objects.filter(person=person, kind=ConsentKind.PLAN_WORK).update(withdrawn_at=timezone.now())
        Goal.objects.filter(plan__person=person).update(in_own_words=False)
    response = client.post(url("activate", person))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Planen kan ikke aktiveres ennå:" in html
    assert "Personen har ikke samtykket til planarbeid" in html
    assert "Planen har ikke et mål med personens egne ord." in html
    assert plan_of(person).status == "draft"
    # With htmx the activation card alone, with the reasons.
    response = client.post(url("activate", person), **HTMX)
    assert response.status_code == 200
    assert (
        response.content.decode().lstrip().startswith('<section class="ds-card app-section" id="activation"')
    )
    # A goal in the person's words is not enough without consent…
    with unscoped():
        Goal.objects.filter(plan__person=person).update(in_own_words=True)
    html = client.post(url("activate", person)).content.decode()
    assert "Personen har ikke samtykket til planarbeid" in html
    assert "Planen har ikke et mål med personens egne ord." not in html
    assert plan_of(person).status == "draft"


def test_activation_with_consent_and_a_goal_in_own_words(cast):
    person = planned_person(cast, activate=False)
    html = cast.client(COORDINATOR).get(url("detail", person)).content.decode()
    assert "Alt som trengs er på plass" in html
    response = cast.client(COORDINATOR).post(url("activate", person))
    assert response.status_code == 302
    plan = plan_of(person)
    assert plan.status == "active"
    with unscoped():
        assert PlanPeriod.objects.get(plan=plan).status == "active"
    shown = formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    assert f"aktivert {shown}" in cast.client(COORDINATOR).get(url("detail", person)).content.decode()

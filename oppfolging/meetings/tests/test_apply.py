"""Agreed changes become plan changes in one step: the start-up meeting's first sub-goal and its
measures, attached to the item in the minutes, go into the plan as ONE version; applying twice is
impossible; a change must refer to the plan or to an earlier change in the same item."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oppfolging.core.tenancy import unscoped
from oppfolging.meetings import apply_services
from oppfolging.meetings.models import AgendaItem, MeetingStatus
from oppfolging.meetings.tests.support import held_meeting, nurse, set_status
from oppfolging.plans.models import Goal, Measure, PlanVersion, SubGoal
from oppfolging.plans.tests.support import coordinator_access, planned_person

pytestmark = pytest.mark.django_db


def _propose(client, meeting, item, kind, **fields):
    url = reverse("meetings:item_changes", args=[meeting.uuid, item.uuid])
    data = {"type": kind, **{f"{kind}-{name}": value for name, value in fields.items()}}
    return client.post(url, data)


def test_applying_the_start_up_meetings_items_creates_the_sub_goal_and_measures_in_one_version(cast):
    person = planned_person(cast)
    meeting = held_meeting(cast, person)
    client = cast.client("fjordvik-koordinator")
    client.post(reverse("meetings:minutes", args=[meeting.uuid]), {"version": "0", "summary": "Oppstart."})
    with unscoped():
        item = AgendaItem.objects.filter(meeting=meeting)[0]
        plan = person.care_plan
        goal = Goal.objects.get(plan=plan)
        period = plan.periods.get()
        member = nurse(cast, person)
        versions_before = PlanVersion.objects.filter(plan=plan).count()
    page = client.get(reverse("meetings:item_changes", args=[meeting.uuid, item.uuid]))
    assert page.status_code == 200
    assert (
        _propose(
            client,
            meeting,
            item,
            "sub_goal",
            goal=str(goal.uuid),
            period=str(period.uuid),
            text="Gå tur alene.",
        ).status_code
        == 302
    )
    with unscoped():
        item.refresh_from_db()
        sub_goal_ref = "new:" + item.proposed_changes[0]["id"]
    for description, responsible in (
        ("Gåtrening med fysioterapeut.", f"member:{member.uuid}"),
        ("Gå en kort tur hver dag.", "person"),
    ):
        response = _propose(
            client,
            meeting,
            item,
            "measure",
            sub_goal=sub_goal_ref,
            description=description,
            scope="Hver uke",
            responsible=responsible,
            starts_on="",
            due_on="",
        )
        assert response.status_code == 302
    minutes_page = client.get(reverse("meetings:minutes", args=[meeting.uuid]))
    assert "Gåtrening med fysioterapeut." in minutes_page.content.decode()
    with unscoped():
        assert PlanVersion.objects.filter(plan=plan).count() == versions_before  # nothing yet
    response = client.post(reverse("meetings:apply", args=[meeting.uuid]), {"item": str(item.uuid)})
    assert response.status_code == 302
    with unscoped():
        versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
        sub_goal = SubGoal.objects.get(text="Gå tur alene.")
        measures = list(Measure.objects.filter(sub_goal=sub_goal).order_by("order"))
        item.refresh_from_db()
    assert len(versions) == versions_before + 1
    latest = versions[-1]
    assert latest.action == "meeting.apply"
    added = sorted((c["kind"], c["label"]) for c in latest.changes if c["change"] == "added")
    assert added == [
        ("measure", "Gå en kort tur hver dag."),
        ("measure", "Gåtrening med fysioterapeut."),
        ("sub_goal", "Gå tur alene."),
    ]
    assert sub_goal.period == period
    assert sub_goal.goal == goal
    assert [m.responsible_member for m in measures] == [member, None]
    assert measures[1].responsible_kind == "person"
    assert item.applied_to_plan_at is not None
    assert all(p.get("created") for p in item.proposed_changes)
    # Twice is impossible: nothing more is created.
    client.post(reverse("meetings:apply", args=[meeting.uuid]), {"item": str(item.uuid)})
    client.post(reverse("meetings:apply", args=[meeting.uuid]))
    with unscoped():
        assert PlanVersion.objects.filter(plan=plan).count() == len(versions)
        assert SubGoal.objects.filter(text="Gå tur alene.").count() == 1
    assert _propose(client, meeting, item, "goal", text="Mer.", in_own_words="on").status_code == 400


def test_a_new_goal_and_period_with_a_sub_goal_go_in_together(cast):
    person = planned_person(cast)
    meeting = set_status(held_meeting(cast, person), MeetingStatus.HELD)
    who, access = coordinator_access(cast, person)
    with unscoped():
        item = AgendaItem.objects.filter(meeting=meeting)[0]
        item.meeting = meeting
        item = apply_services.proposal_add(
            actor=who,
            access=access,
            item=item,
            proposal={"type": "goal", "text": "Bo hjemme.", "in_own_words": True},
        )
        goal_id = item.proposed_changes[0]["id"]
        item = apply_services.proposal_add(
            actor=who,
            access=access,
            item=item,
            proposal={
                "type": "period",
                "starts_on": "2031-01-01",
                "ends_on": "2031-03-31",
                "evaluation_due_on": None,
                "focus": "",
            },
        )
        period_id = item.proposed_changes[1]["id"]
        item = apply_services.proposal_add(
            actor=who,
            access=access,
            item=item,
            proposal={
                "type": "sub_goal",
                "goal": f"new:{goal_id}",
                "period": f"new:{period_id}",
                "text": "Lage mat.",
            },
        )
        with pytest.raises(ValidationError):
            apply_services.proposal_add(
                actor=who,
                access=access,
                item=item,
                proposal={
                    "type": "measure",
                    "sub_goal": f"new:{goal_id}",
                    "description": "Feil type.",
                    "responsible": "person",
                },
            )
        with pytest.raises(ValidationError):
            apply_services.proposal_remove(actor=who, access=access, item=item, proposal_id=goal_id)
        before = PlanVersion.objects.filter(plan=person.care_plan).count()
        version = apply_services.apply_to_plan(actor=who, access=access, meeting=meeting, items=None)
        assert version is not None
        assert PlanVersion.objects.filter(plan=person.care_plan).count() == before + 1
        sub_goal = SubGoal.objects.get(text="Lage mat.")
        assert sub_goal.goal.text == "Bo hjemme."
        assert sub_goal.period.starts_on.isoformat() == "2031-01-01"


def test_only_the_coordinator_attaches_plan_changes(cast):
    person = planned_person(cast)
    meeting = held_meeting(cast, person)
    with unscoped():
        item = AgendaItem.objects.filter(meeting=meeting)[0]
    url = reverse("meetings:item_changes", args=[meeting.uuid, item.uuid])
    assert cast.client("fjordvik-team").get(url).status_code == 404
    assert cast.client("fjordvik-tildeling").get(url).status_code == 404
    assert (
        cast.client("fjordvik-team").post(reverse("meetings:apply", args=[meeting.uuid])).status_code == 404
    )

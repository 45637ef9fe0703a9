"""Builders for the plan page tests: a plan with every legal element filled in, a former member
who left after the plan was made, URLs of the plan's routes, and helpers to read a form's
version back from a page as a browser would."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.urls import reverse
from django.utils import timezone

from oppfolging.consents.models import ConsentKind
from oppfolging.core.tenancy import unscoped
from oppfolging.people.models import Person, Relative, RelativeKind
from oppfolging.plans import services
from oppfolging.plans.models import (
    AuthorKind,
    CarePlan,
    Goal,
    LinkKind,
    Measure,
    PlanComment,
    PlanPeriod,
    PlanVersion,
    ResponsibleKind,
    SubGoal,
)
from oppfolging.plans.tests.support import coordinator_access, planned_person
from oppfolging.teams.models import TeamMember
from oppfolging.teams.tests.test_team_support import consent

TEXTS = {
    "resources": "Sterk vilje og en nabo som stikker innom.",
    "needs": "Hjelp til personlig hygiene og struktur i hverdagen.",
    "persons_contribution": "Øver på dusjen hver morgen.",
    "relatives_contribution": "Datteren handler inn hver fredag.",
    "coordination": "Sykepleieren rapporterer til koordinator hver fjortende dag.",
    "participation_wishes": "Vil ha møtene hjemme, med datteren til stede.",
}
RELATIVE_NAME = "Siri Teamsen"
PERSON_MEASURE = "Gå tur til postkassen hver dag."
RELATIVE_MEASURE = "Handle inn til helgen."
LINK_TITLE = "Rehabiliteringsplan ved Fjellheim sykehus"
STAFF_COMMENT = "Vi ser fremgang i dusjtreningen."
PERSONS_COMMENT = "Jeg vil gjerne ha færre folk på møtene."
PERSONS_GOAL = "Gå på kafé med venninnene mine."


def url(name: str, person: Person, *args: Any) -> str:
    return reverse(f"plans:{name}", args=[person.uuid, *args])


def plan_of(person: Person) -> CarePlan:
    with unscoped():
        return CarePlan.objects.get(person=person)


def versions(person: Person) -> int:
    with unscoped():
        return PlanVersion.objects.filter(plan__person=person).count()


def first(model: Any, **filters: Any) -> Any:
    with unscoped():
        return model.objects.filter(**filters).order_by("id").first()


def form_version(html: str, name: str) -> int:
    """The version a form was opened from, as a browser would post it back."""
    found = re.search(rf'name="{re.escape(name)}" value="(\d+)"', html)
    assert found, f"no {name} in the form"
    return int(found.group(1))


def full_plan(cast: Any) -> Person:
    """The planned person, with every part of the plan the regulation asks for written in:
    the plan's text, a relative consented to, measures the person and the relative are
    responsible for, a link to another plan, and comments by staff and by the person."""
    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        if plan.links.exists():
            return person
        relative = Relative.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            kind=RelativeKind.NEXT_OF_KIN,
            name=RELATIVE_NAME,
            relation="datter",
        )
    consent(person, ConsentKind.INVOLVE_RELATIVES, cast.users["fjordvik-koordinator"], relative=relative)
    with unscoped():
        nurse = TeamMember.objects.get(team__person=person, user=cast.users["fjordvik-team"])
        TeamMember.objects.filter(pk=nurse.pk).update(discipline="Sykepleier")
        plan = services.plan_update(actor=who, access=access, plan=plan, version=plan.version, **TEXTS)
        sub_goal = SubGoal.objects.get(period__plan=plan)
        services.measure_add(
            actor=who,
            access=access,
            sub_goal=sub_goal,
            description=PERSON_MEASURE,
            scope="Hver dag",
            responsible_kind=ResponsibleKind.PERSON,
        )
        services.measure_add(
            actor=who,
            access=access,
            sub_goal=sub_goal,
            description=RELATIVE_MEASURE,
            scope="Hver fredag",
            responsible_kind=ResponsibleKind.RELATIVE,
            responsible_relative=relative,
        )
        services.link_add(
            actor=who,
            access=access,
            plan=plan,
            kind=LinkKind.REHABILITATION,
            title=LINK_TITLE,
            held_by="Fjellheim sykehus",
        )
        services.comment_add(actor=who, access=access, plan=plan, text=STAFF_COMMENT)
        # What the person writes in the portal (through the portal's own services) is marked so.
        PlanComment.objects.create(
            municipality_id=plan.municipality_id,
            plan=plan,
            text=PERSONS_COMMENT,
            author_kind=AuthorKind.PERSON,
            author=cast.users["fjordvik-koordinator"],
            author_label=person.full_name,
        )
        Goal.objects.create(
            municipality_id=plan.municipality_id,
            plan=plan,
            text=PERSONS_GOAL,
            in_own_words=True,
            order=2,
            author_kind=AuthorKind.PERSON,
            author_label=person.full_name,
        )
    return person


def overdue(person: Person) -> None:
    """The first period's checkpoint yesterday and its measure due the day before."""
    today = timezone.localdate()
    with unscoped():
        period = PlanPeriod.objects.get(plan__person=person, number=1)
        PlanPeriod.objects.filter(pk=period.pk).update(
            starts_on=today - datetime.timedelta(days=60),
            ends_on=today + datetime.timedelta(days=6),
            evaluation_due_on=today - datetime.timedelta(days=1),
        )
        Measure.objects.filter(period=period).update(due_on=today - datetime.timedelta(days=2))


LATER_GOAL = "Et mål skrevet etter at sykepleieren gikk ut."


def nurse_left_then_goal_added(cast: Any) -> Person:
    """The plan as built a day ago; the nurse left an hour ago; a goal was added since."""
    person = planned_person(cast)
    now = timezone.now()
    with unscoped():
        PlanVersion.objects.filter(plan__person=person).update(at=now - datetime.timedelta(days=1))
        TeamMember.objects.filter(team__person=person, user=cast.users["fjordvik-team"]).update(
            left_at=now - datetime.timedelta(hours=1)
        )
    who, access = coordinator_access(cast, person)
    with unscoped():
        services.goal_add(actor=who, access=access, plan=plan_of(person), text=LATER_GOAL)
    return person

"""Building blocks of the plan demo (:mod:`oppfolging.plans.demo_plans`): a plan written step by
step straight to the models, with a :class:`PlanVersion` recorded after each meaningful step and
dated back to the day the story puts it on — so the plan's history, "the plan as of a date" and
the printed plan show weeks of real work, not one instant. Like the pathway demo, no audit rows:
nobody read or changed anything, the demo is the starting point."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from oppfolging.accounts.models import User
from oppfolging.consents.models import Consent, ConsentKind
from oppfolging.core.models import Unit, UnitKind
from oppfolging.function.models import FunctionActivity, FunctionMeasurement, FunctionScore, Occasion
from oppfolging.overview import demo_blocks as b
from oppfolging.overview.demo_texts import PlanText
from oppfolging.people.models import Person, Relative
from oppfolging.plans.history import record_version
from oppfolging.plans.models import (
    AuthorKind,
    CarePlan,
    Goal,
    LinkKind,
    Measure,
    MeasureStatus,
    PeriodStatus,
    PlanLink,
    PlanPeriod,
    PlanStatus,
    PlanVersion,
    ResponsibleKind,
    SubGoal,
)
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, MemberKind, TeamMember

Responsible = TeamMember | Relative | None  # None: the person


@dataclass
class Story:
    """One person's plan as the demo writes it. Days are counted back from the town's "now"
    (negative: ahead)."""

    town: b.Town
    person: Person
    plan: CarePlan
    coordinator: User
    goals: list[Goal] = field(default_factory=list)

    def version(
        self,
        action: str,
        days: int,
        *,
        user: User | None = None,
        role: str = "coordinator",
        author_kind: str = "staff",
    ) -> None:
        """Record the plan as it now stands as the version of ``days`` ago."""
        version = record_version(
            self.plan, user=user or self.coordinator, role=role, action=action, author_kind=author_kind
        )
        if version is not None:
            PlanVersion.all_tenants.filter(pk=version.pk).update(at=self.town.ago(days))

    def goal(self, text: str, *, author: User | None = None, author_kind: str = AuthorKind.STAFF) -> Goal:
        writer = author or self.coordinator
        goal = Goal.objects.create(
            municipality=self.town.municipality,
            plan=self.plan,
            text=text,
            in_own_words=True,
            order=len(self.goals) + 1,
            author_kind=author_kind,
            author=writer,
            author_label=writer.get_full_name(),
        )
        self.goals.append(goal)
        return goal

    def period(
        self, number: int, *, starts: int, days: int, focus: str, status: str = PeriodStatus.PLANNED
    ) -> PlanPeriod:
        """A period starting ``starts`` days ago and lasting ``days`` days; the evaluation is due a
        week before it ends."""
        starts_on = self.town.day(starts)
        ends_on = starts_on + datetime.timedelta(days=days)
        return PlanPeriod.objects.create(
            municipality=self.town.municipality,
            plan=self.plan,
            number=number,
            starts_on=starts_on,
            ends_on=ends_on,
            evaluation_due_on=PlanPeriod.default_evaluation_date(ends_on),
            status=status,
            focus=focus,
        )

    def sub_goal(
        self, period: PlanPeriod, goal: Goal, text: str, *, carried_from: SubGoal | None = None
    ) -> SubGoal:
        return SubGoal.objects.create(
            municipality=self.town.municipality,
            period=period,
            goal=goal,
            text=text,
            order=SubGoal.objects.filter(period=period).count() + 1,
            carried_from=carried_from,
        )

    def measure(
        self,
        sub_goal: SubGoal,
        description: str,
        *,
        responsible: Responsible,
        scope: str = "",
        how: str = "",
        starts: int | None = None,
        due: int | None = None,
        status: str = MeasureStatus.ONGOING,
        carried_from: Measure | None = None,
    ) -> Measure:
        if isinstance(responsible, TeamMember):
            kind = ResponsibleKind.MEMBER
        elif isinstance(responsible, Relative):
            kind = ResponsibleKind.RELATIVE
        else:
            kind = ResponsibleKind.PERSON
        return Measure.objects.create(
            municipality=self.town.municipality,
            period=sub_goal.period,
            sub_goal=sub_goal,
            description=description,
            scope=scope,
            how=how,
            responsible_kind=kind,
            responsible_member=responsible if isinstance(responsible, TeamMember) else None,
            responsible_relative=responsible if isinstance(responsible, Relative) else None,
            starts_on=self.town.day(starts) if starts is not None else sub_goal.period.starts_on,
            due_on=self.town.day(due) if due is not None else None,
            status=status,
            order=Measure.objects.filter(period=sub_goal.period).count() + 1,
            carried_from=carried_from,
        )

    def activate(self, days: int, period: PlanPeriod) -> None:
        CarePlan.objects.filter(pk=self.plan.pk).update(
            status=PlanStatus.ACTIVE, activated_at=self.town.ago(days), activated_by=self.coordinator
        )
        self.plan.refresh_from_db()
        PlanPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.ACTIVE)
        self.version("plan.activate", days)

    def link(self, kind: LinkKind, title: str, *, held_by: str, contact: str, note: str) -> PlanLink:
        return PlanLink.objects.create(
            municipality=self.town.municipality,
            plan=self.plan,
            kind=kind,
            title=title,
            held_by=held_by,
            contact=contact,
            note=note,
        )


def start_plan(
    town: b.Town, person: Person, text: PlanText, *, days: int, coordinator: str = "koordinator"
) -> Story:
    """The plan begun by the coordinator ``days`` ago, with its text fields written."""
    user = town.users[coordinator]
    plan = CarePlan.objects.create(
        municipality=town.municipality,
        person=person,
        created_by=user,
        resources=text.resources,
        needs=text.needs,
        persons_contribution=text.persons_contribution,
        relatives_contribution=text.relatives_contribution,
        coordination=text.coordination,
        participation_wishes=text.participation_wishes,
    )
    CarePlan.objects.filter(pk=plan.pk).update(created_at=town.ago(days))
    return Story(town=town, person=person, plan=plan, coordinator=user)


def member(
    town: b.Town,
    team: CareTeam,
    name: str,
    discipline: str,
    *,
    user: User | None,
    unit: Unit | None,
    joined: int,
    kind: str = MemberKind.CORE,
) -> TeamMember:
    """A member from any unit (the pathway demo's helper knows only Fjordvik's own units)."""
    return TeamMember.objects.create(
        municipality=town.municipality,
        team=team,
        user=user,
        name=name,
        discipline=discipline,
        unit=unit,
        kind=kind,
        joined_at=town.ago(joined),
    )


def consented(
    town: b.Town, person: Person, members: list[TeamMember], *, days: int, guardian: Relative | None = None
) -> None:
    """The person's (or the guardian's) consent to each member."""
    for one in members:
        b.consent(
            town,
            person,
            ConsentKind.TEAM_MEMBERSHIP,
            days=days,
            recorded_by="koordinator",
            member=one,
            guardian=guardian,
        )


def coordinator(
    town: b.Town, team: CareTeam, *, user: User, days: int, wish: str, child: bool = False
) -> CoordinatorAssignment:
    """An appointed coordinator: proposed by KE, approved by the leader (who saw the caseload of
    the moment: call in the order of the stories), registered ``days`` ago."""
    caseload = CoordinatorAssignment.objects.filter(coordinator=user, status=AssignmentStatus.ACTIVE).count()
    return CoordinatorAssignment.objects.create(
        municipality=town.municipality,
        team=team,
        coordinator=user,
        is_child_coordinator=child,
        status=AssignmentStatus.ACTIVE,
        persons_wish=wish,
        proposed_by=town.users["ke"],
        proposed_at=town.ago(days + 2),
        leader=town.users["leder"],
        leader_decided_at=town.ago(days + 1),
        leader_comment="Godkjent.",
        caseload_at_approval=caseload,
        cap_at_approval=town.municipality.coordinator_caseload_cap,
        started_at=town.ago(days),
    )


def involve(town: b.Town, person: Person, relative: Relative, *, days: int) -> Consent:
    consent = b.consent(town, person, ConsentKind.INVOLVE_RELATIVES, days=days, recorded_by="koordinator")
    Consent.objects.filter(pk=consent.pk).update(relative=relative)
    return consent


def external_unit(name: str, kind: str) -> Unit:
    """A unit outside the municipality (no municipality: a county school, a private practice)."""
    unit, _created = Unit.objects.get_or_create(name=name, municipality=None, defaults={"kind": kind})
    return unit


def school_unit(name: str) -> Unit:
    return external_unit(name, UnitKind.SCHOOL)


def psfs(
    town: b.Town,
    person: Person,
    activities: Sequence[tuple[str, Sequence[int]]],
    occasions: Sequence[tuple[int, str, PlanPeriod | None]],
    *,
    by: User,
) -> None:
    """PSFS: the activities in the person's words and their scores at each occasion (days ago,
    kind, the period evaluated); the n-th score of an activity belongs to the n-th occasion."""
    rows = [
        FunctionActivity.objects.create(
            municipality=town.municipality, person=person, text=text, order=index, created_by=by
        )
        for index, (text, _scores) in enumerate(activities, start=1)
    ]
    # Written on the day of the first occasion (a former member's view goes by creation time).
    first = max(days for days, _occasion, _period in occasions)
    FunctionActivity.objects.filter(pk__in=[row.pk for row in rows]).update(created_at=town.ago(first))
    for position, (days, occasion, period) in enumerate(occasions):
        measurement = FunctionMeasurement.objects.create(
            municipality=town.municipality,
            person=person,
            measured_on=town.day(days),
            occasion=occasion,
            period=period if occasion == Occasion.EVALUATION else None,
            entered_by=by,
            entered_by_label=by.get_full_name(),
            entered_by_kind=AuthorKind.STAFF,
        )
        FunctionMeasurement.objects.filter(pk=measurement.pk).update(created_at=town.ago(days))
        FunctionScore.objects.bulk_create(
            FunctionScore(
                municipality=town.municipality, measurement=measurement, activity=row, score=scores[position]
            )
            for row, (_text, scores) in zip(rows, activities, strict=True)
        )


def today(town: b.Town) -> datetime.date:
    return timezone.localdate(town.now)

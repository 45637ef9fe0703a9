#!/usr/bin/env python
"""What the coordinator's pages cost as a caseload and a plan grow (issue 4): the coordinator's
day with 3 and with 30 persons, and the plan page, its history and its PDF for a plan with 1
period and 20 versions and for one with 5 periods and 200 versions — side by side in one run,
so the ratios mean something on a noisy machine.

    make bench-plan            (a throwaway SQLite database under var/bench/)
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/oppfolging_bench make bench-plan

It migrates the database it is given, loads the demo if missing, and adds «Benchmark»
persons to Fjordvik through the real services (every change versioned and audited, as in use).
It refuses any database that is not a file under var/ or /tmp or a PostgreSQL database with
"bench" in its name.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from oppfolging.overview.management.commands.bench_ke_overview import refusal

    reason = refusal()
    if reason:
        raise SystemExit(f"Refusing to write benchmark data: {reason}")
    call_command("migrate", verbosity=0)
    from oppfolging.core.demo import demo_is_loaded, load_demo
    from oppfolging.core.tenancy import unscoped

    with unscoped():
        if not demo_is_loaded():
            load_demo(pathway=False)


def _person(index: int) -> Any:
    from oppfolging.core.models import Municipality
    from oppfolging.lib.identity import Sex, make_synthetic
    from oppfolging.people.models import Person

    fjordvik = Municipality.objects.get(number="9901")
    birth = datetime.date(1940 + index % 60, 1 + index % 12, 1 + index % 28)
    person, _created = Person.all_tenants.get_or_create(
        municipality=fjordvik,
        national_id=make_synthetic(birth, sex=Sex.FEMALE, serial=800 + index % 150),
        defaults={
            "id_kind": "fnr",
            "id_is_synthetic": True,
            "birth_date": birth,
            "sex": "female",
            "given_name": f"Bench{index}",
            "family_name": "Planesen",
        },
    )
    return person


def _plan_for(person: Any, *, periods: int, versions: int, goals: int = 3) -> None:
    """A plan for ``person`` coordinated by fjordvik-koordinator with the nurse in the team,
    written through the services until it has ``periods`` periods and ``versions`` versions."""
    from django.utils import timezone

    from oppfolging.access.actor import resolve_actor
    from oppfolging.access.persons import Need, access_person
    from oppfolging.accounts.models import User
    from oppfolging.consents.models import Consent, ConsentKind
    from oppfolging.plans import services
    from oppfolging.plans.models import CarePlan, ResponsibleKind
    from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, TeamMember

    if CarePlan.all_tenants.filter(person=person).exists():
        return
    coordinator = User.objects.get(username="fjordvik-koordinator")
    nurse_user = User.objects.get(username="fjordvik-team")
    team, _ = CareTeam.all_tenants.get_or_create(municipality_id=person.municipality_id, person=person)
    CoordinatorAssignment.all_tenants.create(
        municipality_id=person.municipality_id,
        team=team,
        coordinator=coordinator,
        status=AssignmentStatus.ACTIVE,
        proposed_by=coordinator,
        started_at=timezone.now(),
    )
    nurse = TeamMember.all_tenants.create(
        municipality_id=person.municipality_id, team=team, user=nurse_user, name=nurse_user.get_full_name()
    )
    for kind, member in ((ConsentKind.TEAM_MEMBERSHIP, nurse), (ConsentKind.PLAN_WORK, None)):
        Consent.all_tenants.create(
            municipality_id=person.municipality_id,
            person=person,
            kind=kind,
            given_by="person",
            recorded_by=coordinator,
            team_member=member,
        )
    actor = resolve_actor(coordinator)
    access = access_person(actor, person.uuid, Need.CASE_CONTENT)
    plan = services.plan_create(actor=actor, access=access)
    goal_list = [
        services.goal_add(actor=actor, access=access, plan=plan, text=f"Mål {n} med egne ord.")
        for n in range(goals)
    ]
    start = timezone.localdate() - datetime.timedelta(days=60 * (periods - 1))
    for number in range(periods):
        period = services.period_add(
            actor=actor,
            access=access,
            plan=plan,
            starts_on=start + datetime.timedelta(days=60 * number),
            ends_on=start + datetime.timedelta(days=60 * number + 59),
        )
        for goal in goal_list:
            sub_goal = services.sub_goal_add(
                actor=actor, access=access, period=period, goal=goal, text="Delmål."
            )
            services.measure_add(
                actor=actor,
                access=access,
                sub_goal=sub_goal,
                description="Tiltak.",
                responsible_kind=ResponsibleKind.MEMBER,
                responsible_member=nurse,
                due_on=period.ends_on,
            )
    services.plan_activate(actor=actor, access=access, plan=plan)
    plan.refresh_from_db()
    edits = 0
    while plan.revision < versions:
        goal = goal_list[edits % len(goal_list)]
        goal.refresh_from_db()
        services.goal_update(
            actor=actor,
            access=access,
            goal=goal,
            version=goal.version,
            text=f"Mål med egne ord, utgave {edits}.",
            in_own_words=True,
            status="active",
        )
        edits += 1
        plan.refresh_from_db()


def _measure(client: Any, url: str) -> tuple[int, int, float, float]:
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # Each request would empty the query log at its start, and a full log (it keeps the last
    # 9000) would count nothing: start from an empty one and keep it.
    request_started.disconnect(reset_queries)
    reset_queries()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return len(queries), len(response.content), statistics.median(times), times[int(len(times) * 0.9) - 1]


def main() -> None:
    _setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from oppfolging.accounts.models import User
    from oppfolging.core.tenancy import unscoped

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    with unscoped():
        began = time.perf_counter()
        persons = [_person(index) for index in range(30)]
        small_plan, big_plan = persons[0], persons[1]
        _plan_for(small_plan, periods=1, versions=20)
        _plan_for(big_plan, periods=5, versions=200)
        for person in persons[2:]:
            _plan_for(person, periods=1, versions=1)
        built = time.perf_counter() - began
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    client = Client()
    client.force_login(User.objects.get(username="fjordvik-koordinator"))
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; data built in {built:.1f} s")
    print(f"{'page':52} {'queries':>7} {'KiB':>6} {'median ms':>10} {'p90 ms':>8}")
    rows = [
        ("coordinator's day, 30 persons", reverse("followup:day")),
        ("plan page, 1 period, 20 versions", reverse("plans:detail", args=[small_plan.uuid])),
        ("plan page, 5 periods, 200 versions", reverse("plans:detail", args=[big_plan.uuid])),
        ("history, 1 period, 20 versions", reverse("plans:history", args=[small_plan.uuid])),
        ("history, 5 periods, 200 versions", reverse("plans:history", args=[big_plan.uuid])),
        ("PDF, 1 period, 20 versions", reverse("plans:pdf", args=[small_plan.uuid])),
        ("PDF, 5 periods, 200 versions", reverse("plans:pdf", args=[big_plan.uuid])),
    ]
    results = {}
    for label, url in rows:
        queries, size, median, p90 = _measure(client, url)
        results[label] = median
        print(f"{label:52} {queries:>7} {size / 1024:>6.0f} {median:>10.1f} {p90:>8.1f}")
    small = results["plan page, 1 period, 20 versions"]
    big = results["plan page, 5 periods, 200 versions"]
    print(f"plan page: 5 periods/200 versions takes {big / small:.2f}x the time of 1 period/20 versions")


if __name__ == "__main__":
    main()

"""The report lists run a fixed number of queries however many reports there are."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oppfolging.core.tenancy import unscoped
from oppfolging.referrals.models import NeedReport
from oppfolging.referrals.tests.test_reports_support import give_coordinator, make_report, new_person

pytestmark = pytest.mark.django_db


def _grow(cast: Any, n: int) -> list[NeedReport]:
    """n more reports by fjordvik-fastlege: about Per to the queue, about Hedda (who has a
    coordinator) to the inbox, some of them overdue and handled."""
    made = []
    for i in range(n):
        report = make_report(
            cast, person="Per" if i % 2 else "Hedda", kind="need" if i % 2 else "changed_need"
        )
        with unscoped():
            NeedReport.objects.filter(pk=report.pk).update(
                received_at=timezone.now() - datetime.timedelta(days=i * 3),
                handled_by=cast.users["fjordvik-tildeling"] if i % 3 else None,
            )
        made.append(report)
    return made


def _count(get: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = get()
    assert response.status_code == 200
    return len(queries)


PAGES = [
    ("queue", "fjordvik-tildeling", "/meldinger/mottak/", {}),
    ("queue, all", "fjordvik-ke", "/meldinger/mottak/", {"status": "all"}),
    ("inbox", "fjordvik-koordinator", "/meldinger/innboks/", {}),
    ("mine", "fjordvik-fastlege", "/meldinger/mine/", {}),
]


@pytest.mark.parametrize(("label", "user", "url", "query"), PAGES, ids=[p[0] for p in PAGES])
def test_report_lists_cost_the_same_with_3_or_30_reports(cast, label, user, url, query):
    new_person(cast, "Hedda", serial=1)
    give_coordinator(cast, "Hedda")
    client = cast.client(user)
    client.get(url, query)  # warm up: session, content types
    _grow(cast, 3)
    small = _count(lambda: client.get(url, query))
    _grow(cast, 27)
    large = _count(lambda: client.get(url, query))
    assert large == small, f"{label}: {small} queries with 3 reports, {large} with 30"


def test_the_lists_really_list_them(cast):
    new_person(cast, "Hedda", serial=1)
    give_coordinator(cast, "Hedda")
    made = _grow(cast, 30)
    queue = cast.client("fjordvik-tildeling").get("/meldinger/mottak/").content.decode()
    inbox = cast.client("fjordvik-koordinator").get("/meldinger/innboks/").content.decode()
    mine = cast.client("fjordvik-fastlege").get("/meldinger/mine/").content.decode()
    assert sum(str(r.uuid) in queue for r in made) == 15
    assert sum(str(r.uuid) in inbox for r in made) == 15
    assert sum(str(r.uuid) in mine for r in made) == 30


def test_the_start_page_counts_take_one_query_each(cast):
    from oppfolging.access.actor import resolve_actor
    from oppfolging.core.tenancy import municipality_scope
    from oppfolging.referrals.report_selectors import report_inbox_open_count, report_queue_counts

    new_person(cast, "Hedda", serial=1)
    give_coordinator(cast, "Hedda")
    tildeling = resolve_actor(cast.users["fjordvik-tildeling"])
    coordinator = resolve_actor(cast.users["fjordvik-koordinator"])
    with municipality_scope(cast.municipalities["fjordvik"]):
        before = report_queue_counts(actor=tildeling)
        inbox_before = report_inbox_open_count(actor=coordinator)
        _grow(cast, 6)  # 3 to the queue (one 9 and one 15 days old), 3 to the inbox
        old = make_report(cast)
        with unscoped():
            NeedReport.objects.filter(pk=old.pk).update(
                received_at=timezone.now() - datetime.timedelta(days=40)
            )
        with CaptureQueriesContext(connection) as queries:
            after = report_queue_counts(actor=tildeling)
            inbox_after = report_inbox_open_count(actor=coordinator)
    assert len(queries) == 2
    assert (after.open - before.open, after.overdue - before.overdue) == (4, 1)
    assert inbox_after - inbox_before == 3

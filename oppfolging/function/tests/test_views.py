"""The staff PSFS page: readers of the case content see the chart and the numbers; the
coordinator names the activities and records scores through the forms; a refused form keeps
what was typed; the page's query count does not grow with the series."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.function import services
from oppfolging.function.models import FunctionActivity, FunctionMeasurement, Occasion
from oppfolging.plans.models import PlanPeriod
from oppfolging.plans.tests.support import coordinator_access, planned_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _url(name, person):
    return reverse(name, args=[person.uuid])


def _series(cast, person, *rows):
    """Activities a, b, c and a measurement per row of scores (the first the baseline)."""
    who, access = coordinator_access(cast, person)
    with unscoped():
        activities = services.activities_set(
            actor=who, access=access, activities=[(None, t) for t in ("Gå tur", "Lage middag", "Dusje selv")]
        )
        for index, scores in enumerate(rows):
            services.measurement_record(
                actor=who,
                access=access,
                measured_on=TODAY - datetime.timedelta(days=10 * (len(rows) - index)),
                occasion=Occasion.BASELINE if index == 0 else Occasion.FOLLOW_UP,
                scores={str(a.uuid): s for a, s in zip(activities, scores, strict=True)},
            )
    return activities


def test_the_coordinator_sees_the_series_with_the_real_change_marked_in_words(cast):
    person = planned_person(cast)
    _series(cast, person, (2, 3, 4), (5, 5, 4))
    html = cast.client("fjordvik-koordinator").get(_url("function:detail", person)).content.decode()
    text = _text(html)
    assert "Reell endring: bedre" in text
    assert "+1,67" in text
    assert "4,67" in text
    assert "(+3)" in text  # the activity that moved 3
    assert 'role="img"' in html
    assert '<title id="psfs-chart-title">' in html
    assert '<th scope="col" class="app-num">Gå tur</th>' in html
    assert '<th scope="row"' in html
    assert "Lagre skårene" in text
    with unscoped():
        row = AuditEvent.objects.filter(person=person, what="function", action="view").latest("id")
    assert row.role == "coordinator"


def test_no_real_change_is_said_as_much(cast):
    person = planned_person(cast)
    _series(cast, person, (2, 3, 4), (3, 4, 5))
    text = _text(cast.client("fjordvik-koordinator").get(_url("function:detail", person)).content.decode())
    assert "Ikke en reell endring ennå" in text
    assert "Reell endring: bedre" not in text


def test_a_team_member_reads_without_forms_and_an_outsider_gets_404(cast):
    person = planned_person(cast)
    _series(cast, person, (2, 3, 4))
    response = cast.client("fjordvik-team").get(_url("function:detail", person))
    assert response.status_code == 200
    assert "Lagre skårene" not in response.content.decode()
    for username in ("fjordvik-ke", "fjordvik-fastlege", "lidal-ke", "utenforstaaende"):
        assert cast.client(username).get(_url("function:detail", person)).status_code == 404, username
    for name in ("function:activities", "function:measure"):
        assert cast.client("fjordvik-team").post(_url(name, person), {}).status_code == 404


def test_the_coordinator_sets_activities_and_records_scores_through_the_forms(cast):
    person = planned_person(cast)
    client = cast.client("fjordvik-koordinator")
    response = client.post(
        _url("function:activities", person),
        {"text_1": "Gå i butikken", "text_2": "Lage middag", "text_3": ""},
    )
    assert response.status_code == 302
    with unscoped():
        walk, cook = FunctionActivity.objects.filter(person=person).order_by("order")
        period = PlanPeriod.objects.get(plan__person=person)
    data = {
        "measured_on": TODAY.isoformat(),
        "occasion": "evaluation",
        "period": str(period.uuid),
        f"score_{walk.uuid}": "3",
        f"score_{cook.uuid}": "6",
        "note": "Målt i evalueringsmøtet.",
    }
    assert client.post(_url("function:measure", person), data).status_code == 302
    with unscoped():
        measurement = FunctionMeasurement.objects.get(person=person)
    assert (measurement.occasion, measurement.period, measurement.entered_by_kind) == (
        "evaluation",
        period,
        "staff",
    )


def test_a_refused_form_keeps_what_was_typed(cast):
    person = planned_person(cast)
    client = cast.client("fjordvik-koordinator")
    six = {f"text_{n}": f"Aktivitet {n}" for n in range(1, 6)}
    response = client.post(
        _url("function:activities", person), {**six, "text_1": "Gå tur", "text_2": "gå tur"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Den samme aktiviteten står to ganger." in html
    assert 'value="Aktivitet 5"' in html
    _series(cast, person, (2, 3, 4))
    with unscoped():
        walk = FunctionActivity.objects.get(person=person, text="Gå tur")
    response = client.post(
        _url("function:measure", person),
        {
            "measured_on": TODAY.isoformat(),
            "occasion": "evaluation",
            f"score_{walk.uuid}": "4",
            "note": "Viktig merknad",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Velg hvilken planperiode som evalueres." in html
    assert "Velg et tall fra 0 til 10." in html  # the other two activities
    assert "Viktig merknad" in html
    with unscoped():
        assert FunctionMeasurement.objects.filter(person=person).count() == 1


def test_a_scored_activity_cannot_be_rewritten_from_the_form(cast):
    person = planned_person(cast)
    walk, cook, shower = _series(cast, person, (2, 3, 4))
    client = cast.client("fjordvik-koordinator")
    data = {
        "text_1": "Løpe",
        "key_1": str(walk.uuid),
        "text_2": "Lage middag",
        "key_2": str(cook.uuid),
        "text_3": "",
        "key_3": str(shower.uuid),
    }
    response = client.post(_url("function:activities", person), data)
    assert response.status_code == 200
    assert "kan ikke skrives om" in response.content.decode()
    data["text_1"] = "Gå tur"
    assert client.post(_url("function:activities", person), data).status_code == 302
    with unscoped():
        shower.refresh_from_db()
    assert shower.retired_on == TODAY
    text = _text(client.get(_url("function:detail", person)).content.decode())
    assert "Avsluttede aktiviteter" in text


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_series(cast):
    person = planned_person(cast)
    activities = _series(cast, person, (2, 3, 4), (3, 3, 4))
    client = cast.client("fjordvik-koordinator")
    url = _url("function:detail", person)
    client.get(url)
    small = _count(client, url)
    who, access = coordinator_access(cast, person)
    with unscoped():
        for n in range(15):
            services.measurement_record(
                actor=who,
                access=access,
                measured_on=TODAY,
                occasion=Occasion.FOLLOW_UP,
                scores={str(a.uuid): (n + i) % 11 for i, a in enumerate(activities)},
            )
    assert _count(client, url) == small

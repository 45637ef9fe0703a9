"""The assessment page and a person's list of assessments cost the same number of queries
whatever their size: 3 participants or 20, one assessment or many, drafts or none."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oppfolging.core.models import Unit
from oppfolging.core.tenancy import unscoped
from oppfolging.referrals.checklist import SECTION_KEYS
from oppfolging.referrals.models import Assessment, AssessmentParticipant, AssessmentStatus
from oppfolging.referrals.tests.test_assessment_support import give_team, make_report, open_assessment, url

pytestmark = pytest.mark.django_db


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def _add_participants(assessment: Assessment, start: int, count: int) -> None:
    with unscoped():
        units = list(Unit.objects.filter(municipality_id=assessment.municipality_id))
        for index in range(start, start + count):
            AssessmentParticipant.objects.create(
                municipality_id=assessment.municipality_id,
                assessment=assessment,
                name=f"Deltaker {index}",
                discipline="Sykepleier",
                unit=units[index % len(units)],
                is_gp=index == 0,
            )


@pytest.mark.parametrize("user", ["fjordvik-tildeling", "fjordvik-team"])
def test_the_assessment_page_does_not_grow_with_participants(cast, user):
    assessment = open_assessment(cast, report=make_report(cast))
    give_team(cast, "Per", {"fjordvik-team": ["wishes", "participants"]})
    client = cast.client(user)
    page = url("detail", assessment)
    client.get(page)  # warm up: session, content types
    _add_participants(assessment, 0, 3)
    for key in SECTION_KEYS[:3]:
        client.post(url("draft", assessment, key), {f"{key}-text": "utkast", f"{key}-version": 0})
    few = _queries(client, page)
    _add_participants(assessment, 3, 17)
    for key in SECTION_KEYS[3:]:
        client.post(url("draft", assessment, key), {f"{key}-text": "utkast", f"{key}-version": 0})
    many = _queries(client, page)
    assert many == few, f"{few} queries with 3 participants, {many} with 20"
    assert "Deltaker 19" in client.get(page).content.decode()


def test_the_list_of_a_persons_assessments_does_not_grow(cast):
    client = cast.client("fjordvik-ke")
    person = cast.persons["Per"]
    path = f"/kartlegging/{person.uuid}/"
    client.get(path)

    def add(count: int) -> None:
        with unscoped():
            for index in range(count):
                Assessment.objects.create(
                    municipality_id=person.municipality_id,
                    person=person,
                    report=make_report(cast),
                    led_by=cast.users["fjordvik-tildeling"],
                    status=AssessmentStatus.COMPLETED,
                    started_at=timezone.now() - datetime.timedelta(days=400 + index),
                    completed_at=timezone.now() - datetime.timedelta(days=300 + index),
                )

    add(1)
    few = _queries(client, path)
    add(15)
    assert _queries(client, path) == few

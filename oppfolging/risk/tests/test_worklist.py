"""The GP's and KE's risk work-lists: who is on them, in which order, with which words, and that
every score shown is audited — one row per person, in one insert."""

from __future__ import annotations

import datetime
import logging
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.lib import identity
from oppfolging.referrals.models import ReportStatus
from oppfolging.risk.listed import list_file
from oppfolging.risk.models import Review, RiskSubject
from oppfolging.risk.tests import builders as b
from oppfolging.risk.worklist_selectors import PAGE_SIZE
from oppfolging.teams.tests.test_team_support import make_coordinator, make_person, make_team, open_report

pytestmark = pytest.mark.django_db

DECISION_SUPPORT = "Beslutningsstøtte \u2013 ikke en beslutning"
DEFAULT_WEIGHTS = "Standardvekter \u2013 ikke validert lokalt"


def _subject_uuids(response) -> list[str]:
    """The subjects on the page, in order, from the row links."""
    return re.findall(r'href="/risiko/person/([0-9a-f-]{36})/"', response.content.decode())


def _gp(cast):
    return cast.client("fjordvik-fastlege")


def test_the_gp_sees_their_own_patients_of_the_latest_batch_highest_risk_first(cast):
    fjordvik = cast.municipalities["fjordvik"]
    old = b.batch(fjordvik, computed_on=timezone.localdate() - datetime.timedelta(days=40))
    only_old, _ = b.scored(old, risk=0.9)
    latest = b.batch(fjordvik)
    low, _ = b.scored(latest, risk=0.2)
    high, _ = b.scored(latest, risk=0.6)
    other_gps, _ = b.scored(latest, risk=0.7, gp_hpr=b.OTHER_GP_HPR)
    b.score(latest, only_old, risk=0.1)  # also in the latest batch, with its latest score
    response = _gp(cast).get(reverse("risk:gp_list"))
    assert response.status_code == 200
    assert _subject_uuids(response) == [str(high.uuid), str(low.uuid), str(only_old.uuid)]
    assert str(other_gps.uuid) not in response.content.decode()
    text = response.content.decode()
    assert DECISION_SUPPORT in text
    assert DEFAULT_WEIGHTS in text
    assert "60 %" in text
    assert "20 %" in text
    assert "90 %" not in text


def test_a_fitted_model_is_not_labelled_as_default_weights(cast):
    fjordvik = cast.municipalities["fjordvik"]
    latest = b.batch(fjordvik, model=b.fitted_model(fjordvik))
    b.scored(latest)
    text = _gp(cast).get(reverse("risk:gp_list")).content.decode()
    assert DECISION_SUPPORT in text
    assert DEFAULT_WEIGHTS not in text


def test_a_row_names_a_registered_person_and_masks_an_unknown_one(cast):
    fjordvik = cast.municipalities["fjordvik"]
    latest = b.batch(fjordvik)
    person = make_person(fjordvik, "Risa", age=77, serial=731)
    known, _ = b.scored(latest, person=person, risk=0.5)
    unknown, _ = b.scored(
        latest,
        risk=0.4,
        age=83,
        factors=[
            {"feature": "emergency_admissions_12m", "value": 2.0, "contribution": 0.8},
            {"feature": "cond_heart_failure", "value": 1.0, "contribution": 0.5},
        ],
        flags=[{"key": "polypharmacy", "reason": "5 faste legemidler (4 eller flere)"}],
        band="moderate",
        tier=4,
    )
    text = _gp(cast).get(reverse("risk:gp_list")).content.decode()
    assert "Risa Teamsen" in text
    assert identity.mask(unknown.national_id) in text
    assert unknown.national_id not in text
    assert known.national_id not in text
    assert "Kvinne, 83 år" in text
    assert "Moderat skrøpelig" in text
    assert "Nivå 4: svært høy risiko" in text
    # The reasons in words: the factors (with the person's value) and the flags.
    assert "2 øyeblikkelig hjelp-innleggelser siste 12 måneder" in text
    assert "Hjertesvikt" in text
    assert "Fire eller flere faste legemidler" in text


def test_a_person_with_a_coordinator_or_an_open_report_is_not_on_the_list(cast):
    fjordvik = cast.municipalities["fjordvik"]
    latest = b.batch(fjordvik)
    coordinated = make_person(fjordvik, "Koord", age=70, serial=732)
    make_coordinator(make_team(coordinated), cast.users["fjordvik-koordinator"], cast.users["fjordvik-ke"])
    reported = make_person(fjordvik, "Meldt", age=71, serial=733)
    report = open_report(reported, cast.users["fjordvik-team"])
    teamless = make_person(fjordvik, "Teamlos", age=72, serial=734)
    make_team(teamless)  # a team without a coordinator is no team yet
    with_coordinator, _ = b.scored(latest, person=coordinated)
    with_report, _ = b.scored(latest, person=reported)
    without, _ = b.scored(latest, person=teamless)
    shown = _subject_uuids(_gp(cast).get(reverse("risk:gp_list")))
    assert shown == [str(without.uuid)]
    with unscoped():
        report.status = ReportStatus.CLOSED
        report.save()
    shown = _subject_uuids(_gp(cast).get(reverse("risk:gp_list")))
    assert sorted(shown) == sorted([str(with_report.uuid), str(without.uuid)])
    assert str(with_coordinator.uuid) not in shown


def test_a_review_keeps_the_subject_off_until_the_data_change(cast):
    fjordvik = cast.municipalities["fjordvik"]
    latest = b.batch(fjordvik)
    who, _ = b.scored(latest, data_hash="before")
    with unscoped():
        Review.objects.create(
            municipality=fjordvik,
            subject=who,
            reviewed_by=cast.users["fjordvik-fastlege"],
            reason="Kjent",
            data_hash="before",
        )
    assert _subject_uuids(_gp(cast).get(reverse("risk:gp_list"))) == []
    with unscoped():
        # The importer's own fingerprint of the subject's rows is not what a review holds on.
        who.data_hash = "after"
        who.save()
    assert _subject_uuids(_gp(cast).get(reverse("risk:gp_list"))) == []
    # A later batch scores the person on data that differ in what the score rests on.
    b.score(b.batch(fjordvik), who, data_hash="after")
    assert _subject_uuids(_gp(cast).get(reverse("risk:gp_list"))) == [str(who.uuid)]


def test_every_person_shown_is_audited_once_in_one_insert(cast):
    fjordvik = cast.municipalities["fjordvik"]
    latest = b.batch(fjordvik)
    person = make_person(fjordvik, "Logga", age=75, serial=735)
    known, _ = b.scored(latest, person=person)
    unknown, _ = b.scored(latest)
    with unscoped():
        before = AuditEvent.objects.count()
    _gp(cast).get(reverse("risk:gp_list"))
    with unscoped():
        rows = list(AuditEvent.objects.order_by("id")[before:])
    assert [(r.what, r.action, r.role) for r in rows] == [("risk.score", "view", "gp")] * 2
    by_subject = {r.object_uuid: r for r in rows}
    assert by_subject[known.uuid].person_id == person.pk
    assert by_subject[unknown.uuid].person_id is None
    assert {r.municipality_id for r in rows} == {fjordvik.pk}


def test_a_gp_without_an_hpr_number_sees_why_the_list_is_empty(cast):
    gp = cast.users["fjordvik-fastlege"]
    gp.hpr_number = ""
    gp.save()
    b.scored(b.batch(cast.municipalities["fjordvik"]))
    response = _gp(cast).get(reverse("risk:gp_list"))
    assert "HPR-nummeret ditt er ikke registrert" in response.content.decode()
    assert _subject_uuids(response) == []


def test_ke_sees_the_whole_municipality_and_filters(cast):
    fjordvik = cast.municipalities["fjordvik"]
    latest = b.batch(fjordvik)
    old_flagged, _ = b.scored(
        latest, age=85, tier=4, risk=0.5, flags=[{"key": "polypharmacy", "reason": "6"}]
    )
    young, _ = b.scored(latest, age=30, tier=2, risk=0.2, gp_hpr=b.OTHER_GP_HPR, flags=[])
    lidal, _ = b.scored(b.batch(cast.municipalities["lidal"]), gp_hpr="")
    client = cast.client("fjordvik-ke")
    url = reverse("risk:ke_list")
    assert _subject_uuids(client.get(url)) == [str(old_flagged.uuid), str(young.uuid)]
    assert _subject_uuids(client.get(url, {"tier": "2"})) == [str(young.uuid)]
    assert _subject_uuids(client.get(url, {"flag": "polypharmacy"})) == [str(old_flagged.uuid)]
    assert _subject_uuids(client.get(url, {"age": "80+"})) == [str(old_flagged.uuid)]
    assert _subject_uuids(client.get(url, {"age": "18-49"})) == [str(young.uuid)]
    assert _subject_uuids(client.get(url, {"age": "0-17"})) == []
    assert str(lidal.uuid) not in client.get(url).content.decode()


def test_the_ke_list_has_pages_of_fifty(cast):
    latest = b.batch(cast.municipalities["fjordvik"])
    for i in range(PAGE_SIZE + 3):
        b.scored(latest, risk=0.9 - i / 1000)
    client = cast.client("fjordvik-ke")
    first = _subject_uuids(client.get(reverse("risk:ke_list")))
    second = _subject_uuids(client.get(reverse("risk:ke_list"), {"page": "2"}))
    assert len(first) == PAGE_SIZE
    assert len(second) == 3
    assert not set(first) & set(second)


@pytest.mark.parametrize(
    ("user", "route"), [("fjordvik-fastlege", "risk:gp_list"), ("fjordvik-ke", "risk:ke_list")]
)
def test_the_query_count_does_not_grow_with_the_list(cast, user, route):
    fjordvik = cast.municipalities["fjordvik"]
    latest = b.batch(fjordvik)
    client = cast.client(user)
    url = reverse(route)

    def grow(n: int, serial: int) -> None:
        for i in range(n):
            person = (
                make_person(fjordvik, f"Vekst{serial + i}", age=60 + i % 30, serial=serial + i)
                if i % 2
                else None
            )
            b.scored(latest, person=person, risk=0.3 + i / 1000)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    client.get(url)
    grow(2, 800)
    small = count()
    grow(25, 820)
    assert count() == small


def test_a_list_file_that_cannot_be_read_shows_no_one_and_says_why_in_the_log(cast, caplog):
    latest = b.batch(cast.municipalities["fjordvik"])
    who, _ = b.scored(latest)
    assert _subject_uuids(_gp(cast).get(reverse("risk:gp_list"))) == [str(who.uuid)]
    list_file(latest).unlink()
    with caplog.at_level(logging.WARNING, logger="oppfolging.risk.listed"):
        response = _gp(cast).get(reverse("risk:gp_list"))
    assert response.status_code == 200
    assert _subject_uuids(response) == []
    assert str(latest.uuid) in caplog.text
    assert "cannot be read" in caplog.text


def test_a_person_shown_on_a_list_gets_one_subject_however_often_they_are_shown(cast):
    """The batch makes no subjects; a list makes one for each person it shows, once."""
    fjordvik = cast.municipalities["fjordvik"]
    latest = b.batch(fjordvik)
    who, _ = b.scored(latest)
    number = who.national_id
    with unscoped():
        who.delete()  # as a batch leaves a new person: a list row, no subject
        assert not RiskSubject.objects.filter(national_id=number).exists()
    for _ in range(2):
        shown = _subject_uuids(cast.client("fjordvik-ke").get(reverse("risk:ke_list")))
        with unscoped():
            made = RiskSubject.objects.get(municipality=fjordvik, national_id=number)
        assert shown == [str(made.uuid)]

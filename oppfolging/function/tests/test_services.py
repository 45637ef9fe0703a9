"""PSFS services: the activities (up to five, never rewritten once scored), the measurements
(0-10, every active activity scored, an evaluation names its period), who may write them, and
the audit rows."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from oppfolging.access.persons import Need, access_person
from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.function import services
from oppfolging.function.models import FunctionActivity, FunctionMeasurement, Occasion
from oppfolging.function.selectors import function_series
from oppfolging.plans.models import PlanPeriod
from oppfolging.plans.tests.support import coordinator_access, planned_person
from oppfolging.portal.tests.support import planned_aron, planned_per, relative_user
from oppfolging.teams.tests.test_team_support import actor, make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _set(who, access, *texts):
    with unscoped():
        return services.activities_set(actor=who, access=access, activities=[(None, t) for t in texts])


def _record(who, access, scores, *, occasion=Occasion.BASELINE, on=TODAY, period=None):
    with unscoped():
        return services.measurement_record(
            actor=who,
            access=access,
            measured_on=on,
            occasion=occasion,
            scores={str(a.uuid): s for a, s in scores.items()},
            note="",
            period=period,
        )


def _access(cast, username, person):
    with unscoped():
        who = actor(cast.users[username])
        return who, access_person(who, person.uuid, Need.CASE_CONTENT)


def test_the_coordinator_names_up_to_five_activities(cast):
    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    made = _set(who, access, "Gå i butikken", "Lage middag", "Dusje selv")
    assert [a.text for a in made] == ["Gå i butikken", "Lage middag", "Dusje selv"]
    with pytest.raises(ValidationError, match="høyst 5"):
        _set(who, access, *[f"Aktivitet {n}" for n in range(6)])
    with pytest.raises(ValidationError, match="to ganger"):
        _set(who, access, "Lage middag", "lage middag")
    with unscoped():
        assert (
            AuditEvent.objects.filter(person=person, what="function.activity", action="create").count() == 3
        )


def test_a_scored_activity_is_retired_never_rewritten(cast):
    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    walk, cook = _set(who, access, "Gå tur", "Lage middag")
    _record(who, access, {walk: 2, cook: 5})
    with unscoped(), pytest.raises(ValidationError, match="kan ikke skrives om"):
        services.activities_set(
            actor=who, access=access, activities=[(walk.uuid, "Løpe"), (cook.uuid, "Lage middag")]
        )
    with unscoped():
        kept = services.activities_set(
            actor=who, access=access, activities=[(cook.uuid, "Lage middag"), (None, "Handle")]
        )
        walk.refresh_from_db()
    assert [a.text for a in kept] == ["Lage middag", "Handle"]
    assert walk.retired_on == TODAY
    assert walk.text == "Gå tur"
    # An activity without scores may be rewritten, and goes away entirely when left out.
    handle = kept[1]
    with unscoped():
        services.activities_set(
            actor=who, access=access, activities=[(cook.uuid, "Lage middag"), (handle.uuid, "Handle mat")]
        )
        assert FunctionActivity.objects.get(pk=handle.pk).text == "Handle mat"
        services.activities_set(actor=who, access=access, activities=[(cook.uuid, "Lage middag")])
        assert not FunctionActivity.objects.filter(pk=handle.pk).exists()
        assert AuditEvent.objects.filter(person=person, what="function.activity", action="delete").exists()


def test_a_measurement_scores_every_active_activity_from_0_to_10(cast):
    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    walk, cook = _set(who, access, "Gå tur", "Lage middag")
    with pytest.raises(ValidationError, match="Gi «Lage middag» en skår"):
        _record(who, access, {walk: 2})
    for bad in (11, -1):
        with pytest.raises(ValidationError, match="fra 0 til 10"):
            _record(who, access, {walk: 2, cook: bad})
    with pytest.raises(ValidationError, match="fram i tid"):
        _record(who, access, {walk: 2, cook: 3}, on=TODAY + datetime.timedelta(days=1))
    with unscoped():
        assert not FunctionMeasurement.objects.filter(person=person).exists()
    measurement = _record(who, access, {walk: 0, cook: 10})
    assert measurement.entered_by_kind == "staff"
    assert measurement.entered_by_label == "Ingrid Ergoterapeut"
    with unscoped():
        row = AuditEvent.objects.get(person=person, what="function.measurement")
    assert (row.action, row.role, row.object_uuid) == ("create", "coordinator", measurement.uuid)


def test_an_evaluation_measurement_names_a_period_of_the_persons_own_plan(cast):
    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    (walk,) = _set(who, access, "Gå tur")
    with pytest.raises(ValidationError, match="planperiode"):
        _record(who, access, {walk: 4}, occasion=Occasion.EVALUATION)
    other = planned_per(cast)
    with unscoped():
        others_period = PlanPeriod.objects.get(plan__person=other)
        own_period = PlanPeriod.objects.get(plan__person=person)
    with pytest.raises(ValidationError, match="hører ikke til"):
        _record(who, access, {walk: 4}, occasion=Occasion.EVALUATION, period=others_period)
    measurement = _record(who, access, {walk: 4}, occasion=Occasion.EVALUATION, period=own_period)
    assert measurement.period == own_period


def test_the_person_records_their_own_scores_marked_as_theirs(cast):
    per = planned_per(cast)
    who, access = _access(cast, "per", per)
    with unscoped():
        measurement = services.activities_first_scoring(
            actor=who, access=access, named=[("Gå på butikken", 2), ("Dusje selv", 3), ("Lage mat", 4)]
        )
    assert measurement.entered_by_kind == "person"
    assert measurement.occasion == Occasion.BASELINE
    # Once named, the activities are changed with the coordinator, not alone.
    with pytest.raises(PermissionDenied):
        _set(who, access, "Noe annet")
    with unscoped():
        assert services.own_occasion(per) == Occasion.FOLLOW_UP
        series = function_series(person=per)
    assert [cell.score for cell in series.rows[0].cells] == [2, 3, 4]


def test_a_guardian_and_a_consented_relative_record_as_relatives(cast):
    aron = planned_aron(cast)
    who, access = _access(cast, "aron-mor", aron)
    (play,) = _set(who, access, "Leke med andre barn")
    assert _record(who, access, {play: 3}).entered_by_kind == "relative"
    per = planned_per(cast)
    daughter = relative_user(cast, per, consented=True)
    with unscoped():
        who = actor(daughter)
        access = access_person(who, per.uuid, Need.CASE_CONTENT)
    assert access.role == "relative"
    (walk,) = _set(who, access, "Gå tur")
    assert _record(who, access, {walk: 5}).entered_by_label == "Pia Olsen"


def test_team_members_and_former_members_only_read(cast):
    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    (walk,) = _set(who, access, "Gå tur")
    for username in ("fjordvik-team", "sykehus"):
        member, member_access = _access(cast, username, person)
        assert not services.may_record(member_access)
        with pytest.raises(PermissionDenied):
            _record(member, member_access, {walk: 5})
        with pytest.raises(PermissionDenied):
            _set(member, member_access, "Noe")


def test_the_series_of_a_former_member_ends_when_they_left(cast):
    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    (walk,) = _set(who, access, "Gå tur")
    _record(who, access, {walk: 5})
    _former, former_access = _access(cast, "sykehus", person)
    assert former_access.until is not None
    with unscoped():
        assert function_series(person=person, until=former_access.until).rows == []
        assert len(function_series(person=person).rows) == 1


def test_activities_of_another_person_cannot_be_scored(cast):
    person = planned_person(cast)
    who, access = coordinator_access(cast, person)
    (walk,) = _set(who, access, "Gå tur")
    stranger = make_person(cast.municipalities["fjordvik"], "Ukjent", serial=760)
    with unscoped():
        strangers = FunctionActivity.objects.create(
            municipality_id=stranger.municipality_id,
            person=stranger,
            text="X",
            created_by=cast.users["fjordvik-ke"],
        )
    with pytest.raises(ValidationError, match="endret av noen andre"):
        _record(who, access, {walk: 5, strangers: 5})

"""The evaluation pages through the real views: the coordinator records, the team reads, bad input
keeps what was typed, and a second evaluation is not offered."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.plans.models import Evaluation, PeriodStatus, PlanPeriod
from oppfolging.plans.tests.support import planned_person

pytestmark = pytest.mark.django_db


def _urls(person):
    with unscoped():
        period = PlanPeriod.objects.get(plan__person=person, number=1)
    kwargs = {"person_uuid": person.uuid, "period_uuid": period.uuid}
    return period, reverse("plans:evaluate", kwargs=kwargs), reverse("plans:evaluation_detail", kwargs=kwargs)


def _post_data(period, **extra):
    with unscoped():
        sub_goal = period.sub_goals.get()
        measure = period.measures.get()
    data = {
        "held_on": timezone.localdate().isoformat(),
        f"outcome-s{sub_goal.uuid}": "partly",
        f"comment-s{sub_goal.uuid}": "Nesten der.",
        f"decision-{measure.uuid}": "continue",
        f"mcomment-{measure.uuid}": "Fortsetter en periode til.",
        "team_reviewed": "on",
        "team_review_note": "Logoped bør inn.",
        "summary": "Per dusjer med litt hjelp.",
        "persons_view": "Jeg vil klare det selv.",
        "create_next": "on",
        "next_months": "3",
    }
    data.update(extra)
    return data


def test_the_coordinator_opens_the_form_with_every_line_and_the_team(cast):
    person = planned_person(cast)
    period, url, _detail = _urls(person)
    response = cast.client("fjordvik-koordinator").get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dusje selv." in html
    assert "Trening i dusjen med sykepleier." in html
    assert f'data-draft-key="evaluation:{period.uuid}"' in html
    assert 'data-base-version="' in html
    assert reverse("teams:detail", args=[person.uuid]) in html
    with unscoped():
        assert AuditEvent.objects.filter(
            what="plan.evaluation", object_uuid=period.uuid, action="view"
        ).exists()


def test_bad_input_shows_errors_and_keeps_what_was_typed(cast):
    person = planned_person(cast)
    period, url, _detail = _urls(person)
    with unscoped():
        sub_goal = period.sub_goals.get()
    data = _post_data(period)
    del data[f"outcome-s{sub_goal.uuid}"]
    response = cast.client("fjordvik-koordinator").post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Velg om det er nådd, delvis nådd eller ikke nådd." in html
    assert "Per dusjer med litt hjelp." in html
    assert "Logoped bør inn." in html
    with unscoped():
        assert not Evaluation.objects.filter(period=period).exists()


def test_a_refusal_from_the_service_is_shown_on_its_field(cast):
    person = planned_person(cast)
    period, url, _detail = _urls(person)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = cast.client("fjordvik-koordinator").post(url, _post_data(period, held_on=tomorrow.isoformat()))
    assert response.status_code == 200
    assert "kan ikke være fram i tid" in response.content.decode()
    assert "Jeg vil klare det selv." in response.content.decode()


def test_recording_through_the_view_starts_the_next_period_and_the_team_reads_it(cast):
    person = planned_person(cast)
    period, url, detail = _urls(person)
    response = cast.client("fjordvik-koordinator").post(url, _post_data(period))
    assert response.status_code == 302
    assert response["Location"] == detail
    with unscoped():
        period.refresh_from_db()
        assert period.status == PeriodStatus.EVALUATED
        evaluation = Evaluation.objects.get(period=period)
        assert evaluation.team_reviewed
        assert PlanPeriod.objects.get(plan=period.plan, number=2).status == PeriodStatus.ACTIVE
    page = cast.client("fjordvik-team").get(detail)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Per dusjer med litt hjelp." in html
    assert "Delvis nådd" in html
    assert "Delmål tatt med videre" in html
    # A second evaluation is not offered: the form sends the coordinator to the recorded one.
    again = cast.client("fjordvik-koordinator").get(url)
    assert again.status_code == 302
    assert again["Location"] == detail


def test_no_next_period_when_the_box_is_unticked(cast):
    person = planned_person(cast)
    period, url, detail = _urls(person)
    with unscoped():
        measure = period.measures.get()
    data = _post_data(period, **{f"decision-{measure.uuid}": "done"})
    del data["create_next"]
    data["next_months"] = ""
    response = cast.client("fjordvik-koordinator").post(url, data)
    assert response.status_code == 302
    with unscoped():
        assert PlanPeriod.objects.filter(plan=period.plan).count() == 1
    assert "Ingen ny periode" in cast.client("fjordvik-koordinator").get(detail).content.decode()


def test_team_members_cannot_record_and_others_cannot_read(cast):
    person = planned_person(cast)
    period, url, detail = _urls(person)
    assert cast.client("fjordvik-team").get(url).status_code == 404
    assert cast.client("fjordvik-team").post(url, _post_data(period)).status_code == 404
    assert cast.client("fjordvik-ke").get(url).status_code == 404
    cast.client("fjordvik-koordinator").post(url, _post_data(period))
    for user in ("fjordvik-ke", "fjordvik-fastlege", "sykehus", "lidal-ke", "per"):
        assert cast.client(user).get(detail).status_code == 404, user


def test_a_draft_plan_is_not_evaluated(cast):
    person = planned_person(cast, activate=False)
    _period, url, _detail = _urls(person)
    response = cast.client("fjordvik-koordinator").get(url)
    assert response.status_code == 200
    assert "Bare en aktiv plan kan evalueres." in response.content.decode()
    assert "Registrer evalueringen" not in response.content.decode()


def test_a_draft_kept_across_a_timeout_is_offered_back(cast):
    from oppfolging.plans.models import FormDraft

    person = planned_person(cast)
    period, url, detail = _urls(person)
    client = cast.client("fjordvik-koordinator")
    saved = client.post(
        reverse("plans:draft", args=[person.uuid]),
        {
            "_draft_key": f"evaluation:{period.uuid}",
            "_draft_base_version": str(period.version),
            "summary": "Skrevet før økten gikk ut.",
        },
        headers={"X-Autosave": "1"},
    )
    assert saved.status_code == 204
    page = client.get(url).content.decode()
    assert "Bruk utkastet" in page
    assert "Skrevet før økten gikk ut." not in page
    restored = client.get(url, {"utkast": "1"}).content.decode()
    assert "Skrevet før økten gikk ut." in restored
    assert "Rett opp dette" not in restored, "a restored draft is not validated"
    client.post(url, _post_data(period))
    with unscoped():
        assert not FormDraft.objects.filter(key=f"evaluation:{period.uuid}").exists()
    assert f'data-draft-clear-key="evaluation:{period.uuid}"' in client.get(detail).content.decode()

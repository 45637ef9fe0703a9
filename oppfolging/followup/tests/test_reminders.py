"""The reminder job: a week before the checkpoint, and when it has come without an evaluation;
minutes whose correction deadline has passed; to each active coordinator; once — running the job
again sends nothing, not a notice and not an e-mail."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from oppfolging.core.tenancy import unscoped
from oppfolging.followup.models import Notice, ReminderSent
from oppfolging.followup.reminder_services import language_of, send_reminders
from oppfolging.followup.tests import builders as b
from oppfolging.plans.models import Evaluation, PeriodStatus, PlanStatus
from oppfolging.teams.models import CareTeam
from oppfolging.teams.tests.test_team_support import make_coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the job as the scheduler would, with the e-mails sent when each reminder commits."""

    def go(today=None):
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders(today=today)

    return go


def _notices(person, kind=None):
    with unscoped():
        found = Notice.objects.filter(person=person)
        if kind:
            found = found.filter(kind=kind)
        return list(found)


def test_a_week_before_the_checkpoint_the_coordinator_is_reminded_once(cast, run):
    person = b.coordinated(cast, "Uke", serial=830)
    period = b.plan(cast, person, due_in=7)
    summary = run()
    assert summary.counts == {"evaluation_due": 1}
    [notice] = _notices(person)
    assert notice.kind == "evaluation_due"
    assert notice.user == cast.users["fjordvik-koordinator"]
    assert person.full_name in notice.text
    assert str(period.uuid) in notice.url
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.users["fjordvik-koordinator"].email]
    assert person.given_name not in f"{message.subject} {message.body}", "the e-mail names no person"
    assert "Min dag" in message.body

    again = run()
    assert again.total == 0
    assert len(mail.outbox) == 1, "the second run sends nothing"
    assert len(_notices(person)) == 1


def test_eight_days_before_nothing_is_sent(cast, run):
    person = b.coordinated(cast, "Tidlig", serial=831)
    b.plan(cast, person, due_in=8)
    assert run().total == 0
    assert not mail.outbox
    assert not _notices(person)


def test_the_day_after_the_checkpoint_an_overdue_reminder_follows_once(cast, run):
    person = b.coordinated(cast, "Frist", serial=832)
    period = b.plan(cast, person, due_in=7)
    run()
    due = period.evaluation_due_on
    assert run(today=due).total == 0  # due today: the week-ahead reminder was sent; not overdue yet
    after = due + datetime.timedelta(days=1)
    assert run(today=after).counts == {"evaluation_overdue": 1}
    assert run(today=after).total == 0
    assert run(today=due + datetime.timedelta(days=5)).total == 0
    assert [n.kind for n in _notices(person)] == ["evaluation_overdue", "evaluation_due"]
    assert len(mail.outbox) == 2


def test_an_evaluated_period_and_a_plan_that_is_not_active_get_no_reminder(cast, run):
    done = b.coordinated(cast, "Evaluert", serial=833)
    period = b.plan(cast, done, due_in=-3)
    with unscoped():
        Evaluation.objects.create(
            municipality_id=done.municipality_id,
            period=period,
            held_on=b.days(-4),
            recorded_by=cast.users["fjordvik-koordinator"],
        )
        period.status = PeriodStatus.EVALUATED
        period.save()
    closed = b.coordinated(cast, "Lukket", serial=834)
    b.plan(cast, closed, due_in=-3, status=PlanStatus.CLOSED)
    draft = b.coordinated(cast, "Utkast", serial=835)
    b.plan(cast, draft, due_in=-3, status=PlanStatus.DRAFT)
    assert run().total == 0
    assert not mail.outbox


def test_every_active_coordinator_is_reminded(cast, run):
    person = b.coordinated(cast, "Overlapp", serial=836)
    b.plan(cast, person, due_in=-1)
    with unscoped():
        team = CareTeam.objects.get(person=person)
    make_coordinator(team, cast.users["fjordvik-team"], cast.users["fjordvik-ke"])
    assert run().counts == {"evaluation_overdue": 2}
    assert {n.user.username for n in _notices(person)} == {"fjordvik-koordinator", "fjordvik-team"}
    assert len(mail.outbox) == 2


def test_minutes_past_their_correction_deadline_remind_the_coordinator(cast, run):
    person = b.coordinated(cast, "Referat", serial=837)
    meeting = b.meeting(cast, person, corrections_due_in=-1)
    b.meeting(cast, person, corrections_due_in=0)  # the deadline is today: not yet
    assert run().counts == {"minutes_corrections_due": 1}
    [notice] = _notices(person)
    assert notice.kind == "minutes_corrections_due"
    with unscoped():
        assert ReminderSent.objects.filter(object_uuid=meeting.uuid).count() == 1
    assert run().total == 0


def test_a_reminder_recorded_by_another_machine_is_not_sent_again(cast, run):
    person = b.coordinated(cast, "Annen", serial=838)
    period = b.plan(cast, person, due_in=-1)
    with unscoped():
        ReminderSent.objects.create(
            municipality_id=person.municipality_id,
            kind="evaluation_overdue",
            object_uuid=period.uuid,
            user=cast.users["fjordvik-koordinator"],
        )
    assert run().total == 0
    assert not _notices(person)
    assert not mail.outbox


def test_the_notice_is_written_in_the_coordinators_language(cast):
    person = b.coordinated(cast, "Språk", serial=839)
    user = cast.users["fjordvik-koordinator"]
    with unscoped():
        person.municipality.refresh_from_db()
    assert language_of(user, person) == person.municipality.default_language
    user.preferred_language = "en"
    assert language_of(user, person) == "en"


def test_the_command_prints_a_one_line_summary_and_is_safe_to_run_twice(
    cast, django_capture_on_commit_callbacks
):
    person = b.coordinated(cast, "Kommando", serial=840)
    b.plan(cast, person, due_in=2)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert out.getvalue().count("\n") == 1
    assert "Reminders sent: 1 (evaluation_due=1)" in out.getvalue()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "Reminders sent: 0" in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_command_takes_a_date(cast, django_capture_on_commit_callbacks):
    person = b.coordinated(cast, "Dato", serial=841)
    period = b.plan(cast, person, due_in=30)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        day_after = period.evaluation_due_on + datetime.timedelta(days=1)
        call_command("send_reminders", "--today", day_after.isoformat(), stdout=out)
    assert "evaluation_overdue=1" in out.getvalue()

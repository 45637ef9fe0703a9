"""Per's plan in the demo (guideline 7.8, SPEC §8): mid-way through period 1, the pathway of
steps 1-5 behind him, the start-up meeting held four weeks ago with its minutes and the
evaluation meeting invited. Left out when the demo is loaded for walking his story from the
start or from step 6 (``manage.py demo --per-at start`` or ``--per-at team``)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from oppfolging.consents.models import ConsentKind
from oppfolging.core.models import UnitKind
from oppfolging.function.models import Occasion
from oppfolging.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
    ParticipantKind,
    ParticipantResponse,
)
from oppfolging.overview import demo_blocks as b
from oppfolging.overview import demo_texts as txt
from oppfolging.people.models import Person
from oppfolging.plans.demo_plan_blocks import consented, coordinator, external_unit, member, psfs, start_plan
from oppfolging.referrals.models import Answer, DecisionKind, OfferStatus, ReportChannel, ReportStatus
from oppfolging.teams.models import CareTeam, TeamMember

PRIVATE_PHYSIO = "Fysioterapeut Berg, privat praksis"


def _at(town: b.Town, days: int, hour: int) -> datetime.datetime:
    day = town.day(days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def per(town: b.Town, *, plan: bool = True) -> None:
    """Per mid-way through period 1: the pathway of guideline 7.8 steps 1-5 behind him, the
    start-up meeting held four weeks ago with its minutes, the evaluation meeting invited.
    ``plan=False`` stops after step 5 (the team, each member consented to), for walking steps
    6-9 in the browser."""
    person = town.persons["Per"]
    report = b.report(
        town,
        person,
        txt.PER_REPORT,
        reporter="fastlege",
        unit="lege",
        channel=ReportChannel.ELECTRONIC,
        history=[(ReportStatus.RECEIVED, 60), (ReportStatus.BEING_ASSESSED, 57), (ReportStatus.DECIDED, 45)],
    )
    b.assessment(
        town,
        person,
        report,
        txt.PER_SECTIONS,
        started=55,
        completed=47,
        participants=[
            ("Per Olsen", "", None, None, False),
            ("Lars Lege", "Fastlege", "fastlege", "lege", True),
            ("Tor Tildeling", "Saksbehandler", "tildeling", "tildeling", False),
        ],
        rehabilitation_potential_assessed=True,
        needs_coordinated_services=Answer.YES,
        needs_reason=txt.PER_NEEDS_REASON,
        ip_status=OfferStatus.ACCEPTED,
        coordinator_status=OfferStatus.ACCEPTED,
        coordinator_wish=txt.PER_WISH,
        informed_about_ip_and_coordinator=True,
        minor_children_as_next_of_kin=Answer.NO,
    )
    b.decision(
        town,
        person,
        report,
        DecisionKind.SERVICE,
        days=52,
        by="tildeling",
        service_type=b.service(town, "Hjemmesykepleie"),
        scope="Tilsyn to ganger i uken",
        valid_from=town.day(52),
        reason=txt.PER_NURSING_REASON,
    )
    b.decision(town, person, report, DecisionKind.INDIVIDUAL_PLAN, days=45, by="ke", reason=txt.IP_REASON)
    b.decision(
        town, person, report, DecisionKind.COORDINATOR, days=45, by="ke", reason=txt.COORDINATOR_REASON
    )
    team = CareTeam.objects.create(municipality=town.municipality, person=person)
    ingrid = b.member(
        town, team, "Ingrid Ergoterapeut", "Ergoterapeut", user="koordinator", unit="ergo", joined=44
    )
    consented(town, person, [ingrid], days=44)
    coordinator(town, team, user=town.users["koordinator"], days=42, wish=txt.PER_WISH)
    nina = b.member(town, team, "Nina Sykepleier", "Sykepleier", user="team", unit="hjemme", joined=40)
    lars = b.member(town, team, "Lars Lege", "Fastlege", user="fastlege", unit="lege", joined=40)
    siri = member(town, team, "Sosionom Siri Sand", "Sosionom", user=None, unit=None, joined=40)
    physio = member(
        town,
        team,
        "Fysioterapeut Berg",
        "Privatpraktiserende fysioterapeut",
        user=None,
        unit=external_unit(PRIVATE_PHYSIO, UnitKind.PRIVATE_PRACTICE),
        joined=40,
    )
    nav = b.member(town, team, "NAV-veileder Nils Nord", "NAV-veileder", user=None, unit="nav", joined=40)
    consented(town, person, [nina, lars, siri, physio, nav], days=40)
    if not plan:
        return
    b.consent(town, person, ConsentKind.PLAN_WORK, days=30, recorded_by="koordinator")
    sharing = b.consent(town, person, ConsentKind.INFORMATION_SHARING, days=30, recorded_by="koordinator")
    b.shares(
        town,
        sharing,
        [
            (nina, ["medical", "physical"]),
            (lars, ["wishes", "medical", "communication"]),
            (physio, ["physical"]),
            (siri, ["economy", "housing"]),
            (nav, ["economy", "coping_technology"]),
        ],
    )

    story = start_plan(town, person, txt.PER_PLAN, days=30)
    home, talk = (story.goal(text) for text in txt.PER_GOALS)
    story.version("plan.create", 30)
    startup = _meeting(
        town,
        story.plan.person,
        MeetingKind.START_UP,
        plan_id=story.plan.pk,
        at=_at(town, 28, 10),
        place="Ergoterapitjenesten Fjordvik, møterommet",
        status=MeetingStatus.CLOSED,
        invited=35,
    )
    startup.minutes_summary = txt.PER_STARTUP_SUMMARY
    startup.minutes_written_at = town.ago(27)
    startup.minutes_written_by = story.coordinator
    startup.corrections_due_on = town.day(24)
    startup.save()
    _items(startup, txt.PER_STARTUP_ITEMS, applied=town.ago(27))
    _participants(startup, person, [ingrid, nina, lars, siri, physio, nav], attended=True)

    # What the start-up meeting agreed, written into the plan from the minutes.
    p1 = story.period(1, starts=28, days=61, focus=txt.PER_PERIOD_1)
    s_shop = story.sub_goal(p1, home, "Gå til butikken på hjørnet med rullator to ganger i uka.")
    s_talk = story.sub_goal(p1, talk, "Få vurdert ordletingsvanskene av logoped.")
    story.measure(s_shop, "Balansetrening", responsible=physio, scope="To ganger i uka")
    story.measure(
        s_shop,
        "Hjemmebesøk: rullator og dusjkrakk",
        responsible=ingrid,
        scope="Ett besøk",
        due=14,
        status="done",
    )
    story.measure(s_shop, "Tilsyn og medisiner", responsible=nina, scope="To ganger i uka")
    story.measure(
        s_shop, "Ukentlig legetime den første tiden", responsible=lars, scope="Hver uke i fire uker", due=0
    )
    story.measure(s_shop, "Søknad om hjelpemidler", responsible=nav, scope="Én søknad", due=7, status="done")
    story.measure(
        s_shop, "Søknad om bostøtte og transporttjeneste", responsible=siri, scope="To søknader", due=-14
    )
    story.measure(
        s_talk,
        "Henvisning til logoped for vurdering",
        responsible=lars,
        scope="Én henvisning",
        due=21,
        status="done",
    )
    story.measure(s_talk, "Ringe en kamerat", responsible=None, scope="Én gang i uka")
    story.activate(28, p1)
    psfs(
        town,
        person,
        [(text, (score,)) for text, score in zip(txt.PER_PSFS, txt.PER_PSFS_BASELINE, strict=True)],
        [(28, Occasion.BASELINE, None)],
        by=story.coordinator,
    )

    evaluation = _meeting(
        town,
        person,
        MeetingKind.EVALUATION,
        plan_id=story.plan.pk,
        at=timezone.make_aware(datetime.datetime.combine(p1.evaluation_due_on, datetime.time(13, 0))),
        place="Fjordvik legekontor",
        status=MeetingStatus.INVITED,
        invited=2,
    )
    evaluation.period = p1
    evaluation.save(update_fields=["period"])
    _items(evaluation, [(title, "") for title in txt.PER_EVALUATION_ITEMS])
    _participants(evaluation, person, [ingrid, lars, nina, physio], accepted={lars, ingrid})


def _meeting(
    town: b.Town,
    person: Person,
    kind: str,
    *,
    plan_id: int,
    at: datetime.datetime,
    place: str,
    status: str,
    invited: int,
) -> Meeting:
    return Meeting.objects.create(
        municipality=town.municipality,
        person=person,
        plan_id=plan_id,
        kind=kind,
        starts_at=at,
        duration_minutes=60,
        place=place,
        participants_chosen_with_person=True,
        status=status,
        invited_at=town.ago(invited),
        created_by=town.users["koordinator"],
    )


def _items(
    meeting: Meeting, items: list[tuple[str, str]], *, applied: datetime.datetime | None = None
) -> None:
    AgendaItem.objects.bulk_create(
        AgendaItem(
            municipality=meeting.municipality,
            meeting=meeting,
            order=order,
            title=title,
            agreed=agreed,
            applied_to_plan_at=applied if agreed else None,
        )
        for order, (title, agreed) in enumerate(items, start=1)
    )


def _participants(
    meeting: Meeting,
    person: Person,
    members: list[TeamMember],
    *,
    attended: bool | None = None,
    accepted: set[TeamMember] | None = None,
) -> None:
    rows = [
        MeetingParticipant(
            municipality=meeting.municipality,
            meeting=meeting,
            kind=ParticipantKind.PERSON,
            name=person.full_name,
            response=ParticipantResponse.ACCEPTED,
            attended=attended,
        )
    ]
    for one in members:
        email = one.user.email if one.user is not None else ""
        answered = attended or (accepted is not None and one in accepted)
        rows.append(
            MeetingParticipant(
                municipality=meeting.municipality,
                meeting=meeting,
                kind=ParticipantKind.MEMBER,
                team_member=one,
                name=one.name,
                email=email,
                response=ParticipantResponse.ACCEPTED if answered else ParticipantResponse.NONE,
                attended=attended,
            )
        )
    MeetingParticipant.objects.bulk_create(rows)

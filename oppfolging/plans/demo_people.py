"""The plan demo's stories of Per, Emil, Aron and Lidal's Sigrid, and the rows around a plan they
need (decisions, consents, medicines, meetings). See :mod:`oppfolging.plans.demo_plans`."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from oppfolging.accounts.models import User
from oppfolging.consents.models import ConsentKind
from oppfolging.core.models import Municipality, Unit, UnitKind
from oppfolging.followup.models import Medicine
from oppfolging.overview import demo_blocks as b
from oppfolging.overview import demo_texts as txt
from oppfolging.people.models import Person, Relative, RelativeKind
from oppfolging.plans.demo_plan_blocks import (
    consented,
    coordinator,
    involve,
    member,
    school_unit,
    start_plan,
)
from oppfolging.plans.models import AuthorKind, LinkKind, Transition, TransitionKind
from oppfolging.referrals.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    DecisionKind,
    DecisionOutcome,
    NeedReport,
    OfferStatus,
    ReportStatus,
    ReportStatusChange,
    ServiceDecision,
)
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, MemberKind, TeamMember

LIDAL_NUMBER = "9902"
PRIVATE_PHYSIO = "Fysioterapeut Berg, privat praksis"


# --- Rows around a plan --------------------------------------------------------------------------


def decisions_without_report(town: b.Town, person: Person, *, days: int, nursing: str) -> None:
    """Home nursing, an individual plan and a coordinator, decided ``days`` ago on an earlier
    application that is not part of the demo."""
    decisions: list[tuple[str, str, dict[str, Any]]] = [
        (
            DecisionKind.SERVICE,
            "tildeling",
            {"service_type": b.service(town, "Hjemmesykepleie"), "scope": nursing},
        ),
        (DecisionKind.INDIVIDUAL_PLAN, "ke", {"reason": txt.IP_REASON}),
        (DecisionKind.COORDINATOR, "ke", {"reason": txt.COORDINATOR_REASON}),
    ]
    for kind, by, fields in decisions:
        ServiceDecision.objects.create(
            municipality=town.municipality,
            person=person,
            kind=kind,
            outcome=DecisionOutcome.GRANTED,
            decided_on=town.day(days),
            notified_on=town.day(days - 2),
            decided_by=town.users[by],
            **fields,
        )


def consent_all(
    town: b.Town,
    person: Person,
    members: list[TeamMember],
    *,
    days: int,
    shares: dict[TeamMember, list[str]],
    involve: Sequence[Relative] = (),
    guardian: Relative | None = None,
) -> None:
    """Consent to plan work, to each member, to sharing what ``shares`` names with each, and to
    involving the relatives in ``involve``."""
    b.consent(town, person, ConsentKind.PLAN_WORK, days=days, recorded_by="koordinator", guardian=guardian)
    consented(town, person, members, days=days, guardian=guardian)
    sharing = b.consent(
        town, person, ConsentKind.INFORMATION_SHARING, days=days, recorded_by="koordinator", guardian=guardian
    )
    b.shares(town, sharing, list(shares.items()))
    for relative in involve:
        _involve(town, person, relative, days=days)


def _involve(town: b.Town, person: Person, relative: Relative, *, days: int) -> None:
    involve(town, person, relative, days=days)


def medicines(town: b.Town, person: Person, names: list[tuple[str, str]]) -> None:
    """Regular medicines recorded by the GP, none reviewed in the last year."""
    Medicine.objects.bulk_create(
        Medicine(
            municipality=town.municipality,
            person=person,
            name=name,
            atc_code=atc,
            is_regular=True,
            started_on=town.day(400 + 90 * index),
            recorded_by=town.users["fastlege"],
        )
        for index, (name, atc) in enumerate(names)
    )


# --- Emil ----------------------------------------------------------------------------------------


def emil(town: b.Town) -> None:
    """Emil's plan during the transition from the hospital's rehabilitation back to school: the
    school's counsellor is in the team and overlaps as the next coordinator from a week before."""
    person = town.persons["Emil"]
    team = CareTeam.objects.get(person=person)
    assignment = CoordinatorAssignment.objects.get(team=team)
    caseload = CoordinatorAssignment.objects.filter(
        coordinator=assignment.coordinator, status=AssignmentStatus.ACTIVE
    ).count()
    CoordinatorAssignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.ACTIVE,
        proposed_at=town.ago(14),
        leader_decided_at=town.ago(13),
        leader_comment="Godkjent. Ingrid kjenner Emil fra før utskrivningen.",
        caseload_at_approval=caseload,
        cap_at_approval=town.municipality.coordinator_caseload_cap,
        started_at=town.ago(12),
    )
    school = school_unit(txt.EMIL_SCHOOL)
    mother = Relative.objects.create(
        municipality=town.municipality,
        person=person,
        kind=RelativeKind.NEXT_OF_KIN,
        name="Anne Haugen",
        relation="mor",
        phone="40003333",
    )
    lars = b.member(town, team, "Lars Lege", "Fastlege", user="fastlege", unit="lege", joined=14)
    hanne = b.member(
        town,
        team,
        "Hanne Sykehuslege",
        "Overlege, rehabilitering",
        user="sykehus",
        unit="sykehus",
        joined=14,
        kind=MemberKind.AS_NEEDED,
    )
    physio = member(
        town, team, "Fysioterapeut Jonas Vik", "Fysioterapeut i kommunen", user=None, unit=None, joined=14
    )
    sondre = member(town, team, "Sondre Aas", "Rådgiver ved skolen", user=None, unit=school, joined=3)
    consented(town, person, [lars, hanne, physio], days=14)
    consented(town, person, [sondre], days=3)
    b.consent(town, person, ConsentKind.PLAN_WORK, days=12, recorded_by="koordinator")
    sharing = b.consent(town, person, ConsentKind.INFORMATION_SHARING, days=12, recorded_by="koordinator")
    b.shares(
        town,
        sharing,
        [
            (lars, ["wishes", "medical", "physical", "cognitive"]),
            (hanne, ["medical", "physical", "cognitive"]),
            (physio, ["physical", "participation"]),
            (sondre, ["wishes", "cognitive", "participation"]),
        ],
    )
    involve(town, person, mother, days=12)

    story = start_plan(town, person, txt.EMIL_PLAN, days=11)
    school_goal, football = (story.goal(text) for text in txt.EMIL_GOALS)
    story.version("plan.create", 11)
    p1 = story.period(1, starts=9, days=61, focus=txt.EMIL_PERIOD_1)
    s_days = story.sub_goal(p1, school_goal, "Gå på skolen halve dager de første fire ukene.")
    s_balance = story.sub_goal(
        p1, football, "Trene balanse og utholdenhet, så han kan jogge en runde på banen."
    )
    story.measure(
        s_days,
        "Overføringsmøte mellom sykehuset og skolen",
        responsible=hanne,
        scope="Ett møte før utskrivningen",
        due=-10,
        status="planned",
    )
    story.measure(
        s_days,
        "Tilrettelagt timeplan og hvilerom på skolen",
        responsible=sondre,
        scope="Halve dager i fire uker, så ny vurdering",
        how="Står i IOP-en; rådgiveren sier fra til Ingrid hvis Emil blir for sliten.",
        starts=-12,
        status="planned",
    )
    story.measure(s_balance, "Fysioterapi", responsible=physio, scope="To behandlinger i uka")
    story.measure(s_balance, "Hjemmeøvelser", responsible=None, scope="Hver dag")
    story.measure(s_balance, "Følge Emil til fysioterapi", responsible=mother, scope="De første fire ukene")
    story.version("period.add", 10)
    story.activate(9, p1)
    story.link(
        LinkKind.IOP,
        "Individuell opplæringsplan (IOP)",
        held_by=txt.EMIL_SCHOOL,
        contact="Sondre Aas, rådgiver",
        note=txt.EMIL_IOP,
    )
    story.link(
        LinkKind.REHABILITATION,
        "Rehabiliteringsplan",
        held_by=txt.EMIL_FROM,
        contact="Hanne Sykehuslege",
        note=txt.EMIL_REHAB_LINK,
    )
    story.version("link.add", 8)
    planned_on = town.day(-12)
    Transition.objects.create(
        municipality=town.municipality,
        plan=story.plan,
        kind=TransitionKind.HOSPITAL_DISCHARGE,
        planned_on=planned_on,
        from_description=txt.EMIL_FROM,
        receiving_unit=school,
        next_coordinator=_school_user(school),
        next_coordinator_name=txt.EMIL_NEXT_COORDINATOR,
        overlap_from=planned_on - datetime.timedelta(days=7),
        what_to_hand_over=txt.EMIL_HANDOVER,
        created_by=story.coordinator,
    )
    story.version("transition.add", 3)


def _school_user(school: Unit) -> User | None:
    """The next coordinator's account, if the school has staff in the system (the demo has none:
    then the name alone is recorded)."""
    return User.objects.filter(memberships__unit=school, memberships__is_active=True).first()


# --- Aron ----------------------------------------------------------------------------------------


def aron(town: b.Town) -> None:
    """Aron's assessment completed and decided; Ingrid appointed barnekoordinator; a plan whose
    goals are his parents', consented to by his mother."""
    person = town.persons["Aron"]
    mother = Relative.objects.get(person=person, kind=RelativeKind.GUARDIAN, name="Lene Nilsen")
    report = NeedReport.objects.get(person=person)
    Assessment.objects.filter(person=person).update(
        status=AssessmentStatus.COMPLETED,
        completed_at=town.ago(6),
        needs_coordinated_services=Answer.YES,
        needs_reason=txt.ARON_NEEDS_REASON,
        ip_status=OfferStatus.ACCEPTED,
        coordinator_status=OfferStatus.ACCEPTED,
        coordinator_wish=txt.ARON_WISH,
        informed_about_ip_and_coordinator=True,
    )
    NeedReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.DECIDED, decided_at=town.ago(5), handled_by=town.users["tildeling"]
    )
    ReportStatusChange.objects.create(
        municipality=town.municipality,
        report=report,
        from_status=ReportStatus.BEING_ASSESSED,
        to_status=ReportStatus.DECIDED,
        changed_at=town.ago(5),
        changed_by=town.users["tildeling"],
    )
    b.decision(
        town, person, report, DecisionKind.CHILD_COORDINATOR, days=5, by="ke", reason=txt.COORDINATOR_REASON
    )
    b.decision(town, person, report, DecisionKind.INDIVIDUAL_PLAN, days=5, by="ke", reason=txt.IP_REASON)
    b.decision(
        town,
        person,
        report,
        DecisionKind.SERVICE,
        days=5,
        by="tildeling",
        service_type=b.service(town, "Avlastning"),
        scope="Én helg i måneden",
        valid_from=town.day(-10),
        reason="Foreldrene har stor omsorgsbyrde.",
    )
    team = CareTeam.objects.get(person=person)
    members = {m.discipline: m for m in TeamMember.objects.filter(team=team)}
    ingrid = b.member(
        town, team, "Ingrid Ergoterapeut", "Ergoterapeut", user="koordinator", unit="ergo", joined=5
    )
    consented(town, person, [ingrid], days=5, guardian=mother)
    coordinator(town, team, user=town.users["koordinator"], days=4, wish=txt.ARON_WISH, child=True)

    story = start_plan(town, person, txt.ARON_PLAN, days=4)
    story.version("plan.create", 4)
    parent = mother.user
    safe, respite = (
        story.goal(text, author=parent, author_kind=AuthorKind.RELATIVE) for text in txt.ARON_GOALS
    )
    story.version("goal.add", 3, user=parent, role="guardian", author_kind=AuthorKind.RELATIVE)
    p1 = story.period(1, starts=2, days=90, focus=txt.ARON_PERIOD_1)
    s_visits = story.sub_goal(p1, safe, "Besøke skolen tre ganger før skolestart.")
    s_transfer = story.sub_goal(p1, safe, "Skolen kjenner Arons bildestøtte og rutiner fra første dag.")
    s_respite = story.sub_goal(p1, respite, "Første avlastningshelg før sommeren.")
    story.measure(s_visits, "Skolebesøk med bildestøtte", responsible=members["Lærer"], scope="Tre besøk")
    story.measure(
        s_visits, "Lage bildebok om skolen sammen med Aron", responsible=mother, scope="Før første besøk"
    )
    story.measure(
        s_transfer,
        "Overføringsmøte mellom barnehagen og skolen",
        responsible=members["Styrer i barnehagen"],
        scope="Ett møte",
        due=-40,
        status="planned",
    )
    story.measure(s_respite, "Avlastningshelg", responsible=ingrid, scope="Én helg i måneden", starts=-10)
    story.version("period.add", 2)
    story.activate(2, p1)


# --- Lidal: Sigrid, in nynorsk -------------------------------------------------------------------


def lidal_town(now: datetime.datetime) -> b.Town | None:
    municipality = Municipality.objects.filter(number=LIDAL_NUMBER).first()
    if municipality is None:
        return None
    users = {u.username.removeprefix("lidal-"): u for u in User.objects.filter(username__startswith="lidal-")}
    by_kind = {u.kind: u for u in Unit.objects.filter(municipality=municipality)}
    units = {
        "hjemme": by_kind[UnitKind.HOME_CARE],
        "lege": by_kind[UnitKind.GP_OFFICE],
        "ergo": users["koordinator"].memberships.select_related("unit").get().unit,
    }
    persons = {p.given_name: p for p in Person.objects.filter(municipality=municipality)}
    return b.Town(municipality, users, units, persons, now)


def sigrid(town: b.Town) -> None:
    """Sigrid's plan in Lidal, written in nynorsk: a month into its first period."""
    person = town.persons["Sigrid"]
    team = CareTeam.objects.create(municipality=town.municipality, person=person)
    guro = b.member(town, team, "Guro Fosse", "Ergoterapeut", user="koordinator", unit="ergo", joined=45)
    kjetil = b.member(town, team, "Kjetil Bø", "Sjukepleiar", user="team", unit="hjemme", joined=45)
    astrid = b.member(town, team, "Astrid Myklebust", "Fastlege", user="fastlege", unit="lege", joined=45)
    consent_all(
        town,
        person,
        [guro, kjetil, astrid],
        days=45,
        shares={kjetil: ["medical", "physical", "nutrition"], astrid: ["wishes", "medical", "nutrition"]},
    )
    coordinator(town, team, user=town.users["koordinator"], days=43, wish="Ergoterapeuten Guro")
    story = start_plan(town, person, txt.SIGRID_PLAN, days=40)
    home, shop = (story.goal(text) for text in txt.SIGRID_GOALS)
    story.version("plan.create", 40)
    p1 = story.period(1, starts=35, days=61, focus=txt.SIGRID_PERIOD_1)
    s_weight = story.sub_goal(p1, home, "Vege seg kvar morgon og seie frå om auke i vekt.")
    s_shop = story.sub_goal(p1, shop, "Gå til butikken med handlevogn to gonger i veka.")
    story.measure(s_weight, "Oppfølging av vekt og blodsukker", responsible=kjetil, scope="To besøk i veka")
    story.measure(s_weight, "Kontroll hos fastlegen", responsible=astrid, scope="Kvar fjerde veke")
    story.measure(
        s_shop, "Gåtrening og råd om hjelpemiddel", responsible=guro, scope="Éin gong i veka i seks veker"
    )
    story.measure(s_shop, "Gå til butikken", responsible=None, scope="To gonger i veka")
    story.version("period.add", 36)
    story.activate(35, p1)

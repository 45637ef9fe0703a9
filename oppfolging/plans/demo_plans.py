"""The demo persons' plans, each at a different point of the plan's cycle (SPEC §7, issue 4
«Demo»). Run at the end of the pathway demo (:func:`oppfolging.overview.demo_stages.load_pathway_demo`)
and only once: nothing is written when Fjordvik already has a plan.

- Kari: period 2 of her plan; period 1 evaluated (goals and measures assessed); PSFS from a
  baseline three months ago with a real change since.
- Klara: a plan whose evaluation was due five days ago and is not done (overdue); five regular
  medicines (a medication review is due); a new report of changed need is being assessed.
- Emil: the transition from the hospital's rehabilitation back to school, with the school's
  counsellor overlapping as the next coordinator and a link to his IOP.
- Aron: a child-coordinator case; his guardians consent and the goals are in his parents' words.
- Per: mid-way through period 1 after the start-up meeting, the evaluation meeting invited —
  unless the demo is loaded for walking his story from the start (``per=False``).
- Sigrid (Lidal): a plan in nynorsk, the municipality's written language.
"""

from __future__ import annotations

from oppfolging.function.models import Occasion
from oppfolging.overview import demo_blocks as b
from oppfolging.overview import demo_texts as txt
from oppfolging.people.models import Relative, RelativeKind
from oppfolging.plans import demo_people, demo_per
from oppfolging.plans.demo_plan_blocks import coordinator, psfs, start_plan
from oppfolging.plans.models import (
    CarePlan,
    Evaluation,
    GoalOutcome,
    GoalResult,
    LinkKind,
    MeasureDecision,
    MeasureResult,
    MeasureStatus,
    PeriodStatus,
    PlanPeriod,
)
from oppfolging.referrals.models import NeedReport, ReportKind
from oppfolging.teams.models import CareTeam, TeamMember


def load_plan_demo(town: b.Town, *, per: str = "plan") -> bool:
    """Write the plans. ``per``: how far Per's story has come — "plan" (mid-way through period
    1), "team" (steps 1-5 behind him, no plan: the browser test walks steps 6-9) or "start"
    (untouched). Returns ``False`` and writes nothing when Fjordvik already has a plan."""
    if CarePlan.objects.filter(municipality=town.municipality).exists():
        return False
    # In the order the coordinator took the cases on: the leader saw her caseload each time.
    _klara(town)
    if per != "start":
        demo_per.per(town, plan=per == "plan")
    demo_people.emil(town)
    demo_people.aron(town)
    _kari(town)
    lidal = demo_people.lidal_town(town.now)
    if lidal is not None and not CarePlan.objects.filter(municipality=lidal.municipality).exists():
        demo_people.sigrid(lidal)
    return True


def _members(person_team: CareTeam) -> dict[str, TeamMember]:
    return {m.name: m for m in TeamMember.objects.filter(team=person_team)}


def _kari(town: b.Town) -> None:
    kari = town.persons["Kari"]
    team = CareTeam.objects.get(person=kari)
    members = _members(team)
    nina, lars = members["Nina Sykepleier"], members["Lars Lege"]
    nav, psyk = members["Veileder i NAV Fjordvik"], members["Psykiatrisk sykepleier"]
    story = start_plan(town, kari, txt.KARI_PLAN, days=84)
    friends, work, sugar = (story.goal(text) for text in txt.KARI_GOALS)
    story.version("plan.create", 84)

    p1 = story.period(1, starts=80, days=60, focus=txt.KARI_PERIOD_1)
    s_sugar = story.sub_goal(p1, sugar, "Blodsukkeret under 10 ved de fleste målingene.")
    s_walk = story.sub_goal(p1, friends, "Gå tur med venninnene én gang i uka.")
    s_nav = story.sub_goal(p1, work, "Avklare arbeidsutprøving med NAV.")
    m_wound = story.measure(
        s_sugar,
        "Sårstell og oppfølging av blodsukkeret",
        responsible=nina,
        scope="To besøk i uka",
        how="Hjemmesykepleien kommer tirsdag og fredag; målingene legges i journalen fastlegen ser.",
    )
    m_gp = story.measure(
        s_sugar, "Justering av diabetesmedisinen", responsible=lars, scope="Time hver fjerde uke"
    )
    m_psyk = story.measure(
        s_walk, "Samtaler om humør og hverdag", responsible=psyk, scope="Hver fjortende dag"
    )
    m_walk = story.measure(s_walk, "Gå tur med Mona og Hege", responsible=None, scope="Én gang i uka")
    m_nav = story.measure(
        s_nav, "Møte med NAV om arbeidsutprøving", responsible=nav, scope="Ett møte", due=50
    )
    story.version("period.add", 82)
    story.activate(80, p1)
    story.link(
        LinkKind.NAV,
        "Aktivitetsplan hos NAV Fjordvik",
        held_by="NAV Fjordvik",
        contact="Veileder i NAV Fjordvik",
        note=txt.KARI_NAV_LINK,
    )
    story.version("link.add", 60)

    # The evaluation a week before period 1 ends: each sub-goal and measure assessed, the team
    # reviewed, and period 2 written with what continues carried forward.
    m_nav.status = MeasureStatus.DONE
    m_nav.save(update_fields=["status"])
    evaluation = Evaluation.objects.create(
        municipality=town.municipality,
        period=p1,
        held_on=town.day(27),
        summary=txt.KARI_EVALUATION_SUMMARY,
        persons_view=txt.KARI_EVALUATION_VIEW,
        team_reviewed=True,
        team_review_note=txt.KARI_TEAM_REVIEW,
        recorded_by=story.coordinator,
    )
    for sub_goal, outcome, comment in [
        (s_sugar, GoalOutcome.PARTLY, "Såret er nesten grodd; blodsukkeret svinger fortsatt i helgene."),
        (s_walk, GoalOutcome.ACHIEVED, "Har gått tur nesten hver uke."),
        (s_nav, GoalOutcome.ACHIEVED, "Arbeidsutprøving på biblioteket er avtalt."),
    ]:
        GoalResult.objects.create(
            municipality=town.municipality,
            evaluation=evaluation,
            goal=sub_goal.goal,
            sub_goal=sub_goal,
            outcome=outcome,
            comment=comment,
        )
    for measure, decision in [
        (m_wound, MeasureDecision.CONTINUE),
        (m_gp, MeasureDecision.CONTINUE),
        (m_psyk, MeasureDecision.CONTINUE),
        (m_walk, MeasureDecision.CONTINUE),
        (m_nav, MeasureDecision.DONE),
    ]:
        MeasureResult.objects.create(
            municipality=town.municipality, evaluation=evaluation, measure=measure, decision=decision
        )
    PlanPeriod.objects.filter(pk=p1.pk).update(status=PeriodStatus.EVALUATED)
    p2 = story.period(2, starts=19, days=91, focus=txt.KARI_PERIOD_2)
    s2_work = story.sub_goal(p2, work, "Arbeidsutprøving fire timer, to dager i uka.")
    s2_sugar = story.sub_goal(
        p2, sugar, "Fotsåret grodd og blodsukkeret stabilt også i helgene.", carried_from=s_sugar
    )
    s2_walk = story.sub_goal(
        p2, friends, "Gå tur to ganger i uka og være med på et sosialt treff.", carried_from=s_walk
    )
    story.measure(
        s2_work, "Arbeidsutprøving på Fjordvik bibliotek", responsible=nav, scope="4 timer, 2 dager i uka"
    )
    story.measure(
        s2_sugar,
        "Sårstell og oppfølging av blodsukkeret",
        responsible=nina,
        scope="Ett besøk i uka",
        carried_from=m_wound,
    )
    story.measure(
        s2_sugar,
        "Justering av diabetesmedisinen",
        responsible=lars,
        scope="Time hver fjerde uke",
        carried_from=m_gp,
    )
    story.measure(
        s2_walk,
        "Samtaler om humør og hverdag",
        responsible=psyk,
        scope="Hver fjortende dag",
        carried_from=m_psyk,
    )
    story.measure(
        s2_walk, "Gå tur med Mona og Hege", responsible=None, scope="To ganger i uka", carried_from=m_walk
    )
    story.version("evaluation.record", 27)
    PlanPeriod.objects.filter(pk=p2.pk).update(status=PeriodStatus.ACTIVE)
    story.version("period.start", 19)

    psfs(
        town,
        kari,
        txt.KARI_PSFS,
        [(90, Occasion.BASELINE, None), (27, Occasion.EVALUATION, p1), (5, Occasion.FOLLOW_UP, None)],
        by=story.coordinator,
    )


def _klara(town: b.Town) -> None:
    """Klara has had a plan for two months; its first evaluation was due five days ago and has
    not been held. The report home care sent 40 days ago is now a report of changed need."""
    klara = town.persons["Klara"]
    NeedReport.objects.filter(person=klara).update(kind=ReportKind.CHANGED_NEED)
    demo_people.decisions_without_report(town, klara, days=75, nursing="Medisiner og tilsyn hver dag")
    berit = Relative.objects.get(person=klara, kind=RelativeKind.NEXT_OF_KIN)
    team = CareTeam.objects.create(municipality=town.municipality, person=klara)
    ingrid = b.member(
        town, team, "Ingrid Ergoterapeut", "Ergoterapeut", user="koordinator", unit="ergo", joined=72
    )
    nina = b.member(town, team, "Nina Sykepleier", "Sykepleier", user="team", unit="hjemme", joined=72)
    lars = b.member(town, team, "Lars Lege", "Fastlege", user="fastlege", unit="lege", joined=72)
    demo_people.consent_all(
        town,
        klara,
        [ingrid, nina, lars],
        days=72,
        shares={
            nina: ["wishes", "medical", "physical", "cognitive", "nutrition"],
            lars: ["wishes", "medical", "cognitive", "treatment_burden"],
        },
        involve=[berit],
    )
    coordinator(
        town,
        team,
        user=town.users["koordinator"],
        days=70,
        wish="Ergoterapeuten fra hverdagsrehabiliteringen",
    )
    story = start_plan(town, klara, txt.KLARA_PLAN, days=66)
    home, walk = (story.goal(text) for text in txt.KLARA_GOALS)
    story.version("plan.create", 66)
    p1 = story.period(1, starts=61, days=63, focus=txt.KLARA_PERIOD_1)
    s_kitchen = story.sub_goal(p1, home, "Lage frokost og kaffe selv hver dag.")
    s_medicine = story.sub_goal(p1, home, "Ta medisinene riktig hver dag.")
    s_walk = story.sub_goal(p1, walk, "Gå til naboen og tilbake med rullator.")
    story.measure(
        s_kitchen,
        "Hverdagsrehabilitering på kjøkkenet",
        responsible=ingrid,
        scope="Tre ganger i uka i seks uker",
        how=txt.KLARA_KITCHEN_HOW,
    )
    story.measure(s_medicine, "Multidose og påminnelse om medisinene", responsible=nina, scope="Hver dag")
    story.measure(
        s_medicine,
        "Legemiddelgjennomgang",
        responsible=lars,
        scope="Én time",
        due=10,
        status=MeasureStatus.PLANNED,
    )
    story.measure(s_walk, "Gåtur med Klara i helgene", responsible=berit, scope="Hver helg")
    story.measure(s_walk, "Pusteøvelser før turen", responsible=None, scope="Hver dag")
    story.version("period.add", 62)
    story.activate(61, p1)
    story.link(
        LinkKind.SPECIALIST,
        "Oppfølging ved hjertesviktpoliklinikken",
        held_by=b.HOSPITAL,
        contact="Sykepleier ved poliklinikken",
        note=txt.KLARA_HEART_LINK,
    )
    story.version("link.add", 40)
    demo_people.medicines(town, klara, txt.KLARA_MEDICINES)

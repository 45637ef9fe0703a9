"""The demo persons of Fjordvik at different stages of the pathway (SPEC §7, issue 3 «Demo»).

Written with the models directly, so that the demo does not wait for every service of the
pathway: the rows are the ones those services would have written (with the status history), but
no audit rows of their own, since nobody read or changed anything — the demo is the starting
point. (Fjordvik's default service catalogue is created through its own function, which records
that it was.)

- Martin: a fresh report from his GP, received today.
- Klara: reported 40 days ago by home care; the assessment is under way (some sections filled in);
  no decision and no interim reply, so the report is overdue.
- Emil: assessed, physiotherapy and coordinator granted and notified; KE has proposed the
  occupational therapist as coordinator and her leader has not answered yet.
- Kari: a full team with an appointed coordinator, each member consented to, and an
  information-sharing consent naming what each member may read.
- Aron: a child-coordinator case reported orally by the kindergarten; his guardian consents.
- Per: untouched (the acceptance scenario test walks his story).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from oppfolging.consents.models import ConsentKind
from oppfolging.core.models import Municipality
from oppfolging.core.tenancy import unscoped
from oppfolging.overview import demo_blocks as b
from oppfolging.overview import demo_texts as txt
from oppfolging.people.models import Relative, RelativeKind
from oppfolging.referrals.models import (
    Answer,
    Assessment,
    DecisionKind,
    NeedReport,
    OfferStatus,
    ReportChannel,
    ReportStatus,
    ServiceDecision,
)
from oppfolging.teams.models import AssignmentStatus, CareTeam, CoordinatorAssignment, MemberKind


def _is_fresh(municipality: Municipality) -> bool:
    """Nothing of the pathway exists in Fjordvik yet."""
    return not (
        NeedReport.objects.filter(municipality=municipality).exists()
        or Assessment.objects.filter(municipality=municipality).exists()
        or ServiceDecision.objects.filter(municipality=municipality).exists()
        or CareTeam.objects.filter(municipality=municipality).exists()
    )


@transaction.atomic
def load_pathway_demo(
    *, now: datetime.datetime | None = None, plans: bool = False, per: str = "plan"
) -> bool:
    """Put Fjordvik's demo persons at their stages. Only on a fresh demo: returns ``False`` and
    changes nothing when Fjordvik is missing or already has any pathway data. ``plans``: then
    give them their plans (:mod:`oppfolging.plans.demo_plans`); ``per`` says how far Per's story
    has come ("plan", "team" or "start")."""
    with unscoped():
        town = b.find_town(now or timezone.now())
        if town is None or not _is_fresh(town.municipality):
            return False
        _martin(town)
        _klara(town)
        _emil(town)
        _kari(town)
        _aron(town)
        if plans:
            from oppfolging.plans.demo_plans import load_plan_demo

            load_plan_demo(town, per=per)
    return True


# --- The persons -----------------------------------------------------------------------------


def _martin(town: b.Town) -> None:
    b.report(
        town,
        town.persons["Martin"],
        txt.MARTIN_REPORT,
        reporter="fastlege",
        unit="lege",
        channel=ReportChannel.ELECTRONIC,
        history=[(ReportStatus.RECEIVED, 0)],
        handled_by=None,
    )


def _klara(town: b.Town) -> None:
    klara = town.persons["Klara"]
    report = b.report(
        town,
        klara,
        txt.KLARA_REPORT,
        reporter="team",
        unit="hjemme",
        channel=ReportChannel.WRITTEN,
        history=[(ReportStatus.RECEIVED, 40), (ReportStatus.BEING_ASSESSED, 36)],
    )
    b.assessment(
        town,
        klara,
        report,
        txt.KLARA_SECTIONS,
        started=30,
        participants=[
            ("Klara Lund", "", None, None, False),
            ("Berit Lund", "Datter", None, None, False),
            ("Tor Tildeling", "Saksbehandler", "tildeling", "tildeling", False),
            ("Nina Sykepleier", "Sykepleier", "team", "hjemme", False),
            ("Lars Lege", "Fastlege", "fastlege", "lege", True),
        ],
        rehabilitation_potential_assessed=True,
        rehabilitation_notes=txt.KLARA_REHABILITATION,
    )


def _emil(town: b.Town) -> None:
    emil = town.persons["Emil"]
    report = b.report(
        town,
        emil,
        txt.EMIL_REPORT,
        reporter="sykehus",
        unit="sykehus",
        channel=ReportChannel.ELECTRONIC,
        history=[(ReportStatus.RECEIVED, 75), (ReportStatus.BEING_ASSESSED, 71), (ReportStatus.DECIDED, 20)],
    )
    b.assessment(
        town,
        emil,
        report,
        txt.EMIL_SECTIONS,
        started=65,
        completed=25,
        participants=[
            ("Emil Haugen", "", None, None, False),
            ("Tor Tildeling", "Saksbehandler", "tildeling", "tildeling", False),
            ("Ingrid Ergoterapeut", "Ergoterapeut", "koordinator", "ergo", False),
            ("Lars Lege", "Fastlege", "fastlege", "lege", True),
        ],
        rehabilitation_potential_assessed=True,
        rehabilitation_notes=txt.EMIL_REHABILITATION,
        needs_coordinated_services=Answer.YES,
        needs_reason=txt.EMIL_NEEDS_REASON,
        ip_status=OfferStatus.ACCEPTED,
        coordinator_status=OfferStatus.ACCEPTED,
        coordinator_wish=txt.EMIL_WISH,
        informed_about_ip_and_coordinator=True,
        minor_children_as_next_of_kin=Answer.NO,
    )
    b.decision(
        town,
        emil,
        report,
        DecisionKind.SERVICE,
        days=20,
        by="tildeling",
        service_type=b.service(town, "Fysioterapi"),
        scope="To behandlinger i uka",
        valid_from=town.day(18),
        valid_to=town.day(18) + datetime.timedelta(days=182),
        reason=txt.EMIL_PHYSIO_REASON,
    )
    b.decision(town, emil, report, DecisionKind.COORDINATOR, days=20, by="ke", reason=txt.COORDINATOR_REASON)
    team = CareTeam.objects.create(municipality=town.municipality, person=emil)
    ingrid = b.member(
        town, team, "Ingrid Ergoterapeut", "Ergoterapeut", user="koordinator", unit="ergo", joined=15
    )
    b.consent(town, emil, ConsentKind.TEAM_MEMBERSHIP, days=15, recorded_by="ke", member=ingrid)
    CoordinatorAssignment.objects.create(
        municipality=town.municipality,
        team=team,
        coordinator=town.users["koordinator"],
        status=AssignmentStatus.PROPOSED,
        persons_wish=txt.EMIL_WISH,
        proposed_by=town.users["ke"],
        proposed_at=town.ago(2),
        leader=town.users["leder"],
    )


def _kari(town: b.Town) -> None:
    kari = town.persons["Kari"]
    report = b.report(
        town,
        kari,
        txt.KARI_REPORT,
        reporter="fastlege",
        unit="lege",
        channel=ReportChannel.ELECTRONIC,
        history=[
            (ReportStatus.RECEIVED, 120),
            (ReportStatus.BEING_ASSESSED, 116),
            (ReportStatus.DECIDED, 90),
        ],
    )
    b.assessment(
        town,
        kari,
        report,
        txt.KARI_SECTIONS,
        started=110,
        completed=95,
        participants=[
            ("Kari Johansen", "", None, None, False),
            ("Tor Tildeling", "Saksbehandler", "tildeling", "tildeling", False),
            ("Lars Lege", "Fastlege", "fastlege", "lege", True),
            ("Nina Sykepleier", "Sykepleier", "team", "hjemme", False),
        ],
        rehabilitation_potential_assessed=True,
        rehabilitation_notes=txt.KARI_REHABILITATION,
        needs_coordinated_services=Answer.YES,
        needs_reason=txt.KARI_NEEDS_REASON,
        ip_status=OfferStatus.ACCEPTED,
        coordinator_status=OfferStatus.ACCEPTED,
        coordinator_wish=txt.KARI_WISH,
        informed_about_ip_and_coordinator=True,
        minor_children_as_next_of_kin=Answer.NO,
    )
    b.decision(
        town,
        kari,
        report,
        DecisionKind.SERVICE,
        days=90,
        by="tildeling",
        service_type=b.service(town, "Hjemmesykepleie"),
        scope="Oppfølging av blodsukker og sår to ganger i uka",
        valid_from=town.day(88),
        reason=txt.KARI_NURSING_REASON,
    )
    b.decision(town, kari, report, DecisionKind.INDIVIDUAL_PLAN, days=90, by="ke", reason=txt.IP_REASON)
    b.decision(town, kari, report, DecisionKind.COORDINATOR, days=90, by="ke", reason=txt.COORDINATOR_REASON)
    team = CareTeam.objects.create(municipality=town.municipality, person=kari)
    members = {
        "ingrid": b.member(
            town, team, "Ingrid Ergoterapeut", "Ergoterapeut", user="koordinator", unit="ergo", joined=86
        ),
        "nina": b.member(town, team, "Nina Sykepleier", "Sykepleier", user="team", unit="hjemme", joined=86),
        "lars": b.member(town, team, "Lars Lege", "Fastlege", user="fastlege", unit="lege", joined=86),
        "hanne": b.member(
            town,
            team,
            "Hanne Sykehuslege",
            "Overlege, medisinsk avdeling",
            user="sykehus",
            unit="sykehus",
            joined=80,
            kind=MemberKind.AS_NEEDED,
        ),
        "nav": b.member(
            town, team, "Veileder i NAV Fjordvik", "NAV-veileder", user=None, unit="nav", joined=80
        ),
        "psyk": b.member(
            town, team, "Psykiatrisk sykepleier", "Psykiatrisk sykepleier", user=None, unit="psyk", joined=80
        ),
    }
    b.consent(town, kari, ConsentKind.PLAN_WORK, days=86, recorded_by="koordinator")
    for member in members.values():
        b.consent(town, kari, ConsentKind.TEAM_MEMBERSHIP, days=86, recorded_by="koordinator", member=member)
    sharing = b.consent(town, kari, ConsentKind.INFORMATION_SHARING, days=86, recorded_by="koordinator")
    b.shares(town, sharing, [(members[key], keys) for key, keys in txt.KARI_SHARES.items()])
    CoordinatorAssignment.objects.create(
        municipality=town.municipality,
        team=team,
        coordinator=town.users["koordinator"],
        status=AssignmentStatus.ACTIVE,
        persons_wish=txt.KARI_WISH,
        proposed_by=town.users["ke"],
        proposed_at=town.ago(88),
        leader=town.users["leder"],
        leader_decided_at=town.ago(87),
        leader_comment="Godkjent. Ingrid har kapasitet.",
        caseload_at_approval=1,
        cap_at_approval=town.municipality.coordinator_caseload_cap,
        started_at=town.ago(86),
    )


def _aron(town: b.Town) -> None:
    aron = town.persons["Aron"]
    guardian = Relative.objects.get(person=aron, kind=RelativeKind.GUARDIAN, name="Lene Nilsen")
    report = b.report(
        town,
        aron,
        txt.ARON_REPORT,
        reporter="tildeling",
        unit="tildeling",
        channel=ReportChannel.ORAL,
        history=[(ReportStatus.RECEIVED, 20), (ReportStatus.BEING_ASSESSED, 17)],
        source_name=txt.ARON_SOURCE,
    )
    b.assessment(
        town,
        aron,
        report,
        txt.ARON_SECTIONS,
        started=12,
        participants=[
            ("Lene Nilsen", "Mor", None, None, False),
            ("Tor Tildeling", "Saksbehandler", "tildeling", "tildeling", False),
            ("Lars Lege", "Fastlege", "fastlege", "lege", True),
        ],
        minor_children_as_next_of_kin=Answer.NO,
    )
    team = CareTeam.objects.create(
        municipality=town.municipality, person=aron, is_child_coordinator_case=True, child_view=txt.ARON_VIEW
    )
    members = {
        "lars": b.member(town, team, "Lars Lege", "Fastlege", user="fastlege", unit="lege", joined=10),
        "barnehage": b.member(
            town, team, txt.ARON_SOURCE, "Styrer i barnehagen", user=None, unit=None, joined=10
        ),
        "skole": b.member(
            town, team, "Kontaktlærer for skolestart", "Lærer", user=None, unit="skole", joined=10
        ),
    }
    view = txt.ARON_OWN_VIEW
    b.consent(town, aron, ConsentKind.PLAN_WORK, days=10, recorded_by="ke", guardian=guardian, own_view=view)
    for member in members.values():
        b.consent(
            town,
            aron,
            ConsentKind.TEAM_MEMBERSHIP,
            days=10,
            recorded_by="ke",
            member=member,
            guardian=guardian,
            own_view=view,
        )
    sharing = b.consent(
        town,
        aron,
        ConsentKind.INFORMATION_SHARING,
        days=10,
        recorded_by="ke",
        guardian=guardian,
        own_view=view,
    )
    b.shares(town, sharing, [(members[key], keys) for key, keys in txt.ARON_SHARES.items()])

"""The pathway demo puts Fjordvik's persons at their stages, and the KE overview shows them."""

from __future__ import annotations

import pytest

from oppfolging.consents.models import Consent, ConsentKind, GivenBy
from oppfolging.core.tenancy import unscoped
from oppfolging.overview.demo_stages import load_pathway_demo
from oppfolging.referrals.models import AssessmentSection, NeedReport, ReportStatusChange
from oppfolging.teams.models import CareTeam, TeamMember

pytestmark = pytest.mark.django_db

URL = "/oversikt/"


@pytest.fixture
def demo(cast):
    """Load the stages (unless the demo the tests start from has them already: then the call
    changes nothing, which is what a second call must do anyway)."""
    load_pathway_demo()
    assert load_pathway_demo() is False
    return cast


def _rows(cast, query=None):
    response = cast.client("fjordvik-ke").get(URL, query or {})
    assert response.status_code == 200
    return {row.name.split()[0]: row for row in response.context["page"].rows}


def test_the_overview_shows_each_stage(demo):
    rows = _rows(demo)
    assert set(rows) == {"Martin", "Klara", "Emil", "Kari", "Aron"}  # Per is untouched
    martin = rows["Martin"]
    assert (martin.report_status, martin.report_days, martin.overdue) == ("received", 0, False)
    assert martin.assessment_status == ""
    assert martin.team_members is None
    klara = rows["Klara"]
    assert (klara.report_status, klara.assessment_status, klara.overdue) == (
        "being_assessed",
        "in_progress",
        True,
    )
    assert klara.report_days == 40
    emil = rows["Emil"]
    assert (emil.report_status, emil.assessment_status, emil.decision_count) == ("decided", "completed", 2)
    assert [(c.name, c.status) for c in emil.pending_coordinators] == [("Ingrid Ergoterapeut", "proposed")]
    kari = rows["Kari"]
    assert [c.name for c in kari.active_coordinators] == ["Ingrid Ergoterapeut"]
    assert (kari.team_members, kari.decision_count) == (6, 3)
    aron = rows["Aron"]
    assert (aron.report_status, aron.team_members, aron.overdue) == ("being_assessed", 3, False)
    assert list(rows) == ["Klara", "Kari", "Emil", "Aron", "Martin"]  # overdue first, then oldest


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"group": "children"}, {"Aron"}),
        ({"group": "frail_elderly"}, {"Klara"}),
        ({"group": "mental_health"}, {"Kari"}),
        ({"group": "chronic"}, {"Emil", "Kari"}),
        ({"status": "coordinator_proposed"}, {"Emil"}),
        ({"status": "coordinator"}, {"Kari"}),
        ({"status": "reported"}, {"Martin"}),
        ({"overdue": "on"}, {"Klara"}),
    ],
)
def test_the_demo_answers_the_filters(demo, query, expected):
    assert set(_rows(demo, query)) == expected


def test_the_stages_hold_what_the_services_would_have_written(demo):
    with unscoped():
        klara = demo.persons["Klara"]
        sections = AssessmentSection.objects.filter(assessment__person=klara)
        assert sections.count() == 20
        assert sections.exclude(text="").count() == 5
        report = NeedReport.objects.get(person=klara)
        assert list(ReportStatusChange.objects.filter(report=report).values_list("to_status", flat=True)) == [
            "received",
            "being_assessed",
        ]
        kari_members = TeamMember.objects.filter(team__person=demo.persons["Kari"])
        consented = Consent.objects.filter(kind=ConsentKind.TEAM_MEMBERSHIP, team_member__in=kari_members)
        assert consented.count() == kari_members.count() == 6
        assert kari_members.filter(user__isnull=True).count() == 2  # NAV and the psychiatric nurse
        sharing = Consent.objects.get(person=demo.persons["Kari"], kind=ConsentKind.INFORMATION_SHARING)
        assert sharing.shares.count() == 5
        aron = demo.persons["Aron"]
        assert CareTeam.objects.get(person=aron).is_child_coordinator_case
        aron_consents = Consent.objects.filter(person=aron)
        assert aron_consents.count() == 5
        assert set(aron_consents.values_list("given_by", "given_by_relative__name")) == {
            (GivenBy.GUARDIAN.value, "Lene Nilsen")
        }
        assert not NeedReport.objects.filter(person=demo.persons["Per"]).exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [("fjordvik-team", 200), ("fjordvik-koordinator", 200), ("sykehus", 200), ("utenforstaaende", 404)],
)
def test_kari_s_team_reaches_her_page_through_the_demo_consents(demo, username, status):
    assert demo.client(username).get(f"/personer/{demo.persons['Kari'].uuid}/").status_code == status

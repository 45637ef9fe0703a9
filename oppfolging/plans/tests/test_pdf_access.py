"""Who gets the plan as a PDF and which plan: outsiders nothing, a former member the plan as it
stood when they left; the person's language; and nothing fetched from outside while printing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.overview import demo_texts as txt
from oppfolging.overview.demo_stages import load_pathway_demo
from oppfolging.plans import pdf, pdf_render, services
from oppfolging.plans.models import CarePlan, LinkKind, PlanVersion, ResponsibleKind
from oppfolging.plans.tests.support import coordinator_access, planned_person
from oppfolging.teams.models import TeamMember
from oppfolging.teams.tests.test_team_support import add_member

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _url(person) -> str:
    return f"/plan/{person.uuid}/pdf/"


OUTSIDERS = ["utenforstaaende", "lidal-ke", "fjordvik-ke", "fjordvik-fastlege", "per"]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404(cast, username):
    """No role (the outsider), another municipality, KE (administrative data only), a member whose
    consent was withdrawn, a citizen who is not the person: all alike, 404."""
    person = planned_person(cast)
    assert cast.client(username).get(_url(person)).status_code == 404
    with unscoped():
        assert not AuditEvent.objects.filter(person=person, what="plan.pdf").exists()


def test_anonymous_visitors_are_sent_to_log_in(cast):
    response = cast.client(None).get(_url(planned_person(cast)))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logg-inn/")


def _plan_before_the_doctor_left(cast):
    """Tea's plan dated back to before the hospital doctor left the team (three days ago), then a
    goal written today: the doctor must see the first, not the second."""
    person = planned_person(cast)
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        PlanVersion.objects.filter(plan=plan).update(at=timezone.now() - datetime.timedelta(days=10))
    who, access = coordinator_access(cast, person)
    with unscoped():
        services.goal_add(actor=who, access=access, plan=plan, text="Et mål fra etter at legen sluttet.")
    return person, plan


def test_a_former_member_gets_the_plan_as_it_stood_when_they_left(cast):
    person, plan = _plan_before_the_doctor_left(cast)
    response = cast.client("sykehus").get(_url(person))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "«Klare meg selv hjemme.»" in text
    assert "Et mål fra etter at legen sluttet." not in text
    assert "Planen slik den var" in text
    with unscoped():
        left_at = TeamMember.objects.get(team__person=person, user=cast.users["sykehus"]).left_at
        event = AuditEvent.objects.get(person=person, what="plan.pdf")
        latest = plan.versions.order_by("-number").first()
    assert left_at is not None
    assert latest is not None
    assert event.role == "former_team_member"
    assert event.detail["as_of"] == left_at.isoformat()
    assert event.detail["version"] < latest.number
    # the team as it was then: the doctor was still in it
    assert "Hanne Sykehuslege" in text
    # the coordinator, who reads the plan now, gets today's version
    current = pdf_text(cast.client("fjordvik-koordinator").get(_url(person)).content)
    assert "Et mål fra etter at legen sluttet." in current


def test_a_former_member_gets_404_when_there_was_no_plan_when_they_left(cast):
    person = planned_person(cast)  # made today; the doctor left three days ago
    assert cast.client("sykehus").get(_url(person)).status_code == 404


@pytest.fixture
def demo(cast):
    assert load_pathway_demo(plans=True)
    return cast


def _document(person, printed_by: str = "Test"):
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        return pdf.build_document(plan, person=person, as_of=None, printed_by=printed_by)


def test_the_html_is_in_the_person_s_language(demo):
    with unscoped():
        sigrid_html = pdf_render.render_html(_document(demo.persons["Sigrid"]))
        kari_html = pdf_render.render_html(_document(demo.persons["Kari"]))
    assert '<html lang="nn">' in sigrid_html
    assert '<html lang="nb">' in kari_html


def test_a_nynorsk_person_gets_nynorsk_headings(demo):
    """Sigrid of Lidal writes nynorsk: the PDF is in nynorsk whatever the reader's language.
    «Pårørende» is in the nynorsk catalogue already («Pårørande»)."""
    sigrid = demo.persons["Sigrid"]
    with translation.override("nn"):
        relatives_nn = gettext("Pårørende")
    response = demo.client("lidal-koordinator").get(_url(sigrid), HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert relatives_nn in text
    assert f"«{txt.SIGRID_GOALS[0]}»" in text
    kari = pdf_text(demo.client("fjordvik-koordinator").get(_url(demo.persons["Kari"])).content)
    assert "Pårørende" in kari


def test_a_guardian_and_the_person_print_their_own_plan(demo):
    assert demo.client("aron-mor").get(_url(demo.persons["Aron"])).status_code == 200
    assert demo.client("per").get(_url(demo.persons["Per"])).status_code == 200
    assert demo.client("aron-mor").get(_url(demo.persons["Per"])).status_code == 404


def test_printing_fetches_nothing_from_outside(monkeypatch):
    asked: list[str] = []
    refuse = pdf_render.refuse_url

    def spy(url: str, *args: object, **kwargs: object):
        asked.append(url)
        return refuse(url)

    monkeypatch.setattr(pdf_render, "refuse_url", spy)
    html = (
        '<html><head><link rel="stylesheet" href="https://example.invalid/x.css"></head>'
        '<body><img src="file:///etc/hostname" alt="x"><p>Plan</p></body></html>'
    )
    body = pdf_render.render_pdf(html)
    assert body.startswith(b"%PDF")
    assert set(asked) == {"https://example.invalid/x.css", "file:///etc/hostname"}
    with pytest.raises(pdf_render.ExternalResourceRefusedError):
        refuse("https://example.invalid/")


def test_file_names_and_css_strings_are_safe():
    assert pdf_render.ascii_slug("Bjørn Åse") == "bjorn-ase"
    assert pdf_render.ascii_slug("Ærlig-Øystein") == "aerlig-oystein"
    assert pdf_render.ascii_slug("!!") == "person"
    assert pdf_render.css_string('Navn "</style>" \\') == '"Navn \\"\\3C /style>\\" \\\\"'


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_pdf_takes_the_same_number_of_queries_however_large_the_plan(cast):
    """Goals, periods, sub-goals, measures, versions, members and consents grow; the queries do
    not (the plan is read from one version's snapshot)."""
    person = planned_person(cast)
    client = cast.client("fjordvik-koordinator")
    before = _count(client, _url(person))
    who, access = coordinator_access(cast, person)
    today = timezone.localdate()
    with unscoped():
        plan = CarePlan.objects.get(person=person)
        nurse = TeamMember.objects.get(team__person=person, user=cast.users["fjordvik-team"])
        for n in range(3):
            goal = services.goal_add(actor=who, access=access, plan=plan, text=f"Mål {n}.")
            start = today + datetime.timedelta(days=70 * (n + 1))
            period = services.period_add(
                actor=who,
                access=access,
                plan=plan,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=60),
            )
            sub_goal = services.sub_goal_add(
                actor=who, access=access, period=period, goal=goal, text=f"Delmål {n}."
            )
            for m in range(3):
                services.measure_add(
                    actor=who,
                    access=access,
                    sub_goal=sub_goal,
                    description=f"Tiltak {n}.{m}",
                    responsible_kind=ResponsibleKind.MEMBER,
                    responsible_member=nurse,
                )
            services.link_add(actor=who, access=access, plan=plan, kind=LinkKind.OTHER, title=f"Plan {n}")
        team = nurse.team
    for n in range(3):
        add_member(team, cast.users["fjordvik-ke"], name=f"Medlem {n}", sections=["medical"])
    assert _count(client, _url(person)) == before

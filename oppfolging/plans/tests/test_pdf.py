"""The plan as a PDF holds every element forskrift om habilitering og rehabilitering, individuell
plan og koordinator § 19 asks for (SPEC §4.5), read back from the PDF's text — with the demo's
plans, the richest there are: Kari's (two periods, one evaluated) and Emil's (relatives, a
transition and his IOP)."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from pypdf import PdfReader

from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.overview import demo_texts as txt
from oppfolging.overview.demo_stages import load_pathway_demo
from oppfolging.plans.models import CarePlan, PlanPeriod, PlanVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(cast):
    assert load_pathway_demo(plans=True)
    return cast


def pdf_text(content: bytes) -> str:
    """The PDF's text with every run of whitespace made one space (table cells wrap lines)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def flat(text: str) -> str:
    return " ".join(text.split())


def long_date(day) -> str:
    with translation.override("nb"):
        return date_format(day, "DATE_FORMAT")


def short_date(day) -> str:
    with translation.override("nb"):
        return date_format(day, "SHORT_DATE_FORMAT")


def _get(cast, username: str, person):
    return cast.client(username).get(f"/plan/{person.uuid}/pdf/")


def test_the_pdf_holds_every_legal_element(demo):
    kari = demo.persons["Kari"]
    response = _get(demo, "fjordvik-koordinator", kari)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    with unscoped():
        plan = CarePlan.objects.get(person=kari)
        version = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
        p1, p2 = PlanPeriod.objects.filter(plan=plan).order_by("number")
    today = timezone.localdate()
    assert version is not None

    # The person: name and birth date, the identity number masked, never whole.
    assert "Kari Johansen" in text
    assert long_date(kari.birth_date) in text
    assert kari.masked_id in text
    assert kari.national_id not in text
    # Goals in the person's own words, marked as such.
    assert f"«{txt.KARI_GOALS[0]}» Med personens egne ord" in text
    # Resources and needs.
    assert flat(txt.KARI_PLAN.resources) in text
    assert flat(txt.KARI_PLAN.needs) in text
    # Who takes part: the person, the team with discipline and unit, relatives (none, by her wish).
    assert "Hvem deltar i planarbeidet Personen selv Kari Johansen" in text
    assert "Nina Sykepleier Sykepleier Hjemmetjenesten Fjordvik Kjernemedlem" in text
    assert "Ingen pårørende deltar i planarbeidet." in text
    # The coordinator with contact details.
    assert "Koordinator" in text
    assert "Ergoterapitjenesten" in text
    assert "koordinator@demo.invalid" in text
    # What each party contributes: the person, relatives and the services.
    assert flat(txt.KARI_PLAN.persons_contribution) in text
    assert flat(txt.KARI_PLAN.relatives_contribution) in text
    assert "Arbeidsutprøving på Fjordvik bibliotek (4 timer, 2 dager i uka)" in text
    # Measures with scope, responsible and dates, per period with its sub-goals.
    assert "Delmål: Arbeidsutprøving fire timer, to dager i uka." in text
    nav_meeting = "Møte med NAV om arbeidsutprøving Ett møte Veileder i NAV Fjordvik"
    assert f"{nav_meeting} {short_date(p1.starts_on)}" in text
    # How the measures are carried out and coordinated.
    assert flat(txt.KARI_PLAN.coordination) in text
    assert "Hjemmesykepleien kommer tirsdag og fredag" in text
    # The plan periods and the evaluation dates.
    dates = " ".join(short_date(day) for day in (p2.starts_on, p2.ends_on, p2.evaluation_due_on))
    assert f"2 {dates} Pågår" in text
    assert f"Neste evaluering: senest {long_date(p2.evaluation_due_on)}." in text
    # The recorded evaluation: goals and measures assessed, the person's own view.
    assert f"Evaluering av periode 1, {long_date(p1.evaluation.held_on)}" in text
    assert flat(txt.KARI_EVALUATION_VIEW) in text
    assert "Delvis nådd" in text
    assert "Gjennomført" in text
    # Consents: plan work, each member, information sharing (who may see what).
    assert "Oppstart av planarbeid og" in text
    assert "Medlem i oppfølgingsteamet" in text
    assert "Deling av opplysninger: hvem kan se hva" in text
    assert "Veileder i NAV Fjordvik Hva er viktig for deg?" in text
    # Cooperation with other plans and agencies.
    assert "Aktivitetsplan hos NAV Fjordvik" in text
    assert "NAV Fjordvik" in text
    # Status, version number and date.
    saved = long_date(timezone.localdate(version.at))
    assert f"Status Aktiv Versjon Nr. {version.number}, lagret {saved}" in text
    # Page numbers, the printed date and who printed it.
    assert "Side 1 av" in text
    assert f"Skrevet ut {long_date(today)} av Ingrid Ergoterapeut" in text


def test_relatives_transitions_and_the_iop_are_in_the_pdf(demo):
    emil = demo.persons["Emil"]
    text = pdf_text(_get(demo, "fjordvik-koordinator", emil).content)
    # a relative the person has consented to involve, and what relatives contribute
    assert "Anne Haugen mor Personen har samtykket til at de involveres" in text
    assert flat(txt.EMIL_PLAN.relatives_contribution) in text
    assert "Følge Emil til fysioterapi" in text
    assert "Anne Haugen (pårørende)" in text
    # the transition: kind, from, to, the next coordinator and the overlap
    assert "Overganger" in text
    assert "Utskriving fra sykehus" in text
    assert "Sondre Aas, rådgiver ved" in text
    assert txt.EMIL_SCHOOL.split()[0] in text
    # the IOP at school
    assert "Individuell opplæringsplan (IOP)" in text


def test_a_child_s_plan_names_the_guardians_and_the_parents_words(demo):
    aron = demo.persons["Aron"]
    text = pdf_text(_get(demo, "fjordvik-koordinator", aron).content)
    assert "Lene Nilsen mor Foresatt" in text
    assert f"«{txt.ARON_GOALS[0]}» Med personens egne ord" in text
    assert "Skrevet av Lene Nilsen (Pårørende)" in text
    assert "Foresatt: Lene Nilsen" in text  # the guardian gave the consents
    assert "(barnekoordinator)" in text


def test_the_response_is_inline_uncached_and_named_in_ascii(demo):
    response = _get(demo, "fjordvik-koordinator", demo.persons["Kari"])
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'inline; filename="individuell-plan-kari-{today}.pdf"'
    assert response["Cache-Control"] == "no-store"


def test_printing_is_recorded_as_a_read_of_the_plan(demo):
    kari = demo.persons["Kari"]
    _get(demo, "fjordvik-team", kari)
    with unscoped():
        event = AuditEvent.objects.filter(person=kari, what="plan.pdf").get()
        plan = CarePlan.objects.get(person=kari)
    assert event.action == AuditAction.VIEW
    assert event.actor == demo.users["fjordvik-team"]
    assert event.role == "team_member"
    assert event.object_uuid == plan.uuid
    assert event.detail["version"] == plan.revision

"""The leaders' indicator pages: who may open them, which units a leader may narrow to, what the
CSV holds (hidden figures as «<5» and «skjult», never their numbers), the report, the audit row
of every view, that no person shows anywhere, and that the dashboard's queries do not grow with
the data.

The figures of the pages are checked with an indicator of fixed figures registered for the test
only (the real indicators' figures are pinned down by their own tests); the pages are built from
the registry, so it appears beside the others without any change to them.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppfolging.accounts.models import Membership, Role, User
from oppfolging.audit.models import AuditEvent
from oppfolging.core.models import Unit
from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.indicators import base
from oppfolging.indicators.base import (
    Indicator,
    Kind,
    Outcome,
    Scope,
    Step,
    Window,
    count_line,
    indicators,
    share_line,
    stat_line,
)
from oppfolging.indicators.selectors import default_period
from oppfolging.lib import identity
from oppfolging.overview.tests.builders import World, make_world
from oppfolging.people.models import Person
from oppfolging.referrals.models import Assessment, NeedReport
from tests.matrix import EVERYONE

pytestmark = pytest.mark.django_db

FIXED = "test_fixed_figures"
PERIOD = {"start": "2025-01", "end": "2025-03", "step": "month"}
READERS = ["fjordvik-ke", "fjordvik-leder", "lidal-ke", "lidal-leder"]
OTHERS = [user for user in EVERYONE if user not in READERS and user != "anonymous"]
ROUTES = ["indicators:dashboard", "indicators:report", "indicators:csv", "indicators:report_pdf"]


def _fixed(scope: Scope, window: Window) -> Outcome:
    """January, February, March and the whole period; zeros for any other bucket."""
    pad = len(window.buckets) - 3

    def figures(*values: Any) -> list[Any]:
        *buckets, whole = values
        return [*buckets[: len(window.buckets)], *([0] * max(pad, 0)), whole]

    return Outcome(
        lines=[
            count_line("received", "Mottatt", figures(12, 3, 0, 15)),
            share_line("share", "Andel med svar", figures(6, 7, 0, 13), figures(10, 7, 5, 22), main=True),
            stat_line("median", "Median", [*figures(4.0, None, None, 4.5)], figures(6, 2, 0, 8), "days"),
        ]
    )


@pytest.fixture
def fixed() -> Iterator[Indicator]:
    item = Indicator(
        key=FIXED,
        name="Faste tall for testen",
        kind=Kind.RESULT,
        definition="Tall som testen bestemmer.",
        numerator="Personer med svar",
        denominator="Personer som ble spurt",
        source="Testen",
        compute=_fixed,
        group="Testseksjon",
    )
    registry = base._REGISTRY  # the same dict at teardown, even if a test swapped the registry
    registry[FIXED] = item
    yield item
    registry.pop(FIXED, None)


def _csv(response: Any) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _audit_rows(what: str) -> int:
    with unscoped():
        return AuditEvent.all_tenants.filter(what=what).count()


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("user", READERS)
def test_leaders_and_ke_of_each_municipality_see_every_indicator(cast, user):
    response = cast.client(user).get(reverse("indicators:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert indicators(), "the registry is empty: the dashboard would prove nothing"
    for item in indicators():
        assert f'id="ind-{item.key}"' in page, item.key
    assert 'role="img"' in page


@pytest.mark.parametrize("user", OTHERS)
def test_nobody_else_gets_anything(cast, user):
    client = cast.client(user)
    for name in ROUTES:
        assert client.get(reverse(name)).status_code == 404, name
    key = indicators()[0].key
    assert client.get(reverse("indicators:detail", args=[key])).status_code == 404


def test_an_unknown_indicator_is_404(cast):
    client = cast.client("fjordvik-leder")
    assert client.get(reverse("indicators:detail", args=["finnes-ikke"])).status_code == 404
    assert client.get(reverse("indicators:csv"), {"indicator": "finnes-ikke"}).status_code == 404


@pytest.mark.parametrize(
    ("user", "shown"), [("fjordvik-leder", True), ("fjordvik-ke", True), ("fjordvik-koordinator", False)]
)
def test_the_menu_links_to_the_indicators(cast, user, shown):
    page = cast.client(user).get(reverse("core:home")).content.decode()
    assert (f'href="{reverse("indicators:dashboard")}"' in page) is shown


# --- Units: a leader's own, KE's all ------------------------------------------------------------


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def _options(page: str) -> set[str]:
    select = re.search(r'<select name="unit".*?</select>', page, re.S)
    assert select is not None
    return set(re.findall(r'<option value="[^"]+"[^>]*>([^<]+)</option>', select.group(0)))


def test_a_leader_may_narrow_to_the_units_they_lead_only(cast):
    page = cast.client("fjordvik-leder").get(reverse("indicators:dashboard")).content.decode()
    assert _options(page) == {"Hjemmetjenesten Fjordvik", "Ergoterapitjenesten Fjordvik"}


def test_ke_may_narrow_to_every_active_unit_of_the_municipality(cast):
    page = cast.client("fjordvik-ke").get(reverse("indicators:dashboard")).content.decode()
    with unscoped():
        expected = set(
            Unit.objects.filter(municipality=cast.municipalities["fjordvik"], is_active=True).values_list(
                "name", flat=True
            )
        )
    assert _options(page) == expected
    assert "Fjellheim sykehus, medisinsk avdeling" not in expected


def test_a_leader_sees_their_own_unit(cast, fixed):
    unit = _unit("Hjemmetjenesten Fjordvik")
    response = cast.client("fjordvik-leder").get(reverse("indicators:dashboard"), {"unit": str(unit.uuid)})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="ind-{FIXED}"' in page
    assert "<dd>Hjemmetjenesten Fjordvik</dd>" in page


@pytest.mark.parametrize(
    ("user", "unit"),
    [
        ("fjordvik-leder", "Koordinerende enhet Fjordvik"),  # a unit of the municipality they do not lead
        ("fjordvik-leder", "Heimetenesta Lidal"),  # another municipality's
        ("fjordvik-ke", "Heimetenesta Lidal"),
        ("fjordvik-ke", "Fjellheim sykehus, medisinsk avdeling"),  # external
    ],
)
def test_another_unit_is_refused_and_nothing_is_computed(cast, fixed, user, unit):
    with unscoped():
        other = _unit(unit)
    client = cast.client(user)
    before = AuditEvent.all_tenants.filter(what__startswith="indicators.").count()
    query = {"unit": str(other.uuid)}
    response = client.get(reverse("indicators:dashboard"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Velg en enhet fra listen." in page
    assert 'id="ind-' not in page
    assert "Faste tall for testen" not in page
    report = client.get(reverse("indicators:report"), query).content.decode()
    assert 'id="ind-' not in report
    detail = client.get(reverse("indicators:detail", args=[FIXED]), query).content.decode()
    assert "Per enhet" not in detail
    assert client.get(reverse("indicators:csv"), query).status_code == 404
    assert client.get(reverse("indicators:csv"), {**query, "indicator": FIXED}).status_code == 404
    assert client.get(reverse("indicators:report_pdf"), query).status_code == 404
    assert AuditEvent.all_tenants.filter(what__startswith="indicators.").count() == before


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2025-05", "end": "2025-03"}, "Til-måneden kan ikke være før fra-måneden."),
        ({"start": "2020-01", "end": "2025-03", "step": "month"}, "Perioden er for lang"),
        ({"end": "2999-01"}, "Perioden kan ikke slutte etter denne måneden."),
        ({"start": "januar"}, "Skriv måneden som år og måned"),
    ],
)
def test_a_period_that_cannot_be_shown_is_a_form_error(cast, query, message):
    client = cast.client("fjordvik-ke")
    page = client.get(reverse("indicators:dashboard"), query).content.decode()
    assert message in page
    assert 'id="ind-' not in page
    assert client.get(reverse("indicators:csv"), query).status_code == 400


def test_the_drill_down_shows_the_leaders_units_and_the_target_groups(cast, fixed):
    response = cast.client("fjordvik-leder").get(reverse("indicators:detail", args=[FIXED]), PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    unit_table = page[page.index('id="drill-unit"') : page.index('id="drill-group"')]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', unit_table)
    assert rows == ["Hele kommunen", "Ergoterapitjenesten Fjordvik", "Hjemmetjenesten Fjordvik"]
    group_table = page[page.index('id="drill-group"') :]
    assert re.findall(r'<th scope="row">([^<]+)</th>', group_table) == [
        "Alle målgrupper",
        "Barn og unge",
        "Psykisk helse og rus",
        "Skrøpelige eldre",
        "Kroniske tilstander",
    ]
    # the main line's whole period for each
    assert unit_table.count("59 % (13 av 22)") == 3


# --- What is shown and exported ---------------------------------------------------------------


def test_the_dashboard_shows_the_figures_as_the_rules_say(cast, fixed):
    page = cast.client("fjordvik-ke").get(reverse("indicators:dashboard"), PERIOD).content.decode()
    start = page.index(f'id="ind-{FIXED}"')
    card = page[start : page.index("</article>", start)]
    assert "Andel med svar, hele perioden: <strong" in card
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", card)
    assert cells == [
        "12", "&lt;5", "0", "15",
        "skjult", "100 % (7 av 7)", "0 % (0 av 5)", "59 % (13 av 22)",
        "4 dager", "skjult", "skjult", "4,5 dager",
    ]  # fmt: skip
    # The chart: a bar for February, none for March's 0 %, January's hidden share a gap with its
    # label; the figures in words.
    chart = card[card.index("<svg") : card.index("</svg>")]
    assert chart.count('class="app-ind-chart__bar"') == 1
    for label in (">skjult</text>", ">100 %</text>", ">0 %</text>"):
        assert label in chart
    assert "2025-01: skjult; 2025-02: 100 % (7 av 7); 2025-03: 0 % (0 av 5)." in chart
    assert "Hele perioden: 59 % (13 av 22)." in chart
    assert "Tall som testen bestemmer." in card


def test_the_csv_holds_every_indicator_with_hidden_figures_as_words(cast, fixed):
    response = cast.client("fjordvik-leder").get(reverse("indicators:csv"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="indikatorer-2025-01-2025-03.csv"'
    rows = _csv(response)
    assert rows[0] == [
        "Seksjon", "Indikator", "Nøkkel", "Type", "Omfang", "Linje",
        "2025-01", "2025-02", "2025-03", "Hele perioden",
    ]  # fmt: skip
    assert {row[2] for row in rows[1:]} == {item.key for item in indicators()}
    mine = [row for row in rows if row[2] == FIXED]
    lead = ["Testseksjon", "Faste tall for testen", FIXED, "Resultat", "Hele kommunen"]
    assert mine == [
        [*lead, "Mottatt", "12", "<5", "0", "15"],
        [*lead, "Andel med svar", "skjult", "100 % (7 av 7)", "0 % (0 av 5)", "59 % (13 av 22)"],
        [*lead, "Median", "4 dager", "skjult", "skjult", "4,5 dager"],
    ]
    # «skjult» stands where January's 6 of 10 would be.
    assert "60 %" not in response.content.decode()
    assert "6 av 10" not in response.content.decode()


def test_the_indicator_csv_holds_its_drill_down(cast, fixed):
    group = {"group": "frail_elderly"}
    response = cast.client("fjordvik-leder").get(
        reverse("indicators:csv"), {**PERIOD, **group, "indicator": FIXED}
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="indikatorer-test-fixed-figures-2025-01-2025-03.csv"'
    )
    rows = _csv(response)
    assert [row[0] for row in rows[1:]] == ["Testseksjon"] * 3 + ["Per enhet"] * 3 + ["Per målgruppe"] * 5
    assert rows[4][4:] == ["Hele kommunen, Skrøpelige eldre", "Andel med svar", "", "", "", "59 % (13 av 22)"]
    assert [row[4] for row in rows[5:7]] == [
        "Ergoterapitjenesten Fjordvik, Skrøpelige eldre",
        "Hjemmetjenesten Fjordvik, Skrøpelige eldre",
    ]
    assert [row[4] for row in rows[7:]] == [
        "Alle målgrupper",
        "Barn og unge",
        "Psykisk helse og rus",
        "Skrøpelige eldre",
        "Kroniske tilstander",
    ]


def test_the_report_is_printable(cast, fixed):
    user = cast.users["fjordvik-leder"]
    response = cast.client("fjordvik-leder").get(reverse("indicators:report"), PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Indikatorrapport for Fjordvik kommune" in page
    assert "1. januar 2025–31. mars 2025" in page  # noqa: RUF001
    assert f"av {user.get_full_name()}" in page
    assert 'class="app-report"' in page
    assert "app-report__section" in page
    for item in indicators():
        assert str(item.definition) in page.replace("&#x27;", "'").replace("&quot;", '"'), item.key
    assert "<details" not in page  # every definition is printed, not folded away


@pytest.fixture
def only_fixed(fixed, monkeypatch) -> Indicator:
    """The registry with the fixed indicator alone: a PDF of every indicator takes WeasyPrint
    long (the matrix renders that one)."""
    monkeypatch.setattr(base, "_REGISTRY", {FIXED: fixed})
    return fixed


def test_the_report_as_pdf(cast, only_fixed):
    response = cast.client("fjordvik-ke").get(reverse("indicators:report_pdf"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith('inline; filename="indikatorrapport-')
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Indikatorrapport for Fjordvik kommune",
        "Faste tall for testen",
        "59 % (13 av 22)",
        "Side 1 av",
    ):
        assert expected in text, expected


# --- The audit log ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "query", "what"),
    [
        ("indicators:dashboard", {}, "indicators.dashboard"),
        ("indicators:report", {}, "indicators.report"),
        ("indicators:report_pdf", {}, "indicators.report_pdf"),
        ("indicators:csv", {}, "indicators.csv"),
        ("indicators:csv", {"indicator": FIXED}, "indicators.csv"),
    ],
)
def test_every_view_writes_one_audit_row_without_a_person(cast, only_fixed, name, query, what):
    user = cast.users["fjordvik-leder"]
    before = _audit_rows(what)
    assert cast.client("fjordvik-leder").get(reverse(name), {**PERIOD, **query}).status_code == 200
    assert _audit_rows(what) == before + 1
    with unscoped():
        row = AuditEvent.all_tenants.filter(what=what).latest("pk")
    assert row.actor == user
    assert row.person is None
    assert row.role == "leader"
    assert row.municipality == cast.municipalities["fjordvik"]
    assert (row.detail["start"], row.detail["end"], row.detail["step"]) == (
        "2025-01-01",
        "2025-03-31",
        "month",
    )


def test_the_drill_down_writes_one_audit_row(cast, fixed):
    before = _audit_rows("indicators.detail")
    cast.client("fjordvik-ke").get(reverse("indicators:detail", args=[FIXED]))
    assert _audit_rows("indicators.detail") == before + 1
    with unscoped():
        row = AuditEvent.all_tenants.filter(what="indicators.detail").latest("pk")
    assert row.detail["indicator"] == FIXED
    assert row.role == "ke_staff"
    assert row.person is None


# --- No person anywhere -----------------------------------------------------------------------


def _every_page(client: Client, query: dict[str, str], *, drill_downs: bool) -> list[str]:
    pages = [
        client.get(reverse("indicators:dashboard"), query),
        client.get(reverse("indicators:report"), query),
        client.get(reverse("indicators:csv"), query),
    ]
    for item in indicators() if drill_downs else []:
        pages.append(client.get(reverse("indicators:detail", args=[item.key]), query))
        pages.append(client.get(reverse("indicators:csv"), {**query, "indicator": item.key}))
    assert all(page.status_code == 200 for page in pages)
    return [page.content.decode("utf-8") for page in pages]


def test_no_demo_person_shows_on_any_page_or_csv(cast):
    """With the demo's pathway loaded (reports, assessments, teams, coordinators, plans), no
    person's name, identity number or masked number is on any page or in any CSV."""
    from oppfolging.overview.demo_stages import load_pathway_demo

    assert load_pathway_demo(plans=True)
    with unscoped():
        persons = list(Person.objects.all())
    assert len(persons) >= 5
    client = cast.client("fjordvik-ke")
    unit = _unit("Hjemmetjenesten Fjordvik")
    texts = _every_page(client, {}, drill_downs=True)
    texts += _every_page(client, {"unit": str(unit.uuid), "step": "month"}, drill_downs=False)
    for person in persons:
        for text in texts:
            assert f"{person.given_name} {person.family_name}" not in text
            assert re.search(rf"\b{re.escape(person.family_name)}\b", text) is None, person.family_name
            assert person.national_id not in text
            assert identity.mask(person.national_id) not in text
            assert str(person.uuid) not in text


# --- Queries do not grow with the data -----------------------------------------------------------


def _reader(world: World) -> User:
    leader = User.objects.create_user(username="testvik-leder", first_name="Lene", last_name="Leder")
    Membership.objects.create(user=leader, unit=world.units["hjemme"], role=Role.LEADER)
    return leader


def _pathway(world: World, count: int) -> None:
    """``count`` persons with a report in 2025 from a unit, an assessment, and a team with a
    coordinator: rows in every table the process and structure indicators read."""
    for number in range(count):
        person = world.person(f"Spørring{number}")
        report = world.report(person, unit="hjemme")
        at = datetime.datetime(2025, 1 + number % 6, 10, 12, tzinfo=datetime.UTC)
        with municipality_scope(world.municipality):
            NeedReport.objects.filter(pk=report.pk).update(received_at=at)
        assessment = world.assessment(person, completed=True, needs="yes")
        with municipality_scope(world.municipality):
            Assessment.objects.filter(pk=assessment.pk).update(report=report, started_at=at)
        team = world.team(person, ("hjemme", False), ("ergo", False))
        world.coordinator(team, world.ke)


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("indicators:dashboard"), {"start": "2025-01", "end": "2025-12"})
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_dashboard_costs_the_same_queries_for_more_data():
    world = make_world()
    client = Client()
    client.force_login(_reader(world))
    _pathway(world, 2)
    small = _queries(client)
    _pathway(world, 25)
    assert _queries(client) == small


@pytest.mark.parametrize(
    ("step", "start"), [(Step.QUARTER, datetime.date(2026, 1, 1)), (Step.MONTH, datetime.date(2025, 12, 1))]
)
def test_the_default_period_is_the_last_twelve_months(step, start):
    assert default_period(datetime.date(2026, 11, 26), step) == (start, datetime.date(2026, 11, 1))

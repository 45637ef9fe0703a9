"""The population view: the latest batch's pyramid, with small cells suppressed — exact numbers,
the complementary cells, the SVG's text alternative, the CSV, and who may see it."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.risk.population_selectors import Row, population_tables, suppress
from oppfolging.risk.tests import builders as b

pytestmark = pytest.mark.django_db

H = "skjult"  # a complementary cell

# 1 000 persons. The age groups add up to the tiers; the target groups overlap.
PYRAMID = {
    "tiers": {"1": 850, "2": 120, "3": 27, "4": 3},
    "by_age": {
        "0-17": {"1": 200, "2": 10, "3": 0, "4": 0},
        "18-49": {"1": 500, "2": 60, "3": 7, "4": 2},
        "67-79": {"1": 100, "2": 30, "3": 10, "4": 0},
        "80+": {"1": 50, "2": 20, "3": 10, "4": 1},
    },
    "by_group": {
        "frail_elderly": {"1": 40, "2": 15, "3": 8, "4": 3},
        "children": {"1": 200, "2": 10, "3": 0, "4": 0},
        "mental_health": {"1": 2, "2": 1, "3": 0, "4": 0},
        "chronic": {"1": 0, "2": 0, "3": 4, "4": 0},
    },
}


def _shown(row: Row) -> list[str]:
    return [*(cell.display for cell in row.cells), row.total.display]


def _row(label: str, counts: list[int]) -> Row:
    from oppfolging.risk.population_selectors import Cell

    return Row(key=label, label=label, cells=[Cell(n) for n in counts], total=Cell(sum(counts)))


def test_small_counts_and_the_cells_that_would_reveal_them_are_hidden():
    tiers, by_age, by_group = population_tables(PYRAMID)
    assert by_age is not None
    assert by_group is not None
    assert by_age.totals is not None
    assert [_shown(row) for row in by_age.rows] == [
        ["200", "10", "0", "0", "210"],
        ["500", "60", H, "<5", "569"],  # 2 is small; 7 would be 569 - 560 - 2: hidden too
        ["100", "30", "10", "0", "140"],
        ["50", "20", H, "<5", "81"],  # 1 is small; the next smallest above zero is 10
    ]
    # The whole population by tier: 3 is small; 27 would be 1000 - 970 - 3: hidden too.
    assert _shown(by_age.totals) == ["850", "120", H, "<5", "1000"]
    assert _shown(tiers.rows[0]) == ["850", "120", H, "<5", "1000"]
    # In the target groups' own order, whatever the order of the stored JSON.
    assert [row.key for row in by_group.rows] == ["children", "mental_health", "frail_elderly", "chronic"]
    assert [_shown(row) for row in by_group.rows] == [
        ["200", "10", "0", "0", "210"],
        ["<5", "<5", "0", "0", "<5"],  # already two hidden: nothing more to hide
        ["40", "15", H, "<5", "66"],
        ["0", "0", "<5", "0", "<5"],
    ]


def test_a_complement_that_leaves_a_column_with_one_hidden_cell_hides_another():
    rows = [_row("A", [100, 50, 20, 2]), _row("B", [100, 60, 30, 10])]
    totals = _row("all", [200, 110, 50, 12])
    suppress(rows, totals)
    # Row A hides 20 beside the small 2; then the columns of 20 and of 2 each have one hidden
    # cell, so B's 30 and 10 are hidden too. Row B then has two: done.
    assert [_shown(row) for row in rows] == [["100", "50", H, "<5", "172"], ["100", "60", H, H, "200"]]
    assert _shown(totals) == ["200", "110", "50", "12", "372"]


def test_a_column_of_zeros_beside_a_hidden_count_hides_its_total():
    rows = [_row("A", [100, 50, 20, 0]), _row("B", [100, 60, 30, 0]), _row("C", [50, 20, 2, 6])]
    totals = _row("all", [250, 130, 52, 6])
    suppress(rows, totals)
    # C's 2 is small and its 6 is hidden beside it; the 6 is then alone in a column of zeros,
    # where a hidden zero would not help: the column's total goes. The column of the 2 and the
    # totals row then each have one hidden cell, and one cell mends both: their shared 52.
    assert [_shown(row) for row in rows] == [
        ["100", "50", "20", "0", "170"],
        ["100", "60", "30", "0", "190"],
        ["50", "20", "<5", H, "78"],
    ]
    assert _shown(totals) == ["250", "130", H, H, "438"]


def test_a_target_group_with_the_same_counts_as_an_age_group_hides_the_same_cells():
    pyramid = {
        "tiers": {"1": 150, "2": 60, "3": 32, "4": 17},
        "by_age": {"0-17": {"1": 50, "2": 20, "3": 30, "4": 8}, "18-49": {"1": 100, "2": 40, "3": 2, "4": 9}},
        "by_group": {"children": {"1": 50, "2": 20, "3": 30, "4": 8}},
    }
    _tiers, by_age, by_group = population_tables(pyramid)
    assert by_age is not None
    assert by_group is not None
    # In the age table the 2 is hidden with 9 beside it, then 30 and 8 of 0-17 for the columns.
    assert [_shown(row) for row in by_age.rows] == [["50", "20", H, H, "108"], ["100", "40", "<5", H, "151"]]
    # Shown in full, the children's row would give away 30, and with it the 2.
    assert [_shown(row) for row in by_group.rows] == [["50", "20", H, H, "108"]]


def test_a_line_with_only_the_whole_population():
    tiers, by_age, by_group = population_tables({"tiers": {"1": 990, "2": 6, "3": 10, "4": 2}})
    assert by_age is None
    assert by_group is None
    assert _shown(tiers.rows[0]) == ["990", H, "10", "<5", "1008"]
    tiers, _, _ = population_tables({"tiers": {"1": 990, "2": 6, "3": 3, "4": 1}})
    assert _shown(tiers.rows[0]) == ["990", "6", "<5", "<5", "1000"]


def _cells(html: str, caption: str) -> list[list[str]]:
    """The table's rows (header cell, then data cells) after its caption."""
    table = html.split(f'<caption class="ds-sr-only">{caption}</caption>')[1].split("</table>")[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr)]
        for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ][1:]


def test_the_page_shows_the_pyramid_and_the_suppressed_tables(cast):
    fjordvik = cast.municipalities["fjordvik"]
    b.batch(
        fjordvik, computed_on=timezone.localdate() - datetime.timedelta(days=30), pyramid={"tiers": {"1": 1}}
    )
    b.batch(fjordvik, pyramid=PYRAMID, persons=1000)
    with unscoped():
        before = AuditEvent.objects.count()
    response = cast.client("fjordvik-leder").get(reverse("risk:population"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html
    assert '<title id="pyramid-title">' in html
    assert "Nivå 4: svært høy risiko: &lt;5" in html  # the text alternative, suppressed too
    assert "Standardvekter \u2013 ikke validert lokalt" in html
    assert _cells(html, "Risikonivå etter aldersgruppe") == [
        ["0 til 17 år", "200", "10", "0", "0", "210"],
        ["18 til 49 år", "500", "60", H, "&lt;5", "569"],
        ["67 til 79 år", "100", "30", "10", "0", "140"],
        ["80 år og eldre", "50", "20", H, "&lt;5", "81"],
        ["Totalt", "850", "120", H, "&lt;5", "1000"],
    ]
    assert _cells(html, "Risikonivå etter målgruppe")[2] == ["Skrøpelige eldre", "40", "15", H, "&lt;5", "66"]
    with unscoped():
        rows = list(AuditEvent.objects.order_by("id")[before:])
    assert [(r.what, r.person_id, r.role) for r in rows] == [("risk.population", None, "leader")]


def test_the_csv_has_the_same_suppression(cast):
    b.batch(cast.municipalities["fjordvik"], pyramid=PYRAMID)
    response = cast.client("fjordvik-ke").get(reverse("risk:population_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Tabell",
        "Gruppe",
        "Nivå 1: lav risiko",
        "Nivå 2: moderat risiko",
        "Nivå 3: høy risiko",
        "Nivå 4: svært høy risiko",
        "Totalt",
    ]
    assert rows[1] == ["Antall personer på hvert risikonivå", "Alle", "850", "120", H, "<5", "1000"]
    assert ["Risikonivå etter aldersgruppe", "18 til 49 år", "500", "60", H, "<5", "569"] in rows
    assert ["Risikonivå etter aldersgruppe", "Totalt", "850", "120", H, "<5", "1000"] in rows
    assert ["Risikonivå etter målgruppe", "Psykisk helse og rus", "<5", "<5", "0", "0", "<5"] in rows
    assert not any(cell in {"1", "2", "3", "4", "7", "27"} for row in rows for cell in row)


def test_without_a_batch_the_page_says_so(cast):
    response = cast.client("lidal-ke").get(reverse("risk:population"))
    assert response.status_code == 200
    assert "Kommunen har ikkje berekna risiko enno." in response.content.decode()  # Lidal writes nynorsk
    assert cast.client("lidal-ke").get(reverse("risk:population_csv")).status_code == 200


@pytest.mark.parametrize(
    ("user", "status"), [("fjordvik-fastlege", 404), ("fjordvik-team", 404), ("per", 404)]
)
def test_only_ke_and_leaders_see_the_population(cast, user, status):
    b.batch(cast.municipalities["fjordvik"], pyramid=PYRAMID)
    assert cast.client(user).get(reverse("risk:population")).status_code == status
    assert cast.client(user).get(reverse("risk:population_csv")).status_code == status

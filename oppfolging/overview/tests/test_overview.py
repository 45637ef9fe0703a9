"""The KE overview: who is listed, in which order, what each filter keeps, how overdue reports are
shown, and that the page holds administrative data only and is audited once per request."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from oppfolging.audit.models import AuditEvent
from oppfolging.core.tenancy import unscoped
from oppfolging.overview.selectors import PAGE_SIZE
from oppfolging.referrals.models import NeedReport

pytestmark = pytest.mark.django_db

URL = "/oversikt/"
EVERYONE = {
    "Anne", "Bjørn", "Cecilie", "David", "Eva", "Frida", "Gunnar", "Hedda", "Ivar", "Kjersti", "Lise",
    "Mona", "Nils", "Oda", "Petra",
}  # fmt: skip


def _client(testvik) -> Client:
    client = Client()
    client.force_login(testvik.world.ke)
    return client


def _rows(response):
    assert response.status_code == 200
    return response.context["page"].rows


def _names(response) -> list[str]:
    return [row.name.split()[0] for row in _rows(response)]


def test_lists_every_person_in_the_pathway_and_nobody_else(testvik):
    names = _names(_client(testvik).get(URL))
    assert set(names) == EVERYONE
    assert "Jonas" not in names


def test_overdue_first_then_oldest_report_then_name(testvik):
    assert _names(_client(testvik).get(URL)) == [
        "Bjørn",  # overdue, received 40 days ago
        "David",  # overdue, 35 days
        "Eva",  # 60 days, decided
        "Cecilie",  # 40 days, interim reply sent
        "Ivar",
        "Hedda",
        "Anne",
        # no report: by name
        "Frida",
        "Gunnar",
        "Kjersti",
        "Lise",
        "Mona",
        "Nils",
        "Oda",
        "Petra",
    ]


def test_overdue_in_the_database_agrees_with_the_model_rule(testvik):
    rows = {row.name.split()[0]: row for row in _rows(_client(testvik).get(URL))}
    with unscoped():
        reports = list(
            NeedReport.objects.filter(municipality=testvik.world.municipality).select_related("person")
        )
    assert reports
    for report in reports:
        assert rows[report.person.given_name].overdue is report.is_overdue, report.person.given_name
    assert {name for name, row in rows.items() if row.overdue} == {"Bjørn", "David"}


def test_overdue_is_said_in_words_not_only_colour(testvik):
    response = _client(testvik).get(URL)
    html = response.content.decode()
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.DOTALL)
    bjorn = next(row for row in rows if "Bjørn Testesen" in row)
    assert "data-overdue" in bjorn
    assert "Over fristen (40 dager)" in bjorn
    cecilie = next(row for row in rows if "Cecilie Testesen" in row)
    assert "Over fristen" not in cecilie
    assert "Foreløpig svar sendt" in cecilie
    assert "2 er over fristen." in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "reported"}, {"Anne", "Bjørn", "Cecilie", "Hedda", "Ivar"}),
        ({"status": "being_assessed"}, {"David"}),
        ({"status": "decided"}, {"Eva", "Mona", "Nils", "Oda", "Petra"}),
        ({"status": "coordinator_proposed"}, {"Frida"}),
        ({"status": "coordinator"}, {"Gunnar"}),
        ({"status": "team"}, {"Frida", "Gunnar", "Kjersti"}),
        ({"group": "children"}, {"Hedda"}),  # Oda is 18 today: not a child
        ({"group": "frail_elderly"}, {"Ivar", "Petra"}),  # Nils is 74
        ({"group": "mental_health"}, {"Gunnar", "Hedda"}),  # Kjersti's psyk member has left
        ({"group": "chronic"}, {"Eva"}),  # Lise's assessment concluded no
        ({"overdue": "on"}, {"Bjørn", "David"}),
        ({"status": "reported", "overdue": "on"}, {"Bjørn"}),
        ({"group": "frail_elderly", "status": "decided"}, {"Petra"}),
    ],
)
def test_each_filter_keeps_exactly_its_persons(testvik, query, expected):
    assert set(_names(_client(testvik).get(URL, query))) == expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("psyk", {"Gunnar"}), ("hjemme", {"Frida", "Kjersti"}), ("sykehus", {"Gunnar"}), ("ke", set())],
)
def test_unit_filter_keeps_persons_with_an_active_member_from_the_unit(testvik, unit, expected):
    uuid = testvik.world.units[unit].uuid
    assert set(_names(_client(testvik).get(URL, {"unit": str(uuid)}))) == expected


def test_unit_choices_are_own_units_and_external_units_in_own_teams(testvik):
    form = _client(testvik).get(URL).context["form"]
    names = {unit.name for unit in form.fields["unit"].queryset}
    assert "Psykisk helse og rus Testvik" in names
    assert "Fjellheim sykehus, medisinsk avdeling" in names  # Gunnar's team has a member from it
    assert "Fysioterapeut Berg, privat praksis" not in names  # external, in no Testvik team
    assert not any("Fjordvik" in name or "Lidal" in name for name in names)


def test_an_invalid_filter_is_shown_as_an_error_and_filters_nothing(testvik):
    response = _client(testvik).get(URL, {"unit": "00000000-0000-0000-0000-000000000000", "group": "x"})
    assert response.context["form"].errors.keys() == {"unit", "group"}
    assert set(_names(response)) == EVERYONE


def test_columns_show_statuses_and_coordinators(testvik):
    rows = {row.name.split()[0]: row for row in _rows(_client(testvik).get(URL))}
    gunnar = rows["Gunnar"]
    assert [c.name for c in gunnar.active_coordinators] == ["Ola Koordinator", "Siv Sekund"]
    assert gunnar.team_members == 3
    frida = rows["Frida"]
    assert frida.active_coordinators == []
    assert [(c.name, c.status) for c in frida.pending_coordinators] == [("Ola Koordinator", "proposed")]
    assert rows["Kjersti"].team_members == 1  # the one who left is not counted
    assert rows["Anne"].team_members is None
    eva = rows["Eva"]
    assert (eva.report_status, eva.assessment_status, eva.decision_count) == ("decided", "completed", 1)
    assert rows["David"].assessment_status == "in_progress"
    html = _client(testvik).get(URL).content.decode()
    assert 'Ola Koordinator <span class="app-muted">(foreslått, venter på leder)</span>' in html
    assert "Ola Koordinator, Siv Sekund" in html


def test_administrative_data_only(testvik):
    w = testvik.world
    anne = w.person("Astrid")
    w.report(anne, observed="Hemmelig observasjon om rusbruk")
    with unscoped():
        national_id = anne.national_id
    html = _client(testvik).get(URL).content.decode()
    assert "Astrid Testesen" in html
    assert "Hemmelig observasjon" not in html
    assert national_id not in html
    assert f"{national_id[:6]} *****" in html
    assert f'href="/personer/{anne.uuid}/"' in html


def test_each_row_links_to_the_access_checked_person_page(testvik):
    client = _client(testvik)
    row = _rows(client.get(URL))[0]
    assert client.get(f"/personer/{row.person_uuid}/").status_code == 200


def test_the_page_is_audited_once_with_filters_and_row_count(testvik):
    ke = testvik.world.ke
    unit = testvik.world.units["hjemme"]
    _client(testvik).get(URL, {"unit": str(unit.uuid), "status": "team"})
    with unscoped():
        events = list(AuditEvent.objects.filter(actor=ke))
    assert len(events) == 1
    event = events[0]
    assert (event.what, event.action, event.person_id) == ("ke_overview", "view", None)
    assert event.municipality_id == testvik.world.municipality.pk
    assert event.detail == {
        "filters": {
            "unit": {"uuid": str(unit.uuid), "name": unit.name},
            "group": "",
            "status": "team",
            "overdue_only": False,
        },
        "page": 1,
        "rows": 2,
        "total": 2,
    }


def test_pages_of_fifty(testvik):
    w = testvik.world
    for index in range(PAGE_SIZE + 3 - len(EVERYONE)):
        w.decision(w.person(f"Ekstra{index:02d}"))
    client = _client(testvik)
    first = client.get(URL)
    assert len(_rows(first)) == PAGE_SIZE
    assert first.context["page"].num_pages == 2
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(URL, {"page": "2"})
    assert len(_rows(second)) == 3
    assert second.context["page"].number == 2
    assert client.get(URL, {"page": "99"}).context["page"].number == 2
    assert client.get(URL, {"page": "x"}).context["page"].number == 1
    filtered = client.get(URL, {"group": "", "page": "2"}).content.decode()
    assert 'href="?group=&amp;page=1"' in filtered  # the filters stay in the page links


def test_lidal_ke_sees_none_of_fjordvik(cast, testvik):
    with unscoped():
        for name in ["Per", "Kari", "Aron"]:
            NeedReport.objects.create(
                municipality=cast.municipalities["fjordvik"],
                person=cast.persons[name],
                reporter=cast.users["fjordvik-fastlege"],
                source="staff",
                channel="written",
                observed="Test",
                knowledge="agrees",
            )
        NeedReport.objects.create(
            municipality=cast.municipalities["lidal"],
            person=cast.persons["Sigrid"],
            reporter=cast.users["lidal-fastlege"],
            source="staff",
            channel="written",
            observed="Test",
            knowledge="agrees",
        )
        fjordvik = {p.full_name for p in cast.persons.values() if p.municipality.number == "9901"}
    lidal_rows = {row.name for row in _rows(cast.client("lidal-ke").get(URL))}
    assert "Sigrid Vik" in lidal_rows
    assert not lidal_rows & fjordvik
    assert not any("Testesen" in name for name in lidal_rows)
    fjordvik_rows = {row.name for row in _rows(cast.client("fjordvik-ke").get(URL))}
    assert {"Per Olsen", "Kari Johansen", "Aron Nilsen"} <= fjordvik_rows
    assert "Sigrid Vik" not in fjordvik_rows
    assert not any("Testesen" in name for name in fjordvik_rows)


NOT_KE = [
    "fjordvik-tildeling",
    "fjordvik-koordinator",
    "fjordvik-team",
    "fjordvik-fastlege",
    "fjordvik-leder",
    "fjordvik-admin",
    "lidal-tildeling",
    "lidal-admin",
    "sykehus",
    "utenforstaaende",
    "per",
    "aron-mor",
]


@pytest.mark.parametrize("username", NOT_KE)
def test_other_roles_get_404(cast, username):
    assert cast.client(username).get(URL).status_code == 404


def test_anonymous_is_sent_to_log_in(cast):
    response = cast.client(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logg-inn/")


def test_post_is_refused(testvik):
    assert _client(testvik).post(URL).status_code == 405

"""The words of the history: labels from the models' verbose names and choices, summaries of a
version's changes, and stored values shown as the UI shows them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from oppfolging.plans import history_labels as labels
from oppfolging.plans.history import diff


@pytest.fixture(autouse=True)
def _bokmaal() -> Iterator[None]:
    with translation.override("nb"):
        yield


def test_field_labels_come_from_the_models():
    assert labels.field_label("goal", "text") == "Mål"
    assert labels.field_label("measure", "due_on") == "Frist"
    assert labels.field_label("plan", "resources") == "Personens ressurser"
    assert labels.field_label("transition", "overlap_from") == "Overlapp fra"
    assert labels.field_label("measure", "responsible") == "Ansvarlig person"  # no model field
    assert labels.field_label("goal", "author_kind", capital=False) == "skrevet av"


def test_values_are_shown_in_words():
    assert labels.display_value("measure", "status", "ongoing") == "Pågår"
    assert labels.display_value("plan", "status", "closed") == "Avsluttet plan"
    assert labels.display_value("measure", "due_on", "2026-03-12") == "12.03.2026"
    assert labels.display_value("goal", "in_own_words", True) == "Ja"
    assert labels.display_value("goal", "text", "") == "\u2013"
    assert labels.display_value("measure", "sub_goal", "u1", {"u1": "Dusje selv."}) == "Dusje selv."
    assert labels.display_value("measure", "sub_goal", "u2", {}) == "(et annet)"


def test_actions_and_roles_in_words():
    assert labels.action_label("plan.activate") == "Planen ble tatt i bruk"
    assert labels.action_label("something.new") == "Endring i planen"
    assert labels.role_label("coordinator") == "Koordinator"
    assert labels.role_label("self") == "Personen selv"
    assert labels.author_kind_label("relative") == "Pårørende"


def _snapshot(goal: str, status: str = "planned") -> dict[str, Any]:
    return {
        "plan": {"status": "active", "resources": ""},
        "goals": [{"uuid": "g1", "text": goal, "in_own_words": True, "status": "active"}],
        "periods": [
            {
                "uuid": "p1",
                "number": 1,
                "starts_on": "2026-03-01",
                "ends_on": "2026-05-01",
                "evaluation_due_on": "2026-04-24",
                "status": "active",
                "focus": "",
                "sub_goals": [{"uuid": "s1", "goal": "g1", "text": "Dusje selv."}],
                "measures": [
                    {
                        "uuid": "m1",
                        "sub_goal": "s1",
                        "description": "Trening i dusjen.",
                        "scope": "",
                        "how": "",
                        "responsible_kind": "member",
                        "responsible": "Nina",
                        "starts_on": None,
                        "due_on": None,
                        "status": status,
                    }
                ],
                "evaluation": None,
            }
        ],
        "links": [],
        "transitions": [],
        "comments": [],
    }


def test_a_changed_goal_reads_as_before_and_after():
    changes = diff(_snapshot("Gå tur."), _snapshot("Gå tur hver dag.", status="ongoing"))
    lines, more = labels.summary_lines(changes)
    assert "Mål endret: «Gå tur.» → «Gå tur hver dag.»" in lines
    assert "Tiltak «Trening i dusjen.»: status endret fra «Ikke startet» til «Pågår»" in lines
    assert more == 0


def test_added_objects_and_the_first_version():
    lines, _more = labels.summary_lines(diff({}, _snapshot("Gå tur.")))
    assert lines[0] == "Planen ble opprettet"
    assert "Mål «Gå tur.» lagt til" in lines
    assert "Planperiode 1 lagt til" in lines


def test_long_summaries_are_cut_with_a_count():
    changes = [
        {"kind": "goal", "uuid": str(i), "change": "added", "label": f"Mål {i}", "fields": []}
        for i in range(9)
    ]
    lines, more = labels.summary_lines(changes)
    assert len(lines) == 6
    assert more == 3


def test_long_values_are_shortened():
    text = "ord " * 40
    assert len(labels.shorten(text)) == labels.SHORT
    assert labels.shorten(text).endswith("…")

"""The leaders' indicators: aggregated figures for KE staff and leaders of each municipality,
nobody else (everyone else gets 404, as for anything missing or not theirs). A leader may narrow
to the units they lead only, KE to any active unit of the municipality: asking for another unit
is a form error on the pages (no figures) and 404 in the downloads."""

from __future__ import annotations

from typing import Any

from tests.matrix import Case, only

READERS = ["fjordvik-ke", "fjordvik-leder", "lidal-ke"]
KEY = "reports_assessed"  # the framework's own example indicator, always registered


def _key(cast: Any) -> dict[str, Any]:
    return {"key": KEY}


# A case's query is fixed before the database exists, so the cases that narrow to a unit (a
# unit's uuid) are in oppfolging/indicators/tests/test_views.py.
ENTRIES: dict[str, list[Case]] = {
    "indicators:dashboard": [
        Case("municipality", expect=only(READERS)),
        Case(
            "by month, one target group",
            query={"step": "month", "group": "frail_elderly"},
            expect=only(READERS),
        ),
    ],
    "indicators:detail": [
        Case("one indicator", _key, expect=only(READERS)),
        Case("unknown indicator", lambda cast: {"key": "finnes-ikke"}, expect=only([])),
    ],
    "indicators:csv": [
        Case("every indicator", expect=only(READERS)),
        Case("one indicator", query={"indicator": KEY}, expect=only(READERS)),
        Case("unknown indicator", query={"indicator": "finnes-ikke"}, expect=only([])),
    ],
    "indicators:report": [Case("printable", expect=only(READERS))],
    "indicators:report_pdf": [Case("PDF", expect=only(READERS))],
}

"""KE's overview: KE staff of each municipality, nobody else (their own municipality's persons
only: see oppfolging/overview/tests/test_overview.py)."""

from __future__ import annotations

from tests.matrix import Case, only

KE = ["fjordvik-ke", "lidal-ke"]

ENTRIES: dict[str, list[Case]] = {
    "overview:ke": [
        Case("list", expect=only(KE)),
        Case(
            "filtered",
            query={"group": "frail_elderly", "status": "reported", "overdue": "on"},
            expect=only(KE),
        ),
    ],
}

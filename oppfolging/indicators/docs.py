"""The indicators' reference page, ``docs/indicators.md``, written from the registry: the
definitions live once, in :mod:`oppfolging.indicators.definitions`, and the page cannot drift
from them (a test compares the committed page with a fresh one).

    python manage.py indicators_doc            (rewrites docs/indicators.md)
"""

from __future__ import annotations

from django.utils import translation

from oppfolging.indicators.base import SMALLEST_SHOWN, Kind, indicators

INTRO = f"""# Indicators for leaders

Every indicator on the leaders' dashboard (`/indikatorer/`), as the code defines it
(`oppfolging/indicators/definitions/`). This page is written by `python manage.py indicators_doc`;
edit the definitions, not this page.

Each is computed per municipality, per unit and per target group, for a chosen period, as a trend
by month or quarter, in the database (aggregations; the number of queries does not depend on the
amount of data). A state ("has a plan") is taken on the last day of each month or quarter; an
event ("evaluation held") counts in the month or quarter it happened.

Privacy: leaders' views hold no personal data. A count from 1 to {SMALLEST_SHOWN - 1} shows as
"<{SMALLEST_SHOWN}"; a share is hidden when its numerator, its complement or its denominator is
from 1 to {SMALLEST_SHOWN - 1}; a median, percentile or mean resting on fewer than
{SMALLEST_SHOWN} is hidden; in a distribution, a lone hidden count takes the smallest other count
with it. Drilling down ends at the unit.

The texts below are the Norwegian (bokmål) ones the dashboard shows.
"""


def render() -> str:
    parts = [INTRO]
    with translation.override("nb"):
        for kind in Kind:
            chosen = indicators(kind)
            if not chosen:
                continue
            parts.append(f"## {kind.label} ({kind.value})\n")
            for item in chosen:
                parts.append(f"### {item.name} (`{item.key}`)\n")
                parts.append(f"{item.definition}\n")
                parts.append(f"- Teller: {item.numerator}")
                if item.denominator:
                    parts.append(f"- Nevner: {item.denominator}")
                parts.append(f"- Kilde: {item.source}")
                if item.group:
                    parts.append(f"- Del av dashbordet: {item.group}")
                parts.append("")
    return "\n".join(parts).rstrip() + "\n"

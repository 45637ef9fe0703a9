"""``manage.py bench_indicators --persons 30000``: build «Indikator kommune» in the current database
(:mod:`oppfolging.indicators.bench`) unless it is there, then open the leaders' dashboard, the
report and the CSV as a leader of it through the Django test client and time each indicator's
query on its own. ``make bench-indicators`` runs it at two sizes side by side
(``benchmarks/indicators.py``).

It writes hundreds of thousands of rows that cannot all be deleted (audit rows), so it refuses
to run unless DEBUG is on and the database is a throwaway one (see the KE overview benchmark's
``refusal``), or ``--yes`` says the operator knows what they are doing.
"""

from __future__ import annotations

import datetime
import json
import math
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.signals import request_started
from django.db import DatabaseError, connection, models, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from oppfolging.accounts.models import Membership, User
from oppfolging.core.models import Municipality, Unit, UnitKind
from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.indicators import bench
from oppfolging.indicators.base import Scope, Step, Window, indicators
from oppfolging.lib.dates import month_start_after
from oppfolging.overview.groups import TargetGroup
from oppfolging.overview.management.commands.bench_ke_overview import refusal
from oppfolging.people.models import Person

NUMBER = "9980"
NAME = "Indikator kommune"
SEED = 1
YEARS = 3
TARGET_MS = 1_000
PAGE_BUDGET_S = 60.0


@dataclass
class Scenario:
    label: str
    url: str
    status: int
    queries: int
    kib: float
    median_ms: float
    p90_ms: float


@dataclass
class IndicatorTime:
    key: str
    window: str
    queries: int
    median_ms: float


def p90(values: list[float]) -> float:
    """Nearest rank, as the indicators' own percentiles."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(0.9 * len(ordered))) - 1]


def long_window(end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The longest period the form accepts by month (36 months), ending with ``end``'s month."""
    last = end.replace(day=1)
    return month_start_after(last, -35), last


def row_counts() -> dict[str, int]:
    tables: list[type[models.Model]] = [User, Membership, *bench.ORDER]
    with unscoped():
        return {model._meta.label: model._base_manager.count() for model in tables}


def _client(user: User) -> Client:
    """The test client on a host this configuration accepts."""
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in {"*", ""} and not h.startswith(".")]
    server = "testserver" if "testserver" in settings.ALLOWED_HOSTS or not hosts else hosts[0]
    client = Client(SERVER_NAME=server)
    client.force_login(user)
    return client


def _measure(client: Client, label: str, url: str, runs: int) -> Scenario:
    """One warm-up request, one counted from an empty query log (on one connection), then
    ``runs`` timed with the settings' connections (fewer,
    but at least three, when a request takes so long that they would exceed a minute)."""
    client.get(url, secure=True)
    reset_queries()
    began = time.perf_counter()
    # Counted on one connection: with several (oppfolging.indicators.parallel) each thread's
    # queries go to its own connection's log. The timed requests below use them all.
    with override_settings(INDICATOR_CONNECTIONS=1), CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    counted = len(queries)  # now: a later request may empty the log the context reads from
    if response.status_code != 200:
        raise CommandError(f"{label}: {url} answered {response.status_code}")
    seconds = time.perf_counter() - began
    timings = []
    for _run in range(max(3, min(runs, int(PAGE_BUDGET_S / max(seconds, 0.001))))):
        began = time.perf_counter()
        client.get(url, secure=True)
        timings.append((time.perf_counter() - began) * 1000)
    return Scenario(
        label=label,
        url=url,
        status=response.status_code,
        queries=counted,
        kib=len(response.content) / 1024,
        median_ms=statistics.median(timings),
        p90_ms=p90(timings),
    )


def _url(name: str, params: dict[str, str]) -> str | None:
    try:
        path = reverse(name)
    except NoReverseMatch:
        return None
    from urllib.parse import urlencode

    return f"{path}?{urlencode(params)}" if params else path


def measure(*, end: datetime.date, runs: int) -> tuple[list[Scenario], list[IndicatorTime]]:
    """The pages as the municipality's leader, and each indicator on its own."""
    import oppfolging.indicators.definitions  # noqa: F401 - registers every indicator

    with unscoped():
        municipality = Municipality.objects.get(number=NUMBER)
        leader = User.objects.get(username=f"syn{NUMBER}-leder")
        mental = (
            Unit.objects.filter(municipality=municipality, kind=UnitKind.MENTAL_HEALTH).order_by("pk").first()
        )
    # Each request would empty the query log as it starts, and a full log (it keeps the last
    # 9000 statements) would count nothing: start from an empty one and keep it.
    request_started.disconnect(reset_queries)
    client = _client(leader)
    start, last = long_window(end)
    months = {"start": f"{start:%Y-%m}", "end": f"{last:%Y-%m}", "step": Step.MONTH}
    pages: list[tuple[str, str, dict[str, str]]] = [
        ("dashboard, last 4 quarters (default)", "indicators:dashboard", {}),
        ("dashboard, 36 months by month", "indicators:dashboard", months),
        (
            "dashboard, unit: mental health",
            "indicators:dashboard",
            {"unit": str(mental.uuid)} if mental else {},
        ),
        ("dashboard, group: frail elderly", "indicators:dashboard", {"group": TargetGroup.FRAIL_ELDERLY}),
        ("dashboard, group: mental health", "indicators:dashboard", {"group": TargetGroup.MENTAL_HEALTH}),
        ("report page (default)", "indicators:report", {}),
        ("CSV export (default)", "indicators:csv", {}),
    ]
    scenarios = []
    for label, name, params in pages:
        url = _url(name, params)
        if url is not None:
            scenarios.append(_measure(client, label, url, runs))
    times = []
    today = timezone.localdate()
    from oppfolging.indicators.selectors import default_period

    windows = {
        "default": Window.of(*default_period(today), Step.QUARTER),
        "36 months": Window.of(start, last, Step.MONTH),
    }
    scope = Scope(municipality.pk, today=today)
    with municipality_scope(municipality):
        for window_label, window in windows.items():
            for item in indicators():
                item.run(scope, window)
                reset_queries()
                began = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    item.run(scope, window)
                timings = []
                for _run in range(3 if time.perf_counter() - began < 1 else 1):
                    began = time.perf_counter()
                    item.run(scope, window)
                    timings.append((time.perf_counter() - began) * 1000)
                times.append(IndicatorTime(item.key, window_label, len(queries), statistics.median(timings)))
    request_started.connect(reset_queries)
    return scenarios, times


class Command(BaseCommand):
    help = "Build «Indikator kommune» with N persons in the pathway (once) and time the leaders' dashboard."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=3000, help="persons in the pathway (default 3000)")
        parser.add_argument(
            "--end", type=datetime.date.fromisoformat, help="last day of the history (default today)"
        )
        parser.add_argument("--runs", type=int, default=10, help="timed requests per page (default 10)")
        parser.add_argument("--build-only", action="store_true", help="build if needed, do not measure")
        parser.add_argument("--json", type=Path, help="also write the figures to this file")
        parser.add_argument("--yes", action="store_true", help="run even where the safety checks refuse")

    def handle(self, *args: Any, **options: Any) -> None:
        reason = refusal()
        if reason and not options["yes"]:
            raise CommandError(f"Refusing to write benchmark data: {reason} Use --yes to run anyway.")
        try:
            Municipality.objects.exists()
        except DatabaseError as exc:
            raise CommandError(f"The database is not ready ({exc}); run `manage.py migrate` first.") from exc
        persons, end = options["persons"], options["end"] or timezone.localdate()
        municipality = bench.ensure_municipality(NUMBER, NAME)
        with unscoped():
            present = Person.all_tenants.filter(municipality=municipality).count()
        out: dict[str, Any] = {
            "database": f"{connection.vendor} {connection.settings_dict['NAME']}",
            "persons": persons,
            "end": end.isoformat(),
        }
        if present == 0:
            built = bench.build(municipality, persons=persons, end=end, years=YEARS, seed=SEED, analyze=True)
            out["build_seconds"] = built.seconds
            self.stderr.write(f"Built {persons} persons in {built.seconds:.1f} s.")
        elif present != persons:
            raise CommandError(f"{NAME} has {present} persons, not {persons}: use a fresh database.")
        out["rows"] = row_counts()
        if not options["build_only"]:
            scenarios, times = measure(end=end, runs=max(1, options["runs"]))
            out["scenarios"] = [asdict(s) for s in scenarios]
            out["indicators"] = [asdict(t) for t in times]
        if options["json"]:
            options["json"].write_text(json.dumps(out, indent=1), encoding="utf-8")
        else:
            self.stdout.write("\n".join(report([out])))


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def report(results: list[dict[str, Any]]) -> list[str]:
    """The figures of one or more sizes side by side (plain Python: the two-size script prints
    with it too)."""
    lines: list[str] = []
    sizes = [_number(r["persons"]) + " persons" for r in results]
    width = max(16, *(len(s) for s in sizes))
    lines.append("Database(s): " + "; ".join(r["database"] for r in results))
    lines.append("")
    lines.append(f"{'rows per table':<38}" + "".join(f"{s:>{width + 2}}" for s in sizes))
    for label in results[0]["rows"]:
        lines.append(
            f"{label:<38}" + "".join(f"{_number(r['rows'].get(label, 0)):>{width + 2}}" for r in results)
        )
    builds = []
    for r in results:
        seconds = r.get("build_seconds")
        text = "-" if seconds is None else f"{seconds:.0f} s"
        builds.append(f"{text} (cached)" if r.get("reused") else text)
    lines.append(f"{'build':<38}" + "".join(f"{b:>{width + 2}}" for b in builds))
    if "scenarios" not in results[0]:
        return lines
    lines.append("")
    head = "".join(f"{s:>{width + 2}}" for s in sizes)
    lines.append(f"{'page (queries; median / p90 ms)':<38}{head}")
    by_label = [{s["label"]: s for s in r["scenarios"]} for r in results]
    for label in by_label[0]:
        cells = []
        for found in by_label:
            s = found.get(label)
            cells.append(f"{s['queries']}; {s['median_ms']:.0f} / {s['p90_ms']:.0f}" if s else "-")
        lines.append(f"{label:<38}" + "".join(f"{c:>{width + 2}}" for c in cells))
    lines.append("")
    lines.append(
        "slowest indicators, each on its own (whole municipality; ms, median of 3 runs, 1 if over 1 s):"
    )
    for r in results:
        windows: dict[str, list[dict[str, Any]]] = {}
        for t in r["indicators"]:
            windows.setdefault(t["window"], []).append(t)
        for window, times in windows.items():
            ranked = sorted(times, key=lambda t: -t["median_ms"])
            total = sum(t["median_ms"] for t in times)
            slowest = ", ".join(f"{t['key']} {t['median_ms']:.0f}" for t in ranked[:6])
            size = _number(r["persons"])
            lines.append(f"  {size} persons, {window}: all {len(times)} together {total:.0f} ms; {slowest}")
    lines.append("")
    main = "dashboard, last 4 quarters (default)"
    largest = results[-1]
    page = by_label[-1].get(main)
    if page:
        verdict = "met" if page["p90_ms"] < TARGET_MS else "NOT met"
        lines.append(
            f"Target 1, under 1 s at {_number(largest['persons'])} persons: {verdict} "
            f"(p90 {page['p90_ms']:.0f} ms for the default dashboard; slowest page p90 "
            f"{max(s['p90_ms'] for s in largest['scenarios']):.0f} ms)."
        )
    if len(results) > 1:
        counts = {
            label: {found[label]["queries"] for found in by_label if label in found} for label in by_label[0]
        }
        same = all(len(values) == 1 for values in counts.values())
        lines.append(
            "Target 2, the same number of queries at every size: "
            + (
                "met (every page)."
                if same
                else "NOT met: " + ", ".join(k for k, v in counts.items() if len(v) > 1)
            )
        )
        small, big = by_label[0].get(main), by_label[-1].get(main)
        if small and big:
            lines.append(
                f"Time ratio, default dashboard at {_number(results[-1]['persons'])} / "
                f"{_number(results[0]['persons'])} persons: {big['median_ms'] / small['median_ms']:.2f}x "
                f"(data {results[-1]['persons'] / results[0]['persons']:.0f}x)."
            )
    return lines

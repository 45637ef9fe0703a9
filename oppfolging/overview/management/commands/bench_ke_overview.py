"""``manage.py bench_ke_overview --persons 5000``: build «Benchmark kommune» in the current
database and measure the KE overview (see :mod:`oppfolging.overview.bench`).

It writes thousands of rows, so it refuses to run unless DEBUG is on and the database is a
throwaway one — an SQLite file under var/ or /tmp, or a PostgreSQL database whose name contains
"bench" — or ``--yes`` says the operator knows what they are doing. Nothing is ever deleted (the
audit rows the page writes cannot be): drop the database afterwards.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

from oppfolging.core.models import Municipality
from oppfolging.overview import bench


def refusal() -> str | None:
    """Why this database is not one to fill with benchmark data, or ``None``."""
    if not settings.DEBUG:
        return "DEBUG is off: this looks like a real installation."
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        path = Path(name).resolve()
        allowed = [Path(settings.VAR_DIR).resolve(), Path("/tmp").resolve()]  # noqa: S108
        # An in-memory database (the tests' "file:memorydb_…?mode=memory") is no file at all,
        # whatever folder its name would resolve against.
        in_memory = name == ":memory:" or name.startswith("file:") or "mode=memory" in name
        if in_memory or not any(path.is_relative_to(root) for root in allowed):
            return f"the SQLite database {name} is not a file under var/ or /tmp."
        return None
    if connection.vendor == "postgresql":
        return None if "bench" in name else f'the PostgreSQL database "{name}" has no "bench" in its name.'
    return f"{connection.vendor} is not a database this benchmark knows."


class Command(BaseCommand):
    help = "Build «Benchmark kommune» with N persons in the pathway and time the KE overview."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=5000, help="persons in the pathway (default 5000)")
        parser.add_argument("--runs", type=int, default=20, help="timed requests per scenario (default 20)")
        parser.add_argument("--yes", action="store_true", help="run even where the safety checks refuse")

    def handle(self, *args: Any, **options: Any) -> None:
        reason = refusal()
        if reason and not options["yes"]:
            raise CommandError(f"Refusing to write benchmark data: {reason} Use --yes to run anyway.")
        try:
            Municipality.objects.exists()
        except DatabaseError as exc:
            raise CommandError(f"The database is not ready ({exc}); run `manage.py migrate` first.") from exc
        persons, runs = options["persons"], max(1, options["runs"])
        database = f"{connection.vendor} {connection.settings_dict['NAME']}"
        self.stdout.write(f"Database: {database}")
        started = time.perf_counter()
        before, now = bench.build(persons=persons)
        built = time.perf_counter() - started
        if now > before:
            self.stdout.write(f"Built {now - before} persons in the pathway in {built:.1f} s ({now} in all).")
        else:
            self.stdout.write(f"Benchmark kommune already has {now} persons; nothing added.")
        results = bench.measure(runs=runs)
        self.stdout.write(f"\nKE overview, {now} persons in the pathway, {runs} timed requests per row:\n")
        header = f"{'scenario':<36} {'matching':>8} {'rows':>5} {'queries':>7} {'median ms':>9} {'p90 ms':>7}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in results:
            self.stdout.write(
                f"{r.label:<36} {r.total:>8} {r.rows:>5} {r.queries:>7} {r.median_ms:>9.1f} {r.p90_ms:>7.1f}"
            )
        slowest = max(r.p90_ms for r in results)
        fewest, most = min(r.queries for r in results), max(r.queries for r in results)
        verdict = "meets" if slowest < 1000 else "MISSES"
        self.stdout.write(
            f"\nTarget under 1 s a page: {verdict} it (slowest p90 {slowest:.0f} ms). "
            f"Queries per page: {fewest}-{most} (a unit filter adds one, an empty page runs two fewer); "
            "run with another --persons to see that they do not grow."
        )

"""``manage.py risk_synthetic --persons N --out DIR [--format parquet|csv] [--seed S] [--years 2]
[--end DATE]``: write a synthetic extract (invented persons, synthetic identity numbers) to DIR.

Deterministic: the same persons, seed, years and end date give the same files. Without
``--end`` the history ends yesterday, so a batch scored today sees all of it (pass ``--end`` for
files that are the same tomorrow). What the population rests on: ``oppfolging/risk/synthetic.py``
and docs/risk-model.md.
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oppfolging.risk import synthetic
from oppfolging.risk.extract import write_extract


class Command(BaseCommand):
    help = "Write a synthetic population extract (invented persons, about 20 events each) to a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, required=True, help="How many persons.")
        parser.add_argument("--out", type=Path, required=True, help="The folder to write the tables to.")
        parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (the same seed, the same files)."
        )
        parser.add_argument(
            "--years", type=int, default=2, help="Years of history (two: fit on one, test on the next)."
        )
        parser.add_argument(
            "--end",
            type=datetime.date.fromisoformat,
            default=None,
            help="Last day of the history (YYYY-MM-DD); default yesterday.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["persons"] < 1 or options["years"] < 1:
            raise CommandError("--persons and --years must be at least 1")
        started = time.perf_counter()
        end = options["end"] or synthetic.default_end()
        extract = synthetic.generate(
            options["persons"], seed=options["seed"], years=options["years"], end=end
        )
        written = write_extract(extract, options["out"], format=options["format"])
        rows = synthetic.expected_rows(extract)
        events = sum(rows.values()) - rows["persons"]
        self.stdout.write(
            f"{rows['persons']} persons, {events} events ({events / rows['persons']:.1f} per person), "
            f"history to {end.isoformat()}, {len(written)} files in {options['out']} "
            f"({time.perf_counter() - started:.1f} s)"
        )

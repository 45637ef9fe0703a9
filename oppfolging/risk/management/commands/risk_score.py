"""``manage.py risk_score [--extract DIR] [--as-of DATE] [--model ID] [--municipality NUMBER]
[--threshold 0.15]``: score a municipality's whole population (oppfolging/risk/batch.py).

Reads the extract folder (CSV or Parquet per table), or the risk tables in the database when no
``--extract`` is given; scores with the given approved model version, else the municipality's
approved fitted model, else the shipped default; writes every person's scores to a Parquet file
under RISK_STORE_DIR and the persons at or above the threshold or with a flag to the batch's list
beside it (which the work-lists read), and stores the batch and its pyramid in the database. A
progress bar goes to stderr.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oppfolging.core.models import Municipality
from oppfolging.core.tenancy import unscoped
from oppfolging.risk.batch import DEFAULT_THRESHOLD, model_for, run_batch
from oppfolging.risk.early import scoring_date
from oppfolging.risk.extract import ExtractError
from oppfolging.risk.models import RiskModelVersion


class Command(BaseCommand):
    help = "Score a municipality's population from an extract (or the database) and store the batch."
    # The system checks import every view (and scikit-learn with the model pages): seconds that
    # a batch does not need. ``manage.py check`` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--extract", type=Path, default=None, help="Extract folder; default: the database."
        )
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="Scoring date (YYYY-MM-DD); default today.",
        )
        parser.add_argument("--model", type=int, default=None, help="Id of an approved model version.")
        parser.add_argument(
            "--municipality", default=None, help="Kommunenummer; needed when there are several."
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help="List persons with at least this admission risk (and all flagged) for the work-lists.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = options["threshold"]
        if not 0 <= threshold <= 1:
            raise CommandError("--threshold must be between 0 and 1")
        with unscoped():
            municipality = self._municipality(options["municipality"])
            try:
                version = model_for(municipality, options["model"])
            except RiskModelVersion.DoesNotExist as exc:
                raise CommandError(
                    f"no approved model version {options['model']} for {municipality}"
                ) from exc
            folder = options["extract"]
            if folder is not None and not folder.is_dir():
                raise CommandError(f"not a folder: {folder}")
            as_of = options["as_of"] or scoring_date(None)
            try:
                result = run_batch(
                    municipality=municipality,
                    extract=folder,
                    as_of=as_of,
                    version=version,
                    threshold=threshold,
                    progress=not options["no_progress"] and options["verbosity"] > 0,
                    stream=sys.stderr,
                )
            except ExtractError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{municipality.name}: model {version.name} (nr. {version.number}), "
            f"{as_of.isoformat()}: {result.line()}"
        )
        self.stdout.write(f"persons: {result.persons}")
        self.stdout.write(f"seconds: {result.seconds:.2f}")
        self.stdout.write(f"persons/s: {result.persons_per_second:.0f}")
        self.stdout.write(f"listed: {result.listed}")
        self.stdout.write(f"file: {result.path}")
        if options["verbosity"] > 1:
            for stage, seconds in result.timings.items():
                self.stdout.write(f"  {stage}: {seconds:.2f} s")

    def _municipality(self, number: str | None) -> Municipality:
        if number:
            try:
                return Municipality.objects.get(number=number)
            except Municipality.DoesNotExist as exc:
                raise CommandError(f"no municipality with number {number}") from exc
        candidates = list(Municipality.objects.all()[:2])
        if len(candidates) != 1:
            raise CommandError("--municipality NUMBER is needed (there is not exactly one municipality)")
        return candidates[0]

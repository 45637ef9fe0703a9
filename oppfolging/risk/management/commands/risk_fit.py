"""``manage.py risk_fit --extract DIR --municipality NUMBER [--year-end DATE] [--user USERNAME]``:
fit the admission-risk model on a municipality's history and store it as a *proposed* version.

The extract needs two years: features are taken as of ``--year-end`` and the outcome (an
emergency admission) from the 12 months after. Without ``--year-end`` it is the day one year
before the extract's last contact, so the outcome year is covered in full. The figures for the
fitted and the shipped default model on the same held-out persons are printed; the version is
used only after KE or the coordinating unit's leader approves it on the model page (another
person than ``--user``).
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oppfolging.access.actor import Actor, resolve_actor
from oppfolging.accounts.models import User
from oppfolging.core.models import Municipality
from oppfolging.core.tenancy import unscoped
from oppfolging.risk import fitting
from oppfolging.risk.extract import read_extract
from oppfolging.risk.model_services import DEFAULT_SEED, model_fit_and_propose


def _one_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def format_metrics(label: str, metrics: dict[str, Any]) -> list[str]:
    """The figures of one model as printed lines."""
    low, high = metrics["c_statistic_ci"]
    slope = metrics.get("calibration_slope")
    intercept = metrics.get("calibration_intercept")
    lines = [
        f"{label}:",
        f"  c-statistic  {metrics['c_statistic']:.3f}  (95 % CI {low:.3f}-{high:.3f})",
        f"  Brier score  {metrics['brier']:.4f}"
        f"  (predicting the rate for all: {metrics['brier_reference']:.4f})",
        f"  mean predicted {metrics['mean_predicted']:.2%}, observed {metrics['observed_rate']:.2%}"
        f" ({metrics['events']} of {metrics['n']})",
        f"  calibration slope {slope:.2f}, intercept {intercept:.2f}"
        if slope is not None and intercept is not None
        else "  calibration slope/intercept: not estimable",
        "  decile        n   predicted   observed",
    ]
    lines += [
        f"  {row['decile']:>6} {row['n']:>8} {row['mean_predicted']:>10.2%} {row['observed']:>10.2%}"
        for row in metrics["deciles"]
    ]
    return lines


class Command(BaseCommand):
    help = "Fit the admission-risk model on an extract with two years of history; store it as proposed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--extract", required=True, type=Path, help="Folder with the extract's tables.")
        parser.add_argument("--municipality", required=True, help="Municipality number (4 digits).")
        parser.add_argument(
            "--year-end",
            type=datetime.date.fromisoformat,
            default=None,
            help="Features as of this date (YYYY-MM-DD), outcome in the 12 months after it.",
        )
        parser.add_argument("--user", default=None, help="Username of the person fitting (KE or leader).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Seed of the 70/30 split.")

    def handle(self, *args: Any, **options: Any) -> None:
        with unscoped():
            municipality = Municipality.objects.filter(number=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"No municipality with number {options['municipality']}.")
            actor = Actor(user=None, municipality=municipality)
            if options["user"]:
                user = User.objects.filter(username=options["user"], is_active=True).first()
                if user is None:
                    raise CommandError(f"No active user {options['user']}.")
                actor = resolve_actor(user)
            path: Path = options["extract"]
            if not path.is_dir():
                raise CommandError(f"{path} is not a folder.")
            started = time.perf_counter()
            extract = read_extract(path)
            year_end = options["year_end"] or self._default_year_end(extract)
            self.stdout.write(
                f"Fitting on {path}, features as of {year_end}, outcome to {fitting.one_year_after(year_end)}"
            )
            try:
                version = model_fit_and_propose(
                    actor=actor,
                    municipality=municipality,
                    extract=extract,
                    year_end=year_end,
                    seed=options["seed"],
                    label=path.name,
                )
            except fitting.FitError as exc:
                raise CommandError(str(exc)) from exc
            except PermissionDenied as exc:
                raise CommandError(
                    f"{options['user']} is not KE staff or a leader in {municipality.name}."
                ) from exc
        metrics = version.metrics
        seconds = time.perf_counter() - started
        train = metrics["train"]
        self.stdout.write(
            f"{train['n']} persons fitted on ({train['events']} admitted), "
            f"{metrics['fitted']['n']} held out, in {seconds:.1f} s"
        )
        for line in format_metrics("Fitted model (held-out 30 %)", metrics["fitted"]):
            self.stdout.write(line)
        for line in format_metrics("Shipped default weights (same persons)", metrics["default"]):
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Stored as proposed model version {version.number} ({version.uuid}) "
                f"for {municipality.name}. "
                "It is used once approved on the model page by KE or the coordinating unit's leader."
            )
        )

    @staticmethod
    def _default_year_end(extract: Any) -> datetime.date:
        last = extract.contacts.select(pl.col("date").max()).collect().item()
        if last is None:
            raise CommandError("The extract has no contacts, so no outcome year; give --year-end.")
        return _one_year_before(last)

"""``manage.py risk_import PATH --municipality 9901 [--format auto|csv|parquet|fhir]``: read an
extract (a folder of CSV/Parquet tables, one table file, or FHIR Bundles/NDJSON) into the
municipality's risk tables. Prints what was stored, or every error with file, line and reason
(exit code 1, and nothing stored). The format is in docs/risk-import-format.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oppfolging.accounts.models import User
from oppfolging.core.models import Municipality
from oppfolging.risk.importing import import_extract


class Command(BaseCommand):
    help = "Import a risk extract (CSV, Parquet or FHIR R4) for one municipality."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a folder with the tables, one table file, or FHIR files")
        parser.add_argument("--municipality", required=True, help="the municipality's number (four digits)")
        parser.add_argument("--format", choices=["auto", "csv", "parquet", "fhir"], default="auto")
        parser.add_argument(
            "--user", default=None, help="username of the person importing (for the audit log)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(number=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with number {options['municipality']}.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']}.")
        result = import_extract(
            municipality=municipality, path=options["path"], actor=actor, format=options["format"]
        )
        lines = result.lines()
        if not result.ok:
            for line in lines[1:]:
                self.stderr.write(line)
            raise CommandError(lines[0], returncode=1)
        for line in lines:
            self.stdout.write(line)

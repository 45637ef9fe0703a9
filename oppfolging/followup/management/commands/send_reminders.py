"""``manage.py send_reminders``: the scheduled reminder job (see README, "Reminders in
production"). Safe to run as often as wanted and on several machines: what was sent is recorded
and never sent again."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oppfolging.followup.reminder_services import send_reminders


class Command(BaseCommand):
    help = "Send due and overdue evaluation reminders and minutes reminders (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Run as if today were this date (YYYY-MM-DD); for testing and catching up.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = send_reminders(today=options["today"])
        self.stdout.write(summary.line())

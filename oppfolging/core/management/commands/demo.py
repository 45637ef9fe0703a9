from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oppfolging.core.demo import DemoNotAllowedError, demo_is_loaded, load_demo
from oppfolging.core.tenancy import unscoped


class Command(BaseCommand):
    help = "Load the demo municipalities, users and persons (only into a database without them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--per-from-start",
            action="store_true",
            help="Leave Per untouched (no report, team or plan), to walk his story from the start.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with unscoped():
            if demo_is_loaded():
                self.stdout.write("The demo is already loaded; nothing changed.")
                return
        try:
            logins = load_demo(per_from_start=options["per_from_start"])
        except DemoNotAllowedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {len(logins)} users."))

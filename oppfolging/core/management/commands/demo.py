from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oppfolging.core.demo import DemoNotAllowedError, demo_is_loaded, load_demo
from oppfolging.core.tenancy import unscoped


class Command(BaseCommand):
    help = "Load the demo municipalities, users and persons (only into a database without them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--per-at",
            choices=["plan", "team", "start"],
            default="plan",
            help=(
                "How far Per's story has come: mid-way through his plan (default), his team in place "
                "and no plan (steps 1-5 of the acceptance scenario), or untouched."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with unscoped():
            if demo_is_loaded():
                self.stdout.write("The demo is already loaded; nothing changed.")
                return
        try:
            logins = load_demo(per_stage=options["per_at"])
        except DemoNotAllowedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {len(logins)} users."))

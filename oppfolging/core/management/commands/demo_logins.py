from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oppfolging.core.demo import demo_logins


class Command(BaseCommand):
    help = "Print every demo user with password, role, unit and municipality."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        if options["json"]:
            self.stdout.write(json.dumps([asdict(login) for login in logins], ensure_ascii=False, indent=2))
            return
        if not logins:
            self.stdout.write("No demo users. Run: python manage.py demo")
            return
        self.stdout.write(f"Password for every demo user: {logins[0].password}\n")
        for login in logins:
            roles = ", ".join(login.roles) or "(no role)"
            self.stdout.write(f"  {login.username:<24} {roles:<32} {login.municipality}")

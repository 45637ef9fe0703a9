"""``manage.py indicators_doc``: rewrite docs/indicators.md from the registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from oppfolging.indicators.docs import render


class Command(BaseCommand):
    help = "Write docs/indicators.md from the indicator definitions."

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(settings.BASE_DIR) / "docs" / "indicators.md"
        target.write_text(render(), encoding="utf-8")
        self.stdout.write(f"wrote {target}")

"""docs/indicators.md is the registry's own words: regenerate it when a definition changes."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from oppfolging.indicators.base import indicators
from oppfolging.indicators.docs import render


def test_the_reference_page_is_current() -> None:
    page = Path(settings.BASE_DIR) / "docs" / "indicators.md"
    assert page.read_text(encoding="utf-8") == render(), "run: python manage.py indicators_doc"


def test_every_indicator_is_fully_defined() -> None:
    keys = [item.key for item in indicators()]
    assert len(keys) == len(set(keys))
    for item in indicators():
        for text in (item.name, item.definition, item.numerator, item.source):
            assert str(text).strip(), item.key

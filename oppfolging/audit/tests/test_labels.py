"""Every kind of audit row the code writes reads in words in the access log."""

from __future__ import annotations

import re
from pathlib import Path

from oppfolging.audit.models import WHAT_LABELS

PACKAGE = Path(__file__).resolve().parents[2]


def test_every_what_written_by_the_code_has_a_label():
    written = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        written.update(re.findall(r'what="([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert written, "the pattern found nothing: the test would prove nothing"
    assert written - set(WHAT_LABELS) == set()

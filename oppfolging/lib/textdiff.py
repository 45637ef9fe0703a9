"""Word-level differences between two texts, for showing what changed in a plan's text between two
versions. Django-free: the template marks the pieces up itself (``<del>`` / ``<ins>``), so the
escaping stays with the template engine; :func:`to_html` is for callers without one.

The texts are split into words *and* the whitespace between them, so that joining the pieces gives
back each text exactly: a reader sees the old text with its deletions marked and the new text
with its insertions marked, line breaks and all.
"""

from __future__ import annotations

import difflib
import html
import re
from typing import Literal

Op = Literal["equal", "delete", "insert"]
Segment = tuple[Op, str]

_TOKENS = re.compile(r"\s+|\S+")


def tokens(text: str) -> list[str]:
    """Words and the runs of whitespace between them, in order; ``"".join`` gives ``text``."""
    return _TOKENS.findall(text)


def _append(segments: list[Segment], op: Op, text: str) -> None:
    if not text:
        return
    if segments and segments[-1][0] == op:
        segments[-1] = (op, segments[-1][1] + text)
    else:
        segments.append((op, text))


def diff_words(before: str, after: str) -> list[Segment]:
    """What turns ``before`` into ``after``, word by word: runs of equal, deleted and inserted
    text. A replaced run is a deletion followed by an insertion. Whitespace that only separates
    two changed words is folded into the change, so a changed phrase reads as one piece."""
    old, new = tokens(before or ""), tokens(after or "")
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in _merged_opcodes(matcher, old):
        if tag == "equal":
            _append(segments, "equal", "".join(old[i1:i2]))
            continue
        _append(segments, "delete", "".join(old[i1:i2]))
        _append(segments, "insert", "".join(new[j1:j2]))
    return segments


Opcode = tuple[str, int, int, int, int]


def _merged_opcodes(matcher: difflib.SequenceMatcher[str], old: list[str]) -> list[Opcode]:
    """The matcher's opcodes with every change as one "replace", and an equal run of whitespace
    alone between two changes merged into them ("a b c" → "x y z" reads as one replacement, not
    three)."""
    codes = matcher.get_opcodes()
    merged: list[Opcode] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(codes):
        between_changes = 0 < index < len(codes) - 1
        is_gap = tag == "equal" and between_changes and not "".join(old[i1:i2]).strip()
        if tag == "equal" and not is_gap:
            merged.append(("equal", i1, i2, j1, j2))
        elif merged and merged[-1][0] == "replace":
            _tag, a1, _a2, b1, _b2 = merged[-1]
            merged[-1] = ("replace", a1, i2, b1, j2)
        else:
            merged.append(("replace", i1, i2, j1, j2))
    return merged


def before_side(segments: list[Segment]) -> list[Segment]:
    """The old text: what stayed and what was deleted."""
    return [segment for segment in segments if segment[0] != "insert"]


def after_side(segments: list[Segment]) -> list[Segment]:
    """The new text: what stayed and what was inserted."""
    return [segment for segment in segments if segment[0] != "delete"]


def to_html(segments: list[Segment]) -> str:
    """The segments as escaped HTML with ``<del>`` and ``<ins>`` around the changes."""
    parts = []
    for op, text in segments:
        escaped = html.escape(text)
        if op == "delete":
            parts.append(f"<del>{escaped}</del>")
        elif op == "insert":
            parts.append(f"<ins>{escaped}</ins>")
        else:
            parts.append(escaped)
    return "".join(parts)

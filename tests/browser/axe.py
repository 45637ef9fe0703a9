"""axe-core in the page under test, and a readable account of what it finds.

How axe gets into the page: ``page.evaluate(source)``, not a script tag and not ``bypass_csp``.
The app sends ``script-src 'self'``, so ``page.add_script_tag`` (which inserts the file's text as
an inline script, even with ``path=``) is refused by the page's own policy. ``bypass_csp=True``
would get it in, but it switches the policy off for the whole context, and these tests also watch
for Content-Security-Policy violations: with the policy off, an inline script in a template would
no longer be refused, so it would never be reported. Evaluation through the DevTools protocol
is not subject to the page's policy, so the page keeps its real policy and axe still runs.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": WCAG_21_AA},
    "resultTypes": ["violations"],
}


@functools.cache
def axe_source() -> str:
    if not AXE_JS.is_file():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `npm ci` (axe-core is a devDependency)")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe with the WCAG 2.1 A and AA rules on the page as it is now; its violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    results: dict[str, Any] = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
    violations: list[dict[str, Any]] = results["violations"]
    return violations


def _target(node: dict[str, Any]) -> str:
    # A target lists one selector per frame (" >> " here); a selector that is itself a list steps
    # into shadow roots (" >>> " here).
    return " >> ".join(
        " >>> ".join(part) if isinstance(part, list) else str(part) for part in node.get("target", [])
    )


def _one_line(summary: str) -> str:
    """axe's "Fix any of the following:\n  reason\n  reason\n\nFix all of the following:\n  reason"
    as "Fix any of the following: reason; reason | Fix all of the following: reason"."""
    groups: list[list[str]] = []
    for line in (raw.strip() for raw in summary.splitlines()):
        if not line:
            continue
        if line.endswith(":") or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    return " | ".join(f"{group[0]} {'; '.join(group[1:])}".strip() for group in groups)


def describe(violations: list[dict[str, Any]]) -> str:
    """One block per rule: id, impact, help and its link, then each element: its selector, the
    start of its HTML, and what axe says is wrong with it."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact') or 'no impact'}] {violation['help']}"
            f"\n    {violation.get('helpUrl', '')}"
        )
        for node in violation.get("nodes", []):
            lines.append(f"    * {_target(node)}")
            html = " ".join(str(node.get("html", "")).split())
            if html:
                lines.append(f"        {html[:160]}{'…' if len(html) > 160 else ''}")
            summary = _one_line(node.get("failureSummary") or "")
            if summary:
                lines.append(f"        {summary}")
    return "\n".join(lines)

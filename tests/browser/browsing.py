"""Debian's Chromium as Playwright drives it, and a test's view of it: fresh contexts, and what
their pages wrote to the console (a Content-Security-Policy violation shows there)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page

from tests.browser.server import BrowserServer

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright never downloads a browser here
# Root in a container: no sandbox, no GPU, no /dev/shm; and nothing that reaches the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
LOCALE = "nb-NO"  # the people who use it; headless Chromium would otherwise ask for English
TIMEOUT_MS = 15_000


@dataclass
class Browsing:
    """One test's browser contexts (a fresh one per login, so no cookie carries over), and every
    console line their pages wrote."""

    browser: Browser
    server: BrowserServer
    console: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    def new_page(self, viewport: dict[str, int] = DESKTOP) -> Page:
        context = self.browser.new_context(
            base_url=self.server.url,
            viewport={"width": viewport["width"], "height": viewport["height"]},
            locale=LOCALE,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", self._record_console)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", self._record_page_error)
        return page

    def _record_console(self, message: ConsoleMessage) -> None:
        location = message.location.get("url", "")
        self.console.append(f"[{message.type}] {message.text}" + (f" ({location})" if location else ""))

    def _record_page_error(self, error: Error) -> None:
        self.console.append(f"[pageerror] {error.message}")

    def console_errors(self) -> list[str]:
        return [line for line in self.console if line.startswith(("[error]", "[pageerror]"))]

    def csp_violations(self) -> list[str]:
        return [line for line in self.console if "Content Security Policy" in line]

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()

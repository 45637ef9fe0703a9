"""Post a page's form as a browser would: every field with its current value (hidden versions,
initial dates, checked boxes, selected options), then the user's own changes on top."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": {}, "multi": {}}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields, name = self._form["fields"], a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["multi"].setdefault(name, []).append(a.get("value", "on"))
                return
            fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self._first_option = None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                fields.setdefault(self._select, value)
            if "selected" in a:
                fields[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data


def form_data(html: str, action_contains: str = "", page_url: str = "") -> dict[str, Any]:
    """The values a browser would send from the first form whose action contains
    ``action_contains`` (checkbox groups as lists); a form without an action posts to
    ``page_url``."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if action_contains in (form["action"] or page_url):
            data: dict[str, Any] = dict(form["fields"])
            for name, values in form["multi"].items():
                data[name] = values if len(values) > 1 else values[0]
            return data
    raise AssertionError(f"no form with action containing {action_contains!r}")


def fill(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Set fields by the end of their name (``text`` sets ``goal-new-text``); ``None`` unticks."""
    out = dict(data)
    for suffix, value in changes.items():
        names = [name for name in out if name == suffix or name.endswith("-" + suffix)]
        if not names:
            names = [suffix]
        for name in names:
            if value is None:
                out.pop(name, None)
            else:
                out[name] = value
    return out

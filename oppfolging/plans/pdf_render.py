"""The printed plan as HTML and as PDF. The HTML is rendered in the person's language (bokmål
or nynorsk) and carries its own print stylesheet, so WeasyPrint needs nothing from outside: the
URL fetcher it is given refuses every URL, and a plan can never make the server fetch one."""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import NoReturn

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from oppfolging.plans.pdf import PlanDocument

TEMPLATE = "plans/pdf/plan.html"

# WeasyPrint subsets fonts with fontTools and, while it does, lowers the "fontTools" logger to
# DEBUG to catch its warnings; every table fontTools touches would then reach the server's log
# through the root logger (dozens of lines per PDF). Only warnings are of interest.
for _name in ("fontTools.subset", "fontTools.ttLib"):
    logging.getLogger(_name).setLevel(logging.WARNING)


class ExternalResourceRefusedError(ValueError):
    pass


def refuse_url(url: str, *args: object, **kwargs: object) -> NoReturn:
    """WeasyPrint's URL fetcher: the document is self-contained, so any URL (an image or a
    stylesheet a text smuggled in, a file: path) is refused rather than fetched."""
    raise ExternalResourceRefusedError(f"The plan's PDF fetches no resources: {url[:80]}")


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return f'"{escaped}"'


def _page_css(document: PlanDocument) -> SafeString:
    """The page margins' content: who the plan is for and when and by whom it was printed, and
    "page n of m" — CSS strings, since margin boxes take no HTML."""
    printed = date_format(timezone.localtime(document.printed_at), "DATE_FORMAT")
    footer = _("Individuell plan for %(name)s. Skrevet ut %(date)s av %(by)s.") % {
        "name": document.person.full_name,
        "date": printed,
        "by": document.printed_by,
    }
    # "Side 2 av 5": the numbers are CSS counters, spliced between the translated words.
    marker_page, marker_pages = "\x00PAGE\x00", "\x00PAGES\x00"
    pages = css_string(_("Side %(page)s av %(pages)s") % {"page": marker_page, "pages": marker_pages})
    pages = pages.replace(marker_page, '" counter(page) "').replace(marker_pages, '" counter(pages) "')
    return mark_safe(  # noqa: S308 - both parts are escaped by css_string
        f"@page {{ @bottom-left {{ content: {css_string(footer)}; }} @bottom-right {{ content: {pages}; }} }}"
    )


def render_html(document: PlanDocument) -> str:
    """The document as HTML in the person's language (``lang`` on the root element)."""
    with translation.override(document.language):
        return render_to_string(TEMPLATE, {"doc": document, "page_css": _page_css(document)})


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    pdf: bytes = HTML(string=html, url_fetcher=refuse_url, media_type="print").write_pdf()
    return pdf


_ASCII = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "a", "Å": "A", "ß": "ss"})


def ascii_slug(text: str) -> str:
    """A file-name-safe ASCII form of a name: «Bjørn Åse» → ``bjorn-ase``."""
    plain = unicodedata.normalize("NFKD", text.translate(_ASCII)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "person"


def filename(document: PlanDocument) -> str:
    day = timezone.localdate(document.printed_at).isoformat()
    return f"individuell-plan-{ascii_slug(document.person.given_name)}-{day}.pdf"

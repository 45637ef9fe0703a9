"""The leaders' indicator pages: the dashboard, one indicator's drill-down, the printable report
(HTML, and PDF through WeasyPrint) and the CSV of every table. Each parses the filters, calls a
selector (which records the view once) and renders. KE staff and leaders only; a unit the user
may not narrow to is a form error on the pages and 404 in the CSV, and nothing is computed."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import Actor, actor_of
from oppfolging.access.rules import permission
from oppfolging.indicators import csv_export, selectors
from oppfolging.indicators.base import Indicator, indicator
from oppfolging.indicators.forms import IndicatorFilterForm
from oppfolging.indicators.selectors import READER, IndicatorFilters


def _form(request: HttpRequest, actor: Actor) -> IndicatorFilterForm:
    return IndicatorFilterForm(request.GET or None, units=selectors.unit_choices(actor=actor))


def _indicator(key: str) -> Indicator:
    try:
        return indicator(key)
    except KeyError as exc:
        raise Http404 from exc


def _context(form: IndicatorFilterForm, filters: IndicatorFilters | None) -> dict[str, object]:
    return {"form": form, "filters": filters, "query": urlencode(filters.query()) if filters else ""}


@permission(READER)
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = _form(request, actor)
    filters = form.filters()
    view = selectors.dashboard(actor=actor, filters=filters, what="indicators.dashboard") if filters else None
    return render(request, "indicators/dashboard.html", {**_context(form, filters), "view": view})


@permission(READER)
@require_http_methods(["GET"])
def detail(request: HttpRequest, key: str) -> HttpResponse:
    item = _indicator(key)
    actor = actor_of(request)
    form = _form(request, actor)
    filters = form.filters()
    view = (
        selectors.drilldown(actor=actor, indicator=item, filters=filters, what="indicators.detail")
        if filters
        else None
    )
    return render(
        request, "indicators/detail.html", {**_context(form, filters), "view": view, "indicator": item}
    )


@permission(READER)
@require_http_methods(["GET"])
def report(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = _form(request, actor)
    filters = form.filters()
    view = selectors.dashboard(actor=actor, filters=filters, what="indicators.report") if filters else None
    return render(request, "indicators/report.html", {**_context(form, filters), "view": view})


def _download_filters(request: HttpRequest, actor: Actor) -> IndicatorFilters | None:
    """The filters of a download, which has no form to show errors in: a unit the user may not
    narrow to answers 404 (as anything not theirs does); other mistakes give None (400)."""
    form = _form(request, actor)
    filters = form.filters()
    if filters is None and "unit" in form.errors:
        raise Http404
    return filters


def _bad_filters() -> HttpResponse:
    return HttpResponseBadRequest(
        _("Ugyldig periode eller filter."), content_type="text/plain; charset=utf-8"
    )


def _page_css(view: selectors.Dashboard) -> SafeString:
    """The page margins of the PDF: what the report is, when and by whom it was printed, and
    "page n of m" (CSS strings: margin boxes take no HTML)."""
    from oppfolging.plans.pdf_render import css_string

    footer = _("Indikatorrapport for %(name)s, %(scope)s. Skrevet ut %(date)s av %(by)s.") % {
        "name": view.municipality_name,
        "scope": view.filters.scope_label,
        "date": date_format(timezone.localtime(view.made_at), "DATETIME_FORMAT"),
        "by": view.made_by,
    }
    marker_page, marker_pages = "\x00PAGE\x00", "\x00PAGES\x00"
    pages = css_string(_("Side %(page)s av %(pages)s") % {"page": marker_page, "pages": marker_pages})
    pages = pages.replace(marker_page, '" counter(page) "').replace(marker_pages, '" counter(pages) "')
    return mark_safe(  # noqa: S308 - both parts are escaped by css_string
        f"@page {{ @bottom-left {{ content: {css_string(footer)}; }} @bottom-right {{ content: {pages}; }} }}"
    )


@permission(READER)
@require_http_methods(["GET"])
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The same report as a PDF, self-contained: WeasyPrint gets a URL fetcher that refuses
    every URL (the plan's, see :mod:`oppfolging.plans.pdf_render`)."""
    from oppfolging.plans.pdf_render import render_pdf

    actor = actor_of(request)
    filters = _download_filters(request, actor)
    if filters is None:
        return _bad_filters()
    view = selectors.dashboard(actor=actor, filters=filters, what="indicators.report_pdf")
    context = {"view": view, "filters": filters, "page_css": _page_css(view)}
    html = render_to_string("indicators/pdf/report.html", context, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    day = timezone.localdate(view.made_at).isoformat()
    response["Content-Disposition"] = f'inline; filename="indikatorrapport-{day}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@permission(READER)
@require_http_methods(["GET"])
def export_csv(request: HttpRequest) -> HttpResponse:
    """Every indicator's table, or with ``?indicator=key`` one indicator's table and its
    drill-down by unit and target group."""
    actor = actor_of(request)
    key = request.GET.get("indicator", "")
    item = _indicator(key) if key else None
    filters = _download_filters(request, actor)
    if filters is None:
        return _bad_filters()
    if item is None:
        rows = csv_export.dashboard_rows(
            selectors.dashboard(actor=actor, filters=filters, what="indicators.csv")
        )
    else:
        view = selectors.drilldown(actor=actor, indicator=item, filters=filters, what="indicators.csv")
        rows = csv_export.drilldown_rows(view)
    response = HttpResponse(csv_export.write(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_export.filename(filters, key)}"'
    response["Cache-Control"] = "no-store"
    return response

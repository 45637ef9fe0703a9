"""Pages for reports of need: the form anyone on staff can report with, the reporter's receipt
and list, the municipality's queue, the coordinator's inbox, and the handler's report page.
Every report is reached through an access helper in :mod:`report_selectors` (404 for missing or
not yours) and written through :mod:`report_services`."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import Actor, actor_of
from oppfolging.access.rules import CASE_INTAKE, Rule, permission
from oppfolging.accounts.models import Role
from oppfolging.referrals import report_selectors as selectors
from oppfolging.referrals import report_services as services
from oppfolging.referrals.models import Routing
from oppfolging.referrals.report_forms import (
    InterimReplyForm,
    QueueFilterForm,
    ReportForm,
    ReportStatusForm,
    add_service_errors,
)


def _may_report(actor: Actor) -> bool:
    """Staff in any unit, municipal or external. An account with no active role in a unit has
    nothing to report in: a report records the unit and role it comes from."""
    return actor.is_staff_user and bool(actor.unit_roles)


def _coordinates(actor: Actor) -> bool:
    return actor.is_staff_user and (
        actor.has_role(Role.COORDINATOR) or selectors.coordinates_anyone(actor.user)
    )


REPORTER = Rule("reporter", _may_report)
COORDINATOR_INBOX = Rule("coordinator_inbox", _coordinates)
REPORT_HANDLER = Rule(
    "report_handler", lambda actor: CASE_INTAKE.check(actor) or COORDINATOR_INBOX.check(actor)
)


# --- Reporting -------------------------------------------------------------------------------


@permission(REPORTER)
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = ReportForm(
        request.POST or None,
        units=selectors.reporter_units(actor=actor),
        own_municipality=actor.municipality,
        title=actor.user.title if actor.user else "",
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Meldingen er sendt."))
            return redirect("reports:receipt", report_uuid=report.uuid)
    return render(request, "referrals/reports/create.html", {"form": form})


@permission(REPORTER)
@require_http_methods(["GET"])
def report_receipt(request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
    report = selectors.access_report_as_reporter(actor_of(request), report_uuid)
    return render(request, "referrals/reports/receipt.html", {"report": report})


@permission(REPORTER)
@require_http_methods(["GET"])
def report_mine(request: HttpRequest) -> HttpResponse:
    reports = selectors.reports_by_reporter(actor=actor_of(request))
    return render(request, "referrals/reports/mine.html", {"reports": reports})


# --- The queue and the inbox -----------------------------------------------------------------


@permission(CASE_INTAKE)
@require_http_methods(["GET"])
def report_queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    form.is_valid()
    reports = selectors.report_queue(
        actor=actor_of(request), statuses=form.selected_statuses(), kind=form.selected_kind()
    )
    rows = [selectors.QueueRow.of(report) for report in reports]
    context = {
        "filter_form": form,
        "rows": rows,
        "overdue_count": sum(row.is_overdue for row in rows),
        "filtered": bool(request.GET),
    }
    return render(request, "referrals/reports/queue.html", context)


@permission(COORDINATOR_INBOX)
@require_http_methods(["GET"])
def report_inbox(request: HttpRequest) -> HttpResponse:
    reports = selectors.report_inbox(actor=actor_of(request))
    rows = [selectors.QueueRow.of(report) for report in reports]
    return render(request, "referrals/reports/inbox.html", {"rows": rows})


# --- The handler's report page and its actions ----------------------------------------------


def _assessment_route_exists() -> bool:
    """The assessment pages are built separately; link to them once they exist."""
    try:
        reverse("assessments:create")
    except NoReverseMatch:
        return False
    return True


def _render_detail(
    request: HttpRequest,
    handled: selectors.HandledReport,
    *,
    status_form: ReportStatusForm | None = None,
    interim_form: InterimReplyForm | None = None,
) -> HttpResponse:
    report = handled.report
    user = actor_of(request).user
    allowed = selectors.later_statuses(report.status)
    is_open = report.status in selectors.OPEN_STATUSES
    context: dict[str, Any] = {
        "report": report,
        "handled": handled,
        "periods": selectors.report_status_periods(report=report),
        "age_days": selectors.age_in_days(report),
        "status_form": status_form or ReportStatusForm(allowed=allowed),
        "interim_form": interim_form or InterimReplyForm(),
        "may_change_status": bool(allowed),
        "may_record_interim_reply": is_open,
        "may_take_over": user is None or report.handled_by_id != user.pk,
        "may_send_to_queue": not handled.is_intake and report.routing == Routing.COORDINATOR,
        "can_start_assessment": handled.is_intake and is_open and _assessment_route_exists(),
    }
    return render(request, "referrals/reports/detail.html", context)


@permission(REPORT_HANDLER)
@require_http_methods(["GET"])
def report_detail(request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
    handled = selectors.report_get_for_handling(actor=actor_of(request), report_uuid=report_uuid)
    return _render_detail(request, handled)


def _rerender_with_errors(
    request: HttpRequest, handled: selectors.HandledReport, **forms: Any
) -> HttpResponse:
    """An invalid action shows the report again with the form's errors: that is a read too."""
    selectors.report_record_read(actor=actor_of(request), handled=handled)
    return _render_detail(request, handled, **forms)


@permission(REPORT_HANDLER)
@require_http_methods(["POST"])
def report_take_over(request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    handled = selectors.access_report_for_handling(actor, report_uuid)
    services.report_take_over(actor=actor, handled=handled)
    messages.success(request, _("Du er nå saksbehandler for meldingen."))
    return redirect("reports:detail", report_uuid=handled.report.uuid)


@permission(REPORT_HANDLER)
@require_http_methods(["POST"])
def report_set_status(request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    handled = selectors.access_report_for_handling(actor, report_uuid)
    form = ReportStatusForm(request.POST, allowed=selectors.later_statuses(handled.report.status))
    if form.is_valid():
        try:
            report = services.report_change_status(
                actor=actor, handled=handled, to_status=form.cleaned_data["to_status"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Statusen er endret til «%(status)s».") % {"status": report.get_status_display()}
            )
            return redirect("reports:detail", report_uuid=report.uuid)
    return _rerender_with_errors(request, handled, status_form=form)


@permission(REPORT_HANDLER)
@require_http_methods(["POST"])
def report_interim_reply(request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    handled = selectors.access_report_for_handling(actor, report_uuid)
    form = InterimReplyForm(request.POST)
    if form.is_valid():
        try:
            services.report_record_interim_reply(
                actor=actor,
                handled=handled,
                text=form.cleaned_data["text"],
                expected_by=form.cleaned_data["expected_by"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Det foreløpige svaret er registrert."))
            return redirect("reports:detail", report_uuid=handled.report.uuid)
    return _rerender_with_errors(request, handled, interim_form=form)


@permission(COORDINATOR_INBOX)
@require_http_methods(["POST"])
def report_send_to_queue(request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    handled = selectors.access_report_for_handling(actor, report_uuid)
    if handled.is_intake:
        return redirect("reports:detail", report_uuid=handled.report.uuid)
    services.report_send_to_queue(actor=actor, handled=handled)
    messages.success(request, _("Meldingen er sendt videre til tildelingskontoret."))
    return redirect("reports:inbox")

"""The risk work-lists: the GP's list of their patients, KE's list for the municipality, a
subject's page, and its two actions (report a need, mark reviewed). Views parse, call a selector
or a service, and render; access is decided in :mod:`oppfolging.risk.access`, and every score
shown is audited by the selectors."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import KE_ONLY, permission
from oppfolging.referrals.report_forms import add_service_errors
from oppfolging.risk import subject_selectors
from oppfolging.risk import worklist_selectors as selectors
from oppfolging.risk import worklist_services as services
from oppfolging.risk.access import GP_ONLY, RISK_READER, SubjectAccess, access_subject, gp_hpr_of
from oppfolging.risk.worklist_forms import ReportFromRiskForm, ReviewForm, WorklistFilterForm


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@permission(GP_ONLY)
@require_http_methods(["GET"])
def gp_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    page = selectors.gp_worklist(actor=actor, page=_page_number(request))
    context = {"page": page, "is_gp": True, "has_hpr": bool(gp_hpr_of(actor)), "filtered": False}
    return render(request, "risk/worklist/list.html", context)


@permission(KE_ONLY)
@require_http_methods(["GET"])
def ke_list(request: HttpRequest) -> HttpResponse:
    form = WorklistFilterForm(request.GET or None)
    filters = form.filters()
    page = selectors.ke_worklist(actor=actor_of(request), filters=filters, page=_page_number(request))
    context = {"page": page, "is_gp": False, "form": form, "filtered": filters != selectors.WorklistFilters()}
    return render(request, "risk/worklist/list.html", context)


def _render_subject(
    request: HttpRequest,
    access: SubjectAccess,
    *,
    report_form: ReportFromRiskForm | None = None,
    review_form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The subject's page. Shown again with a form's errors, it is a read again (audited)."""
    subject = access.subject
    page = subject_selectors.subject_page(actor=actor_of(request), subject=subject, role=access.role)
    if report_form is None:
        report_form = ReportFromRiskForm(
            needs_name=subject.person is None,
            initial={
                "observed": services.observed_text(page.current),
                "requested": services.requested_text(),
                "reason_without_knowledge": services.default_reason_without_knowledge(),
            },
        )
    context: dict[str, Any] = {
        "page": page,
        "data": subject_selectors.subject_data(subject),
        "report_form": report_form,
        "review_form": review_form or ReviewForm(),
        "list_url_name": "risk:gp_list" if access.is_gp else "risk:ke_list",
    }
    return render(request, "risk/worklist/subject.html", context, status=status)


@permission(RISK_READER)
@require_http_methods(["GET"])
def subject_detail(request: HttpRequest, subject_uuid: uuid.UUID) -> HttpResponse:
    return _render_subject(request, access_subject(actor_of(request), subject_uuid))


def _back_to_list(access: SubjectAccess) -> HttpResponse:
    return redirect("risk:gp_list" if access.is_gp else "risk:ke_list")


@permission(RISK_READER)
@require_http_methods(["POST"])
def subject_report(request: HttpRequest, subject_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = access_subject(actor, subject_uuid)
    form = ReportFromRiskForm(request.POST, needs_name=access.subject.person is None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_from_subject(
                actor=actor,
                access=access,
                observed=data["observed"],
                requested=data["requested"],
                agrees=data["agrees"],
                reason_without_knowledge=data["reason_without_knowledge"],
                given_name=data.get("given_name", ""),
                family_name=data.get("family_name", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Meldingen om behov er sendt til mottaket i kommunen (%(name)s).")
                % {"name": report.person.full_name},
            )
            return _back_to_list(access)
    return _render_subject(request, access, report_form=form, status=400)


@permission(RISK_READER)
@require_http_methods(["POST"])
def subject_review(request: HttpRequest, subject_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = access_subject(actor, subject_uuid)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_create(actor=actor, access=access, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Vurderingen er lagret. Personen er ute av listen til opplysningene endrer seg.")
            )
            return _back_to_list(access)
    return _render_subject(request, access, review_form=form, status=400)

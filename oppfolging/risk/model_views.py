"""The model pages: the list of model versions (the shipped default marked as not validated
locally, fitted ones with their status and figures), one version's figures, calibration chart
and weights in words, and the approve/reject decisions. KE staff and leaders of the
municipality only (others 404); who may decide is checked by the services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import permission
from oppfolging.referrals.decision_views import add_service_errors
from oppfolging.risk import model_selectors as selectors
from oppfolging.risk import model_services as services
from oppfolging.risk.access import POPULATION_READER
from oppfolging.risk.model_chart import CalibrationChart, Series, build_calibration_chart
from oppfolging.risk.model_forms import ApproveForm, RejectForm
from oppfolging.risk.models import ModelStatus


@dataclass(frozen=True)
class DecileLine:
    """One tenth of the held-out persons, as percentages for the table."""

    decile: int
    n: int
    predicted: float
    observed: float
    default_predicted: float | None
    default_observed: float | None


@permission(POPULATION_READER)
@require_http_methods(["GET"])
def models(request: HttpRequest) -> HttpResponse:
    rows = selectors.model_list(actor=actor_of(request))
    return render(request, "risk/models/list.html", {"rows": rows, "statuses": ModelStatus})


def _chart(detail: selectors.ModelDetail) -> CalibrationChart | None:
    row = detail.row
    if row.fitted is None:
        return None
    series = [
        Series(
            label=_("Tilpasset modell"), deciles=row.fitted.deciles, css="app-chart__line--0", shape="circle"
        )
    ]
    if row.default is not None:
        series.append(
            Series(
                label=_("Standardvekter"),
                deciles=row.default.deciles,
                css="app-chart__line--1",
                shape="square",
                dash="6 4",
            )
        )

    def pct(value: float) -> str:
        return f"{number_format(round(value * 100, 1))} %"

    top = row.fitted.deciles[-1] if row.fitted.deciles else None
    description = _(
        "Personene er delt i ti like store grupper etter forutsagt risiko. For hver gruppe viser "
        "punktet forutsagt risiko mot andelen som faktisk ble innlagt. Punkter på diagonalen "
        "betyr at modellen treffer."
    )
    if top is not None:
        description += " " + _(
            "I tideldelen med høyest risiko forutsa den tilpassede modellen %(predicted)s, og "
            "%(observed)s ble innlagt."
        ) % {"predicted": pct(float(top["mean_predicted"])), "observed": pct(float(top["observed"]))}
    description += " " + _("Alle tallene står i tabellen.")
    return build_calibration_chart(
        series,
        title=_("Kalibrering på personer holdt utenfor tilpasningen"),
        description=description,
        x_label=_("Forutsagt risiko"),
        y_label=_("Andel innlagt"),
    )


def _render_detail(
    request: HttpRequest,
    version_uuid: uuid.UUID,
    approve_form: ApproveForm | None = None,
    reject_form: RejectForm | None = None,
) -> HttpResponse:
    detail = selectors.model_detail(actor=actor_of(request), version_uuid=version_uuid)
    row = detail.row
    deciles = []
    if row.fitted is not None:
        defaults = row.default.deciles if row.default is not None else []
        for index, decile in enumerate(row.fitted.deciles):
            other = defaults[index] if index < len(defaults) else None
            deciles.append(
                DecileLine(
                    decile=int(decile["decile"]),
                    n=int(decile["n"]),
                    predicted=100 * float(decile["mean_predicted"]),
                    observed=100 * float(decile["observed"]),
                    default_predicted=100 * float(other["mean_predicted"]) if other else None,
                    default_observed=100 * float(other["observed"]) if other else None,
                )
            )
    return render(
        request,
        "risk/models/detail.html",
        {
            "detail": detail,
            "version": detail.version,
            "row": row,
            "chart": _chart(detail),
            "deciles": deciles,
            "statuses": ModelStatus,
            "approve_form": approve_form or ApproveForm(),
            "reject_form": reject_form or RejectForm(),
            "form": approve_form if approve_form is not None and approve_form.errors else reject_form,
        },
    )


@permission(POPULATION_READER)
@require_http_methods(["GET"])
def model_detail(request: HttpRequest, version_uuid: uuid.UUID) -> HttpResponse:
    return _render_detail(request, version_uuid)


@permission(POPULATION_READER)
@require_http_methods(["POST"])
def model_approve(request: HttpRequest, version_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    version = selectors.model_for(actor=actor, version_uuid=version_uuid)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.model_approve(actor=actor, version=version, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Modellen er godkjent og brukes fra neste beregning."))
            return redirect("risk:model_detail", version_uuid=version.uuid)
    return _render_detail(request, version_uuid, approve_form=form)


@permission(POPULATION_READER)
@require_http_methods(["POST"])
def model_reject(request: HttpRequest, version_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    version = selectors.model_for(actor=actor, version_uuid=version_uuid)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.model_reject(actor=actor, version=version, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Modellen er avvist. Modellen som var i bruk, brukes fortsatt."))
            return redirect("risk:model_detail", version_uuid=version.uuid)
    return _render_detail(request, version_uuid, reject_form=form)

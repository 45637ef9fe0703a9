"""The evaluation checkpoint's pages: the coordinator records an evaluation in one form, and the
coordinator and the team read a recorded one. Rules live in :mod:`evaluation_services`."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import STAFF, permission
from oppfolging.plans import evaluation_selectors as selectors
from oppfolging.plans import evaluation_services as services
from oppfolging.plans.draft_selectors import DraftOffer, draft_for
from oppfolging.plans.evaluation_forms import EvaluationForm
from oppfolging.plans.models import Evaluation, PeriodStatus, PlanStatus


def _add_errors(form: EvaluationForm, exc: ValidationError) -> None:
    """Show a service's refusal on the field it names, or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def evaluate(request: HttpRequest, person_uuid: uuid.UUID, period_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.evaluation_access(actor, person_uuid, edit=True)
    period = selectors.period_for(access, period_uuid)
    person = access.person
    if Evaluation.objects.filter(period=period).exists():
        messages.info(request, _("Perioden er allerede evaluert."))
        return redirect("plans:evaluation_detail", person_uuid=person.uuid, period_uuid=period.uuid)
    refusal = ""
    if period.plan.status != PlanStatus.ACTIVE:
        refusal = _("Bare en aktiv plan kan evalueres.")
    elif period.status != PeriodStatus.ACTIVE:
        refusal = _("Bare perioden som pågår, kan evalueres.")
    subject = selectors.evaluation_subject(period)
    data = request.POST if request.method == "POST" and not refusal else None
    key = services.draft_key(period)
    draft = draft_for(actor.user, key, person) if data is None and not refusal else None
    offer: DraftOffer | None = None
    restored = False
    if draft is not None and request.GET.get("utkast"):
        form = EvaluationForm(subject=subject, initial=dict(draft.data))
        restored = True
    else:
        form = EvaluationForm(data, subject=subject)
        if draft is not None:
            offer = DraftOffer(
                draft=draft,
                use_url=f"{request.path}?utkast=1",
                discard_url=reverse("plans:draft", args=[person.uuid]),
                target="",
                behind=draft.base_version < period.version,
            )
    if data is not None and form.is_valid():
        try:
            services.evaluation_record(
                actor=actor,
                access=access,
                period=period,
                held_on=form.cleaned_data["held_on"],
                goal_results=form.goal_results(),
                measure_results=form.measure_results(),
                goals_achieved=form.goals_achieved(),
                team_reviewed=form.cleaned_data["team_reviewed"],
                team_review_note=form.cleaned_data["team_review_note"],
                summary=form.cleaned_data["summary"],
                persons_view=form.cleaned_data["persons_view"],
                next_period=form.next_period(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Evalueringen er registrert. Se over det som er tatt med til neste periode, "
                    "og rett det i planen."
                ),
            )
            return redirect("plans:evaluation_detail", person_uuid=person.uuid, period_uuid=period.uuid)
    if data is None:
        selectors.evaluation_form_opened(actor=actor, access=access, period=period)
    next_dates = services.next_period_dates(period, services.NextPeriodInput())
    return render(
        request,
        "plans/evaluation/form.html",
        {
            "person": person,
            "period": period,
            "subject": subject,
            "form": form,
            "refusal": refusal,
            "draft_key": key,
            "offer": offer,
            "page_spec": {"htmx": False},  # the draft offer reloads the whole page
            "restored": restored,
            "default_next": next_dates,
        },
        status=200,
    )


@permission(STAFF)
@require_http_methods(["GET"])
def evaluation_detail(request: HttpRequest, person_uuid: uuid.UUID, period_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.evaluation_access(actor, person_uuid, edit=False)
    period = selectors.period_for(access, period_uuid)
    view = selectors.evaluation_detail(actor=actor, access=access, period=period)
    return render(
        request,
        "plans/evaluation/detail.html",
        {
            "person": access.person,
            "period": period,
            "view": view,
            "may_edit": "coordinator" in access.roles,
            "draft_key": services.draft_key(period),
        },
    )

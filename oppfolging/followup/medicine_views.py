"""The person's medicine list, kept by the GP or the coordinator, and the medication review
(fastlegeforskriften § 25)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import STAFF, permission
from oppfolging.followup import medicine_selectors as selectors
from oppfolging.followup import medicine_services as services
from oppfolging.followup.forms import MedicineForm


def _add_errors(form: MedicineForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def medicines(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.medicine_access(actor, person_uuid)
    person = access.person
    action = request.POST.get("action", "add") if request.method == "POST" else ""
    form = MedicineForm(request.POST if action == "add" else None)
    try:
        if action == "add" and form.is_valid():
            medicine = services.medicine_add(actor=actor, access=access, **form.cleaned_data)
            messages.success(request, _("%(name)s er lagt til.") % {"name": medicine.name})
            return redirect("followup:medicines", person_uuid=person.uuid)
        if action == "end":
            ending = selectors.medicines_of(person).filter(uuid=request.POST.get("medicine", "")).first()
            if ending is None:
                raise Http404
            services.medicine_end(actor=actor, access=access, medicine=ending)
            messages.success(request, _("%(name)s er avsluttet.") % {"name": ending.name})
            return redirect("followup:medicines", person_uuid=person.uuid)
        if action == "review":
            services.medication_review_done(actor=actor, access=access)
            messages.success(request, _("Legemiddelgjennomgangen er registrert."))
            return redirect("followup:medicines", person_uuid=person.uuid)
    except ValidationError as exc:
        if action == "add":
            _add_errors(form, exc)
        else:
            messages.error(request, " ".join(exc.messages))
            return redirect("followup:medicines", person_uuid=person.uuid)
    if request.method == "GET":
        selectors.medicines_opened(actor=actor, access=access)
    today = timezone.localdate()
    rows = list(selectors.medicines_of(person))
    return render(
        request,
        "followup/medicines.html",
        {
            "person": person,
            "form": form,
            "current": [m for m in rows if m.ended_on is None or m.ended_on > today],
            "ended": [m for m in rows if m.ended_on is not None and m.ended_on <= today],
            "status": selectors.medication_status(person, today),
            "threshold": selectors.REVIEW_THRESHOLD,
        },
    )

"""A person's meetings: the list, setting one up, the meeting page, changing, inviting to and
cancelling it, its calendar file, and answering the person's change requests. Thin views: the
rules are in :mod:`meeting_selectors` and the services."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.persons import PersonAccess
from oppfolging.access.rules import STAFF, permission
from oppfolging.meetings import ical, minutes_services
from oppfolging.meetings import meeting_selectors as selectors
from oppfolging.meetings import meeting_services as services
from oppfolging.meetings.apply_services import describe_proposals
from oppfolging.meetings.meeting_forms import AnswerForm, CancelForm, MeetingForm, initial_for
from oppfolging.meetings.minutes_forms import CorrectionForm
from oppfolging.meetings.models import Meeting, MeetingChangeRequest, MeetingKind


def add_errors(exc: ValidationError, form: forms.Form) -> None:
    """Show a service's refusal on the field it names (else above the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def refused(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@permission(STAFF)
@require_http_methods(["GET"])
def meeting_list(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    page = selectors.meeting_list(actor=actor_of(request), person_uuid=person_uuid)
    return render(request, "meetings/list.html", {"page": page, "person": page.access.person})


def _form(access: PersonAccess, data: Any = None, **kwargs: Any) -> MeetingForm:
    person = access.person
    plan = selectors.plan_of(person)
    form = MeetingForm(
        data,
        members=selectors.active_members(person),
        relatives=selectors.invitable_relatives(person),
        periods=selectors.open_periods(plan),
        **kwargs,
    )
    if not selectors.may_edit_plan_meetings(access):
        form.fields["kind"].choices = [  # type: ignore[attr-defined]
            (MeetingKind.ASSESSMENT.value, MeetingKind.ASSESSMENT.label)
        ]
    return form


def _render_form(
    request: HttpRequest,
    access: PersonAccess,
    form: MeetingForm,
    meeting: Meeting | None = None,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "meetings/form.html",
        {"person": access.person, "form": form, "meeting": meeting, **extra},
    )


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = selectors.person_access(actor, person_uuid)
    if not selectors.may_manage_any(access):
        raise Http404
    if request.method == "POST":
        form = _form(access, request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_create(actor=actor, access=access, data=form.meeting_data())
            except ValidationError as exc:
                add_errors(exc, form)
            except PermissionDenied:
                form.add_error("kind", _("Du kan bare kalle inn til kartleggingssamtale for denne personen."))
            else:
                messages.success(
                    request, _("Møtet er lagret. Send innkallingen når deltakerne er valgt med personen.")
                )
                return redirect("meetings:detail", meeting_uuid=meeting.uuid)
    else:
        plan = selectors.plan_of(access.person)
        kind = request.GET.get("type", "")
        kind = kind if kind in MeetingKind.values else ""
        if not selectors.may_edit_plan_meetings(access):
            kind = MeetingKind.ASSESSMENT
        period = selectors.default_period(plan)
        form = _form(
            access,
            initial={
                "kind": kind,
                "period": period.uuid if period else None,
                "include_person": True,
                "duration_minutes": 60,
            },
        )
        selectors.audit_read(actor=actor, access=access, what="meeting", about=access.person.uuid)
    return _render_form(request, access, form)


def render_detail(request: HttpRequest, meeting_uuid: uuid.UUID, **forms_: Any) -> HttpResponse:
    """The meeting page; a form that was refused is passed in bound, so nothing typed is lost."""
    actor = actor_of(request)
    page = selectors.meeting_page(actor=actor, meeting_uuid=meeting_uuid)
    if page.may_manage:
        changes = describe_proposals(page.meeting, [view.item for view in page.items])
        for view in page.items:
            view.changes = changes.get(view.item.pk, [])
    context: dict[str, Any] = {
        "page": page,
        "meeting": page.meeting,
        "person": page.access.person,
        "cancel_form": CancelForm(),
        "correction_form": CorrectionForm(items=[v.item for v in page.items]),
        **forms_,
    }
    return render(request, "meetings/detail.html", context, status=400 if forms_ else 200)


@permission(STAFF)
@require_http_methods(["GET"])
def meeting_detail(request: HttpRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    return render_detail(request, meeting_uuid)


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, meeting = selectors.manage_access(actor, meeting_uuid)
    if meeting.status not in selectors.OPEN_STATUSES:
        messages.info(request, _("Møtet er holdt eller avlyst og kan ikke endres."))
        return redirect("meetings:detail", meeting_uuid=meeting.uuid)
    conflict: Meeting | None = None
    version = meeting.version
    if request.method == "POST":
        form = _form(access, request.POST)
        posted = request.POST.get("version", "")
        if form.is_valid():
            try:
                services.meeting_update(
                    actor=actor,
                    access=access,
                    meeting=meeting,
                    version=int(posted) if posted.isdigit() else -1,
                    data=form.meeting_data(),
                )
            except services.MeetingConflictError as exc:
                conflict = exc.current
                version = exc.current.version
            except ValidationError as exc:
                add_errors(exc, form)
            except PermissionDenied:
                form.add_error("kind", _("Du kan bare kalle inn til kartleggingssamtale for denne personen."))
            else:
                messages.success(request, _("Endringene er lagret."))
                return redirect("meetings:detail", meeting_uuid=meeting.uuid)
        else:
            version = int(posted) if posted.isdigit() else meeting.version
    else:
        form = _form(access, initial=initial_for(meeting))
        selectors.audit_read(actor=actor, access=access, what="meeting", about=meeting.uuid)
    return _render_form(
        request,
        access,
        form,
        meeting,
        version=version,
        conflict=conflict,
        conflict_items=list(conflict.items.all()) if conflict else [],
    )


@permission(STAFF)
@require_http_methods(["POST"])
def meeting_cancel(request: HttpRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, meeting = selectors.manage_access(actor, meeting_uuid)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv hvorfor møtet avlyses."))
        return redirect("meetings:detail", meeting_uuid=meeting.uuid)
    try:
        services.meeting_cancel(
            actor=actor, access=access, meeting=meeting, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Møtet er avlyst. De som var innkalt, har fått beskjed."))
    return redirect("meetings:detail", meeting_uuid=meeting.uuid)


@permission(STAFF)
@require_http_methods(["POST"])
def meeting_invite(request: HttpRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, meeting = selectors.manage_access(actor, meeting_uuid)
    try:
        result = services.meeting_invite(actor=actor, access=access, meeting=meeting)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _("Innkallingen er sendt til %(names)s.") % {"names": ", ".join(result.sent_to)}
            if result.sent_to
            else _("Ingen av deltakerne har e-post."),
        )
        if result.without_email:
            messages.warning(
                request,
                _("Uten e-post, gi dem innkallingen på annen måte (kalenderfilen kan lastes ned): %(names)s.")
                % {"names": ", ".join(result.without_email)},
            )
    return redirect("meetings:detail", meeting_uuid=meeting.uuid)


@permission(STAFF)
@require_http_methods(["GET"])
def meeting_ical(request: HttpRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    """The same calendar file the invitation carries, to download (audited)."""
    actor = actor_of(request)
    access, meeting = selectors.meeting_access(actor, meeting_uuid)
    method = ical.CANCEL if meeting.status == "cancelled" else ical.REQUEST
    data = ical.meeting_calendar(meeting, method=method)
    selectors.audit_read(actor=actor, access=access, what="meeting.ical", about=meeting.uuid)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="invitasjon.ics"'
    return response


@permission(STAFF)
@require_http_methods(["POST"])
def change_request_answer(
    request: HttpRequest, meeting_uuid: uuid.UUID, request_uuid: uuid.UUID
) -> HttpResponse:
    actor = actor_of(request)
    access, meeting = selectors.manage_access(actor, meeting_uuid)
    change = MeetingChangeRequest.objects.filter(meeting=meeting, uuid=request_uuid).first()
    if change is None:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv et svar til den som spurte."))
    else:
        try:
            minutes_services.change_request_answer(
                actor=actor, access=access, request=change, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Ønsket er markert som behandlet."))
    return redirect("meetings:detail", meeting_uuid=meeting.uuid)

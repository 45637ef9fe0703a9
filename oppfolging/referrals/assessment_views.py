"""The interdisciplinary assessment's pages.

Each part of the page (a checklist section, the circumstances, the conclusion, the participants)
is saved on its own: with htmx the part's card is swapped in place, and without JavaScript the
same forms post normally and come back to the page. A save refused because someone else saved
first answers with both versions side by side (409 without htmx; 200 with it, since htmx swaps
only successful responses), and the user's own text is kept as their draft meanwhile.
"""

from __future__ import annotations

import dataclasses
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.access.rules import CASE_INTAKE, STAFF, permission
from oppfolging.referrals import assessment_selectors as selectors
from oppfolging.referrals import assessment_services as services
from oppfolging.referrals.assessment_forms import (
    PART_FORMS,
    ParticipantForm,
    SectionForm,
    VersionForm,
    part_view,
)
from oppfolging.referrals.assessment_selectors import CIRCUMSTANCES, CONCLUSION, SectionView
from oppfolging.referrals.models import Assessment, AssessmentStatus

T = "referrals/assessments/"


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _page_url(access: PersonAccess, assessment: Assessment, anchor: str = "") -> str:
    url = reverse("assessments:detail", args=[access.person.uuid, assessment.uuid])
    return f"{url}#{anchor}" if anchor else url


def _back_to_page(
    request: HttpRequest, access: PersonAccess, assessment: Assessment, anchor: str = ""
) -> HttpResponse:
    url = _page_url(access, assessment, anchor)
    if _htmx(request):
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _for_editing(
    request: HttpRequest, person_uuid: uuid.UUID, assessment_uuid: uuid.UUID
) -> tuple[PersonAccess, Assessment]:
    """Writes need the whole case and edit rights; anyone else gets 404, as for a missing one."""
    access, assessment = selectors.assessment_access(
        actor=actor_of(request), person_uuid=person_uuid, assessment_uuid=assessment_uuid, need=Need.EDIT
    )
    if not selectors.may_edit_content(access):
        raise Http404
    return access, assessment


def _render_part(
    request: HttpRequest, partial: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    """The part alone for htmx; without it, the part on a page of its own."""
    if _htmx(request):
        return render(request, T + partial, context, status=status)
    return render(request, T + "part_page.html", {**context, "partial": T + partial}, status=status)


@permission(CASE_INTAKE)
@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    report = None
    person_uuid = request.GET.get("person", "")
    if request.GET.get("report"):
        report = selectors.report_for_assessment(report_uuid=request.GET["report"])
        person_uuid = str(report.person.uuid)
    if not person_uuid:
        raise Http404
    access = access_person(actor, person_uuid, Need.EDIT)
    if not selectors.may_open_assessment(actor, access):
        raise Http404
    existing = selectors.assessment_in_progress(person=access.person)
    if request.method == "POST" and existing is None:
        try:
            assessment = services.assessment_create(actor=actor, access=access, report=report)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Kartleggingen er startet."))
            return redirect(_page_url(access, assessment))
    context = {"person": access.person, "report": report, "existing": existing}
    return render(request, T + "create.html", context)


@permission(STAFF)
@require_http_methods(["GET"])
def assessment_list(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, assessments = selectors.assessments_for_person(actor=actor, person_uuid=person_uuid)
    context = {
        "person": access.person,
        "assessments": assessments,
        "may_read": access.may(Need.CASE_CONTENT),
        "may_open": selectors.may_open_assessment(actor, access)
        and not any(a.status == AssessmentStatus.IN_PROGRESS for a in assessments),
    }
    return render(request, T + "list.html", context)


@permission(STAFF)
@require_http_methods(["GET"])
def assessment_detail(
    request: HttpRequest, person_uuid: uuid.UUID, assessment_uuid: uuid.UUID
) -> HttpResponse:
    page = selectors.assessment_page(
        actor=actor_of(request), person_uuid=person_uuid, assessment_uuid=assessment_uuid
    )
    assessment = page.assessment
    context = {
        "page": page,
        "person": page.person,
        "assessment": assessment,
        "parts": [
            part_view(key, assessment, editable=page.editable)
            for key, shown in ((CIRCUMSTANCES, page.show_circumstances), (CONCLUSION, page.show_conclusion))
            if shown
        ],
        "participants": page.participants,
        "participant_form": ParticipantForm(municipality_id=assessment.municipality_id)
        if page.editable
        else None,
        "editable": page.editable,
    }
    return render(request, T + "detail.html", context)


def _section_response(
    request: HttpRequest, access: PersonAccess, assessment: Assessment, item: SectionView, status: int = 200
) -> HttpResponse:
    context = {"person": access.person, "assessment": assessment, "item": item}
    return _render_part(request, "_section.html", context, status)


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def assessment_section(
    request: HttpRequest, person_uuid: uuid.UUID, assessment_uuid: uuid.UUID, key: str
) -> HttpResponse:
    actor = actor_of(request)
    if request.method == "GET":
        access, assessment = selectors.assessment_access(
            actor=actor, person_uuid=person_uuid, assessment_uuid=assessment_uuid, need=Need.CASE_CONTENT
        )
        item = selectors.assessment_section(actor=actor, access=access, assessment=assessment, key=key)
        if request.GET.get("utkast") and item.draft is not None:
            item = dataclasses.replace(
                item,
                text=item.draft.text,
                version=item.draft.base_version,
                draft=None,
                notice=_("Utkastet er hentet inn. Det er ikke lagret i kartleggingen før du trykker Lagre."),
            )
        return _section_response(request, access, assessment, item)

    access, assessment = _for_editing(request, person_uuid, assessment_uuid)
    item = selectors.assessment_section(
        actor=actor, access=access, assessment=assessment, key=key, audit=False
    )
    form = SectionForm(request.POST, prefix=key)
    if not form.is_valid():
        if "version" in form.errors:
            return HttpResponseBadRequest()
        text = request.POST.get(f"{key}-text", "")
        errors = tuple(str(e) for e in form.errors.get("text", []))
        return _section_response(
            request, access, assessment, dataclasses.replace(item, text=text, errors=errors)
        )
    text, version = form.cleaned_data["text"], form.cleaned_data["version"]
    try:
        section = services.assessment_section_update(
            actor=actor, access=access, section=item.section, text=text, version=version
        )
    except services.SectionConflictError as conflict:
        # Keep the user's text as their draft, then show theirs beside the stored one (a read).
        services.assessment_draft_save(
            actor=actor, access=access, section=item.section, text=text, base_version=version
        )
        item = selectors.assessment_section(actor=actor, access=access, assessment=assessment, key=key)
        item = dataclasses.replace(
            item, text=text, version=conflict.current.version, conflict=conflict.current, draft=None
        )
        return _section_response(request, access, assessment, item, status=200 if _htmx(request) else 409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back_to_page(request, access, assessment)
    if not _htmx(request):
        messages.success(request, _("«%(section)s» er lagret.") % {"section": item.spec.label})
        return redirect(_page_url(access, assessment, f"section-{key}"))
    item = dataclasses.replace(
        item,
        section=section,
        text=section.text,
        version=section.version,
        draft=None,
        notice=_("Lagret."),
        clear_local=True,
    )
    return _section_response(request, access, assessment, item)


@permission(STAFF)
@require_http_methods(["POST"])
def assessment_draft(
    request: HttpRequest, person_uuid: uuid.UUID, assessment_uuid: uuid.UUID, key: str
) -> HttpResponse:
    """Save (or discard) the user's draft of a section. The page's script autosaves here and
    asks for no content back (``X-Autosave``); the draft button and the no-script form get the
    section or the page."""
    actor = actor_of(request)
    access, assessment = _for_editing(request, person_uuid, assessment_uuid)
    item = selectors.assessment_section(
        actor=actor, access=access, assessment=assessment, key=key, audit=False
    )
    autosave = request.headers.get("X-Autosave") == "1"
    try:
        if request.POST.get("discard"):
            services.assessment_draft_discard(actor=actor, access=access, section=item.section)
            notice = _("Utkastet er forkastet.")
            item = dataclasses.replace(item, draft=None, notice=notice, clear_local=True)
        else:
            form = SectionForm(request.POST, prefix=key)
            if not form.is_valid():
                return HttpResponseBadRequest()
            text, version = form.cleaned_data["text"], form.cleaned_data["version"]
            services.assessment_draft_save(
                actor=actor, access=access, section=item.section, text=text, base_version=version
            )
            notice = _("Utkastet er lagret. Det er ikke lagret i kartleggingen før du trykker Lagre.")
            item = dataclasses.replace(item, text=text, version=version, draft=None, notice=notice)
    except ValidationError as exc:
        if autosave:
            return HttpResponse(status=409)
        messages.error(request, " ".join(exc.messages))
        return _back_to_page(request, access, assessment)
    if autosave:
        return HttpResponse(status=204)
    if _htmx(request):
        return _section_response(request, access, assessment, item)
    messages.success(request, notice)
    return redirect(_page_url(access, assessment, f"section-{key}"))


def _part(request: HttpRequest, key: str, person_uuid: uuid.UUID, assessment_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, assessment = _for_editing(request, person_uuid, assessment_uuid)
    context: dict[str, object] = {"person": access.person, "assessment": assessment}
    if request.method == "GET":
        selectors.audit_part_read(actor=actor, access=access, assessment=assessment, key=key)
        editable = assessment.status == AssessmentStatus.IN_PROGRESS
        return _render_part(
            request, "_part.html", {**context, "part": part_view(key, assessment, editable=editable)}
        )
    form_class = PART_FORMS[key]
    form = form_class(request.POST, assessment=assessment)
    if not form.is_valid():
        part = part_view(key, assessment, editable=True, form=form)
        return _render_part(request, "_part.html", {**context, "part": part})
    try:
        saved = services.assessment_update(
            actor=actor,
            access=access,
            assessment=assessment,
            version=form.cleaned_data["version"],
            **form.values(),
        )
    except services.AssessmentConflictError as conflict:
        current = conflict.current
        data = request.POST.copy()
        data[f"{form.prefix}-version"] = str(current.version)
        mine = form_class(data, assessment=current)
        by = selectors.last_saved_by(assessment=current)
        selectors.audit_part_read(actor=actor, access=access, assessment=current, key=key)
        part = part_view(key, current, editable=True, form=mine, theirs=current, conflict_by=by)
        return _render_part(request, "_part.html", {**context, "part": part}, 200 if _htmx(request) else 409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back_to_page(request, access, assessment)
    if not _htmx(request):
        messages.success(request, _("Endringene er lagret."))
        return redirect(_page_url(access, saved, key))
    part = part_view(key, saved, editable=True, notice=_("Lagret."))
    return _render_part(
        request, "_part.html", {**context, "assessment": saved, "part": part, "oob_versions": True}
    )


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def assessment_circumstances(
    request: HttpRequest, person_uuid: uuid.UUID, assessment_uuid: uuid.UUID
) -> HttpResponse:
    return _part(request, CIRCUMSTANCES, person_uuid, assessment_uuid)


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def assessment_conclusion(
    request: HttpRequest, person_uuid: uuid.UUID, assessment_uuid: uuid.UUID
) -> HttpResponse:
    return _part(request, CONCLUSION, person_uuid, assessment_uuid)


def _participants_response(
    request: HttpRequest, access: PersonAccess, assessment: Assessment, form: ParticipantForm | None = None
) -> HttpResponse:
    context = {
        "person": access.person,
        "assessment": assessment,
        "editable": True,
        "participants": selectors.assessment_participants(access=access, assessment=assessment),
        "participant_form": form or ParticipantForm(municipality_id=assessment.municipality_id),
    }
    return _render_part(request, "_participants.html", context)


@permission(STAFF)
@require_http_methods(["POST"])
def participant_add(request: HttpRequest, person_uuid: uuid.UUID, assessment_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, assessment = _for_editing(request, person_uuid, assessment_uuid)
    form = ParticipantForm(request.POST, municipality_id=assessment.municipality_id)
    if not form.is_valid():
        return _participants_response(request, access, assessment, form)
    try:
        services.assessment_participant_add(
            actor=actor, access=access, assessment=assessment, **form.cleaned_data
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back_to_page(request, access, assessment)
    if not _htmx(request):
        return redirect(_page_url(access, assessment, "participants"))
    return _participants_response(request, access, assessment)


@permission(STAFF)
@require_http_methods(["POST"])
def participant_remove(
    request: HttpRequest, person_uuid: uuid.UUID, assessment_uuid: uuid.UUID, participant_uuid: uuid.UUID
) -> HttpResponse:
    actor = actor_of(request)
    access, assessment = _for_editing(request, person_uuid, assessment_uuid)
    participant = selectors.assessment_participant(assessment=assessment, participant_uuid=participant_uuid)
    try:
        services.assessment_participant_remove(
            actor=actor, access=access, assessment=assessment, participant=participant
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back_to_page(request, access, assessment)
    if not _htmx(request):
        return redirect(_page_url(access, assessment, "participants"))
    return _participants_response(request, access, assessment)


@permission(STAFF)
@require_http_methods(["POST"])
def assessment_complete(
    request: HttpRequest, person_uuid: uuid.UUID, assessment_uuid: uuid.UUID
) -> HttpResponse:
    actor = actor_of(request)
    access, assessment = _for_editing(request, person_uuid, assessment_uuid)
    form = VersionForm(request.POST, prefix="complete")
    if not form.is_valid():
        return HttpResponseBadRequest()
    try:
        services.assessment_complete(
            actor=actor, access=access, assessment=assessment, version=form.cleaned_data["version"]
        )
    except services.AssessmentConflictError:
        messages.warning(
            request, _("Noen andre har endret kartleggingen etter at du åpnet den. Se over og prøv igjen.")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Kartleggingen er fullført."))
        try:  # completing can end the actor's part in the case (no longer in the office's queue)
            access_person(actor, person_uuid, Need.CASE_CONTENT)
        except Http404:
            return redirect("assessments:list", person_uuid=access.person.uuid)
    return redirect(_page_url(access, assessment))

"""The minutes and what follows them: writing them (with drafts and refusal of a stale save),
the plan changes agreed per item and applying them in one step, corrections and closing."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import Actor, actor_of
from oppfolging.access.persons import PersonAccess
from oppfolging.access.rules import STAFF, permission
from oppfolging.meetings import apply_services
from oppfolging.meetings import meeting_selectors as selectors
from oppfolging.meetings import minutes_services as services
from oppfolging.meetings.meeting_views import add_errors, refused, render_detail
from oppfolging.meetings.minutes_forms import (
    PROPOSAL_LABELS,
    CorrectionForm,
    DecisionForm,
    GoalProposalForm,
    MeasureProposalForm,
    MinutesForm,
    PeriodProposalForm,
    SubGoalProposalForm,
    initial_minutes,
)
from oppfolging.meetings.models import AgendaItem, Meeting, MinutesCorrection
from oppfolging.plans.draft_selectors import draft_for
from oppfolging.plans.draft_services import draft_discard
from oppfolging.plans.models import FormDraft
from oppfolging.plans.services import may_edit, normalise_text


def draft_url(person_uuid: uuid.UUID) -> str:
    """The plan's generic draft endpoint (the drafts script posts what is typed there)."""
    try:
        return reverse("plans:draft", kwargs={"person_uuid": person_uuid})
    except NoReverseMatch:
        return ""


def draft_key(meeting: Meeting) -> str:
    return f"meeting:{meeting.uuid}:minutes"


def _draft_data(draft: FormDraft) -> QueryDict:
    """The draft as posted form data (a checkbox list stays a list), from the version the
    user started on: a save from it is still checked against what was saved since."""
    data = QueryDict(mutable=True)
    for name, value in draft.data.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    data["version"] = str(draft.base_version)
    return data


def _back_to_minutes(meeting: Meeting) -> HttpResponse:
    if selectors.minutes_open(meeting):
        return redirect("meetings:minutes", meeting_uuid=meeting.uuid)
    return redirect("meetings:detail", meeting_uuid=meeting.uuid)


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, meeting = selectors.manage_access(actor, meeting_uuid)
    if not selectors.minutes_open(meeting):
        if meeting.status in selectors.MINUTES_STATUSES:
            messages.info(request, _("Referatet kan skrives fra møtedagen."))
        else:
            messages.info(request, _("Referatet er godkjent eller møtet er avlyst. Det kan ikke endres."))
        return redirect("meetings:detail", meeting_uuid=meeting.uuid)
    items = selectors.items_of(meeting)
    participants = selectors.participants_of(meeting)
    conflict: services.StoredMinutes | None = None
    key = draft_key(meeting)
    draft = draft_for(actor.user, key, access.person)
    if request.method == "POST":
        form = MinutesForm(request.POST, items=items, participants=participants)
        if form.is_valid():
            send = "send" in request.POST
            try:
                saved = services.minutes_save(
                    actor=actor,
                    access=access,
                    meeting=meeting,
                    version=form.cleaned_data["version"],
                    minutes=form.minutes(),
                    send=send,
                )
            except services.MinutesConflictError as exc:
                conflict = exc.stored
                data: QueryDict = request.POST.copy()
                data["version"] = str(exc.version)
                form = MinutesForm(data, items=items, participants=participants)
                form.is_valid()
            except ValidationError as exc:
                add_errors(exc, form)
            else:
                draft_discard(actor=actor, access=access, key=key)
                if send:
                    due = saved.corrections_due_on
                    messages.success(
                        request,
                        _("Referatet er sendt til retting. Teamet har frist til %(date)s.")
                        % {"date": due.strftime("%d.%m.%Y") if due else ""},
                    )
                    return redirect("meetings:detail", meeting_uuid=meeting.uuid)
                messages.success(request, _("Referatet er lagret."))
                return redirect("meetings:minutes", meeting_uuid=meeting.uuid)
    elif draft is not None and request.GET.get("utkast") == "1":
        form = MinutesForm(_draft_data(draft), items=items, participants=participants)
        form.is_valid()
        draft = None
        selectors.audit_read(actor=actor, access=access, what="meeting.minutes", about=meeting.uuid)
    else:
        form = MinutesForm(
            initial=initial_minutes(
                version=meeting.version,
                summary=meeting.minutes_summary,
                items=items,
                participants=participants,
                due=meeting.corrections_due_on,
            ),
            items=items,
            participants=participants,
        )
        selectors.audit_read(actor=actor, access=access, what="meeting.minutes", about=meeting.uuid)
    changes = apply_services.describe_proposals(meeting, items)
    return render(
        request,
        "meetings/minutes.html",
        {
            "person": access.person,
            "meeting": meeting,
            "form": form,
            "conflict": conflict,
            "conflict_rows": _conflict_rows(conflict, form, items) if conflict else [],
            "plan_items": [(item, changes.get(item.pk, [])) for item in items],
            "pending": any(i.proposed_changes and i.applied_to_plan_at is None for i in items),
            "may_edit_plan": may_edit(access) and selectors.plan_of(access.person) is not None,
            "draft_url": draft_url(access.person.uuid),
            "draft_key": key,
            "draft": draft if request.method == "GET" else None,
        },
        status=409 if conflict else (400 if form.errors else 200),
    )


def _conflict_rows(
    stored: services.StoredMinutes, form: MinutesForm, items: list[AgendaItem]
) -> list[tuple[str, str, str]]:
    """(what, stored text, the user's text) for each part where the two differ."""
    mine = form.minutes() if form.is_valid() else None
    if mine is None:
        return []
    rows = []
    if stored.summary != normalise_text(mine.summary):
        rows.append((_("Oppsummering"), stored.summary, mine.summary))
    for item in items:
        key = str(item.uuid)
        if stored.agreed.get(key, "") != normalise_text(mine.agreed.get(key, "")):
            rows.append((item.title, stored.agreed.get(key, ""), mine.agreed.get(key, "")))
    return rows


# --- Plan changes agreed under an item ---------------------------------------------------------


def _item(meeting: Meeting, item_uuid: uuid.UUID) -> AgendaItem:
    item = AgendaItem.objects.filter(meeting=meeting, uuid=item_uuid).first()
    if item is None:
        raise Http404
    item.meeting = meeting
    return item


def _plan_access(actor: Actor, meeting_uuid: uuid.UUID) -> tuple[PersonAccess, Meeting]:
    access, meeting = selectors.manage_access(actor, meeting_uuid)
    if not may_edit(access):
        raise Http404
    return access, meeting


def _proposal_forms(
    access: PersonAccess, item: AgendaItem, bound: str = "", data: Any = None
) -> dict[str, Any]:
    person = access.person
    plan = selectors.plan_of(person)
    pending = list(item.proposed_changes)
    goals = apply_services.plan_goals(plan) if plan else []
    periods = apply_services.plan_periods(plan) if plan else []
    sub_goals = apply_services.plan_sub_goals(plan) if plan else []
    members = list(selectors.active_members(person))
    relatives = list(selectors.invitable_relatives(person))

    def given(kind: str) -> Any:
        return data if bound == kind else None

    return {
        apply_services.SUB_GOAL: SubGoalProposalForm(
            given(apply_services.SUB_GOAL), prefix="sub_goal", goals=goals, periods=periods, pending=pending
        ),
        apply_services.MEASURE: MeasureProposalForm(
            given(apply_services.MEASURE),
            prefix="measure",
            sub_goals=sub_goals,
            members=members,
            relatives=relatives,
            pending=pending,
        ),
        apply_services.GOAL: GoalProposalForm(given(apply_services.GOAL), prefix="goal"),
        apply_services.PERIOD: PeriodProposalForm(given(apply_services.PERIOD), prefix="period"),
    }


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def item_changes(request: HttpRequest, meeting_uuid: uuid.UUID, item_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, meeting = _plan_access(actor, meeting_uuid)
    item = _item(meeting, item_uuid)
    if selectors.plan_of(access.person) is None:
        messages.info(request, _("Personen har ingen individuell plan ennå."))
        return _back_to_minutes(meeting)
    kind = request.POST.get("type", "") if request.method == "POST" else ""
    forms_ = _proposal_forms(access, item, kind, request.POST if kind else None)
    if kind:
        form = forms_.get(kind)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                apply_services.proposal_add(actor=actor, access=access, item=item, proposal=form.proposal())
            except ValidationError as exc:
                add_errors(exc, form)
            else:
                messages.success(
                    request,
                    _("%(change)s er lagt til saken. Den føres inn i planen når du velger det.")
                    % {"change": PROPOSAL_LABELS[kind]},
                )
                return redirect("meetings:item_changes", meeting_uuid=meeting.uuid, item_uuid=item.uuid)
    else:
        selectors.audit_read(actor=actor, access=access, what="meeting.item", about=item.uuid)
    return render(
        request,
        "meetings/item_changes.html",
        {
            "person": access.person,
            "meeting": meeting,
            "item": item,
            "forms": [(k, PROPOSAL_LABELS[k], f) for k, f in forms_.items()],
            "bound": kind,
            "changes": apply_services.describe_proposals(meeting, [item]).get(item.pk, []),
        },
        status=400 if kind else 200,
    )


@permission(STAFF)
@require_http_methods(["POST"])
def item_change_remove(
    request: HttpRequest, meeting_uuid: uuid.UUID, item_uuid: uuid.UUID, proposal_id: str
) -> HttpResponse:
    actor = actor_of(request)
    access, meeting = _plan_access(actor, meeting_uuid)
    item = _item(meeting, item_uuid)
    try:
        apply_services.proposal_remove(actor=actor, access=access, item=item, proposal_id=proposal_id)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Endringen er fjernet fra saken."))
    return redirect("meetings:item_changes", meeting_uuid=meeting.uuid, item_uuid=item.uuid)


@permission(STAFF)
@require_http_methods(["POST"])
def apply(request: HttpRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    """Write the agreed changes into the plan: one item's (``item``) or all that wait."""
    actor = actor_of(request)
    access, meeting = _plan_access(actor, meeting_uuid)
    chosen = request.POST.get("item", "")
    items = None
    if chosen:
        try:
            items = [_item(meeting, uuid.UUID(chosen))]
        except ValueError:
            raise Http404 from None
    try:
        version = apply_services.apply_to_plan(actor=actor, access=access, meeting=meeting, items=items)
    except ValidationError as exc:
        refused(request, exc)
    else:
        if version is not None:
            messages.success(
                request,
                _("Endringene er ført inn i planen som versjon %(number)s.") % {"number": version.number},
            )
    return _back_to_minutes(meeting)


# --- Corrections and closing -------------------------------------------------------------------


@permission(STAFF)
@require_http_methods(["POST"])
def correction_add(request: HttpRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, meeting = selectors.meeting_access(actor, meeting_uuid)
    items = selectors.items_of(meeting)
    form = CorrectionForm(request.POST, items=items)
    if form.is_valid():
        chosen = form.cleaned_data["item"]
        item = next((i for i in items if str(i.uuid) == chosen), None)
        try:
            services.correction_add(
                actor=actor, access=access, meeting=meeting, item=item, text=form.cleaned_data["text"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            add_errors(exc, form)
        else:
            messages.success(request, _("Forslaget til retting er sendt til koordinatoren."))
            return redirect("meetings:detail", meeting_uuid=meeting.uuid)
    return render_detail(request, meeting_uuid, correction_form=form)


@permission(STAFF)
@require_http_methods(["POST"])
def correction_decide(
    request: HttpRequest, meeting_uuid: uuid.UUID, correction_uuid: uuid.UUID
) -> HttpResponse:
    actor = actor_of(request)
    access, meeting = selectors.manage_access(actor, meeting_uuid)
    correction = MinutesCorrection.objects.filter(meeting=meeting, uuid=correction_uuid).first()
    if correction is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Velg om rettingen skal tas inn."))
        return redirect("meetings:detail", meeting_uuid=meeting.uuid)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.correction_decide(
            actor=actor, access=access, correction=correction, accept=accept, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(
            request, _("Rettingen er tatt inn i referatet.") if accept else _("Rettingen er ikke tatt inn.")
        )
    return redirect("meetings:detail", meeting_uuid=meeting.uuid)


@permission(STAFF)
@require_http_methods(["POST"])
def minutes_close(request: HttpRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access, meeting = selectors.manage_access(actor, meeting_uuid)
    try:
        services.minutes_close(actor=actor, access=access, meeting=meeting)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Referatet er godkjent."))
    return redirect("meetings:detail", meeting_uuid=meeting.uuid)

"""What the plan's edit routes share: each is a small form that opens in place (htmx swaps it
into the plan page) or on a page of its own without JavaScript, saves through a service, and
answers a refused save with both versions side by side — the stored one (who saved it, when)
and the user's own, still in the form.

Status codes: a refused save answers 409 to htmx (``drafts.js`` lets htmx swap it in) and 200 to
a plain form post, which shows the same form on a page of its own. A save that succeeds answers
htmx with the saved part (and the parts of the page that depend on it, out of band), and a plain
post with a redirect to the plan page at the part's anchor.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from oppfolging.access.actor import Actor
from oppfolging.access.persons import PersonAccess
from oppfolging.people.models import Person
from oppfolging.plans import plan_selectors as selectors
from oppfolging.plans.draft_selectors import DraftOffer
from oppfolging.plans.plan_forms import VersionedForm, conflict_rows
from oppfolging.plans.services import PlanConflictError

T = "plans/plan/"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def plan_url(person: Person, anchor: str = "") -> str:
    url = reverse("plans:detail", args=[person.uuid])
    return f"{url}#{anchor}" if anchor else url


@dataclass(frozen=True)
class Conflict:
    """A refused save: who saved the plan last and when, and each field on both sides."""

    by: str
    at: datetime.datetime | None
    rows: list[tuple[str, str, str, bool]]


@dataclass
class FormSpec:
    """One form of the plan page and where it lives on the page."""

    form: forms.Form
    url: str  # where it posts
    slot: str  # the id of the element the form replaces on the plan page
    title: str
    anchor: str  # where on the plan page it returns to
    heading_level: int = 3
    tag: str = "div"  # the fragment's root element: div, li, or tr (a measure's row)
    colspan: int = 1
    submit_label: str = ""
    draft_key: str = ""  # the form keeps a draft across a session timeout (drafts.js)
    base_version: int | None = None
    updated_at: datetime.datetime | None = None  # when the part was saved last (drafts.js compares)
    draft: DraftOffer | None = None
    conflict: Conflict | None = None
    notice: str = ""
    cancel: bool = True  # a form that opened in place has a way back; one always there has not
    htmx: bool = True  # in place on the plan page; on a page of its own it posts normally


def render_form(
    request: HttpRequest, access: PersonAccess, spec: FormSpec, status: int = 200
) -> HttpResponse:
    """The form alone for htmx; without it, the form on a page of its own."""
    context = {"person": access.person, "access": access, "spec": spec, "form": spec.form}
    if is_htmx(request):
        return render(request, T + "_form.html", context, status=status)
    spec.heading_level = 2
    spec.tag = "div"
    spec.htmx = False
    return render(request, T + "form_page.html", context, status=status)


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal on the field it names, else on the form as a whole."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def conflict_response(
    request: HttpRequest,
    access: PersonAccess,
    spec: FormSpec,
    refused: PlanConflictError,
    stored: Callable[[Any], dict[str, Any]],
) -> HttpResponse:
    """The form again with the user's values (nothing lost), opened from the stored version so
    the next save is checked against it, and both versions side by side."""
    current: models.Model = refused.current
    form = spec.form
    if isinstance(form, VersionedForm):
        form = form.with_version(current.version)  # type: ignore[attr-defined]
        form.is_valid()
    saved = selectors.last_saved(_plan_of(current))
    spec.form = form
    spec.base_version = current.version  # type: ignore[attr-defined]
    spec.conflict = Conflict(
        by=saved.by if saved else "",
        at=saved.at if saved else None,
        rows=conflict_rows(form, stored(current)),
    )
    return render_form(request, access, spec, status=409 if is_htmx(request) else 200)


def _plan_of(obj: Any) -> Any:
    """The plan a stored part belongs to (the plan itself, a goal, a period, a sub-goal...)."""
    for path in ("plan", "period.plan", "sub_goal.period.plan"):
        target = obj
        try:
            for name in path.split("."):
                target = getattr(target, name)
        except AttributeError:
            continue
        return target
    return obj


def saved_response(
    request: HttpRequest,
    *,
    actor: Actor,
    access: PersonAccess,
    anchor: str,
    message: str,
    main: str,
    pick: Callable[[selectors.PlanPage], dict[str, Any]] | None = None,
) -> HttpResponse:
    """After a save: htmx gets the saved part and what depends on it (``_saved.html``, the
    branch named ``main``; ``pick`` finds the saved item on the page); a plain post goes back to
    the plan page at the part."""
    if not is_htmx(request):
        messages.success(request, message)
        return redirect(plan_url(access.person, anchor))
    page = selectors.plan_page_for(actor, access, audit=False)
    context = {
        "page": page,
        "person": access.person,
        "access": access,
        "content": page.content,
        "notice": message,
    }
    context |= {"main": main, **(pick(page) if pick is not None else {})}
    return render(request, T + "_saved.html", context)


@dataclass(frozen=True)
class Saved:
    """What a successful save answers with (see :func:`saved_response`)."""

    anchor: str
    message: str
    main: str
    pick: Callable[[selectors.PlanPage], dict[str, Any]]


def edit_response(
    request: HttpRequest,
    *,
    actor: Actor,
    access: PersonAccess,
    spec: FormSpec,
    what: str,
    about: Any,
    initial: Callable[[Any], dict[str, Any]],
    save: Callable[[int, dict[str, Any]], object],
    saved: Saved,
) -> HttpResponse:
    """The life of an edit form: GET shows it (the opening is audited as ``what``); a POST saves
    through ``save(version, cleaned_data)`` from the version the form was opened at — refused as
    a conflict with both versions shown, or with the errors, the user's text kept either way."""
    form = spec.form
    if request.method == "GET":
        selectors.form_opened(actor=actor, access=access, what=what, about=about)
        return render_form(request, access, spec)
    if not form.is_valid():
        return render_form(request, access, spec)
    try:
        save(form.cleaned_data["version"], form.cleaned_data)
    except PlanConflictError as refused:
        return conflict_response(request, access, spec, refused, initial)
    except ValidationError as exc:
        add_errors(form, exc)
        return render_form(request, access, spec)
    return _answer(request, actor, access, saved)


def _answer(request: HttpRequest, actor: Actor, access: PersonAccess, done: Saved) -> HttpResponse:
    return saved_response(
        request,
        actor=actor,
        access=access,
        anchor=done.anchor,
        message=done.message,
        main=done.main,
        pick=done.pick,
    )


def add_response(
    request: HttpRequest,
    *,
    actor: Actor,
    access: PersonAccess,
    spec: FormSpec,
    add: Callable[[dict[str, Any]], Any],
    saved: Callable[[Any], Saved],
) -> HttpResponse:
    """The life of a form that adds a part: GET shows it; a valid POST adds through
    ``add(cleaned_data)`` and answers with ``saved(new part)``; refused input comes back in the
    form with the errors."""
    form = spec.form
    if request.method == "GET" or not form.is_valid():
        return render_form(request, access, spec)
    try:
        added = add(form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc)
        return render_form(request, access, spec)
    done = saved(added)
    return saved_response(
        request,
        actor=actor,
        access=access,
        anchor=done.anchor,
        message=done.message,
        main=done.main,
        pick=done.pick,
    )

"""The draft endpoint every long form can use (``data-draft-key``/``data-draft-url`` on the
form, see ``static/js/drafts.js``): it keeps what the user typed across a session timeout, or
lets a draft go.

- The script autosaves here (``X-Autosave: 1``) and gets 204, nothing to swap.
- «Forkast utkastet» (``discard``) with htmx gets an empty 200, so the offer disappears.
- Without JavaScript both come back to ``next`` (a local URL) or the plan page, with a message.

An expired session never reaches this view: the access middleware answers with a redirect to
the login page, which the script recognises and tells the user, keeping the text in the form
and in the browser.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.persons import Need, access_person
from oppfolging.access.rules import AUTHENTICATED, permission
from oppfolging.plans import draft_services
from oppfolging.plans.plan_view_support import is_htmx, plan_url

# Fields of the form that are not what the user typed.
NOT_TYPED = frozenset({"csrfmiddlewaretoken", "_draft_key", "_draft_base_version", "discard", "next"})


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@permission(AUTHENTICATED)
@require_http_methods(["POST"])
def draft(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = access_person(actor, person_uuid, Need.CASE_CONTENT)
    if access.until is not None:
        raise Http404  # a former member reads the past; they write nothing
    key = request.POST.get("_draft_key", "")
    if not draft_services.valid_key(key):
        return HttpResponseBadRequest()
    autosave = request.headers.get("X-Autosave") == "1"
    try:
        if request.POST.get("discard"):
            draft_services.draft_discard(actor=actor, access=access, key=key)
            notice = _("Utkastet er forkastet.")
        else:
            try:
                base_version = int(request.POST.get("_draft_base_version", "0"))
            except ValueError:
                return HttpResponseBadRequest()
            data = {
                name: values if len(values) > 1 else values[0]
                for name, values in request.POST.lists()
                if name not in NOT_TYPED and not name.endswith("-version") and name != "version"
            }
            draft_services.draft_save(
                actor=actor, access=access, key=key, data=data, base_version=base_version
            )
            notice = _("Utkastet er lagret. Det er ikke lagret i skjemaet før du trykker Lagre.")
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        if autosave or is_htmx(request):
            return HttpResponse(status=413)
        messages.error(request, " ".join(exc.messages))
        return _back(request, plan_url(access.person))
    if autosave:
        return HttpResponse(status=204)
    if is_htmx(request):
        return HttpResponse(status=200)
    messages.success(request, notice)
    return _back(request, plan_url(access.person))

"""The person's consents: the list, recording one of each kind, and withdrawing. Open to those
who record consents (KE, the allocation officer handling the case, the coordinator)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import Actor, actor_of
from oppfolging.access.rules import STAFF, permission
from oppfolging.consents import selectors, services
from oppfolging.consents.forms import ConsentGiverForm, ConsentScopeForm
from oppfolging.consents.models import Consent, ConsentKind
from oppfolging.teams.team_selectors import TeamAccess, team_access, team_form_opened, team_members_active
from oppfolging.teams.team_views import add_errors

# URL slugs (Norwegian, as the rest of the URLs) for the kinds of consent.
KIND_SLUGS = {
    "planarbeid": ConsentKind.PLAN_WORK,
    "teammedlem": ConsentKind.TEAM_MEMBERSHIP,
    "deling": ConsentKind.INFORMATION_SHARING,
    "parorende": ConsentKind.INVOLVE_RELATIVES,
}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}


@permission(STAFF)
@require_http_methods(["GET"])
def consent_list(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = team_access(actor, person_uuid, manage=True)
    rows = selectors.consent_page(actor=actor, access=access)
    return render(
        request,
        "consents/list.html",
        {
            "person": access.person,
            "in_force": [row for row in rows if row.in_force],
            "history": [row for row in rows if not row.in_force],
            "kinds": [(SLUG_OF[kind], kind.label) for kind in ConsentKind],
        },
    )


def _record(
    actor: Actor, access: TeamAccess, kind: ConsentKind, scope: ConsentScopeForm, giver: ConsentGiverForm
) -> Consent:
    given = giver.giver()
    data = scope.cleaned_data
    if kind == ConsentKind.TEAM_MEMBERSHIP:
        return services.consent_record_team_membership(
            actor=actor, access=access, member=data["team_member"], giver=given
        )
    if kind == ConsentKind.INVOLVE_RELATIVES:
        return services.consent_record_involve_relative(
            actor=actor, access=access, relative=data["relative"], giver=given
        )
    if kind == ConsentKind.INFORMATION_SHARING:
        return services.consent_record_information_sharing(
            actor=actor, access=access, shares=scope.shares(), giver=given
        )
    return services.consent_record_plan_work(actor=actor, access=access, giver=given)


@permission(STAFF)
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, person_uuid: uuid.UUID, kind: str) -> HttpResponse:
    actor = actor_of(request)
    access = team_access(actor, person_uuid, manage=True)
    if kind not in KIND_SLUGS:
        raise Http404
    consent_kind = KIND_SLUGS[kind]
    person = access.person
    data = request.POST if request.method == "POST" else None
    scope = ConsentScopeForm(
        data,
        prefix="scope",
        kind=consent_kind,
        members=list(team_members_active(person=person)),
        relatives=list(person.relatives.all()),
    )
    giver = ConsentGiverForm(data, prefix="consent", person=person)
    if data is not None and scope.is_valid() & giver.is_valid():
        try:
            _record(actor, access, consent_kind, scope, giver)
        except ValidationError as exc:
            add_errors(exc, scope, giver)
        else:
            messages.success(request, _("Samtykket er registrert."))
            return redirect("consents:list", person_uuid=person.uuid)
    if data is None:
        team_form_opened(actor=actor, access=access, what="consent")
    return render(
        request,
        "consents/form.html",
        {
            "person": person,
            "kind": consent_kind,
            "slug": kind,
            "scope": scope,
            "giver": giver,
            "has_scope_fields": bool(scope.fields),
            "form": giver if giver.errors and not scope.errors else scope,
        },
    )


@permission(STAFF)
@require_http_methods(["POST"])
def consent_withdraw(request: HttpRequest, person_uuid: uuid.UUID, consent_uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    access = team_access(actor, person_uuid, manage=True)
    consent = selectors.consent_get(access=access, consent_uuid=consent_uuid)
    try:
        services.consent_withdraw(actor=actor, access=access, consent=consent)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Samtykket «%(kind)s» er trukket tilbake. Det gjelder fra nå av.")
            % {"kind": consent.get_kind_display()},
        )
    return redirect("consents:list", person_uuid=access.person.uuid)

"""The JSON API (v1): the same selectors and access module as the HTML views, documented by an
OpenAPI schema at /api/v1/openapi.json. No interactive docs page: it would load scripts from a CDN,
which the Content-Security-Policy (and the machines' lack of internet) forbids."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Schema

from oppfolging.access.actor import actor_of
from oppfolging.access.persons import Need
from oppfolging.access.rules import AUTHENTICATED, CASE_INTAKE, STAFF
from oppfolging.accounts.models import Role
from oppfolging.api.schemas import ErrorOut, MeOut, PersonOut, PersonSummaryOut
from oppfolging.api.security import REFUSE, requires
from oppfolging.people import selectors
from oppfolging.people.models import Person

api = NinjaAPI(
    title="Oppfølging API",
    version="1",
    urls_namespace="api",
    auth=REFUSE,
    docs_url=None,
    description="Strukturert tverrfaglig oppfølging. Every route answers 404 for 'missing or not yours'.",
)


def _summary(person: Person) -> PersonSummaryOut:
    return PersonSummaryOut(
        uuid=person.uuid, name=person.full_name, masked_id=person.masked_id, birth_date=person.birth_date
    )


@api.get("/me", response=MeOut, auth=requires(AUTHENTICATED), url_name="me")
def me(request: HttpRequest) -> MeOut:
    actor = actor_of(request)
    user = actor.user
    if user is None:  # pragma: no cover - the AUTHENTICATED rule has refused already
        raise Http404
    return MeOut(
        username=user.username,
        name=user.get_full_name(),
        kind=user.kind,
        roles=sorted(role.value for role in actor.roles),
        municipality=actor.municipality.name if actor.municipality else None,
    )


class SearchIn(Schema):
    q: str


@api.get("/persons", response=list[PersonSummaryOut], auth=requires(CASE_INTAKE), url_name="person_search")
def person_search(request: HttpRequest, params: Query[SearchIn]) -> list[PersonSummaryOut]:
    actor = actor_of(request)
    role = Role.KE_STAFF.value if actor.has_role(Role.KE_STAFF) else Role.ALLOCATION_OFFICER.value
    return [_summary(p) for p in selectors.person_search(actor=actor, role=role, query=params.q)]


@api.get(
    "/persons/{person_uuid}",
    response={200: PersonOut, 404: ErrorOut},
    auth=requires(STAFF),
    url_name="person_detail",
)
def person_detail(request: HttpRequest, person_uuid: uuid.UUID) -> PersonOut:
    access = selectors.person_get(actor=actor_of(request), person_uuid=person_uuid)
    person = access.person
    return PersonOut(
        **_summary(person).model_dump(),
        national_id=person.national_id if access.may(Need.IDENTITY) else None,
        id_kind=person.id_kind,
        sex=person.sex,
        phone=person.phone,
        email=person.email,
        preferred_language=person.preferred_language,
        interpreter_needed=person.interpreter_needed,
        interpreter_language=person.interpreter_language,
    )

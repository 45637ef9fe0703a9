"""Who may see or do what with one person's data.

:func:`access_person` is the only way to a :class:`Person` for a request: it scopes to the actor's
municipality first, then asks every *grant source* what the actor may do with that person, and
answers ``Http404`` for "missing or not yours" alike. Later capabilities add grant sources (team
membership, the person's consent) with :func:`register_grant_source`; nothing else changes.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.http import Http404

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Role
from oppfolging.core.tenancy import enter_municipality
from oppfolging.people.models import Person, RelativeKind


class Need(StrEnum):
    """What the actor wants from the person's record."""

    ADMIN_DATA = "admin_data"  # name, age, contact, status: what KE's overview holds
    IDENTITY = "identity"  # the whole identity number
    EDIT = "edit"  # change the person's registration and relatives
    ACCESS_LOG = "access_log"  # who has looked at this person
    CASE_CONTENT = "case_content"  # assessments, plans, notes (later issues)


ALL_SECTIONS: frozenset[str] | None = None  # a grant that is not narrowed to some sections


@dataclass(frozen=True)
class Grant:
    """What one source allows. ``sections`` narrows CASE_CONTENT to some parts (assessment
    section keys, by the person's information-sharing consent); ``None`` means all parts.
    ``until`` limits content to what existed then (a former team member's history)."""

    role: str  # recorded in the audit log as the role the access was made in
    needs: frozenset[Need]
    sections: frozenset[str] | None = ALL_SECTIONS
    until: datetime.datetime | None = None


GrantSource = Callable[[Actor, Person], Iterable[Grant]]

_REGISTRATION = frozenset({Need.ADMIN_DATA, Need.IDENTITY, Need.EDIT})


def municipal_role_grants(actor: Actor, person: Person) -> Iterable[Grant]:
    """KE keeps the municipality's overview; the allocation office registers and handles reports.
    Neither sees case content by role alone (it comes with handling a case, in a later issue)."""
    if (
        not actor.is_staff_user
        or actor.municipality is None
        or actor.municipality.pk != person.municipality_id
    ):
        return
    if actor.has_role(Role.KE_STAFF):
        yield Grant(Role.KE_STAFF.value, _REGISTRATION | {Need.ACCESS_LOG})
    if actor.has_role(Role.ALLOCATION_OFFICER):
        yield Grant(Role.ALLOCATION_OFFICER.value, _REGISTRATION)


def own_record_grants(actor: Actor, person: Person) -> Iterable[Grant]:
    if actor.is_citizen and actor.person_id == person.pk:
        yield Grant("self", frozenset({Need.ADMIN_DATA, Need.IDENTITY, Need.ACCESS_LOG, Need.CASE_CONTENT}))


def guardian_grants(actor: Actor, person: Person) -> Iterable[Grant]:
    """Guardians of a minor take part by law. Other relatives need the person's consent, which
    the consent capability adds as its own grant source."""
    if not actor.is_citizen or person.pk not in actor.relative_person_ids or person.age() >= 18:
        return
    if person.relatives.filter(user=actor.user, kind=RelativeKind.GUARDIAN).exists():
        yield Grant(
            RelativeKind.GUARDIAN.value, frozenset({Need.ADMIN_DATA, Need.ACCESS_LOG, Need.CASE_CONTENT})
        )


_grant_sources: list[GrantSource] = [municipal_role_grants, own_record_grants, guardian_grants]


def register_grant_source(source: GrantSource) -> None:
    if source not in _grant_sources:
        _grant_sources.append(source)


def grants_for(actor: Actor, person: Person) -> list[Grant]:
    return [grant for source in _grant_sources for grant in source(actor, person)]


@dataclass(frozen=True)
class PersonAccess:
    person: Person
    role: str
    needs: frozenset[Need]
    # Content parts visible (None: all) and the latest time content is visible from (None: now).
    sections: frozenset[str] | None = ALL_SECTIONS
    until: datetime.datetime | None = None
    # Every role a grant gave (the coordinator during an overlap may also be a team member).
    roles: frozenset[str] = frozenset()

    def may(self, need: Need) -> bool:
        return need in self.needs

    def may_see_section(self, key: str) -> bool:
        return Need.CASE_CONTENT in self.needs and (self.sections is None or key in self.sections)

    def may_see_written_at(self, moment: datetime.datetime) -> bool:
        """Content written after a member left stays hidden from them."""
        return self.until is None or moment <= self.until


def _combine(grants: list[Grant]) -> tuple[frozenset[str] | None, datetime.datetime | None]:
    """The widest view the content grants give together: all sections if any grant has all,
    and no time limit if any grant has none."""
    content = [grant for grant in grants if Need.CASE_CONTENT in grant.needs]
    if not content:
        return frozenset(), None
    sections: frozenset[str] | None
    if any(grant.sections is None for grant in content):
        sections = None
    else:
        sections = frozenset(key for grant in content for key in grant.sections or ())
    untils = [grant.until for grant in content]
    until = None if any(u is None for u in untils) else max(u for u in untils if u is not None)
    return sections, until


# Finders for persons outside the actor's own municipality scope that the actor may still reach
# (an external hospital doctor in the person's team). Each returns the person or None.
PersonFinder = Callable[[Actor, "uuid.UUID | str"], "Person | None"]
_person_finders: list[PersonFinder] = []


def register_person_finder(finder: PersonFinder) -> None:
    if finder not in _person_finders:
        _person_finders.append(finder)


def _find_person(actor: Actor, person_uuid: uuid.UUID | str) -> Person:
    try:
        return Person.objects.select_related("municipality").get(uuid=person_uuid)
    except (Person.DoesNotExist, ValueError, TypeError, ValidationError):
        pass
    for finder in _person_finders:
        try:
            found = finder(actor, person_uuid)
        except (ValueError, TypeError, ValidationError):
            found = None
        if found is not None:
            return found
    raise Http404


def access_person(actor: Actor, person_uuid: uuid.UUID | str, need: Need) -> PersonAccess:
    """The person, if ``actor`` may ``need`` them; otherwise Http404 (missing or not yours)."""
    if not actor.is_authenticated:
        raise Http404
    person = _find_person(actor, person_uuid)
    grants = grants_for(actor, person)
    allowed = frozenset(n for grant in grants for n in grant.needs)
    granting = [grant for grant in grants if need in grant.needs]
    if not granting:
        raise Http404
    sections, until = _combine(grants)
    # The rest of the request reads this person's records: work in their municipality.
    enter_municipality(person.municipality_id)
    return PersonAccess(
        person=person,
        role=granting[0].role,
        needs=allowed,
        sections=sections,
        until=until,
        roles=frozenset(grant.role for grant in grants),
    )


def may_search_persons(actor: Actor) -> bool:
    return actor.is_staff_user and actor.has_role(Role.KE_STAFF, Role.ALLOCATION_OFFICER)

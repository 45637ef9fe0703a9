"""What the person's consent to involve a relative gives, as a grant source: a relative with a
citizen account whom the person has consented to involve (in force at the moment of access) sees
the person's plan, team and meetings in the portal — not the assessment's sections. Guardians of
minors take part by law (:func:`oppfolging.access.persons.guardian_grants`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Grant, Need
from oppfolging.consents.models import Consent, ConsentKind
from oppfolging.people.models import Person

RELATIVE_NEEDS = frozenset({Need.ADMIN_DATA, Need.CASE_CONTENT})


def relative_consent_grants(actor: Actor, person: Person) -> Iterable[Grant]:
    if not actor.is_citizen or actor.user is None or person.pk not in actor.relative_person_ids:
        return
    today = timezone.localdate()
    consented = Consent.all_tenants.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
        person=person,
        kind=ConsentKind.INVOLVE_RELATIVES,
        relative__user=actor.user,
        withdrawn_at__isnull=True,
    ).exists()
    if consented:
        yield Grant("relative", RELATIVE_NEEDS, sections=frozenset())

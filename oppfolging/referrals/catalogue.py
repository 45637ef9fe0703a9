"""Each municipality's service catalogue starts from the same ten services (helse- og
omsorgstjenesteloven § 3-2 and the services the guideline names), in the municipality's own
written language, and is theirs to edit from then on."""

from __future__ import annotations

from django.db import transaction

from oppfolging.accounts.models import User
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.core.models import Language, Municipality
from oppfolging.referrals.models import ServiceType

# Names are the municipality's data, stored as it writes them (not translated at display time).
DEFAULT_SERVICES: dict[str, list[str]] = {
    Language.BOKMAAL: [
        "Hjemmesykepleie",
        "Praktisk bistand",
        "Fysioterapi",
        "Ergoterapi",
        "Avlastning",
        "Dagaktivitet",
        "Bolig",
        "Brukerstyrt personlig assistanse",
        "Støttekontakt",
        "Omsorgsstønad",
    ],
    Language.NYNORSK: [
        "Heimesjukepleie",
        "Praktisk bistand",
        "Fysioterapi",
        "Ergoterapi",
        "Avlastning",
        "Dagaktivitet",
        "Bustad",
        "Brukarstyrt personleg assistanse",
        "Støttekontakt",
        "Omsorgsstønad",
    ],
}


@transaction.atomic
def ensure_default_catalogue(municipality: Municipality, *, actor: User | None = None) -> int:
    """Give ``municipality`` the default catalogue if it has no services at all; returns how many
    were created. Once it has any, nothing is added: a renamed or removed default must not come
    back. Safe to call on every page view and from the demo (inside ``unscoped()`` or the
    municipality's own scope); two concurrent first calls do not collide."""
    if ServiceType.objects.filter(municipality=municipality).exists():
        return 0
    names = DEFAULT_SERVICES.get(municipality.default_language, DEFAULT_SERVICES[Language.BOKMAAL])
    created = ServiceType.objects.bulk_create(
        [ServiceType(municipality=municipality, name=name) for name in names], ignore_conflicts=True
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        what="service_type",
        municipality=municipality,
        detail={"defaults": len(created)},
    )
    return len(created)

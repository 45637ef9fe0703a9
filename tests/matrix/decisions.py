"""Decisions and the service catalogue. KE and the allocation office of the person's own
municipality open a person's decisions and record them (the allocation office services, KE
individual plan and coordinator); the person's active coordinator reads them; the catalogue is
KE's and the allocation office's, each their own municipality's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.matrix import FJORDVIK_INTAKE, LIDAL_INTAKE, Case, only, per, sigrid


def service_type(town: str) -> Callable[[Any], dict[str, Any]]:
    def kwargs(cast: Any) -> dict[str, Any]:
        from oppfolging.core.tenancy import unscoped
        from oppfolging.referrals.catalogue import ensure_default_catalogue
        from oppfolging.referrals.models import ServiceType

        municipality = cast.municipalities[town]
        with unscoped():
            ensure_default_catalogue(municipality)
            first = ServiceType.objects.filter(municipality=municipality).earliest("name")
        return {"service_type_uuid": first.uuid}

    return kwargs


def per_with_coordinator(cast: Any) -> dict[str, Any]:
    from oppfolging.teams.models import AssignmentStatus
    from oppfolging.teams.tests.test_coordinators_support import assignment

    assignment(cast, "Per", "fjordvik-koordinator", AssignmentStatus.ACTIVE)
    return per(cast)


def decision(kind: str) -> Callable[[Any], dict[str, Any]]:
    def kwargs(cast: Any) -> dict[str, Any]:
        import datetime

        from oppfolging.core.tenancy import unscoped
        from oppfolging.referrals.catalogue import ensure_default_catalogue
        from oppfolging.referrals.models import ServiceDecision, ServiceType

        person = cast.persons["Per"]
        with unscoped():
            ensure_default_catalogue(person.municipality)
            service = (
                ServiceType.objects.filter(municipality=person.municipality).first()
                if kind == "service"
                else None
            )
            made, _created = ServiceDecision.objects.get_or_create(
                municipality=person.municipality,
                person=person,
                kind=kind,
                defaults={
                    "service_type": service,
                    "outcome": "granted",
                    "decided_on": datetime.date(2026, 1, 2),
                    "decided_by": cast.users["fjordvik-tildeling" if kind == "service" else "fjordvik-ke"],
                },
            )
        return {"decision_uuid": made.uuid}

    return kwargs


ENTRIES: dict[str, list[Case]] = {
    "decisions:catalogue": [Case("list", expect=only([*FJORDVIK_INTAKE, *LIDAL_INTAKE]))],
    "decisions:service_type_create": [Case("form", expect=only([*FJORDVIK_INTAKE, *LIDAL_INTAKE]))],
    "decisions:service_type_edit": [
        Case("Fjordvik service", service_type("fjordvik"), expect=only(FJORDVIK_INTAKE)),
        Case("Lidal service", service_type("lidal"), expect=only(LIDAL_INTAKE)),
    ],
    "decisions:person": [
        Case("Fjordvik person", per, expect=only(FJORDVIK_INTAKE)),
        Case(
            "with a coordinator",
            per_with_coordinator,
            expect=only([*FJORDVIK_INTAKE, "fjordvik-koordinator"]),
        ),
        Case("Lidal person", sigrid, expect=only(LIDAL_INTAKE)),
    ],
    "decisions:create": [
        Case("Fjordvik person", per, expect=only(FJORDVIK_INTAKE)),
        Case("Lidal person", sigrid, expect=only(LIDAL_INTAKE)),
    ],
    "decisions:notify": [
        Case("service decision", decision("service"), expect=only(["fjordvik-tildeling"])),
        Case("individual plan decision", decision("individual_plan"), expect=only(["fjordvik-ke"])),
    ],
}

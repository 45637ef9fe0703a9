"""Helpers for the administration tests: units by name, new staff in bulk, and the audit rows a
test's own action wrote."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db.models import Max

from oppfolging.accounts.models import Membership, Role, User
from oppfolging.audit.models import AuditEvent
from oppfolging.core.models import Unit
from oppfolging.core.tenancy import unscoped

STRONG_PASSWORD = "Fjellvann-og-kaffe-42"
HOME_CARE = "Hjemmetjenesten Fjordvik"
HOSPITAL = "Fjellheim sykehus, medisinsk avdeling"


@pytest.fixture
def units(db: None) -> dict[str, Unit]:
    """Every unit of the demo by name, e.g. ``units["Heimetenesta Lidal"]``."""
    return {unit.name: unit for unit in Unit.objects.select_related("municipality")}


@pytest.fixture
def audit_mark(db: None) -> Callable[[], Callable[[], list[AuditEvent]]]:
    """``new_rows = audit_mark()`` before an action; ``new_rows()`` after it gives the rows it wrote."""

    def mark() -> Callable[[], list[AuditEvent]]:
        with unscoped():
            start = AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0

        def rows() -> list[AuditEvent]:
            with unscoped():
                return list(AuditEvent.objects.filter(id__gt=start).order_by("id"))

        return rows

    return mark


def make_staff(unit: Unit, count: int, *, prefix: str = "ansatt") -> list[User]:
    """``count`` staff users with two roles each in ``unit``, the shape a real list has."""
    users = []
    for index in range(count):
        user = User.objects.create_user(
            username=f"{prefix}-{unit.pk}-{index}", first_name="Test", last_name=f"Ansatt {index}"
        )
        Membership.objects.create(user=user, unit=unit, role=Role.TEAM_MEMBER)
        Membership.objects.create(user=user, unit=unit, role=Role.COORDINATOR)
        users.append(user)
    return users

"""Reads for the municipality administrator: users and units of their own municipality only.

The lists cost a fixed number of queries however many rows they show: memberships come in one
prefetch, and what each row needs to know (may it be managed, how many members) is annotated.
"""

from __future__ import annotations

from django.db.models import Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.db.models.fields import BooleanField

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Membership, User
from oppfolging.administration.access import (
    administered_municipality,
    has_own_membership,
    manageable_condition,
    managed_units,
)
from oppfolging.core.models import Unit


def unit_list(*, actor: Actor) -> QuerySet[Unit]:
    """Own units with the number of active memberships in each."""
    return (
        managed_units(actor)
        .annotate(active_members=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("name")
    )


def unit_choices(*, actor: Actor) -> QuerySet[Unit]:
    """The units a role can be given in: own and active."""
    return managed_units(actor).filter(is_active=True).order_by("name")


def user_list(*, actor: Actor, role: str = "", unit: Unit | None = None) -> QuerySet[User]:
    """Users with at least one membership in a unit of the actor's municipality, each with
    ``own_memberships`` (active ones, with units) and ``is_manageable``. Users shared with another
    municipality or an external unit are listed, so the administrator knows they exist, but are
    marked as not theirs to change.

    ``role`` and ``unit`` narrow the list to users who hold that role / have a role in that unit.
    """
    municipality = administered_municipality(actor)
    if municipality is None:
        return User.objects.none()
    own_active = Membership.objects.filter(unit__municipality=municipality, is_active=True)
    users = User.objects.filter(has_own_membership(municipality))
    if role or unit is not None:
        matching = own_active.filter(user=OuterRef("pk"))
        if role:
            matching = matching.filter(role=role)
        if unit is not None:
            matching = matching.filter(unit=unit)
        users = users.filter(Exists(matching))
    return (
        users.annotate(
            is_manageable=ExpressionWrapper(manageable_condition(municipality), output_field=BooleanField())
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=own_active.select_related("unit").order_by("unit__name", "role"),
                to_attr="own_memberships",
            )
        )
        .order_by("last_name", "first_name", "username")
    )


def user_memberships(*, actor: Actor, user: User) -> list[Membership]:
    """A managed user's memberships in the actor's municipality, active first, then ended (kept
    so the administrator sees what the user has had)."""
    municipality = administered_municipality(actor)
    if municipality is None:
        return []
    return list(
        Membership.objects.filter(user=user, unit__municipality=municipality)
        .select_related("unit")
        .order_by("-is_active", "unit__name", "role")
    )

"""Reads for the municipality administrator: users and units of their own municipality only."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Membership, User
from oppfolging.core.models import Unit


def unit_list(*, actor: Actor) -> QuerySet[Unit]:
    if actor.municipality is None:
        return Unit.objects.none()
    return Unit.objects.filter(municipality=actor.municipality).order_by("name")


def user_list(*, actor: Actor) -> QuerySet[User]:
    """Users with at least one membership in a unit of the actor's municipality."""
    if actor.municipality is None:
        return User.objects.none()
    own_memberships = Membership.objects.filter(unit__municipality=actor.municipality).select_related("unit")
    return (
        User.objects.filter(memberships__unit__municipality=actor.municipality)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=own_memberships, to_attr="own_memberships"))
        .order_by("last_name", "first_name", "username")
    )

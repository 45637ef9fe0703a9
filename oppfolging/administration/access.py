"""Which users, memberships and units a municipality administrator may manage.

Every administration view and service reaches a user, a membership or a unit through these
helpers, and "missing" and "not yours" give the same ``Http404``. The rule for users is narrower
than "has a role in my municipality": someone who also holds (or held) a role in another
municipality or in an external unit is shared, and changing their name, e-mail or active flag
would change them for the other party too, so only the platform operator manages them. Platform
operators themselves (``is_staff``/``is_superuser``) and citizens are never managed here.
"""

from __future__ import annotations

import uuid

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from oppfolging.access.actor import Actor
from oppfolging.accounts.models import Membership, Role, User, UserKind
from oppfolging.core.models import Municipality, Unit


def administered_municipality(actor: Actor) -> Municipality | None:
    """The municipality ``actor`` administers, or ``None``. The actor's roles only ever come from
    the one municipality they act in, so holding the role means administering that one."""
    if not actor.is_staff_user or actor.municipality is None:
        return None
    if not actor.has_role(Role.MUNICIPALITY_ADMIN):
        return None
    return actor.municipality


def has_own_membership(municipality: Municipality) -> Exists:
    """A user with any membership, active or ended, in a unit of ``municipality``. Ended ones
    count so that a user whose roles were all ended can still be found and given a role again."""
    return Exists(Membership.objects.filter(user=OuterRef("pk"), unit__municipality=municipality))


def manageable_condition(municipality: Municipality) -> Q:
    """The one definition of "this administrator may change this user", for filters and for
    annotating a list. Memberships elsewhere count whether or not they have ended: fail closed."""
    elsewhere = Membership.objects.filter(user=OuterRef("pk")).filter(
        Q(unit__municipality__isnull=True) | ~Q(unit__municipality=municipality)
    )
    return (
        Q(kind=UserKind.STAFF, is_superuser=False, is_staff=False)
        & Q(has_own_membership(municipality))
        & ~Q(Exists(elsewhere))
    )


def managed_users(actor: Actor) -> QuerySet[User]:
    municipality = administered_municipality(actor)
    if municipality is None:
        return User.objects.none()
    return User.objects.filter(manageable_condition(municipality))


def access_managed_user(actor: Actor, user_uuid: uuid.UUID | str) -> User:
    """The user, if ``actor`` may manage them; otherwise Http404 (missing or not yours)."""
    try:
        return managed_users(actor).get(uuid=user_uuid)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def managed_units(actor: Actor) -> QuerySet[Unit]:
    """Units of the administrator's own municipality. External units (no municipality) are
    shared by every municipality and belong to the platform operator."""
    municipality = administered_municipality(actor)
    if municipality is None:
        return Unit.objects.none()
    return Unit.objects.filter(municipality=municipality)


def access_managed_unit(actor: Actor, unit_uuid: uuid.UUID | str) -> Unit:
    """The unit, if it is one of the administrator's own; otherwise Http404."""
    try:
        return managed_units(actor).select_related("municipality").get(uuid=unit_uuid)
    except (Unit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def access_managed_membership(actor: Actor, user: User, membership_uuid: uuid.UUID | str) -> Membership:
    """One of ``user``'s memberships in the administrator's municipality; ``user`` must already
    have come through :func:`access_managed_user`. Otherwise Http404."""
    municipality = administered_municipality(actor)
    if municipality is None:
        raise Http404
    try:
        return Membership.objects.select_related("unit", "user").get(
            uuid=membership_uuid, user=user, unit__municipality=municipality
        )
    except (Membership.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc

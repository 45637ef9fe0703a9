"""Who is acting, resolved once per request: the user, the municipality they act in, and their
roles there. Every access decision starts from an :class:`Actor`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from oppfolging.accounts.models import Membership, Role, User
from oppfolging.core.models import Municipality, Unit
from oppfolging.core.tenancy import unscoped


@dataclass(frozen=True)
class Actor:
    user: User | None
    municipality: Municipality | None = None
    roles: frozenset[Role] = frozenset()
    # (unit, role) pairs, municipal and external, for role-per-unit decisions (leaders, admins).
    unit_roles: tuple[tuple[Unit, Role], ...] = ()
    person_id: int | None = None  # a citizen's own person record
    relative_person_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def is_citizen(self) -> bool:
        return self.user is not None and self.user.is_citizen

    @property
    def is_staff_user(self) -> bool:
        return self.user is not None and not self.user.is_citizen

    @property
    def is_external(self) -> bool:
        """Staff whose memberships are all in external units (hospital, state NAV, private)."""
        return self.is_staff_user and bool(self.unit_roles) and self.municipality is None

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def units_with_role(self, role: Role) -> list[Unit]:
        return [unit for unit, unit_role in self.unit_roles if unit_role == role]


ANONYMOUS = Actor(user=None)


def resolve_actor(user: User | AnonymousUser) -> Actor:
    """One or two queries: the user's active memberships with their units, or a citizen's links."""
    if not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    if not isinstance(user, User):  # pragma: no cover - AUTH_USER_MODEL is ours
        raise TypeError(type(user))
    if user.is_citizen:
        return _resolve_citizen(user)
    memberships = list(
        Membership.objects.filter(user=user, is_active=True, unit__is_active=True)
        .select_related("unit__municipality")
        .order_by("unit__name")
    )
    municipalities = {m.unit.municipality for m in memberships if m.unit.municipality is not None}
    # A staff user acts in one municipality. Should someone hold roles in several (rare: a
    # shared service), the first by name is used; their other roles are not mixed in.
    municipality = min(municipalities, key=lambda m: m.name) if municipalities else None
    roles = frozenset(
        Role(m.role)
        for m in memberships
        if municipality is not None and m.unit.municipality_id == municipality.pk
    )
    unit_roles = tuple((m.unit, Role(m.role)) for m in memberships)
    return Actor(user=user, municipality=municipality, roles=roles, unit_roles=unit_roles)


def _resolve_citizen(user: User) -> Actor:
    from oppfolging.people.models import Person, Relative

    with unscoped():
        own = Person.objects.select_related("municipality").filter(user=user).first()
        relative_links = list(Relative.objects.select_related("municipality").filter(user=user))
    municipality = own.municipality if own else (relative_links[0].municipality if relative_links else None)
    return Actor(
        user=user,
        municipality=municipality,
        person_id=own.pk if own else None,
        relative_person_ids=frozenset(r.person_id for r in relative_links),
    )


def actor_of(request: HttpRequest) -> Actor:
    actor = getattr(request, "actor", None)
    if not isinstance(actor, Actor):
        raise RuntimeError("AccessMiddleware has not resolved the actor for this request")
    return actor

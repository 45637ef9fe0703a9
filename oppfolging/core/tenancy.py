"""Tenancy that fails closed.

A query on a tenant-owned model (anything that carries a ``municipality``) raises
:class:`TenantScopeError` unless a municipality scope is active, and inside a scope it only ever
sees that municipality's rows. The scope is set once per request by the access middleware from
the acting user's memberships, and explicitly by code that works across municipalities (the demo
command, migrations, platform operators' admin) through :func:`unscoped`.

This is the idea of pretix's django-scopes, written here as a small module because we need an
explicit "no municipality" scope for external users (hospital, NAV) whose access comes only through
team membership, and because it is short enough to own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models

if TYPE_CHECKING:
    from oppfolging.core.models import Municipality


class TenantScopeError(RuntimeError):
    """A tenant-owned model was queried with no municipality scope active."""


class _Unscoped:
    def __repr__(self) -> str:
        return "<unscoped>"


UNSCOPED = _Unscoped()
_NO_MUNICIPALITY = 0  # a scope that matches no rows: for users with no municipal membership

_current: ContextVar[int | _Unscoped | None] = ContextVar("oppfolging_municipality", default=None)


@contextmanager
def municipality_scope(municipality: Municipality | int | None) -> Iterator[None]:
    """Limit tenant-owned queries to one municipality (``None``: to none at all)."""
    if municipality is None:
        value: int = _NO_MUNICIPALITY
    elif isinstance(municipality, int):
        value = municipality
    else:
        value = municipality.pk
    token = _current.set(value)
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def unscoped() -> Iterator[None]:
    """Lift the tenant scope: only for code that legitimately spans municipalities."""
    token = _current.set(UNSCOPED)
    try:
        yield
    finally:
        _current.reset(token)


def enter_municipality(municipality_id: int) -> None:
    """Switch the active scope to ``municipality_id`` for the rest of the current scope block.

    Only the access module calls this, after it has granted access to a person of that
    municipality (an external team member's request). The enclosing ``municipality_scope`` or
    ``unscoped`` block restores the previous scope when it ends, as at the end of every request.
    Inside ``unscoped()`` nothing changes.
    """
    if isinstance(_current.get(), _Unscoped):
        return
    _current.set(municipality_id)


def current_municipality_id() -> int | None:
    """The active municipality's id; ``None`` when unscoped. Raises with no scope at all."""
    value = _current.get()
    if value is None:
        raise TenantScopeError("No municipality scope is active")
    if isinstance(value, _Unscoped):
        return None
    return value


_M = TypeVar("_M", bound=models.Model)


class TenantManager(models.Manager[_M], Generic[_M]):
    """Default manager of tenant-owned models: raises outside a scope, filters inside one."""

    def get_queryset(self) -> models.QuerySet[_M]:
        value = _current.get()
        if value is None:
            raise TenantScopeError(
                f"{self.model.__name__} queried outside a municipality scope; "
                "use municipality_scope() or unscoped()"
            )
        qs = super().get_queryset()
        if isinstance(value, _Unscoped):
            return qs
        return qs.filter(municipality_id=value)


def tenant_kwargs(**extra: Any) -> dict[str, Any]:
    """Keyword arguments for creating a tenant-owned row in the active scope."""
    municipality_id = current_municipality_id()
    if municipality_id is None:
        raise TenantScopeError("Creating a tenant-owned row needs a municipality scope")
    return {"municipality_id": municipality_id, **extra}

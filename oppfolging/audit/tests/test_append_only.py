"""The database itself refuses to change or delete an audit row (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.audit.services import audit_record
from oppfolging.core.tenancy import unscoped

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(cast):
    return audit_record(
        actor=cast.users["fjordvik-ke"],
        action=AuditAction.VIEW,
        what="person",
        role="ke_staff",
        person=cast.persons["Per"],
    )


def _refused(operation):
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        operation()
    assert "append-only" in str(caught.value)


def test_orm_update_is_refused(event):
    event.what = "something else"
    _refused(lambda: event.save())
    with unscoped():
        assert AuditEvent.objects.get(pk=event.pk).what == "person"


def test_queryset_update_and_delete_are_refused(event):
    with unscoped():
        _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(what="x"))
        _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
        assert AuditEvent.objects.filter(pk=event.pk, what="person").exists()


def test_raw_sql_update_and_delete_are_refused(event):
    table = AuditEvent._meta.db_table

    def raw(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])

    _refused(lambda: raw(f"UPDATE {table} SET actor_label = 'forged' WHERE id = %s"))  # noqa: S608
    _refused(lambda: raw(f"DELETE FROM {table} WHERE id = %s"))  # noqa: S608
    with unscoped():
        assert AuditEvent.objects.get(pk=event.pk).actor_label == event.actor_label


def test_the_person_it_names_cannot_be_deleted_from_under_it(event, cast):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), unscoped():
        cast.persons["Per"].delete()


def test_inserts_still_work(cast):
    with unscoped():
        before = AuditEvent.objects.count()
        audit_record(actor=None, action=AuditAction.LOGIN_FAILED, what="session", detail={"username": "x"})
        assert AuditEvent.objects.count() == before + 1

from __future__ import annotations

import datetime
import uuid

from ninja import Schema


class MeOut(Schema):
    username: str
    name: str
    kind: str
    roles: list[str]
    municipality: str | None


class PersonSummaryOut(Schema):
    uuid: uuid.UUID
    name: str
    masked_id: str
    birth_date: datetime.date


class PersonOut(PersonSummaryOut):
    national_id: str | None
    id_kind: str
    sex: str
    phone: str
    email: str
    preferred_language: str
    interpreter_needed: bool
    interpreter_language: str


class ErrorOut(Schema):
    detail: str

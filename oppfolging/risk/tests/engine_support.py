"""Hand-made extracts for the engine's tests: a few persons with exactly the rows a test needs."""

from __future__ import annotations

import datetime
from typing import Any

import polars as pl

from oppfolging.lib.identity import Sex, make_synthetic
from oppfolging.risk.extract import SCHEMAS, TABLES, Extract

AS_OF = datetime.date(2025, 6, 30)
_SERIAL = {"n": 0}


def number(birth: datetime.date, sex: str = "female") -> str:
    _SERIAL["n"] += 1
    return make_synthetic(birth, sex=Sex(sex), serial=_SERIAL["n"])


def make_extract(**tables: list[dict[str, Any]]) -> Extract:
    """An extract from lists of row dicts (missing columns are null, missing tables empty)."""
    frames = {}
    for table in TABLES:
        rows = tables.get(table, [])
        schema = SCHEMAS[table]
        data = {name: [row.get(name) for row in rows] for name in schema}
        frames[table] = pl.DataFrame(data, schema=schema).lazy()
    return Extract(**frames)


def person(
    national_id: str, birth: datetime.date, sex: str = "female", gp: str = "990000001"
) -> dict[str, Any]:
    return {"national_id": national_id, "birth_date": birth, "sex": sex, "gp_hpr": gp}


def diagnosis(
    national_id: str, code: str, system: str = "icpc2", day: datetime.date = AS_OF
) -> dict[str, Any]:
    return {"national_id": national_id, "system": system, "code": code, "date": day, "source": "gp"}


def medicine(
    national_id: str,
    atc: str,
    *,
    start: datetime.date = datetime.date(2020, 1, 1),
    end: datetime.date | None = None,
    regular: bool = True,
) -> dict[str, Any]:
    return {"national_id": national_id, "atc": atc, "start": start, "end": end, "regular": regular}


def contact(national_id: str, kind: str, day: datetime.date) -> dict[str, Any]:
    stay = 3 if kind.endswith("admission") else None
    return {"national_id": national_id, "date": day, "kind": kind, "length_of_stay": stay}


def service(
    national_id: str, kind: str, hours: float = 2.0, end: datetime.date | None = None
) -> dict[str, Any]:
    return {
        "national_id": national_id,
        "kind": kind,
        "hours_per_week": hours,
        "start": datetime.date(2024, 1, 1),
        "end": end,
    }

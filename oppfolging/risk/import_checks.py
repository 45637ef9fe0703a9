"""Checking an extract before anything of it is stored (docs/risk-import-format.md).

Every table is read with every column as text, so that a bad value can be reported as it stands
in the file instead of failing the whole read. The checks are Polars expressions over whole
columns (a municipality's extract has about a million event rows); only the identity numbers are
checked one by one, once per distinct number, by :mod:`oppfolging.lib.identity` — the one
validator of fødselsnummer and D-nummer in the code base.

A check yields an error *code* per bad cell; :class:`RowError` turns it into a Norwegian sentence
with the file, the line (CSV and NDJSON: the line in the file, header = line 1; Parquet: the row,
first row = 1; a FHIR Bundle: the entry) and the column.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from oppfolging.lib import identity
from oppfolging.risk.extract import FALSE_WORDS, SCHEMAS, TABLES, TRUE_WORDS, conform
from oppfolging.risk.import_errors import RowError
from oppfolging.risk.models import ContactKind

__all__ = ["COLUMNS", "TABLES", "RawTable", "check", "row_errors", "tidy", "typed"]

# The contract's tables and columns are the engine's (oppfolging.risk.extract): one definition.
COLUMNS: dict[str, tuple[str, ...]] = {table: tuple(SCHEMAS[table]) for table in TABLES}
# Columns that may be left empty (all others must have a value).
OPTIONAL: frozenset[tuple[str, str]] = frozenset(
    {
        ("persons", "gp_hpr"),
        ("diagnoses", "source"),
        ("medicines", "end"),
        ("contacts", "length_of_stay"),
        ("services", "hours_per_week"),
        ("services", "end"),
    }
)
# Columns holding a date; the "end" of a medicine or a service may lie ahead (a decision's
# planned end), every other date must be today or earlier.
DATES: dict[str, tuple[str, ...]] = {
    "persons": ("birth_date",),
    "diagnoses": ("date",),
    "medicines": ("start", "end"),
    "contacts": ("date",),
    "services": ("start", "end"),
}
MAY_BE_AHEAD = frozenset({("medicines", "end"), ("services", "end")})

EARLIEST = datetime.date(1900, 1, 1)
MAX_LENGTH_OF_STAY = 3650
MAX_HOURS_PER_WEEK = 168
MAX_SERVICE_KIND = 40
MAX_SOURCE = 20

ICPC2_CHAPTERS = "ABDFHKLNPRSTUWXYZ"
ATC_GROUPS = "ABCDGHJLMNPRSV"
ICPC2_PATTERN = rf"^[{ICPC2_CHAPTERS}][0-9]{{2}}$"
ICD10_PATTERN = r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?$"
ATC_PATTERN = rf"^[{ATC_GROUPS}]([0-9]{{2}}([A-Z]([A-Z]([0-9]{{2}})?)?)?)?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
SYSTEM_ALIASES = {"icpc2": "icpc2", "icpc-2": "icpc2", "icd10": "icd10", "icd-10": "icd10"}

ERROR_FRAME_SCHEMA = {
    "_file": pl.Utf8,
    "_line": pl.Int64,
    "column": pl.Utf8,
    "value": pl.Utf8,
    "code": pl.Utf8,
    "arg": pl.Utf8,
}


@dataclass
class RawTable:
    """A table as read: every contract column as text (``None`` for empty), plus where each row
    came from: ``_file`` (name shown in errors) and ``_line`` (line, row or entry)."""

    name: str
    frame: pl.DataFrame


def empty_raw(name: str) -> RawTable:
    schema = dict.fromkeys(COLUMNS[name], pl.Utf8) | {"_file": pl.Utf8, "_line": pl.Int64}
    return RawTable(name, pl.DataFrame(schema=schema))


def tidy(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """Trim every value, read empty as missing, and drop blank lines (every column missing)."""
    columns = COLUMNS[name]
    frame = frame.with_columns(
        [
            pl.when(pl.col(c).str.strip_chars() == "")
            .then(None)
            .otherwise(pl.col(c).str.strip_chars())
            .alias(c)
            for c in columns
        ]
    )
    return frame.filter(~pl.all_horizontal([pl.col(c).is_null() for c in columns]))


# --- The checks ----------------------------------------------------------------------------------


def _errors_of(
    frame: pl.DataFrame, column: str, code_expr: pl.Expr, arg: pl.Expr | None = None
) -> pl.DataFrame:
    """The rows where ``code_expr`` gives a code, as error rows for ``column``."""
    value = pl.col(column).cast(pl.Utf8) if column in frame.columns else pl.lit(None, pl.Utf8)
    return (
        frame.with_columns(code_expr.alias("_code"))
        .filter(pl.col("_code").is_not_null())
        .select(
            pl.col("_file"),
            pl.col("_line").cast(pl.Int64),
            pl.lit(column).alias("column"),
            value.alias("value"),
            pl.col("_code").alias("code"),
            (arg if arg is not None else pl.lit(None, pl.Utf8)).cast(pl.Utf8).alias("arg"),
        )
    )


def _missing(column: str) -> pl.Expr:
    return pl.col(column).is_null()


def _date_code(table: str, column: str, today: datetime.date) -> pl.Expr:
    parsed = pl.col(f"_{column}")
    required = (table, column) not in OPTIONAL
    future = pl.lit(value=(table, column) not in MAY_BE_AHEAD) & (parsed > today)
    return (
        pl.when(_missing(column) & pl.lit(required))
        .then(pl.lit("missing"))
        .when(_missing(column))
        .then(pl.lit(None, pl.Utf8))
        .when(parsed.is_null())
        .then(pl.lit("not_date"))
        .when(parsed < EARLIEST)
        .then(pl.lit("too_old"))
        .when(future)
        .then(pl.lit("future"))
        .otherwise(pl.lit(None, pl.Utf8))
    )


def parse_dates(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """Add ``_<column>`` as a parsed date (``None`` when missing or not a date) for each date column."""
    return frame.with_columns(
        [
            pl.when(pl.col(c).str.contains(DATE_PATTERN))
            .then(pl.col(c).str.to_date("%Y-%m-%d", strict=False))
            .otherwise(None)
            .alias(f"_{c}")
            for c in DATES[table]
        ]
    )


def identity_frame(numbers: Iterable[str], *, allow_synthetic: bool, today: datetime.date) -> pl.DataFrame:
    """Each distinct number with the error code of :func:`identity.parse` (``None`` when valid)
    and the birth date it says."""
    codes = {
        identity.ErrorCode.LENGTH: "id_length",
        identity.ErrorCode.FORMAT: "id_format",
        identity.ErrorCode.CHECKSUM: "id_checksum",
        identity.ErrorCode.DATE: "id_date",
        identity.ErrorCode.FUTURE: "id_future",
        identity.ErrorCode.SYNTHETIC_NOT_ALLOWED: "id_synthetic",
        identity.ErrorCode.NOT_A_PERSON_NUMBER: "id_not_person",
    }
    rows_id: list[str] = []
    rows_code: list[str | None] = []
    rows_born: list[datetime.date | None] = []
    for number in numbers:
        rows_id.append(number)
        try:
            parsed = identity.parse(number, allow_synthetic=allow_synthetic, today=today)
        except identity.IdentityNumberError as exc:
            rows_code.append(codes[exc.code])
            rows_born.append(None)
        else:
            # parse() compacts (drops spaces, dots, dashes); the contract wants the 11 digits only.
            rows_code.append(None if parsed.number == number else "id_format")
            rows_born.append(parsed.birth_date)
    return pl.DataFrame(
        {"national_id": rows_id, "_id_code": rows_code, "_id_born": rows_born},
        schema={"national_id": pl.Utf8, "_id_code": pl.Utf8, "_id_born": pl.Date},
    )


def check_persons(raw: pl.DataFrame, *, allow_synthetic: bool, today: datetime.date) -> list[pl.DataFrame]:
    ids = identity_frame(
        raw.get_column("national_id").drop_nulls().unique().to_list(),
        allow_synthetic=allow_synthetic,
        today=today,
    )
    frame = parse_dates(raw, "persons").join(ids, on="national_id", how="left")
    frame = frame.with_columns(
        pl.col("_line").min().over("national_id").alias("_first"),
        pl.col("sex").str.to_lowercase().alias("_sex"),
    )
    id_code = (
        pl.when(_missing("national_id"))
        .then(pl.lit("missing"))
        .when(pl.col("_id_code").is_not_null())
        .then(pl.col("_id_code"))
        .when(pl.col("_line") != pl.col("_first"))
        .then(pl.lit("duplicate_person"))
    )
    born_code = (
        pl.when(_date_code("persons", "birth_date", today).is_not_null())
        .then(_date_code("persons", "birth_date", today))
        .when(pl.col("_id_born").is_not_null() & (pl.col("_birth_date") != pl.col("_id_born")))
        .then(pl.lit("birth_mismatch"))
    )
    sex_code = (
        pl.when(_missing("sex")).then(pl.lit("missing")).when(~pl.col("_sex").is_in(["female", "male"]))
    )
    hpr_code = pl.when(~_missing("gp_hpr") & ~pl.col("gp_hpr").str.contains(r"^[0-9]{1,9}$")).then(
        pl.lit("hpr")
    )
    return [
        _errors_of(frame, "national_id", id_code, pl.col("_first").cast(pl.Utf8)),
        _errors_of(frame, "birth_date", born_code, pl.col("_id_born").dt.strftime("%Y-%m-%d")),
        _errors_of(frame, "sex", sex_code.then(pl.lit("sex"))),
        _errors_of(frame, "gp_hpr", hpr_code),
    ]


def _person_code(known: pl.Series, *, has_persons: bool) -> pl.Expr:
    return (
        pl.when(_missing("national_id"))
        .then(pl.lit("missing"))
        .when(~pl.col("national_id").is_in(known.implode()))
        .then(pl.lit("unknown_person" if has_persons else "unknown_subject"))
    )


def _birth_join(frame: pl.DataFrame, births: pl.DataFrame) -> pl.DataFrame:
    return frame.join(births, on="national_id", how="left")


def _before_birth(column: str) -> pl.Expr:
    return (
        pl.col("_born").is_not_null()
        & pl.col(f"_{column}").is_not_null()
        & (pl.col(f"_{column}") < pl.col("_born"))
    )


def _dated(table: str, column: str, today: datetime.date) -> pl.Expr:
    basic = _date_code(table, column, today)
    return pl.when(basic.is_not_null()).then(basic).when(_before_birth(column)).then(pl.lit("before_birth"))


def _end_code(table: str, today: datetime.date) -> pl.Expr:
    basic = _date_code(table, "end", today)
    later = (
        pl.col("_start").is_not_null() & pl.col("_end").is_not_null() & (pl.col("_end") < pl.col("_start"))
    )
    return pl.when(basic.is_not_null()).then(basic).when(later).then(pl.lit("end_before_start"))


def check_diagnoses(frame: pl.DataFrame, today: datetime.date) -> list[pl.DataFrame]:
    frame = frame.with_columns(
        pl.col("system").str.to_lowercase().replace_strict(SYSTEM_ALIASES, default=None).alias("_system"),
        normalised_code(pl.col("code")).alias("_code_n"),
    )
    system_code = pl.when(_missing("system")).then(pl.lit("missing")).when(pl.col("_system").is_null())
    code_code = (
        pl.when(_missing("code"))
        .then(pl.lit("missing"))
        .when((pl.col("_system") == "icpc2") & ~pl.col("_code_n").str.contains(ICPC2_PATTERN))
        .then(pl.lit("icpc2_code"))
        .when((pl.col("_system") == "icd10") & ~pl.col("_code_n").str.contains(ICD10_PATTERN))
        .then(pl.lit("icd10_code"))
    )
    source_code = (
        pl.when(_missing("source"))
        .then(pl.lit(None, pl.Utf8))
        .when(pl.col("source").str.len_chars() > MAX_SOURCE)
        .then(pl.lit("too_long"))
        .when(~pl.col("source").str.to_lowercase().str.contains(r"^[a-z0-9_]+$"))
        .then(pl.lit("source"))
    )
    return [
        _errors_of(frame, "system", system_code.then(pl.lit("system"))),
        _errors_of(frame, "code", code_code),
        _errors_of(frame, "date", _dated("diagnoses", "date", today)),
        _errors_of(frame, "source", source_code, pl.lit(str(MAX_SOURCE))),
    ]


def check_medicines(frame: pl.DataFrame, today: datetime.date) -> list[pl.DataFrame]:
    atc_code = (
        pl.when(_missing("atc"))
        .then(pl.lit("missing"))
        .when(~pl.col("atc").str.to_uppercase().str.contains(ATC_PATTERN))
        .then(pl.lit("atc"))
    )
    regular_code = (
        pl.when(_missing("regular"))
        .then(pl.lit("missing"))
        .when(~pl.col("regular").str.to_lowercase().is_in([*TRUE_WORDS, *FALSE_WORDS]))
        .then(pl.lit("regular"))
    )
    return [
        _errors_of(frame, "atc", atc_code),
        _errors_of(frame, "start", _dated("medicines", "start", today)),
        _errors_of(frame, "end", _end_code("medicines", today)),
        _errors_of(frame, "regular", regular_code),
    ]


def check_contacts(frame: pl.DataFrame, today: datetime.date) -> list[pl.DataFrame]:
    kinds = [k.value for k in ContactKind]
    kind_code = (
        pl.when(_missing("kind"))
        .then(pl.lit("missing"))
        .when(~pl.col("kind").str.to_lowercase().is_in(kinds))
        .then(pl.lit("contact_kind"))
    )
    stay = pl.col("length_of_stay")
    stay_code = (
        pl.when(_missing("length_of_stay"))
        .then(pl.lit(None, pl.Utf8))
        .when(stay.str.contains(r"^-[0-9]+$"))
        .then(pl.lit("negative"))
        .when(~stay.str.contains(r"^[0-9]+$"))
        .then(pl.lit("not_integer"))
        .when(
            stay.cast(pl.Int64, strict=False).is_null()
            | (stay.cast(pl.Int64, strict=False) > MAX_LENGTH_OF_STAY)
        )
        .then(pl.lit("too_large"))
    )
    return [
        _errors_of(frame, "date", _dated("contacts", "date", today)),
        _errors_of(frame, "kind", kind_code),
        _errors_of(frame, "length_of_stay", stay_code, pl.lit(str(MAX_LENGTH_OF_STAY))),
    ]


def check_services(frame: pl.DataFrame, today: datetime.date) -> list[pl.DataFrame]:
    kind_code = (
        pl.when(_missing("kind"))
        .then(pl.lit("missing"))
        .when(pl.col("kind").str.len_chars() > MAX_SERVICE_KIND)
    )
    hours = hours_value(pl.col("hours_per_week"))
    hours_code = (
        pl.when(_missing("hours_per_week"))
        .then(pl.lit(None, pl.Utf8))
        .when(hours.is_null() | hours.is_nan() | hours.is_infinite())
        .then(pl.lit("not_number"))
        .when(hours < 0)
        .then(pl.lit("negative"))
        .when(hours > MAX_HOURS_PER_WEEK)
        .then(pl.lit("too_large"))
    )
    return [
        _errors_of(frame, "kind", kind_code.then(pl.lit("too_long")), pl.lit(str(MAX_SERVICE_KIND))),
        _errors_of(frame, "hours_per_week", hours_code, pl.lit(str(MAX_HOURS_PER_WEEK))),
        _errors_of(frame, "start", _dated("services", "start", today)),
        _errors_of(frame, "end", _end_code("services", today)),
    ]


def hours_value(expr: pl.Expr) -> pl.Expr:
    """Hours per week as a number; a decimal comma is read as a point."""
    return expr.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)


def normalised_code(expr: pl.Expr) -> pl.Expr:
    """A diagnosis code as stored: upper case, without a dagger or asterisk, and ICD-10's point
    after the third character (``E119`` and ``E11.9`` are the same code)."""
    code = expr.str.to_uppercase().str.replace_all(r"[*†+\s]", "")
    return (
        pl.when(code.str.contains(r"^[A-Z][0-9]{2}[0-9A-Z]{1,2}$"))
        .then(code.str.slice(0, 3) + pl.lit(".") + code.str.slice(3))
        .otherwise(code)
    )


def check(
    tables: Mapping[str, RawTable],
    *,
    known_ids: pl.Series | None,
    allow_synthetic: bool,
    today: datetime.date,
) -> pl.DataFrame:
    """Every error in ``tables``, in file and line order. ``known_ids``: the municipality's
    subjects already imported, used only when the extract has no persons table (an event table
    on its own adds to persons imported before)."""
    parts: list[pl.DataFrame] = []
    persons = tables.get("persons")
    if persons is not None:
        parts += check_persons(persons.frame, allow_synthetic=allow_synthetic, today=today)
        known = persons.frame.get_column("national_id").drop_nulls().unique()
        births = (
            parse_dates(persons.frame, "persons")
            .group_by("national_id")
            .agg(pl.col("_birth_date").first().alias("_born"))
        )
    else:
        known = known_ids if known_ids is not None else pl.Series("national_id", [], pl.Utf8)
        births = pl.DataFrame(schema={"national_id": pl.Utf8, "_born": pl.Date})
    checkers = {
        "diagnoses": check_diagnoses,
        "medicines": check_medicines,
        "contacts": check_contacts,
        "services": check_services,
    }
    for name, checker in checkers.items():
        table = tables.get(name)
        if table is None:
            continue
        frame = _birth_join(parse_dates(table.frame, name), births)
        parts.append(_errors_of(frame, "national_id", _person_code(known, has_persons=persons is not None)))
        parts += checker(frame, today)
    if not parts:
        return pl.DataFrame(schema=ERROR_FRAME_SCHEMA)
    return pl.concat(parts, how="vertical_relaxed").sort(["_file", "_line", "column"])


def row_errors(frame: pl.DataFrame, limit: int) -> list[RowError]:
    """The first ``limit`` errors as :class:`RowError`, identity numbers masked."""
    errors = []
    for row in frame.head(limit).iter_rows(named=True):
        value = row["value"] or ""
        if row["column"] == "national_id" and value:
            value = identity.mask(value)
        errors.append(
            RowError(
                file=row["_file"],
                line=row["_line"],
                code=row["code"],
                column=row["column"],
                value=value,
                arg=row["arg"] or "",
            )
        )
    return errors


# --- From checked text to the contract's types ----------------------------------------------------


def typed(tables: Mapping[str, RawTable]) -> dict[str, pl.DataFrame]:
    """The checked tables with the contract's column types and normalised values (codes in
    upper case, ICD-10 with its point; empty text is null, as :mod:`extract` reads it). Only call
    after :func:`check` found nothing."""
    out: dict[str, pl.DataFrame] = {}
    for name, table in tables.items():
        frame = parse_dates(table.frame, name)
        dates = [pl.col(f"_{c}").alias(c) for c in DATES[name]]
        if name == "persons":
            frame = frame.select("national_id", *dates, pl.col("sex").str.to_lowercase(), "gp_hpr")
        elif name == "diagnoses":
            frame = frame.select(
                "national_id",
                pl.col("system")
                .str.to_lowercase()
                .replace_strict(SYSTEM_ALIASES, default=None)
                .alias("system"),
                normalised_code(pl.col("code")).alias("code"),
                *dates,
                pl.col("source").str.to_lowercase(),
            )
        elif name == "medicines":
            frame = frame.select(
                "national_id",
                pl.col("atc").str.to_uppercase(),
                *dates,
                pl.col("regular").str.to_lowercase().is_in(TRUE_WORDS).alias("regular"),
            )
        elif name == "contacts":
            frame = frame.select(
                "national_id",
                *dates,
                pl.col("kind").str.to_lowercase(),
                pl.col("length_of_stay").cast(pl.Int32),
            )
        else:
            frame = frame.select(
                "national_id",
                "kind",
                hours_value(pl.col("hours_per_week")).fill_null(0.0).round(2).alias("hours_per_week"),
                *dates,
            )
        out[name] = conform(name, frame.lazy()).collect()
    return out

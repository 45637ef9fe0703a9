"""The extract: what a municipality knows about its population, as five tables.

The shared data contract (issue 5) — an extract is a folder with up to five tables, each as
``<name>.csv`` or ``<name>.parquet``:

- ``persons``: national_id, birth_date, sex (``female``/``male``), gp_hpr (may be empty)
- ``diagnoses``: national_id, system (``icpc2``/``icd10``), code, date, source
- ``medicines``: national_id, atc, start, end (may be empty), regular (``true``/``false``)
- ``contacts``: national_id, date, kind (``gp``, ``out_of_hours``, ``emergency_admission``,
  ``planned_admission``, ``outpatient``), length_of_stay (days, may be empty)
- ``services``: national_id, kind, hours_per_week, start, end (may be empty)

In Python an :class:`Extract` holds five ``polars.LazyFrame`` s with exactly these columns and the
dtypes of :data:`SCHEMAS`. Empty strings are read as null, so a CSV file, a Parquet file and the
database give the same frame for the same data.

``data_hashes`` fingerprints each person's data (see its docstring): a review of a person holds
until that fingerprint changes.

``load_keyed`` reads a folder for a population batch: into memory once, the event tables keyed by
the identity number as an integer (``pid``) and their codes as categoricals. The engine and the
fingerprint accept either form and give the same results.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

import polars as pl

TABLES: tuple[str, ...] = ("persons", "diagnoses", "medicines", "contacts", "services")

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "persons": {
        "national_id": pl.String(),
        "birth_date": pl.Date(),
        "sex": pl.String(),
        "gp_hpr": pl.String(),
    },
    "diagnoses": {
        "national_id": pl.String(),
        "system": pl.String(),
        "code": pl.String(),
        "date": pl.Date(),
        "source": pl.String(),
    },
    "medicines": {
        "national_id": pl.String(),
        "atc": pl.String(),
        "start": pl.Date(),
        "end": pl.Date(),
        "regular": pl.Boolean(),
    },
    "contacts": {
        "national_id": pl.String(),
        "date": pl.Date(),
        "kind": pl.String(),
        "length_of_stay": pl.Int32(),
    },
    "services": {
        "national_id": pl.String(),
        "kind": pl.String(),
        "hours_per_week": pl.Float64(),
        "start": pl.Date(),
        "end": pl.Date(),
    },
}

TRUE_WORDS = ("true", "1", "t", "yes", "y", "ja", "j", "sann")
FALSE_WORDS = ("false", "0", "f", "no", "n", "nei", "usann")
DATE_FORMAT = "%Y-%m-%d"


class ExtractError(ValueError):
    """An extract that cannot be read as the contract says: which table, and why."""

    def __init__(self, table: str, message: str) -> None:
        super().__init__(f"{table}: {message}")
        self.table = table
        self.message = message


@dataclass(frozen=True)
class Extract:
    persons: pl.LazyFrame
    diagnoses: pl.LazyFrame
    medicines: pl.LazyFrame
    contacts: pl.LazyFrame
    services: pl.LazyFrame

    def tables(self) -> dict[str, pl.LazyFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def collect(self) -> Extract:
        """The same extract read into memory once (every later plan starts from memory)."""
        frames = pl.collect_all(list(self.tables().values()))
        return Extract(**{name: frame.lazy() for name, frame in zip(TABLES, frames, strict=True)})


def empty_frame(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMAS[table])


def empty_extract() -> Extract:
    return Extract(**{table: empty_frame(table).lazy() for table in TABLES})


# --- Casting ------------------------------------------------------------------------------------


def _cast(column: str, source: pl.DataType, target: pl.DataType) -> pl.Expr:
    """``column`` from its stored dtype to the contract's, strictly: a value that does not fit
    raises (the importer reports bad rows one by one before anything is scored)."""
    col = pl.col(column)
    if source == target:
        expr = col
    elif source == pl.String():
        # Text from a lenient read: trimmed, and empty text is no value.
        text = col.str.strip_chars()
        text = pl.when(text == "").then(None).otherwise(text)
        if target == pl.String():
            expr = text
        elif target == pl.Date():
            expr = text.str.to_date(DATE_FORMAT, strict=True)
        elif target == pl.Boolean():
            words = TRUE_WORDS + FALSE_WORDS
            truths = [word in TRUE_WORDS for word in words]
            # A word outside both lists raises: replace_strict with no default.
            expr = text.str.to_lowercase().replace_strict(words, truths, return_dtype=pl.Boolean)
        elif target == pl.Int32():
            expr = text.str.to_integer(strict=True).cast(pl.Int32, strict=True)
        elif target == pl.Float64():
            expr = text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=True)
        else:  # pragma: no cover - the contract has no other dtypes
            expr = text
    elif target == pl.String():
        expr = col.cast(pl.String)
    elif target == pl.Date() and isinstance(source, pl.Datetime):
        expr = col.dt.date()
    else:
        expr = col.cast(target, strict=True)
    return expr.alias(column)


def conform(table: str, frame: pl.LazyFrame) -> pl.LazyFrame:
    """``frame`` with exactly the contract's columns, in order, cast to the contract's dtypes."""
    schema = frame.collect_schema()
    missing = [name for name in SCHEMAS[table] if name not in schema]
    if missing:
        raise ExtractError(table, f"missing column(s): {', '.join(missing)}")
    return frame.select([_cast(name, schema[name], dtype) for name, dtype in SCHEMAS[table].items()])


# --- Reading and writing ------------------------------------------------------------------------


def table_file(folder: Path, table: str) -> Path | None:
    """The file that holds ``table`` in ``folder`` (Parquet before CSV), or None."""
    for suffix in (".parquet", ".csv"):
        path = folder / f"{table}{suffix}"
        if path.is_file():
            return path
    return None


def scan_table(path: Path, table: str, *, lenient: bool = False) -> pl.LazyFrame:
    """One table file, lazily, as the contract's frame.

    A CSV file is parsed with the contract's dtypes directly (dates ``YYYY-MM-DD``, ``true``/
    ``false``, a dot before decimals): a value in another format makes the read fail when
    collected. ``lenient`` reads every column as text first and then accepts more (``ja``/
    ``nei``, ``1``/``0``, decimal commas, spaces around values) at about twice the cost; the
    importer uses it and reports each bad row by its line."""
    if path.suffix == ".parquet":
        return conform(table, pl.scan_parquet(path))
    if path.suffix != ".csv":
        raise ExtractError(table, f"unknown file type: {path.name}")
    header = pl.scan_csv(path, infer_schema=False, n_rows=0).collect_schema()
    missing = [name for name in SCHEMAS[table] if name not in header]
    if missing:
        raise ExtractError(table, f"missing column(s): {', '.join(missing)}")
    if lenient:
        # Every column as text: identity numbers keep their leading zeros, and casting is ours.
        return conform(table, pl.scan_csv(path, infer_schema=False, encoding="utf8"))
    overrides = {name: SCHEMAS[table].get(name, pl.String()) for name in header}
    return pl.scan_csv(path, schema_overrides=overrides, encoding="utf8").select(list(SCHEMAS[table]))


def read_extract(path: str | Path, *, lenient: bool = False) -> Extract:
    """The extract in folder ``path``; a table with no file is empty. Lazy: nothing is read
    until the frames are collected (``Extract.collect`` reads everything once). ``lenient``:
    see :func:`scan_table`."""
    folder = Path(path)
    if not folder.is_dir():
        raise ExtractError("extract", f"not a folder: {folder}")
    frames: dict[str, pl.LazyFrame] = {}
    for table in TABLES:
        file = table_file(folder, table)
        frames[table] = scan_table(file, table, lenient=lenient) if file else empty_frame(table).lazy()
    if table_file(folder, "persons") is None:
        raise ExtractError("persons", f"no persons.csv or persons.parquet in {folder}")
    return Extract(**frames)


def write_extract(
    extract: Extract, path: str | Path, *, format: Literal["parquet", "csv"] = "parquet"
) -> list[Path]:
    """Write every table of ``extract`` to folder ``path`` (created) as ``<table>.<format>``."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table, frame in extract.tables().items():
        target = folder / f"{table}.{format}"
        data = frame.collect()
        if format == "parquet":
            data.write_parquet(target, compression="zstd", statistics=False)
        else:
            data.write_csv(target, date_format=DATE_FORMAT)
        written.append(target)
    return written


def extract_from_db(municipality_id: int) -> Extract:
    """The municipality's extract as the importer stored it in the risk tables."""
    from oppfolging.risk.models import Contact, Diagnosis, MedicineUse, MunicipalService, RiskSubject

    def frame(table: str, rows: Iterable[tuple[Any, ...]]) -> pl.LazyFrame:
        schema = SCHEMAS[table]
        data = pl.DataFrame(list(rows), schema=list(schema), orient="row", infer_schema_length=None)
        return conform(table, data.lazy())

    where = {"municipality_id": municipality_id}
    persons = RiskSubject.all_tenants.filter(**where).values_list(
        "national_id", "birth_date", "sex", "gp_hpr"
    )
    diagnoses = Diagnosis.all_tenants.filter(**where).values_list(
        "subject__national_id", "system", "code", "on", "source"
    )
    medicines = MedicineUse.all_tenants.filter(**where).values_list(
        "subject__national_id", "atc", "start", "end", "regular"
    )
    contacts = Contact.all_tenants.filter(**where).values_list(
        "subject__national_id", "on", "kind", "length_of_stay"
    )
    services = [
        (nid, kind, float(hours) if hours is not None else None, start, end)
        for nid, kind, hours, start, end in MunicipalService.all_tenants.filter(**where).values_list(
            "subject__national_id", "kind", "hours_per_week", "start", "end"
        )
    ]
    return Extract(
        persons=frame("persons", persons.iterator()),
        diagnoses=frame("diagnoses", diagnoses.iterator()),
        medicines=frame("medicines", medicines.iterator()),
        contacts=frame("contacts", contacts.iterator()),
        services=frame("services", services),
    )


# --- Person keys --------------------------------------------------------------------------------

KEY = "pid"


def person_key(column: str = "national_id") -> pl.Expr:
    """The identity number as an integer (11 digits fit a 64-bit integer): grouping and joining
    on it is many times faster than on text. Spaces around the number are ignored; null for a
    value that is not digits."""
    return pl.col(column).str.strip_chars(" ").cast(pl.Int64, strict=False).alias(KEY)


def keyed(frame: pl.LazyFrame) -> pl.LazyFrame:
    """``frame`` with the person key ``pid`` (a table of :func:`load_keyed` already has it)."""
    return frame if KEY in frame.collect_schema() else frame.with_columns(person_key())


# --- Reading for a batch ------------------------------------------------------------------------

#: Text columns of the event tables with few distinct values (codes, kinds, sources): a batch
#: reads them as categoricals, each column with its own named set of categories.
CATEGORICAL: dict[str, tuple[str, ...]] = {
    "persons": (),
    "diagnoses": ("system", "code", "source"),
    "medicines": ("atc",),
    "contacts": ("kind",),
    "services": ("kind",),
}


def categories(column: str) -> pl.Categories:
    return pl.Categories(column, namespace="oppfolging.risk")


def keyed_schema(table: str) -> dict[str, pl.DataType]:
    """The columns of a table as :func:`load_keyed` gives it."""
    if table == "persons":
        return {**SCHEMAS[table], KEY: pl.Int64()}
    return {
        KEY: pl.Int64(),
        **{name: dtype for name, dtype in SCHEMAS[table].items() if name != "national_id"},
    }


def _scan_keyed(path: Path, table: str, *, integer_keys: bool) -> pl.LazyFrame:
    if table == "persons":
        return scan_table(path, table).with_columns(person_key())
    others = [name for name in SCHEMAS[table] if name != "national_id"]
    if path.suffix != ".csv":
        texts = [pl.col(name).cast(pl.Categorical(categories(name))) for name in CATEGORICAL[table]]
        return scan_table(path, table).select(person_key(), *others).with_columns(texts)
    header = pl.scan_csv(path, infer_schema=False, n_rows=0).collect_schema()
    missing = [name for name in SCHEMAS[table] if name not in header]
    if missing:
        raise ExtractError(table, f"missing column(s): {', '.join(missing)}")
    overrides: dict[str, pl.DataType] = {name: SCHEMAS[table].get(name, pl.String()) for name in header}
    for name in CATEGORICAL[table]:
        overrides[name] = pl.Categorical(categories(name))
    if integer_keys:
        overrides["national_id"] = pl.Int64()
    frame = pl.scan_csv(path, schema_overrides=overrides, encoding="utf8")
    key = pl.col("national_id").alias(KEY) if integer_keys else person_key()
    return frame.select(key, *others)


def load_keyed(path: str | Path) -> Extract:
    """The extract in folder ``path`` read into memory once for scoring a population: the
    persons as the contract has them plus ``pid``; the other tables with ``pid`` in place of
    national_id and the text columns of :data:`CATEGORICAL` as categoricals. The
    engine and :func:`data_hashes` give the same results for it as for :func:`read_extract`.

    A CSV file's identity numbers are parsed as integers while it is read — the cheapest way to
    the key; a file where that fails (a number with letters, say) is read again as text, where
    such a number matches no one. Otherwise as strict as :func:`read_extract`."""
    return _keyed_folder(path, lambda file, table: _read_keyed(file, table).lazy())


def scan_keyed(path: str | Path) -> Extract:
    """The extract in folder ``path`` as :func:`load_keyed` gives it, but lazily and strictly:
    nothing is read until the plan is collected, so a population batch reads each file once,
    summing it per person as it goes, and never holds the event rows in memory. A value the
    strict read cannot parse fails the collect (``polars.exceptions.ComputeError``); the batch
    then reads the folder again with :func:`load_keyed`, which accepts what the importer
    accepts or names the file it cannot read."""
    return _keyed_folder(path, lambda file, table: _scan_keyed(file, table, integer_keys=True))


def _keyed_folder(path: str | Path, read: Callable[[Path, str], pl.LazyFrame]) -> Extract:
    """Every table of the extract in folder ``path`` by ``read(file, table)``; an empty frame
    of the keyed schema for a table the folder lacks (persons it must have)."""
    folder = Path(path)
    if not folder.is_dir():
        raise ExtractError("extract", f"not a folder: {folder}")
    if table_file(folder, "persons") is None:
        raise ExtractError("persons", f"no persons.csv or persons.parquet in {folder}")
    frames: dict[str, pl.LazyFrame] = {}
    for table in TABLES:
        file = table_file(folder, table)
        frames[table] = pl.LazyFrame(schema=keyed_schema(table)) if file is None else read(file, table)
    return Extract(**frames)


def _read_keyed(file: Path, table: str) -> pl.DataFrame:
    """One table for :func:`load_keyed`: strict and fast first; a file with values in another
    accepted format (a decimal comma, ``ja``/``nei``, spaces) is read again leniently, as the
    importer reads it; a file that fails even so is an :class:`ExtractError` that points to the
    importer, which names each bad row by its line."""
    try:
        return _scan_keyed(file, table, integer_keys=True).collect()
    except pl.exceptions.ComputeError:
        pass
    try:
        return _scan_keyed(file, table, integer_keys=False).collect()
    except pl.exceptions.ComputeError:
        pass
    try:
        lenient = scan_table(file, table, lenient=True)
        if table == "persons":
            return lenient.with_columns(person_key()).collect()
        others = [name for name in SCHEMAS[table] if name != "national_id"]
        texts = [pl.col(name).cast(pl.Categorical(categories(name))) for name in CATEGORICAL[table]]
        return lenient.select(person_key(), *others).with_columns(texts).collect()
    except pl.exceptions.PolarsError as exc:
        raise ExtractError(
            table,
            f"{file.name} has values that cannot be read ({str(exc).splitlines()[0]}); "
            "manage.py risk_import names every bad row by its line",
        ) from exc


# --- The fingerprint of a person's data ---------------------------------------------------------

# Arithmetic modulo the Mersenne prime 2^31 - 1 keeps every product inside a signed 64-bit
# integer, so the fingerprint is exact integer arithmetic: the same on every machine and every
# Polars version (Polars' own ``hash`` is documented as stable only within one version).
_P = 2_147_483_647
_LANES = (
    # (multiplier per field, square weight, linear weight) for two independent 31-bit lanes
    (1_000_003, 1_664_525, 22_695_477),
    (69_069, 1_103_515_245, 134_775_813),
)
_NULL = 1_234_577  # the code of a missing value in each lane


def _text_code(text: str | None) -> int:
    """Both lanes' codes of a text value as one integer below 2^62: a keyed BLAKE2b of the
    trimmed text (no text, or only spaces, counts as a missing value)."""
    value = (text or "").strip()
    if not value:
        return _NULL * (1 << 31) + _NULL
    digest = hashlib.blake2b(value.encode(), digest_size=8, person=b"oppfolging-risk").digest()
    return (int.from_bytes(digest[:4], "big") % _P) * (1 << 31) + int.from_bytes(digest[4:], "big") % _P


def _field_codes(frame: pl.DataFrame, column: str) -> tuple[pl.Expr, pl.Expr]:
    """The column's values as integers below 2^31 - 1 per lane, the same for the same value in
    any extract: text by :func:`_text_code` of each distinct value (there are few: codes, kinds,
    sources), dates as days, numbers in hundredths, booleans as 1/2."""
    dtype = frame.schema[column]
    col = pl.col(column)
    if isinstance(dtype, pl.Categorical):
        # Every category's code, looked up by the category's number: no text is touched.
        names = dtype.categories.to_series().to_list()
        table = pl.Series([_text_code(name) for name in names], dtype=pl.Int64)
        packed = pl.lit(table).gather(col.to_physical()).fill_null(_text_code(None))
        return packed // (1 << 31), packed % (1 << 31)
    if dtype == pl.String():
        values = frame.get_column(column).drop_nulls().unique().to_list()
        packed = col.replace_strict(
            values, [_text_code(v) for v in values], default=None, return_dtype=pl.Int64
        )
        packed = packed.fill_null(_text_code(None))
        return packed // (1 << 31), packed % (1 << 31)
    if dtype == pl.Date():
        expr = col.cast(pl.Int32).cast(pl.Int64) + 1_000_000
    elif dtype == pl.Boolean():
        expr = col.cast(pl.Int64) + 1
    elif dtype == pl.Float64():
        expr = (col * 100).round(0).cast(pl.Int64).abs() % _P
    else:
        expr = col.cast(pl.Int64).abs() % _P
    expr = expr.fill_null(_NULL)
    return expr, expr


def _polynomials(seed: str, codes: Iterable[tuple[pl.Expr, pl.Expr]]) -> list[pl.Expr]:
    """Per lane (``h0``, ``h1``): the polynomial of a row's value codes modulo 2^31 - 1, seeded
    with the text ``seed`` (the table, or ``"features"``)."""
    codes = list(codes)
    lanes = []
    for lane, (mult, _square, _linear) in enumerate(_LANES):
        row = pl.lit(_text_code(seed) % (1 << 31), dtype=pl.Int64)
        for code in codes:
            row = (row * mult + code[lane]) % _P
        lanes.append(row.alias(f"h{lane}"))
    return lanes


def _mixes() -> list[pl.Expr]:
    """The non-linear mix of each lane's polynomial (columns ``h0``, ``h1``, as
    :func:`_polynomials` names them). Applied to the computed columns: written into one
    expression, the mix would evaluate the whole polynomial three times."""
    return [
        ((pl.col(f"h{lane}") * pl.col(f"h{lane}")) % _P * square + pl.col(f"h{lane}") * linear) % _P
        for lane, (_mult, square, linear) in enumerate(_LANES)
    ]


def _digits(h0: pl.Expr, h1: pl.Expr) -> pl.Expr:
    """Two 31-bit lanes as one number below 2^62, written as 19 decimal digits."""
    return (h0 * (1 << 31) + h1).cast(pl.String).str.zfill(19).alias("data_hash")


def _row_mixes(table: str, frame: pl.DataFrame) -> pl.LazyFrame:
    """Per row: the person key ``pid`` and, in both lanes (``h0``, ``h1``), a non-linear mix of
    the row's polynomial code. A person's sum of them does not depend on the order of the rows;
    the mix makes it depend on which values sit together in a row."""
    columns = [name for name in SCHEMAS[table] if name != "national_id"]
    key = pl.col(KEY) if KEY in frame.columns else person_key()
    codes = (_field_codes(frame, column) for column in columns)
    return frame.lazy().select(key, *_polynomials(table, codes)).select(KEY, *_mixes())


def hash_plan(frames: Mapping[str, pl.DataFrame]) -> pl.LazyFrame:
    """``pid`` and ``data_hash`` for every person with a row anywhere (see :func:`data_hashes`).
    The rows of all tables are mixed column by column and then added up per person in one
    group-by (an expression inside ``agg`` would be evaluated group by group)."""
    parts = [_row_mixes(table, frames[table]) for table in TABLES if frames[table].height]
    if not parts:
        return pl.LazyFrame(schema={KEY: pl.Int64, "data_hash": pl.String})
    # Each mix is below 2^31, so a person's sum stays far inside 64 bits.
    total = pl.concat(parts).group_by(KEY).agg(pl.col("h0").sum() % _P, pl.col("h1").sum() % _P)
    return total.select(KEY, _digits(pl.col("h0"), pl.col("h1")))


def data_hashes(extract: Extract | Mapping[str, pl.DataFrame]) -> pl.LazyFrame:
    """national_id and ``data_hash`` of every person: a fingerprint of all of the person's rows
    in all five tables (19 decimal digits: two independent 31-bit lanes).

    Each value becomes an integer (text through a keyed BLAKE2b of the trimmed value — empty
    text is a missing value —, dates as days, hours in hundredths); each row becomes a
    polynomial of its values modulo 2^31 - 1, mixed non-linearly, and a person's fingerprint is
    the sum of their rows' mixes, modulo the same prime. So it is independent of row order (no
    sort needed), changes when any value of any row changes or a row is added or removed, and
    is exact integer arithmetic in Polars — identical on every machine and Polars version, and
    for the same data read from CSV, Parquet or the database. It is not a cryptographic hash: it
    only tells whether a person's data changed.

    Reads every table (``extract`` is collected if lazy). The tables may be those of
    :func:`load_keyed`."""
    if isinstance(extract, Extract):
        frames = dict(zip(TABLES, pl.collect_all(list(extract.tables().values())), strict=True))
    else:
        frames = dict(extract)
    persons = keyed(frames["persons"].lazy()).select("national_id", KEY)
    return persons.join(hash_plan(frames), on=KEY, how="left", maintain_order="left").select(
        "national_id", "data_hash"
    )


def row_fingerprints(frame: pl.DataFrame, columns: Iterable[str]) -> pl.Series:
    """Each row's fingerprint of ``columns`` (19 decimal digits, the same arithmetic as
    :func:`data_hashes`: two 31-bit lanes of a polynomial of the values modulo 2^31 - 1, mixed
    non-linearly). Exact integer arithmetic: the same on every machine and Polars version. A
    population batch fingerprints each listed person's feature vector with it — what the score
    rests on, so what a review must notice changing."""
    names = list(columns)
    codes: dict[str, tuple[pl.Expr, pl.Expr]] = {}
    for name in names:
        if frame.schema[name] == pl.Int64():
            # Wider than 31 bits (masks): the low 31 bits and the rest as two values.
            low = (pl.col(name) % (1 << 31)).fill_null(_NULL)
            high = (pl.col(name) // (1 << 31)).fill_null(_NULL)
            codes[f"{name}.low"], codes[f"{name}.high"] = (low, low), (high, high)
        else:
            codes[name] = _field_codes(frame, name)
    mixed = frame.select(_polynomials("features", codes.values())).select(_mixes())
    return mixed.select(_digits(pl.col("h0"), pl.col("h1"))).get_column("data_hash")

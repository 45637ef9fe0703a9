"""Reading an extract's files (CSV or Parquet) as text tables for :mod:`import_checks`.

An extract is a folder with up to five tables, each ``<table>.csv`` or ``<table>.parquet``, or a
single such file. CSV: UTF-8 (a byte-order mark is allowed), a header line, comma or semicolon
as separator (whichever the header uses). The file hash covers every table file's bytes, so the
same extract imported twice is recognised (``ImportBatch.file_hash``).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from oppfolging.risk.import_checks import COLUMNS, TABLES, RawTable, tidy
from oppfolging.risk.import_errors import RowError

SUFFIXES = {"csv": (".csv",), "parquet": (".parquet",), "auto": (".csv", ".parquet")}


@dataclass
class ReadExtract:
    tables: dict[str, RawTable] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    file_hash: str = ""
    file_name: str = ""
    format: str = ""


def find_tables(path: Path, fmt: str = "auto") -> tuple[dict[str, Path], list[RowError]]:
    """The table files of the extract at ``path`` (a folder or one file named by its table)."""
    suffixes = SUFFIXES[fmt]
    if not path.exists():
        return {}, [RowError(file=str(path), line=None, code="not_found")]
    if path.is_file():
        if path.suffix.lower() in suffixes and path.stem.lower() in TABLES:
            return {path.stem.lower(): path}, []
        return {}, [RowError(file=path.name, line=None, code="unknown_table")]
    found: dict[str, Path] = {}
    errors: list[RowError] = []
    for child in sorted(path.iterdir()):
        if not child.is_file() or child.suffix.lower() not in suffixes or child.stem.lower() not in TABLES:
            continue
        name = child.stem.lower()
        if name in found:
            errors.append(RowError(file=child.name, line=None, code="both_formats"))
            continue
        found[name] = child
    if not found and not errors:
        errors.append(RowError(file=path.name, line=None, code="no_tables"))
    return found, errors


def read_extract(path: Path, fmt: str = "auto") -> ReadExtract:
    """Read every table of the extract as text, with the file-level errors (encoding, header)."""
    files, errors = find_tables(path, fmt)
    result = ReadExtract(errors=errors, file_name=path.name)
    digest = hashlib.sha256()
    formats = set()
    for name in TABLES:
        if name not in files:
            continue
        file = files[name]
        data = file.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
        if file.suffix.lower() == ".parquet":
            formats.add("parquet")
            table, problems = parquet_table(data, name, file.name)
        else:
            formats.add("csv")
            table, problems = csv_table(data, name, file.name)
        result.errors += problems
        if table is not None:
            result.tables[name] = table
    result.file_hash = digest.hexdigest()
    result.format = "+".join(sorted(formats))
    return result


def _header_errors(columns: list[str], name: str, file_name: str) -> list[RowError]:
    wanted = COLUMNS[name]
    errors = []
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            errors.append(RowError(file=file_name, line=1, code="duplicate_column", column=column))
        elif column not in wanted:
            errors.append(RowError(file=file_name, line=1, code="unknown_column", column=column))
        seen.add(column)
    errors += [
        RowError(file=file_name, line=1, code="missing_column", column=column)
        for column in wanted
        if column not in seen
    ]
    return errors


def csv_table(data: bytes, name: str, file_name: str) -> tuple[RawTable | None, list[RowError]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [RowError(file=file_name, line=data[: exc.start].count(b"\n") + 1, code="encoding")]
    end = text.find("\n")
    first = (text if end < 0 else text[:end]).rstrip("\r")
    if not first.strip():
        return None, [
            RowError(file=file_name, line=1, code="missing_column", column=c) for c in COLUMNS[name]
        ]
    separator = ";" if first.count(";") > first.count(",") else ","
    header = [c.strip().lower() for c in next(csv.reader([first], delimiter=separator))]
    errors = _header_errors(header, name, file_name)
    if errors:
        return None, errors
    try:
        frame = pl.read_csv(
            data,
            infer_schema=False,
            separator=separator,
            new_columns=header,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as exc:
        return None, [_ragged_line(text, separator, len(header), file_name, exc)]
    frame = frame.with_row_index("_row")
    # A quoted value may hold a line break: the line of a row is 2 + its index + the breaks before it.
    if '"' in text:
        breaks = pl.sum_horizontal(
            [pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in header]
        )
        frame = frame.with_columns(breaks.cum_sum().shift(1, fill_value=0).alias("_breaks"))
    else:
        frame = frame.with_columns(pl.lit(0).alias("_breaks"))
    frame = frame.with_columns(
        (pl.col("_row").cast(pl.Int64) + 2 + pl.col("_breaks")).alias("_line"),
        pl.lit(file_name).alias("_file"),
    ).select(*COLUMNS[name], "_file", "_line")
    return RawTable(name, tidy(frame, name)), []


def _ragged_line(text: str, separator: str, width: int, file_name: str, exc: Exception) -> RowError:
    """Polars refuses a file with a line longer than the header; find that line for the report."""
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    for record in reader:
        if len(record) > width:
            return RowError(file=file_name, line=reader.line_num, code="ragged")
    return RowError(file=file_name, line=None, code="unreadable", arg=str(exc).split("\n", 1)[0])


def _as_text(series: pl.Series) -> pl.Series:
    """A Parquet column as the text a CSV would hold."""
    dtype = series.dtype
    if dtype == pl.Utf8:
        return series
    if dtype == pl.Date:
        return series.dt.strftime("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        return series.dt.date().dt.strftime("%Y-%m-%d")
    if dtype == pl.Boolean:
        return series.cast(pl.Utf8)
    if dtype.is_float():
        whole = series.is_finite() & (series == series.round(0))
        return (
            pl.select(
                pl.when(whole)
                .then(series.cast(pl.Int64, strict=False).cast(pl.Utf8))
                .otherwise(series.cast(pl.Utf8))
            )
            .to_series()
            .alias(series.name)
        )
    return series.cast(pl.Utf8, strict=False)


def parquet_table(data: bytes, name: str, file_name: str) -> tuple[RawTable | None, list[RowError]]:
    try:
        raw = pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError) as exc:
        return None, [RowError(file=file_name, line=None, code="unreadable", arg=str(exc).split("\n", 1)[0])]
    raw = raw.rename({c: c.strip().lower() for c in raw.columns})
    errors = _header_errors(list(raw.columns), name, file_name)
    if errors:
        return None, [RowError(file=e.file, line=None, code=e.code, column=e.column) for e in errors]
    frame = pl.DataFrame([_as_text(raw.get_column(c)) for c in COLUMNS[name]]).with_columns(
        pl.lit(file_name).alias("_file"),
        pl.int_range(1, raw.height + 1, dtype=pl.Int64).alias("_line"),
    )
    return RawTable(name, tidy(frame, name)), []

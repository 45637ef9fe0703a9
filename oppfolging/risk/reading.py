"""Reading an extract into one row per person: the event tables summed per person (code masks,
contact counts, service sums), joined to the persons, and the base columns every score is
computed from (:data:`BASE_COLUMNS`); the 0/1 features derived from them (:func:`feature_exprs`).
What comes next — the score, the flags, the tier, the factors — is :mod:`oppfolging.risk.engine`.

What a feature counts, on the scoring date ``as_of``:

- conditions and deficits: diagnoses dated on or before ``as_of`` (any time back), medicines in
  regular use on ``as_of`` (ATC proxies of the code lists), municipal services running on
  ``as_of``; polypharmacy (an eFI deficit): five or more regular medicines;
- ``n_regular_medicines``: distinct ATC codes marked regular, started on or before ``as_of`` and
  not ended before it;
- ``emergency_admissions_12m``, ``out_of_hours_12m``: contacts dated in the 12 months up to and
  including ``as_of`` (after the same date a year earlier);
- ``service_hours_week``, ``n_service_kinds``: services running on ``as_of``, their hours added
  up and their distinct kinds counted.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from oppfolging.risk import admission, frailty
from oppfolging.risk.admission import FEATURES
from oppfolging.risk.extract import KEY, Extract, categories, keyed

EMERGENCY = "emergency_admission"
OUT_OF_HOURS = "out_of_hours"

PERSON_COLUMNS = ("national_id", "birth_date", "sex", "gp_hpr")


def one_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# A code's mask: its eFI deficits in bits 0-35 and its condition groups above them, so that one
# OR per person collects both.
GROUP_SHIFT = len(frailty.DEFICITS)
DEFICIT_BITS = (1 << GROUP_SHIFT) - 1
CODE_SYSTEMS = ("icpc2", "icd10")


def _code_mask(system: str, code: str) -> int:
    return frailty.deficit_codes().mask_of(system, code) | (
        admission.condition_codes().mask_of(system, code) << GROUP_SHIFT
    )


class _CodeMasks:
    """Each code's mask (:func:`_code_mask`), looked up for every row by the categorical ids of
    its system and code: each distinct code is matched against the code lists in Python once
    per process, and every row is a numpy lookup by id in a table of the masks by id. No pass
    over the rows to find the distinct codes, and no join back onto them.

    ``system``: the code system when it is fixed (``"atc"`` for medicines), else None and the
    rows' ``system`` column says it (only :data:`CODE_SYSTEMS` have masks).

    The ids are those of Polars' named categories (``extract.categories``). Polars frees a set
    of named categories when no data uses it, and numbers the next strings from 0 again; this
    object keeps an empty column of each of its categoricals (``_anchors``), so the sets live as
    long as the process and a code's id never changes. So the table is kept, and only grows
    when a batch of rows brings codes it has not seen (the codes of a municipality are a few
    thousand at most). A batch of rows costs two numpy lookups and no Python per row or code:
    the rows come from Polars' threads, each call holding Python's lock."""

    def __init__(self, code: str, system: str | None = None) -> None:
        self.code, self.system = code, system
        self.columns = [code] if system is not None else ["system", code]
        self._anchors = [pl.Series(name, [], dtype=pl.Categorical(categories(name))) for name in self.columns]
        self.known: dict[tuple[str, str], int] = {}
        self._table = np.zeros((1, 1), dtype=np.int64)
        self._lock = threading.Lock()

    def expr(self) -> pl.Expr:
        """The mask of each row (0 for a code on no list, or a missing one)."""
        ids = [
            pl.col(name).cast(pl.Categorical(categories(name))).to_physical().cast(pl.Int64)
            for name in self.columns
        ]
        # One integer per row: the system's id above bit 32, the code's below; -1 when either
        # is missing.
        key = ids[0] if len(ids) == 1 else ids[0] * (1 << 32) + ids[1]
        return key.fill_null(-1).map_batches(self, return_dtype=pl.Int64, is_elementwise=True)

    def __call__(self, keys: pl.Series) -> pl.Series:
        values = keys.to_numpy()
        # A missing key (-1) gives system -1 and code 2^32 - 1: the table's last row and, once
        # the codes are cut at its width, its last column, both of zeros.
        system_ids, code_ids = values >> 32, values & 0xFFFFFFFF
        table = self._table
        codes = table.shape[1] - 1
        if values.size and (system_ids.max() >= table.shape[0] - 1 or code_ids.max() >= codes):
            present = code_ids[values >= 0]
            if system_ids.max() >= table.shape[0] - 1 or present.max(initial=0) >= codes:
                table = self._grow()
                codes = table.shape[1] - 1
        np.minimum(code_ids, codes, out=code_ids)
        return pl.Series(keys.name, table[system_ids, code_ids], dtype=pl.Int64)

    def _grow(self) -> npt.NDArray[np.int64]:
        """The table of masks by (system id, code id) for every code and system the categories
        hold now (the rows' ids are among them), with a last row and column of zeros."""
        with self._lock:
            texts = categories(self.code).to_series().to_list()
            names = [self.system] if self.system is not None else categories("system").to_series().to_list()
            table = np.zeros((len(names) + 1, len(texts) + 1), dtype=np.int64)
            for row, system in enumerate(names):
                table[row, : len(texts)] = [self._mask(system, text) for text in texts]
            self._table = table
            return table

    def _mask(self, system: str, code: str) -> int:
        found = self.known.get((system, code))
        if found is None:
            wanted = system == self.system or system in CODE_SYSTEMS
            found = self.known[system, code] = _code_mask(system, code) if wanted and code else 0
        return found


_DIAGNOSIS_MASKS = _CodeMasks("code")
_MEDICINE_MASKS = _CodeMasks("atc", system="atc")


def _diagnosis_masks(extract: Extract, as_of: datetime.date) -> pl.LazyFrame:
    return (
        keyed(extract.diagnoses)
        .filter(pl.col("date") <= as_of)
        .select(KEY, _DIAGNOSIS_MASKS.expr().alias("mask"))
        .filter(pl.col("mask") != 0)
        .group_by(KEY)
        .agg(pl.col("mask").bitwise_or().alias("d_mask"))
    )


def _running(start: str, end: str, as_of: datetime.date) -> pl.Expr:
    return (pl.col(start) <= as_of) & (pl.col(end).is_null() | (pl.col(end) >= as_of))


def _medicine_masks(extract: Extract, as_of: datetime.date) -> pl.LazyFrame:
    return (
        keyed(extract.medicines)
        .filter(pl.col("regular").fill_null(False) & _running("start", "end", as_of))
        .select(KEY, "atc", _MEDICINE_MASKS.expr().alias("mask"))
        .group_by(KEY)
        .agg(
            pl.col("atc").n_unique().cast(pl.Int32).alias("n_regular_medicines"),
            pl.col("mask").bitwise_or().alias("m_mask"),
        )
    )


def _contact_counts(extract: Extract, as_of: datetime.date) -> pl.LazyFrame:
    since = one_year_before(as_of)
    return (
        keyed(extract.contacts)
        .filter(
            (pl.col("date") > since)
            & (pl.col("date") <= as_of)
            & pl.col("kind").is_in([EMERGENCY, OUT_OF_HOURS])
        )
        .group_by(KEY)
        .agg(
            (pl.col("kind") == EMERGENCY).sum().cast(pl.Int32).alias("emergency_admissions_12m"),
            (pl.col("kind") == OUT_OF_HOURS).sum().cast(pl.Int32).alias("out_of_hours_12m"),
        )
    )


def _service_sums(extract: Extract, as_of: datetime.date) -> pl.LazyFrame:
    running = (
        keyed(extract.services)
        .filter(_running("start", "end", as_of))
        .with_columns(pl.col("kind").cast(pl.String).str.strip_chars().str.to_lowercase())
    )
    kinds = running.select("kind").unique().drop_nulls().collect().get_column("kind").to_list()
    table = frailty.deficit_codes().kind_masks(kinds).rename({"mask": "s_efi"})
    return (
        running.join(table.lazy(), on="kind", how="left")
        .group_by(KEY)
        .agg(
            pl.col("hours_per_week").fill_null(0).sum().round(2).alias("service_hours_week"),
            pl.col("kind").drop_nulls().n_unique().cast(pl.Int32).alias("n_service_kinds"),
            pl.col("s_efi").bitwise_or().alias("s_efi"),
        )
    )


def _age_expr(as_of: datetime.date) -> pl.Expr:
    birth = pl.col("birth_date")
    later_in_year = (birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32)) > (
        as_of.month * 100 + as_of.day
    )
    return (pl.lit(as_of.year) - birth.dt.year().cast(pl.Int32) - later_in_year.cast(pl.Int32)).cast(pl.Int32)


# Expressions on a row per person run about twice as fast on Polars' in-memory engine as on the
# streaming one (measured with Polars 2.1).
PERSON_ENGINE: Literal["in-memory"] = "in-memory"

#: The 0/1 features of one kind each — the age bands, the condition groups, the frailty bands —
#: derived from the base columns (:func:`feature_exprs`) and weighed by table lookups
#: (:func:`linear_predictor`).
DERIVED: frozenset[str] = frozenset(
    {
        *(name for name, _, _ in admission.AGE_BANDS),
        *(f"cond_{group}" for group in admission.CONDITION_GROUPS),
        *(name for name, _ in admission.FRAILTY_FEATURES),
    }
)

#: What :func:`person_plan` has for every person besides PERSON_COLUMNS and the key: what every
#: feature, the score, the flags and the tier are computed from. The other features (the age
#: bands, the condition groups, the frailty bands) are 0/1 columns derived from these
#: (:func:`feature_exprs`): a population batch makes them only for the persons it lists.
BASE_COLUMNS: tuple[str, ...] = (
    "age",
    "frailty_index",
    "frailty_band",
    "n_deficits",
    "deficit_mask",
    "group_mask",
    *(name for name in FEATURES if name not in DERIVED),
)


def event_sums(extract: Extract, *, as_of: datetime.date) -> list[pl.LazyFrame]:
    """The plans of the per-person sums of the four event tables (diagnosis and medicine masks,
    contact counts, service sums), each keyed by ``pid``."""
    return [
        _diagnosis_masks(extract, as_of),
        _medicine_masks(extract, as_of),
        _contact_counts(extract, as_of),
        _service_sums(extract, as_of),
    ]


def person_rows(extract: Extract, *, as_of: datetime.date) -> pl.LazyFrame:
    """The persons born on or before ``as_of``, keyed."""
    return keyed(extract.persons).filter(pl.col("birth_date") <= as_of).select(*PERSON_COLUMNS, KEY)


def read_population(extract: Extract, *, as_of: datetime.date) -> list[pl.DataFrame]:
    """The persons and the sums of the event tables (:func:`event_sums`), read together on the
    streaming engine, which reads and sums a table in one pass and reads the five tables side by
    side. What :func:`person_plan` joins."""
    return pl.collect_all(
        [person_rows(extract, as_of=as_of), *event_sums(extract, as_of=as_of)], engine="streaming"
    )


def person_plan(
    extract: Extract, *, as_of: datetime.date, read: Sequence[pl.DataFrame] | None = None
) -> pl.LazyFrame:
    """One row per person born by ``as_of``: PERSON_COLUMNS, the key and :data:`BASE_COLUMNS`,
    in no set order. ``read``: what :func:`read_population` gave for the same extract and date
    (else it is read here)."""
    persons, *sums = read if read is not None else read_population(extract, as_of=as_of)
    # In no set order: keeping the persons' order doubles the cost of the joins (0.36 s against
    # 0.17 s for a million persons); nothing reads the scores by position.
    joined = persons.lazy()
    for frame in sums:
        joined = joined.join(frame.lazy(), on=KEY, how="left")
    zeros = ["d_mask", "m_mask", "s_efi"]
    counts = ["n_regular_medicines", "emergency_admissions_12m", "out_of_hours_12m", "n_service_kinds"]
    joined = joined.with_columns(
        *(pl.col(name).fill_null(0) for name in zeros),
        *(pl.col(name).fill_null(0).cast(pl.Int32) for name in counts),
        pl.col("service_hours_week").fill_null(0.0).cast(pl.Float64),
        _age_expr(as_of).alias("age"),
        (pl.col("sex") == "male").fill_null(False).cast(pl.Int32).alias("male"),
    )
    polypharmacy = pl.when(pl.col("n_regular_medicines") >= frailty.POLYPHARMACY_MIN).then(
        pl.lit(frailty.POLYPHARMACY_BIT, dtype=pl.Int64)
    )
    codes = pl.col("d_mask") | pl.col("m_mask")
    joined = joined.with_columns(
        ((codes & DEFICIT_BITS) | pl.col("s_efi") | polypharmacy.otherwise(0)).alias("deficit_mask"),
        (codes // (1 << GROUP_SHIFT)).alias("group_mask"),
    )
    joined = joined.with_columns(
        pl.col("deficit_mask").bitwise_count_ones().cast(pl.Int32).alias("n_deficits"),
        pl.col("group_mask").bitwise_count_ones().cast(pl.Int32).alias("n_conditions"),
    )
    joined = joined.with_columns((pl.col("n_deficits") / frailty.DEFICIT_COUNT).alias("frailty_index"))
    joined = joined.with_columns(frailty.band_expr(pl.col("frailty_index")).alias("frailty_band"))
    return joined.select(*PERSON_COLUMNS, KEY, *BASE_COLUMNS)


def feature_exprs(names: Iterable[str] = FEATURES) -> list[pl.Expr]:
    """The features among ``names`` that are not :data:`BASE_COLUMNS`, from them: the age bands,
    the condition groups and the frailty bands, 0 or 1."""
    groups = admission.condition_codes()
    derived = {
        **{
            f"cond_{group}": ((pl.col("group_mask") & groups.bit(group)) != 0).cast(pl.Int32)
            for group in admission.CONDITION_GROUPS
        },
        **{
            name: pl.col("age").is_between(low, high).cast(pl.Int32)
            for name, low, high in admission.AGE_BANDS
        },
        **{
            name: (pl.col("frailty_band") == band).cast(pl.Int32) for name, band in admission.FRAILTY_FEATURES
        },
    }
    return [derived[name].alias(name) for name in dict.fromkeys(names) if name in derived]


def feature_plan(extract: Extract, *, as_of: datetime.date) -> pl.LazyFrame:
    """The lazy plan of :func:`features` (with the key ``pid``); ``extract`` may be one of
    :func:`extract.load_keyed`."""
    return (
        person_plan(extract, as_of=as_of)
        .with_columns(feature_exprs())
        .select(
            *PERSON_COLUMNS,
            KEY,
            "age",
            "frailty_index",
            "frailty_band",
            "n_deficits",
            "deficit_mask",
            *FEATURES,
        )
    )

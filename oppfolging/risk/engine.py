"""The risk engine: from an extract to every person's frailty index, admission risk, flags, tier
and the factors behind the score.

``features(extract, as_of=...)`` gives one row per person born by ``as_of`` with the feature
columns of :data:`FEATURES` (and ``age``, ``n_deficits``, ``frailty_index``, ``frailty_band``);
``score(extract, as_of=..., model=...)`` adds ``admission_risk``, ``tier``, ``flags``, ``factors``
and ``data_hash``. A population batch uses the lean path: ``population`` scores everyone without
making every feature (the linear predictor by table lookups), and ``explain`` adds the features
and factors for the persons it lists; ``score`` is the two for everyone. Everything is vectorised
in Polars (and numpy for the factors): no Python loop over persons. Nothing dated after ``as_of``
is seen.

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

The tier (the population pyramid, :func:`tier_expr`):

- 4: admission risk ≥ 0.30, or severe frailty;
- 3: admission risk ≥ 0.10, or moderate frailty;
- 2: admission risk ≥ 0.05, or any guideline flag;
- 1: everyone else.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from oppfolging.risk import admission, flags, frailty
from oppfolging.risk.admission import FEATURES, ModelWeights, ensure_default_model
from oppfolging.risk.extract import KEY, Extract, categories, hash_plan, keyed

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "DEFAULT_WEIGHTS",
    "FEATURES",
    "ModelWeights",
    "ensure_default_model",
    "features",
    "score",
]

DEFAULT_WEIGHTS: ModelWeights = admission.default_weights()

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

TIER_4_RISK = 0.30
TIER_3_RISK = 0.10
TIER_2_RISK = 0.05
FACTOR_COUNT = 3

EMERGENCY = "emergency_admission"
OUT_OF_HOURS = "out_of_hours"

PERSON_COLUMNS = ("national_id", "birth_date", "sex", "gp_hpr")
SCORE_COLUMNS = (
    *PERSON_COLUMNS,
    "age",
    "admission_risk",
    "frailty_index",
    "frailty_band",
    "n_deficits",
    "tier",
    "flags",
    "factors",
    "data_hash",
)


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


# --- Scoring ------------------------------------------------------------------------------------


def _check(model: ModelWeights) -> dict[str, float]:
    unknown = sorted(set(model.coefficients) - set(FEATURES))
    if unknown:
        raise ValueError(f"the model names features the engine does not compute: {', '.join(unknown)}")
    return {name: float(model.coefficients.get(name, 0.0)) for name in FEATURES}


#: Ages above this one are in no age band (the last band ends here).
_OLDEST = max(high for _, _, high in admission.AGE_BANDS)


def _table(values: Iterable[float]) -> pl.Expr:
    return pl.lit(pl.Series(list(values), dtype=pl.Float64))


def linear_predictor(model: ModelWeights) -> pl.Expr:
    """The model's linear predictor on :data:`BASE_COLUMNS`: the 0/1 features of one kind (the
    age bands, the condition groups, the frailty bands) as one table lookup each — the sum of
    the weights of the age's band, of the groups in the person's ``group_mask``, of the band of
    their number of deficits — and the counts times their weights. The same sum as over the
    features one by one, without making a column per feature for everyone."""
    coefficients = _check(model)
    ages = np.zeros(_OLDEST + 2)  # the last entry: older than any band
    for name, low, high in admission.AGE_BANDS:
        ages[low : high + 1] += coefficients[name]
    groups = admission.condition_codes()
    masks = np.arange(1 << len(admission.CONDITION_GROUPS))
    by_groups = np.zeros(len(masks))
    for group in admission.CONDITION_GROUPS:
        by_groups += np.where(masks & groups.bit(group), coefficients[f"cond_{group}"], 0.0)
    band_weight = {band: coefficients[name] for name, band in admission.FRAILTY_FEATURES}
    by_deficits = [
        band_weight.get(frailty.band(frailty.frailty_index(count)), 0.0)
        for count in range(frailty.DEFICIT_COUNT + 1)
    ]
    terms = [
        _table(ages).gather(pl.col("age").clip(0, _OLDEST + 1)),
        _table(by_groups).gather(pl.col("group_mask")),
        _table(by_deficits).gather(pl.col("n_deficits").clip(0, frailty.DEFICIT_COUNT)),
        *(
            pl.col(name).cast(pl.Float64) * weight
            for name, weight in coefficients.items()
            if name not in DERIVED and weight != 0.0
        ),
    ]
    return pl.lit(float(model.intercept)) + pl.sum_horizontal(terms)


def risk_expr(model: ModelWeights) -> pl.Expr:
    return (1.0 / (1.0 + (-linear_predictor(model)).exp())).alias("admission_risk")


def tier_expr() -> pl.Expr:
    risk, band = pl.col("admission_risk"), pl.col("frailty_band")
    return (
        pl.when((risk >= TIER_4_RISK) | (band == frailty.SEVERE))
        .then(4)
        .when((risk >= TIER_3_RISK) | (band == "moderate"))
        .then(3)
        .when((risk >= TIER_2_RISK) | (pl.col("flag_mask") != 0))
        .then(2)
        .otherwise(1)
        .cast(pl.Int8)
        .alias("tier")
    )


FACTOR_STRUCT = pl.Struct({"feature": pl.String, "value": pl.Float64, "contribution": pl.Float64})
FACTOR_DTYPE = pl.List(FACTOR_STRUCT)


class _Arrow:
    """An Arrow array handed to Polars through the Arrow C data interface: Polars' ``from_arrow``
    imports pyarrow's compute module, a tenth of a second in a fresh process."""

    def __init__(self, array: pa.Array) -> None:
        self.array = array

    def __arrow_c_array__(self, requested_schema: object | None = None) -> tuple[object, object]:
        capsules: tuple[object, object] = self.array.__arrow_c_array__(requested_schema)
        return capsules


def _lists(counts: npt.NDArray[np.int64], values: pa.Array, name: str) -> pl.Series:
    """A list column from per-row lengths and the flattened values (built in Arrow at once)."""
    import pyarrow as pa

    offsets = np.zeros(len(counts) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pl.Series(name, _Arrow(pa.ListArray.from_arrays(pa.array(offsets), values))).alias(name)


def top_contributions(frame: pl.DataFrame, model: ModelWeights) -> tuple[list[str], Ints, Floats, Floats]:
    """The three largest contributions of each row: feature names, and per row and slot the
    feature's index into the names, its value and its contribution (≤ 0 when there is none)."""
    coefficients = _check(model)
    names = [name for name, weight in coefficients.items() if weight > 0]
    take = min(FACTOR_COUNT, len(names))
    if not names or frame.height == 0:
        empty = np.zeros((frame.height, take))
        return names, empty.astype(np.int64), empty, empty
    weights = np.array([coefficients[name] for name in names])
    order = np.empty((frame.height, take), dtype=np.int64)
    values = np.empty((frame.height, take), dtype=np.float64)
    contributions = np.empty((frame.height, take), dtype=np.float64)
    # In chunks of rows that stay in the processor's cache, each laid out row after row (C
    # order): argmax along a row then reads memory in sequence, many times faster than over
    # Polars' column-major copy of the whole frame.
    columns = frame.select(pl.col(names).cast(pl.Float64))
    for begin in range(0, frame.height, _CHUNK):
        end = min(begin + _CHUNK, frame.height)
        chunk = columns.slice(begin, end - begin).to_numpy(order="c")
        work = chunk * weights
        rows = np.arange(end - begin)
        # Largest first; among equal contributions the feature listed first in FEATURES
        # (argmax returns the first of equal maxima). Three passes of argmax beat sorting.
        for slot in range(take):
            best = np.argmax(work, axis=1)
            order[begin:end, slot] = best
            values[begin:end, slot] = chunk[rows, best]
            contributions[begin:end, slot] = work[rows, best]
            work[rows, best] = -np.inf
    return names, order, values, contributions


_CHUNK = 1 << 12


def _names(names: list[str], indices: npt.NDArray[np.int64]) -> pa.Array:
    """``names[i]`` for each index, as an Arrow text array (taken by numpy: an Arrow ``take``
    imports pyarrow's compute module)."""
    import pyarrow as pa

    return pa.array(np.array(names, dtype=object)[indices], type=pa.large_string())


def factors(frame: pl.DataFrame, model: ModelWeights) -> pl.Series:
    """The (at most) three largest positive contributions coefficient * (value - 0) of each row,
    largest first (ties: in the order of :data:`FEATURES`), as {feature, value, contribution}."""
    import pyarrow as pa

    names, order, values, contributions = top_contributions(frame, model)
    positive = contributions > 0
    flat = pa.StructArray.from_arrays(
        [
            _names(names, order[positive]),
            pa.array(values[positive], type=pa.float64()),
            pa.array(np.round(contributions[positive], 4), type=pa.float64()),
        ],
        names=["feature", "value", "contribution"],
    )
    return _lists(positive.sum(axis=1).astype(np.int64), flat, "factors").cast(FACTOR_DTYPE)


def flag_lists(flag_mask: pl.Series) -> pl.Series:
    """The flag keys of each row's mask (bit i: ``flags.KEYS[i]``) as a list column. Only the rows
    with a flag are looked at bit by bit (most of a population has none)."""
    bits = flag_mask.to_numpy().astype(np.int64)
    flagged = np.flatnonzero(bits)
    present = (bits[flagged, None] >> np.arange(len(flags.KEYS))) & 1 == 1
    counts = np.zeros(len(bits), dtype=np.int64)
    counts[flagged] = present.sum(axis=1)
    columns = np.broadcast_to(np.arange(len(flags.KEYS)), present.shape)
    values = _names(list(flags.KEYS), columns[present])
    return _lists(counts, values, "flags").cast(pl.List(pl.String))


def flag_inputs() -> tuple[str, ...]:
    """The features the guideline's rules read that are not :data:`BASE_COLUMNS`."""
    names = (name for rule in flags.RULES for name in rule.condition().meta.root_names())
    return tuple(name for name in dict.fromkeys(names) if name in FEATURES and name not in BASE_COLUMNS)


def population(
    extract: Extract,
    *,
    as_of: datetime.date,
    model: ModelWeights | None = None,
    read: Sequence[pl.DataFrame] | None = None,
    columns: Iterable[str] = (),
) -> pl.DataFrame:
    """Every person's scores on ``as_of`` with ``model`` (the shipped default if None), lean: the
    columns of :func:`person_plan`, the features of ``columns`` and those the flags read, and
    ``admission_risk``, ``flag_mask`` and ``tier``; in no set order. The other features, the
    factors and the flags as words are for the persons someone will look at
    (:func:`explain`). ``read``: see :func:`person_plan`."""
    weights = model if model is not None else DEFAULT_WEIGHTS
    return (
        person_plan(extract, as_of=as_of, read=read)
        .with_columns(feature_exprs((*flag_inputs(), *columns)))
        .with_columns(risk_expr(weights), flags.mask_expr())
        .with_columns(tier_expr())
        .collect(engine=PERSON_ENGINE)
    )


def explain(frame: pl.DataFrame, model: ModelWeights | None = None) -> pl.DataFrame:
    """``frame`` (rows of :func:`population`) with every feature and the ``factors``."""
    full = frame.with_columns(feature_exprs(name for name in FEATURES if name not in frame.columns))
    return full.with_columns(factors(full, model if model is not None else DEFAULT_WEIGHTS))


def features(extract: Extract, *, as_of: datetime.date) -> pl.DataFrame:
    """One row per person born on or before ``as_of``, in no set order: national_id, birth_date,
    sex, gp_hpr, age, frailty_index, frailty_band, n_deficits, deficit_mask (bit i:
    ``frailty.DEFICITS[i]``) and the feature columns of :data:`FEATURES`. Identity numbers must
    be digits (the contract's 11); rows of other numbers are not matched to anyone."""
    return feature_plan(extract, as_of=as_of).drop(KEY).collect(engine=PERSON_ENGINE)


def score(
    extract: Extract,
    *,
    as_of: datetime.date,
    model: ModelWeights | None = None,
    hashes: pl.DataFrame | pl.LazyFrame | bool = True,
    key: bool = False,
    explain: pl.Expr | None = None,
) -> pl.DataFrame:
    """Every person's scores on ``as_of`` with ``model`` (the shipped default if None): the
    columns of :data:`SCORE_COLUMNS`, then ``deficit_mask``, ``flag_mask`` and the feature
    columns (and the person key ``pid`` last when ``key``), in no set order.

    ``hashes``: True computes every person's ``data_hash`` from ``extract`` (reading every
    table once more); a frame (``pid``, data_hash) gives them; False leaves them empty.
    ``explain``: the rows whose ``factors`` are wanted (an expression on the scored columns,
    ``admission_risk`` and ``flag_mask`` among them); the others' are null. None: every row's.
    (A population batch uses :func:`population` and :func:`explain` for the persons it lists.)"""
    weights = model if model is not None else DEFAULT_WEIGHTS
    result = population(extract, as_of=as_of, model=weights, columns=FEATURES)
    if hashes is True:
        tables = dict(zip(extract.tables(), pl.collect_all(list(extract.tables().values())), strict=True))
        hashes = hash_plan(tables)
    if hashes is False:
        result = result.with_columns(pl.lit(None, dtype=pl.String).alias("data_hash"))
    else:
        result = result.join(hashes.lazy().collect(), on=KEY, how="left", maintain_order="left")
    if explain is None:
        explained = factors(result, weights)
    else:
        rows = result.with_row_index("__row").filter(explain)
        found = pl.DataFrame([rows.get_column("__row"), factors(rows, weights)])
        explained = (
            pl.DataFrame({"__row": pl.arange(0, result.height, dtype=pl.UInt32, eager=True)})
            .join(found, on="__row", how="left", maintain_order="left")
            .get_column("factors")
        )
    result = result.with_columns(flag_lists(result.get_column("flag_mask")), explained)
    return result.select(*SCORE_COLUMNS, "deficit_mask", "flag_mask", *FEATURES, *([KEY] if key else []))


def tier_counts(scores: pl.DataFrame) -> dict[int, int]:
    counts = scores.group_by("tier").len()
    found = {int(t): int(n) for t, n in counts.iter_rows()}
    return {tier: found.get(tier, 0) for tier in (1, 2, 3, 4)}

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

What each feature counts: :mod:`oppfolging.risk.reading`, which reads and sums an extract into
one row per person.

The tier (the population pyramid, :func:`tier_expr`):

- 4: admission risk ≥ 0.30, or severe frailty;
- 3: admission risk ≥ 0.10, or moderate frailty;
- 2: admission risk ≥ 0.05, or any guideline flag;
- 1: everyone else.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import polars as pl

from oppfolging.risk import admission, flags, frailty
from oppfolging.risk.admission import FEATURES, ModelWeights, ensure_default_model
from oppfolging.risk.extract import KEY, Extract, hash_plan
from oppfolging.risk.reading import (
    BASE_COLUMNS,
    DERIVED,
    PERSON_COLUMNS,
    PERSON_ENGINE,
    feature_exprs,
    feature_plan,
    one_year_before,
    person_plan,
    read_population,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "BASE_COLUMNS",
    "DEFAULT_WEIGHTS",
    "DERIVED",
    "FEATURES",
    "PERSON_COLUMNS",
    "ModelWeights",
    "ensure_default_model",
    "explain",
    "feature_exprs",
    "features",
    "one_year_before",
    "person_plan",
    "population",
    "read_population",
    "score",
]

DEFAULT_WEIGHTS: ModelWeights = admission.default_weights()

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

TIER_4_RISK = 0.30
TIER_3_RISK = 0.10
TIER_2_RISK = 0.05
FACTOR_COUNT = 3

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


def features_read_by(exprs: Iterable[pl.Expr]) -> tuple[str, ...]:
    """The derived 0/1 features (:data:`DERIVED`) that ``exprs`` read, in order, once each: what
    :func:`population` must make for everyone so that they can be evaluated."""
    names = (name for expr in exprs for name in expr.meta.root_names())
    return tuple(name for name in dict.fromkeys(names) if name in DERIVED)


def flag_inputs() -> tuple[str, ...]:
    """The derived features the guideline's rules read."""
    return features_read_by(rule.condition() for rule in flags.RULES)


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

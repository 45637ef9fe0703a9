"""The guideline's criteria as named rules (SPEC §4.1; the guideline for coordinated services,
2.1: services from several providers, long-term conditions, frequent unplanned needs, several
regular medicines — four or more triggers a medication review —, persistent psychosocial
problems, reduced general health).

Each rule is a Polars expression over the engine's feature columns, with a key (its bit in a
batch list's ``flag_mask`` is its place in :data:`RULES`), the columns whose numbers its reason
quotes, and words in
:mod:`oppfolging.risk.words` (``FLAG_WORDS[key]`` and ``FLAG_REASONS[key]``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

POLYPHARMACY_MIN = 4  # regular medicines: medication review (guideline 2.1)
SEVERAL_UNITS_MIN = 2  # different kinds of municipal service running
EMERGENCY_ADMISSIONS_MIN = 2  # in the last 12 months
OUT_OF_HOURS_MIN = 3  # in the last 12 months
MULTIMORBIDITY_MIN = 3  # long-term condition groups
FRAIL_BANDS = ("moderate", "severe")


@dataclass(frozen=True)
class FlagRule:
    key: str
    condition: Callable[[], pl.Expr]
    inputs: tuple[str, ...]


RULES: tuple[FlagRule, ...] = (
    FlagRule(
        "polypharmacy",
        lambda: pl.col("n_regular_medicines") >= POLYPHARMACY_MIN,
        ("n_regular_medicines",),
    ),
    FlagRule(
        "several_units",
        lambda: pl.col("n_service_kinds") >= SEVERAL_UNITS_MIN,
        ("n_service_kinds",),
    ),
    FlagRule(
        "repeated_emergency",
        lambda: (
            (pl.col("emergency_admissions_12m") >= EMERGENCY_ADMISSIONS_MIN)
            | (pl.col("out_of_hours_12m") >= OUT_OF_HOURS_MIN)
        ),
        ("emergency_admissions_12m", "out_of_hours_12m"),
    ),
    FlagRule(
        "multimorbidity",
        lambda: pl.col("n_conditions") >= MULTIMORBIDITY_MIN,
        ("n_conditions",),
    ),
    FlagRule(
        "psychosocial",
        lambda: (pl.col("cond_severe_mental_illness") > 0) | (pl.col("cond_substance_use") > 0),
        ("cond_severe_mental_illness", "cond_substance_use"),
    ),
    FlagRule(
        "frailty",
        lambda: pl.col("frailty_band").is_in(FRAIL_BANDS),
        ("frailty_index", "n_deficits"),
    ),
)
KEYS: tuple[str, ...] = tuple(rule.key for rule in RULES)
RULES_BY_KEY: dict[str, FlagRule] = {rule.key: rule for rule in RULES}


def flags_expr() -> pl.Expr:
    """The list of keys of the rules that hold, in the order of :data:`RULES` (``flags``)."""
    return (
        pl.concat_list([pl.when(rule.condition()).then(pl.lit(rule.key)).otherwise(None) for rule in RULES])
        .list.drop_nulls()
        .alias("flags")
    )


def mask_expr() -> pl.Expr:
    """The rules that hold as a bit mask (bit i: ``KEYS[i]``), ``flag_mask``."""
    mask = pl.lit(0, dtype=pl.Int32)
    for i, rule in enumerate(RULES):
        mask = mask | pl.when(rule.condition()).then(pl.lit(1 << i, dtype=pl.Int32)).otherwise(
            pl.lit(0, dtype=pl.Int32)
        )
    return mask.alias("flag_mask")


def bit(key: str) -> int:
    """The rule's bit in a ``flag_mask`` (its place in :data:`RULES`); 0 for an unknown key, which
    no mask has."""
    return 1 << KEYS.index(key) if key in RULES_BY_KEY else 0


def keys_of(mask: int) -> list[str]:
    """The keys of the rules whose bits are set in ``mask``, in the order of :data:`RULES`."""
    return [key for key in KEYS if mask & bit(key)]


def evaluate(frame: pl.DataFrame) -> list[list[str]]:
    """The flag keys of each row of a frame of feature columns."""
    return [keys_of(int(mask)) for mask in frame.select(mask_expr()).get_column("flag_mask").to_list()]


def flags_of(values: Mapping[str, Any]) -> list[str]:
    """The flags of one person's features (missing counts are 0, a missing band is fit)."""
    row = {name: [values.get(name, 0)] for name in _INPUTS}
    row["frailty_band"] = [values.get("frailty_band", "fit")]
    return evaluate(pl.DataFrame(row))[0]


_INPUTS = sorted({name for rule in RULES for name in rule.inputs})

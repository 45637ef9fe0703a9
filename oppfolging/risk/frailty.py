"""The electronic frailty index (eFI) of Clegg et al. (Age Ageing 2016), on Norwegian codes.

36 deficits; a person's index is the number of deficits present / 36; bands fit ≤ 0.12,
mild ≤ 0.24, moderate ≤ 0.36, severe above. The deficits are found in diagnoses (ICPC-2 and
ICD-10 prefixes), a few specific medicines in regular use, municipal services, and the
polypharmacy rule (five or more regular medicines): ``data/efi_deficits.csv``, with its sources
and the warning that the mapping to Norwegian codes is ours and not validated in
``data/efi_sources.md``.

Code lists are matched on the *distinct* codes of an extract (a few thousand), never per row:
each distinct code is normalised (upper case, no dots or spaces), all its prefixes are looked up
in the list, and the resulting bit mask (one bit per deficit, or per condition group) is joined
back onto the rows. See :class:`CodeList`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

DATA = Path(__file__).resolve().parent / "data"

# The 36 deficits in the paper's order; a deficit's bit in a mask is its position here.
DEFICITS: tuple[str, ...] = (
    "activity_limitation",
    "anaemia",
    "arthritis",
    "atrial_fibrillation",
    "cerebrovascular_disease",
    "chronic_kidney_disease",
    "diabetes",
    "dizziness",
    "dyspnoea",
    "falls",
    "foot_problems",
    "fragility_fracture",
    "hearing_impairment",
    "heart_failure",
    "heart_valve_disease",
    "housebound",
    "hypertension",
    "hypotension_syncope",
    "ischaemic_heart_disease",
    "memory_cognitive_problems",
    "mobility_transfer_problems",
    "osteoporosis",
    "parkinsonism_tremor",
    "peptic_ulcer",
    "peripheral_vascular_disease",
    "polypharmacy",
    "requirement_for_care",
    "respiratory_disease",
    "skin_ulcer",
    "sleep_disturbance",
    "social_vulnerability",
    "thyroid_disease",
    "urinary_incontinence",
    "urinary_system_disease",
    "visual_impairment",
    "weight_loss_anorexia",
)
DEFICIT_COUNT = 36
POLYPHARMACY_MIN = 5  # regular medicines on the scoring date (the eFI's own definition)

# Upper bounds of the bands (Clegg et al. 2016); above the last is "severe".
BANDS: tuple[tuple[str, float], ...] = (("fit", 0.12), ("mild", 0.24), ("moderate", 0.36))
SEVERE = "severe"
BAND_NAMES: tuple[str, ...] = (*(name for name, _ in BANDS), SEVERE)
_EPSILON = 1e-9  # an index exactly on a bound (e.g. 0.12) belongs to the lower band

CODE_SYSTEMS = ("icpc2", "icd10", "atc")


def normalise(code: str) -> str:
    """A code as the lists write it: upper case without dots, spaces or dashes."""
    return code.upper().replace(".", "").replace(" ", "").replace("-", "")


@dataclass(frozen=True)
class CodeList:
    """Keys (deficits or condition groups) with code prefixes per system, as bit masks.

    ``prefixes[(system, prefix)]`` is the mask of every key that prefix belongs to; a code's
    mask is the OR over all its prefixes. ``services`` holds (lower-case kind prefix, mask)."""

    keys: tuple[str, ...]
    prefixes: dict[tuple[str, str], int]
    services: tuple[tuple[str, int], ...]
    rules: dict[str, str]

    def bit(self, key: str) -> int:
        return 1 << self.keys.index(key)

    def mask_of(self, system: str, code: str | None) -> int:
        if not code or not system:
            return 0
        normal = normalise(code)
        mask = 0
        for length in range(1, len(normal) + 1):
            mask |= self.prefixes.get((system, normal[:length]), 0)
        return mask

    def service_mask(self, kind: str | None) -> int:
        if not kind:
            return 0
        lowered = kind.strip().lower()
        mask = 0
        for prefix, bits in self.services:
            if lowered.startswith(prefix):
                mask |= bits
        return mask

    def code_masks(self, codes: pl.DataFrame, *, system: str | None = None) -> pl.DataFrame:
        """``codes`` (distinct ``system``, ``code`` — or only ``code`` with ``system`` given)
        with the column ``mask``; rows whose mask is 0 are dropped."""
        systems = codes.get_column("system").to_list() if system is None else [system] * codes.height
        masks = [self.mask_of(s, c) for s, c in zip(systems, codes.get_column("code").to_list(), strict=True)]
        return codes.with_columns(pl.Series("mask", masks, dtype=pl.Int64)).filter(pl.col("mask") != 0)

    def kind_masks(self, kinds: Iterable[str | None]) -> pl.DataFrame:
        values = [kind for kind in kinds if kind is not None]
        frame = pl.DataFrame(
            {"kind": values, "mask": [self.service_mask(kind) for kind in values]},
            schema={"kind": pl.String, "mask": pl.Int64},
        )
        return frame.filter(pl.col("mask") != 0)


def load_code_list(path: Path, key_column: str, keys: tuple[str, ...] | None = None) -> CodeList:
    """Read a code list (columns ``<key_column>``, system, code_prefix, note). ``keys`` fixes the
    bit order; else keys are numbered in order of first appearance."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    order = list(keys) if keys is not None else []
    if keys is None:
        for row in rows:
            if row[key_column] not in order:
                order.append(row[key_column])
    prefixes: dict[tuple[str, str], int] = {}
    services: dict[str, int] = {}
    rules: dict[str, str] = {}
    for row in rows:
        key, system, prefix = row[key_column], row["system"].strip(), row["code_prefix"].strip()
        if key not in order:
            raise ValueError(f"{path.name}: unknown {key_column} {key!r}")
        bit = 1 << order.index(key)
        if system == "service":
            services[prefix.lower()] = services.get(prefix.lower(), 0) | bit
        elif system == "rule":
            rules[key] = prefix
        elif system in CODE_SYSTEMS:
            normal = normalise(prefix)
            prefixes[(system, normal)] = prefixes.get((system, normal), 0) | bit
        else:
            raise ValueError(f"{path.name}: unknown system {system!r}")
    if len(order) > 62:
        raise ValueError(f"{path.name}: more than 62 keys do not fit a 64-bit mask")
    return CodeList(keys=tuple(order), prefixes=prefixes, services=tuple(services.items()), rules=rules)


@cache
def deficit_codes() -> CodeList:
    codes = load_code_list(DATA / "efi_deficits.csv", "deficit", DEFICITS)
    present = _all_bits(codes)
    missing = [key for i, key in enumerate(DEFICITS) if not present & (1 << i)]
    if missing:  # pragma: no cover - the data file ships with all 36
        raise ValueError(f"efi_deficits.csv lacks deficits: {missing}")
    return codes


def _all_bits(codes: CodeList) -> int:
    mask = 0
    for bits in codes.prefixes.values():
        mask |= bits
    for _, bits in codes.services:
        mask |= bits
    for key in codes.rules:
        mask |= codes.bit(key)
    return mask


POLYPHARMACY_BIT = 1 << DEFICITS.index("polypharmacy")


def frailty_index(count: int) -> float:
    return count / DEFICIT_COUNT


def band(index: float) -> str:
    """The eFI band of an index (0.12 is fit, 0.1201 mild; 0.36 moderate, above it severe)."""
    for name, upper in BANDS:
        if index <= upper + _EPSILON:
            return name
    return SEVERE


def band_expr(index: pl.Expr) -> pl.Expr:
    """:func:`band` as a Polars expression."""
    expr = pl.lit(SEVERE)
    for name, upper in reversed(BANDS):
        expr = pl.when(index <= upper + _EPSILON).then(pl.lit(name)).otherwise(expr)
    return expr


def deficits_of(mask: int) -> list[str]:
    """The deficit keys whose bits are set in ``mask``."""
    return [key for i, key in enumerate(DEFICITS) if mask & (1 << i)]

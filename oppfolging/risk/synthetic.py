"""A synthetic population with registry-like history: invented persons, never real ones.

``generate(persons=N, seed=S, years=2, end=DATE)`` returns an :class:`~oppfolging.risk.extract.Extract`
(in memory) with the five tables of the data contract; ``manage.py risk_synthetic`` writes one to a
folder. Deterministic: the same arguments give the same tables, byte for byte. Vectorised with
numpy (no loop over persons): a million persons take seconds.

What it rests on (docs/risk-model.md, "The synthetic population", has the whole list):

- **Age** by the SSB population of Norway on 1 January 2014 (``data/population_2014.csv``), evenly
  within each age group, and within 80+ falling off by 15 % a year of age (about 20 % of the 80+
  are 90 or older, as in SSB's figures for 2018). Sex: 51 % men under 67, 48 % at 67-79, 40 % at
  80-89, 30 % at 90+ (rounded from SSB's tables; our approximation).
- **Identity numbers**: synthetic fødselsnummer (month + 80, Skatteetaten's test-population
  convention) with valid control digits, unique in the population.
- **GPs**: one invented HPR number per ~1 100 persons (the average Norwegian list length is about
  that); the numbers are 99xxxxxxx, outside the ranges issued so far, and mean nothing.
- **Long-term conditions** (the model's groups) with recorded prevalences by age shaped on public
  figures: diabetes about 5 % of all and more than 10 % of those over 80 (FHI, Folkehelserapporten
  «Diabetes i Norge»); COPD/asthma after FHI's 6-7 % of those over 40 (HUNT, Tromsø) of whom
  fewer are recorded; dementia recorded in about a third of the 14.6 % of 70+ who have it (Gjøra
  et al., J Alzheimers Dis 2021;79; 35.6 % recorded in registries); the others are our rounded
  approximations. A hidden per-person health level makes conditions cluster as they do.
- **Medicines** in regular use that fit each condition (antidiabetics for diabetes, inhalers for
  COPD/asthma, ...), plus the common age-related ones, tuned so that roughly 40 % of those 65+
  and 70 % of those 90+ have five or more (FHI, Reseptregisteret 2013-2017: 570 000 home-dwelling
  persons 65+ were dispensed five or more drugs in 2017; Folkehelserapporten 2018: about 80 % of
  those over 90 — dispensed in a year, so more than in regular use on one day).
- **Contacts**: GP consultations (about three a year, more with age and illness), out-of-hours
  contacts, outpatient visits, planned admissions, and **emergency admissions drawn from a hidden
  TRUE model** (:data:`TRUE_MODEL`) that is deliberately *not* the engine's default weights: it
  has other age bands and other weights, non-recorded conditions and deficits, and unobserved
  causes (the hidden health level, living alone). A model scored on these data is therefore not
  scored against itself.
- **Municipal services** more likely with age, frailty and dementia; psychiatric and substance
  follow-up for those groups.

About 20 rows per person on average across the tables (``expected_rows``).
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from oppfolging.risk.extract import Extract

DATA = Path(__file__).resolve().parent / "data"
EPOCH = datetime.date(1970, 1, 1)

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

# --- Age and sex --------------------------------------------------------------------------------

MAX_AGE = 104
OLD_DECLINE = 0.85  # within 80+: each year of age has 85 % of the persons of the year before


def age_distribution() -> Floats:
    """Share of the population at each age 0..104, from ``data/population_2014.csv``."""
    weights = np.zeros(MAX_AGE + 1)
    with (DATA / "population_2014.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            low, high, persons = int(row["age_from"]), int(row["age_to"]), float(row["persons"])
            span = np.arange(low, high + 1)
            shape = OLD_DECLINE ** (span - low) if low >= 80 else np.ones(len(span))
            weights[low : high + 1] = persons * shape / shape.sum()
    shares: Floats = weights / weights.sum()
    return shares


def population_bands() -> list[tuple[int, int, float]]:
    """The cited age groups and their shares of the population (for checking a sample)."""
    with (DATA / "population_2014.csv").open(encoding="utf-8") as handle:
        rows = [(int(r["age_from"]), int(r["age_to"]), float(r["persons"])) for r in csv.DictReader(handle)]
    total = sum(persons for _, _, persons in rows)
    return [(low, high, persons / total) for low, high, persons in rows]


def _male_share(age: Ints) -> Floats:
    return np.select([age < 67, age < 80, age < 90], [0.51, 0.48, 0.40], 0.30)


# --- Conditions ---------------------------------------------------------------------------------

KNOT_AGES = np.array([0, 18, 30, 45, 60, 70, 80, 90, 100], dtype=np.float64)


@dataclass(frozen=True)
class Condition:
    """A long-term condition group as the generator draws it: recorded prevalence at the knot
    ages, odds ratio for men, loading on the hidden health level, and concrete codes."""

    prevalence: tuple[float, ...]
    male_or: float
    loading: float
    icpc2: tuple[str, ...]
    icd10: tuple[str, ...]
    medicines: tuple[tuple[str, float], ...]  # (ATC, probability of regular use given the condition)


CONDITIONS: dict[str, Condition] = {
    "heart_failure": Condition(
        (0, 0, 0.001, 0.003, 0.01, 0.03, 0.07, 0.12, 0.15),
        1.3,
        0.6,
        ("K77",),
        ("I50.0", "I50.9", "I11.0"),
        (("C03CA01", 0.8), ("C07AB07", 0.7), ("C09AA05", 0.6), ("C03DA04", 0.3)),
    ),
    "copd_asthma": Condition(
        (0.04, 0.05, 0.04, 0.045, 0.06, 0.08, 0.10, 0.09, 0.08),
        1.0,
        0.5,
        ("R95", "R96"),
        ("J44.1", "J44.9", "J45.9"),
        (("R03AK06", 0.7), ("R03BB04", 0.4), ("R03AC02", 0.3)),
    ),
    "diabetes": Condition(
        (0.002, 0.004, 0.01, 0.03, 0.07, 0.10, 0.12, 0.11, 0.09),
        1.3,
        0.4,
        ("T90", "T90", "T89"),
        ("E11.9", "E11.6", "E10.9"),
        (("A10BA02", 0.75), ("A10BJ02", 0.2), ("A10AE04", 0.2), ("C10AA05", 0.5)),
    ),
    "dementia": Condition(
        (0, 0, 0, 0, 0.002, 0.012, 0.05, 0.12, 0.18),
        0.8,
        0.4,
        ("P70",),
        ("F03", "G30.1", "F01.9"),
        (("N06DA02", 0.5), ("N06DX01", 0.15), ("N05AX08", 0.1)),
    ),
    "chronic_kidney_disease": Condition(
        (0, 0.001, 0.002, 0.005, 0.015, 0.035, 0.07, 0.10, 0.10),
        1.1,
        0.5,
        ("U99",),
        ("N18.3", "N18.4", "N18.9"),
        (("C09AA05", 0.4), ("C03CA01", 0.3), ("H05BX01", 0.1)),
    ),
    "cancer": Condition(
        (0.001, 0.002, 0.004, 0.01, 0.03, 0.05, 0.065, 0.065, 0.055),
        1.1,
        0.3,
        ("D75", "R84", "X76", "Y77", "S77"),
        ("C18.7", "C34.1", "C50.9", "C61", "C44.3"),
        (("L02BA01", 0.15), ("L02AE02", 0.15), ("A02BC02", 0.3), ("N02AA05", 0.15)),
    ),
    "stroke": Condition(
        (0, 0, 0.001, 0.004, 0.012, 0.03, 0.055, 0.08, 0.09),
        1.2,
        0.4,
        ("K90", "K89"),
        ("I63.9", "I69.3", "G45.9"),
        (("B01AC06", 0.5), ("B01AC04", 0.3), ("C10AA05", 0.6)),
    ),
    "coronary_heart_disease": Condition(
        (0, 0, 0.001, 0.008, 0.035, 0.07, 0.11, 0.13, 0.13),
        1.8,
        0.4,
        ("K74", "K76", "K75"),
        ("I25.1", "I20.9", "I21.4"),
        (("B01AC06", 0.7), ("C10AA05", 0.8), ("C07AB02", 0.6), ("C01DA02", 0.15)),
    ),
    "atrial_fibrillation": Condition(
        (0, 0, 0.001, 0.005, 0.025, 0.06, 0.12, 0.16, 0.16),
        1.3,
        0.3,
        ("K78",),
        ("I48.9", "I48.0"),
        (("B01AF02", 0.6), ("B01AA03", 0.15), ("C07AB02", 0.5), ("C01AA05", 0.1)),
    ),
    "severe_mental_illness": Condition(
        (0, 0.005, 0.012, 0.013, 0.012, 0.01, 0.009, 0.008, 0.008),
        1.1,
        0.5,
        ("P72", "P73"),
        ("F20.0", "F31.3", "F25.0"),
        (("N05AH03", 0.6), ("N05AN01", 0.25), ("N05AX12", 0.2)),
    ),
    "substance_use": Condition(
        (0, 0.01, 0.03, 0.025, 0.02, 0.012, 0.006, 0.003, 0.002),
        2.2,
        0.6,
        ("P15", "P19"),
        ("F10.2", "F11.2", "F19.2"),
        (("N07BC02", 0.2), ("N07BB03", 0.1), ("N05BA01", 0.15)),
    ),
    "depression": Condition(
        (0.005, 0.04, 0.06, 0.06, 0.055, 0.05, 0.05, 0.05, 0.05),
        0.6,
        0.4,
        ("P76",),
        ("F32.1", "F33.1"),
        (("N06AB10", 0.5), ("N06AX11", 0.25)),
    ),
    "epilepsy": Condition(
        (0.005, 0.007, 0.007, 0.007, 0.007, 0.008, 0.009, 0.009, 0.009),
        1.1,
        0.2,
        ("N88",),
        ("G40.9", "G40.2"),
        (("N03AX09", 0.6), ("N03AG01", 0.3)),
    ),
    "rheumatoid_arthritis": Condition(
        (0, 0.001, 0.003, 0.006, 0.009, 0.011, 0.012, 0.01, 0.01),
        0.5,
        0.2,
        ("L88",),
        ("M05.9", "M06.9"),
        (("L04AX03", 0.6), ("H02AB06", 0.3), ("A11CC05", 0.3)),
    ),
    "chronic_liver_disease": Condition(
        (0, 0, 0.001, 0.003, 0.005, 0.005, 0.004, 0.003, 0.002),
        1.6,
        0.6,
        ("D97",),
        ("K70.3", "K74.6"),
        (("A06AD11", 0.5), ("C03DA01", 0.3)),
    ),
}
GROUPS = tuple(CONDITIONS)

# eFI deficits that are not one of the groups above: prevalence at age 80, a relative age curve
# (KNOT_AGES), codes, and a medicine where one is typical. Our approximations.
DEFICIT_AGE_CURVE = np.array([0.01, 0.04, 0.08, 0.15, 0.4, 0.7, 1.0, 1.25, 1.3])


@dataclass(frozen=True)
class Deficit:
    at_80: float
    icpc2: tuple[str, ...]
    icd10: tuple[str, ...]
    medicines: tuple[tuple[str, float], ...] = ()


DEFICITS: dict[str, Deficit] = {
    "hypertension": Deficit(
        0.650, ("K86", "K87"), ("I10",), (("C09CA01", 0.7), ("C08CA01", 0.45), ("C03AA03", 0.2))
    ),
    "arthritis": Deficit(0.390, ("L90", "L89", "L91"), ("M17.1", "M16.1"), (("N02BE01", 0.4),)),
    "hearing_impairment": Deficit(0.364, ("H84", "H86"), ("H90.3", "H91.1")),
    "visual_impairment": Deficit(
        0.325, ("F92", "F84", "F93"), ("H25.9", "H35.3", "H40.1"), (("S01EE01", 0.3),)
    ),
    "osteoporosis": Deficit(0.208, ("L95",), ("M81.0",), (("M05BA04", 0.6), ("A12AX", 0.6))),
    "falls": Deficit(0.156, (), ("W19", "W01", "R29.6")),
    "urinary_incontinence": Deficit(0.169, ("U04",), ("R32", "N39.4"), (("G04BD08", 0.3),)),
    "dizziness": Deficit(0.130, ("N17", "H82"), ("R42",)),
    "sleep_disturbance": Deficit(0.156, ("P06",), ("G47.0",), (("N05CF01", 0.6),)),
    "thyroid_disease": Deficit(0.143, ("T86", "T85"), ("E03.9", "E05.0"), (("H03AA01", 0.9),)),
    "anaemia": Deficit(0.130, ("B80", "B82"), ("D50.9", "D64.9"), (("B03AA07", 0.5), ("B03BA01", 0.3))),
    "foot_problems": Deficit(0.104, ("S20", "L17", "S94"), ("M20.1", "L84")),
    "fragility_fracture": Deficit(0.078, ("L75", "L72"), ("S72.0", "S52.5", "S22.0")),
    "peptic_ulcer": Deficit(0.046, ("D86", "D85"), ("K25.9", "K26.9"), (("A02BC01", 0.8),)),
    "peripheral_vascular_disease": Deficit(
        0.078, ("K92",), ("I70.2", "I73.9"), (("B01AC06", 0.5), ("C10AA01", 0.5))
    ),
    "heart_valve_disease": Deficit(0.091, ("K83",), ("I35.0", "I34.0")),
    "hypotension_syncope": Deficit(0.078, ("K88", "A06"), ("I95.1", "R55")),
    "dyspnoea": Deficit(0.104, ("R02",), ("R06.0",)),
    "skin_ulcer": Deficit(0.052, ("S97",), ("L89.1", "L97")),
    "weight_loss_anorexia": Deficit(0.052, ("T08", "T05"), ("R63.4", "E44.0"), (("A11JA", 0.3),)),
    "mobility_transfer_problems": Deficit(0.104, ("L28",), ("R26.2", "Z99.3")),
    "activity_limitation": Deficit(0.078, ("A28",), ("Z73.6",)),
    "memory_cognitive_problems": Deficit(0.091, ("P20",), ("R41.3", "F06.7")),
    "parkinsonism_tremor": Deficit(0.033, ("N87", "N08"), ("G20", "G25.0"), (("N04BA02", 0.7),)),
    "social_vulnerability": Deficit(0.091, ("Z15", "Z29", "Z03"), ("Z60.2", "Z63.4")),
    "urinary_system_disease": Deficit(0.104, ("U71", "U95"), ("N39.0", "N20.0"), (("G04CA02", 0.3),)),
}
DEFICIT_NAMES = tuple(DEFICITS)

# Acute and minor reasons for contact that mean no deficit and no group.
ACUTE_ICPC2 = (
    "R74", "R74", "R75", "R05", "L03", "L84", "A97", "A04", "S88", "H71", "D73", "F70", "N01",
    "P74", "A11", "S74", "L02", "R78", "D01", "L81", "A03", "R21", "S18", "Y04",
)  # fmt: skip
ACUTE_ICD10 = ("J18.9", "R07.4", "R10.4", "K80.2", "A09.9", "S01.8", "S61.0", "T78.4", "R50.9", "K35.8")
OCCASIONAL_MEDICINES = ("J01CA04", "J01CE02", "J01FA09", "N02AJ06", "H02AB06", "M01AE01", "R05DA04")
# Common regular medicines with age, regardless of condition: (ATC, probability at 80).
AGE_MEDICINES = (
    ("A02BC01", 0.45),
    ("C10AA05", 0.4),
    ("N02BE01", 0.4),
    ("A11CC05", 0.35),
    ("B01AC06", 0.2),
    ("A06AD11", 0.2),
    ("N06AB04", 0.1),
    ("B03BA01", 0.1),
)

SERVICE_KINDS = (
    "hjemmesykepleie",
    "praktisk bistand",
    "trygghetsalarm",
    "matombringing",
    "dagaktivitetstilbud",
    "korttidsopphold",
    "langtidsopphold",
    "psykisk helsearbeid",
    "rusoppfølging",
    "avlastning",
    "brukerstyrt personlig assistanse",
    "støttekontakt",
)

# --- The hidden TRUE model ----------------------------------------------------------------------


@dataclass(frozen=True)
class TrueModel:
    """How emergency admissions are *generated*: the log of the yearly rate. Not the engine's
    default weights: other age bands, other weights, unrecorded conditions and deficits count,
    and unobserved causes (the hidden health level, living alone) that no model can see."""

    intercept: float
    age_bands: tuple[tuple[int, float], ...]  # (from age, log rate ratio) — the last band that fits
    male: float
    groups: dict[str, float]
    per_deficit: float
    health: float  # per standard deviation of the hidden health level
    lives_alone: float
    nursing_home: float
    year_noise_shape: float  # person-year gamma noise: persistence of risk from one year to the next


TRUE_MODEL = TrueModel(
    intercept=-3.45,
    age_bands=(
        (0, 0.35),
        (5, -0.45),
        (18, 0.0),
        (40, 0.1),
        (55, 0.3),
        (65, 0.6),
        (75, 0.95),
        (85, 1.3),
        (92, 1.5),
    ),
    male=0.12,
    groups={
        "heart_failure": 0.85,
        "copd_asthma": 0.6,
        "diabetes": 0.3,
        "dementia": 0.3,
        "chronic_kidney_disease": 0.45,
        "cancer": 0.85,
        "stroke": 0.3,
        "coronary_heart_disease": 0.35,
        "atrial_fibrillation": 0.25,
        "severe_mental_illness": 0.55,
        "substance_use": 1.0,
        "depression": 0.2,
        "epilepsy": 0.45,
        "rheumatoid_arthritis": 0.15,
        "chronic_liver_disease": 0.9,
    },
    per_deficit=0.07,
    health=0.5,
    lives_alone=0.25,
    nursing_home=-0.3,
    year_noise_shape=3.0,
)


# --- Helpers ------------------------------------------------------------------------------------


def _sigmoid(x: Floats) -> Floats:
    out: Floats = 1.0 / (1.0 + np.exp(-x))
    return out


def _logit(p: Floats) -> Floats:
    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    out: Floats = np.log(clipped / (1 - clipped))
    return out


def _days(day: datetime.date) -> int:
    return (day - EPOCH).days


def _pick(rng: np.random.Generator, choices: tuple[str, ...], size: int) -> npt.NDArray[np.int64]:
    return rng.integers(0, len(choices), size=size)


def _check_digits(digits: Ints) -> tuple[Ints, Ints]:
    """Control digits k1, k2 of 9-digit fødselsnummer bases (10 means no valid digit)."""
    d = [(digits // 10 ** (8 - i)) % 10 for i in range(9)]
    w1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
    w2 = (5, 4, 3, 2, 7, 6, 5, 4, 3)
    k1 = (11 - sum(w * x for w, x in zip(w1, d, strict=True)) % 11) % 11
    k2 = (11 - (sum(w * x for w, x in zip(w2, d, strict=True)) + 2 * k1) % 11) % 11
    return k1, k2


def synthetic_numbers(rng: np.random.Generator, birth_days: Ints, male: Bools) -> pl.Series:
    """Unique synthetic fødselsnummer (month + 80) with valid control digits, for births
    1900-2039, the individual number's parity telling the sex."""
    n = len(birth_days)
    dates = pl.Series(birth_days.astype(np.int32)).cast(pl.Date)
    year = dates.dt.year().to_numpy().astype(np.int64)
    month = dates.dt.month().to_numpy().astype(np.int64)
    day = dates.dt.day().to_numpy().astype(np.int64)
    low = np.where(year >= 2000, 500, 0)
    prefix = (day * 100 + month + 80) * 100 + year % 100
    numbers = np.zeros(n, dtype=np.int64)
    todo = np.arange(n)
    for _ in range(200):
        if not len(todo):
            break
        individual = low[todo] + 2 * rng.integers(0, 250, size=len(todo)) + male[todo].astype(np.int64)
        base = prefix[todo] * 1000 + individual
        k1, k2 = _check_digits(base)
        numbers[todo] = np.where((k1 < 10) & (k2 < 10), (base * 10 + k1) * 10 + k2, 0)
        # Redraw the invalid ones and all but the first holder of a number drawn twice.
        _, first = np.unique(numbers, return_index=True)
        taken = np.zeros(n, dtype=bool)
        taken[first] = True
        todo = np.flatnonzero(~taken | (numbers == 0))
    if len(todo):  # pragma: no cover - only for absurdly dense populations
        raise ValueError("could not draw unique synthetic numbers")
    return pl.Series("national_id", numbers).cast(pl.String).str.zfill(11)


def _repeat(counts: Ints) -> Ints:
    """Person index repeated ``counts`` times each."""
    return np.repeat(np.arange(len(counts), dtype=np.int64), counts)


def _group_pick(rng: np.random.Generator, owner: Ints, items: Ints, rows: Ints) -> tuple[Ints, Bools]:
    """For each row's person, one of their items at random (``owner`` sorted, ``items`` aligned);
    the second array says whether the person had any."""
    n = int(rows.max()) + 1 if len(rows) else 0
    n = max(n, int(owner.max()) + 1 if len(owner) else 0)
    counts = np.bincount(owner, minlength=n)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]) if n else np.zeros(0, dtype=np.int64)
    have = counts[rows] > 0
    offset = (rng.random(len(rows)) * counts[rows]).astype(np.int64)
    index = np.where(have, starts[rows] + offset, 0)
    picked = items[index] if len(items) else np.zeros(len(rows), dtype=np.int64)
    return picked, have


CONTACT_KINDS = ("gp", "out_of_hours", "emergency_admission", "planned_admission", "outpatient")
KIND_GP, KIND_OUT_OF_HOURS, KIND_EMERGENCY, KIND_PLANNED, KIND_OUTPATIENT = range(5)
SOURCES = ("gp", "out_of_hours", "hospital")
SOURCE_GP, SOURCE_OUT_OF_HOURS, SOURCE_HOSPITAL = range(3)


class _Vocabulary:
    """Every code the generator writes, as (system, code) with an index; per condition group
    and deficit (items 0..G-1, G..) its ICPC-2 and ICD-10 codes as a padded index matrix, so a
    code is picked for millions of rows at once."""

    def __init__(self) -> None:
        pairs: list[tuple[str, str]] = []

        def index(system: str, code: str) -> int:
            if (system, code) not in pairs:
                pairs.append((system, code))
            return pairs.index((system, code))

        items: list[Condition | Deficit] = [CONDITIONS[g] for g in GROUPS] + [
            DEFICITS[d] for d in DEFICIT_NAMES
        ]
        self.options: dict[str, tuple[Ints, Ints]] = {}
        for system in ("icpc2", "icd10"):
            lists = []
            for it in items:
                own = it.icpc2 if system == "icpc2" else it.icd10
                other = it.icd10 if system == "icpc2" else it.icpc2
                # An item with no code in this system (falls in ICPC-2) is coded in the other.
                lists.append([index(system, c) for c in own] or [index(_other(system), c) for c in other])
            width = max(len(x) for x in lists)
            matrix = np.array([x + [x[0]] * (width - len(x)) for x in lists], dtype=np.int64)
            self.options[system] = (matrix, np.array([len(x) for x in lists], dtype=np.int64))
        self.acute_codes = {
            "icpc2": np.array([index("icpc2", c) for c in ACUTE_ICPC2], dtype=np.int64),
            "icd10": np.array([index("icd10", c) for c in ACUTE_ICD10], dtype=np.int64),
        }
        self.systems = pl.Series("system", [system for system, _ in pairs])
        self.codes = pl.Series("code", [code for _, code in pairs])

    def item_code(self, rng: np.random.Generator, item: Ints, system: str) -> Ints:
        matrix, lengths = self.options[system]
        choice = (rng.random(len(item)) * lengths[item]).astype(np.int64)
        out: Ints = matrix[item, choice]
        return out

    def acute(self, rng: np.random.Generator, size: int, system: str) -> Ints:
        codes = self.acute_codes[system]
        out: Ints = codes[rng.integers(0, len(codes), size=size)]
        return out


def _other(system: str) -> str:
    return "icd10" if system == "icpc2" else "icpc2"


def _dates(days: Ints) -> pl.Series:
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def _null_below_zero(column: str) -> pl.Expr:
    return pl.when(pl.col(column) < 0).then(None).otherwise(pl.col(column)).alias(column)


_VOCABULARY = _Vocabulary()


# --- Generation ---------------------------------------------------------------------------------


def generate(
    persons: int,
    *,
    seed: int = 1,
    years: int = 2,
    end: datetime.date | None = None,
) -> Extract:
    """An extract of ``persons`` invented persons with ``years`` years of history ending on
    ``end`` (default 31 December of last year... see ``default_end``)."""
    if persons < 1:
        raise ValueError("persons must be at least 1")
    if years < 1:
        raise ValueError("years must be at least 1")
    last = end or default_end()
    return _Generator(persons, seed, years, last).run()


def default_end(today: datetime.date | None = None) -> datetime.date:
    """The last day of the synthetic history: yesterday, so a batch scored today sees it all."""
    return (today or datetime.datetime.now(tz=datetime.UTC).date()) - datetime.timedelta(days=1)


def expected_rows(extract: Extract) -> dict[str, int]:
    return {name: int(frame.select(pl.len()).collect().item()) for name, frame in extract.tables().items()}


class _Generator:
    def __init__(self, n: int, seed: int, years: int, end: datetime.date) -> None:
        self.n = n
        self.rng = np.random.default_rng(seed)
        self.years = years
        self.end = _days(end)
        self.start = self.end - 365 * years + 1  # first day of the history

    # -- persons --

    def persons(self) -> None:
        rng, n = self.rng, self.n
        self.age = rng.choice(MAX_AGE + 1, size=n, p=age_distribution()).astype(np.int64)
        self.male = rng.random(n) < _male_share(self.age)
        # Born between ``age`` and ``age + 1`` years before the end.
        self.birth = self.end - np.floor((self.age + rng.random(n)) * 365.2425).astype(np.int64)
        self.national_id = synthetic_numbers(rng, self.birth, self.male)
        gps = max(1, round(n / 1100))
        hpr = 990_000_000 + np.sort(rng.choice(999_999, size=gps, replace=False))
        list_share = rng.gamma(8.0, size=gps)
        gp = rng.choice(gps, size=n, p=list_share / list_share.sum())
        self.gp_hpr = pl.Series("gp_hpr", hpr[gp]).cast(pl.String)
        self.gp_hpr = pl.select(
            pl.when(pl.Series(rng.random(n) < 0.005)).then(None).otherwise(self.gp_hpr)
        ).to_series()
        self.health = rng.standard_normal(n)  # hidden: higher is sicker
        self.lives_alone = rng.random(n) < np.select(
            [self.age < 18, self.age < 67, self.age < 80], [0, 0.2, 0.3], 0.55
        )

    # -- conditions and deficits --

    def conditions(self) -> None:
        rng, n, age = self.rng, self.n, self.age.astype(np.float64)
        self.has_group = np.zeros((n, len(GROUPS)), dtype=bool)
        for j, name in enumerate(GROUPS):
            c = CONDITIONS[name]
            base = np.interp(age, KNOT_AGES, np.array(c.prevalence, dtype=np.float64))
            # Shift on the logit scale so the mean over the hidden level stays near ``base``.
            logit = _logit(base) + np.log(c.male_or) * (self.male - 0.5) + c.loading * self.health
            logit -= c.loading**2 / 2
            self.has_group[:, j] = (base > 0) & (rng.random(n) < _sigmoid(logit))
        n_groups = self.has_group.sum(axis=1)
        self.has_deficit = np.zeros((n, len(DEFICIT_NAMES)), dtype=bool)
        curve = np.interp(age, KNOT_AGES, DEFICIT_AGE_CURVE)
        for j, name in enumerate(DEFICIT_NAMES):
            d = DEFICITS[name]
            base = np.clip(d.at_80 * curve, 0, 0.9)
            logit = _logit(base) + 0.7 * self.health - 0.245 + 0.15 * n_groups
            self.has_deficit[:, j] = rng.random(n) < _sigmoid(logit)
        self.nursing_home = (age >= 70) & (
            rng.random(n)
            < _sigmoid(
                -9.0 + 0.07 * age + 1.8 * self.has_group[:, GROUPS.index("dementia")] + 0.3 * self.health
            )
        )

    # -- events --

    def _event_days(self, person: Ints, low: Ints | int, high: Ints | int) -> Ints:
        """A day uniformly in [low, high] for each row, never before the person's birth."""
        low_arr = np.maximum(np.broadcast_to(low, person.shape), self.birth[person])
        high_arr = np.maximum(np.broadcast_to(high, person.shape), low_arr)
        days: Ints = low_arr + np.floor(self.rng.random(len(person)) * (high_arr - low_arr + 1)).astype(
            np.int64
        )
        return days

    def medicines(self) -> pl.DataFrame:
        rng, n = self.rng, self.n
        atc_names: list[str] = []
        persons: list[Ints] = []
        atcs: list[Ints] = []

        def add(mask: Bools, atc: str, p: float | Floats) -> None:
            chosen = np.flatnonzero(mask & (rng.random(n) < p))
            if atc not in atc_names:
                atc_names.append(atc)
            persons.append(chosen)
            atcs.append(np.full(len(chosen), atc_names.index(atc), dtype=np.int64))

        for j, name in enumerate(GROUPS):
            for atc, p in CONDITIONS[name].medicines:
                add(self.has_group[:, j], atc, p)
        for j, name in enumerate(DEFICIT_NAMES):
            for atc, p in DEFICITS[name].medicines:
                add(self.has_deficit[:, j], atc, p)
        age_curve = np.interp(self.age.astype(np.float64), KNOT_AGES, DEFICIT_AGE_CURVE)
        everyone = np.ones(n, dtype=bool)
        for atc, p in AGE_MEDICINES:
            add(everyone, atc, np.clip(p * age_curve * np.exp(0.3 * self.health), 0, 0.95))
        person = np.concatenate(persons)
        atc_index = np.concatenate(atcs)
        # One row per person and medicine (conditions share some medicines).
        key = np.unique(person * 1000 + atc_index)
        person, atc_index = key // 1000, key % 1000
        rows = len(person)
        # Regular medicines mostly began before the history; some in it; one in ten ended in it.
        began_before = rng.random(rows) < 0.8
        start = np.where(
            began_before,
            self.start - 1 - np.floor(rng.random(rows) * 5 * 365).astype(np.int64),
            self._event_days(person, self.start, self.end),
        )
        start = np.maximum(start, self.birth[person])
        ended = rng.random(rows) < 0.1
        end = np.where(ended, self._event_days(person, start, self.end), -1)
        # Occasional courses (antibiotics, painkillers), not regular.
        courses = rng.poisson(0.3 * self.years * np.exp(0.3 * self.health))
        c_person = _repeat(courses)
        c_start = self._event_days(c_person, self.start, self.end)
        c_atc = _pick(rng, OCCASIONAL_MEDICINES, len(c_person))
        names = pl.Series(atc_names + list(OCCASIONAL_MEDICINES))
        all_person = np.concatenate([person, c_person])
        frame = pl.DataFrame(
            {
                "national_id": self.national_id.gather(all_person),
                "atc": names.gather(np.concatenate([atc_index, c_atc + len(atc_names)])),
                "start": pl.Series(np.concatenate([start, c_start]).astype(np.int32)).cast(pl.Date),
                "end": pl.Series(
                    np.concatenate([end, c_start + 7 + rng.integers(0, 7, len(c_person))]).astype(np.int32)
                ).cast(pl.Date),
                "regular": np.concatenate([np.ones(rows, dtype=bool), np.zeros(len(c_person), dtype=bool)]),
            }
        )
        return frame.with_columns(
            pl.when(pl.col("end") < pl.col("start")).then(None).otherwise("end").alias("end")
        )

    def _true_rate(self) -> Floats:
        m = TRUE_MODEL
        age = self.age
        log_rate = np.full(self.n, m.intercept)
        for low, value in m.age_bands:
            log_rate = np.where(age >= low, m.intercept + value, log_rate)
        log_rate += m.male * self.male
        for j, name in enumerate(GROUPS):
            log_rate += m.groups[name] * self.has_group[:, j]
        log_rate += m.per_deficit * self.has_deficit.sum(axis=1)
        log_rate += (
            m.health * self.health + m.lives_alone * self.lives_alone + m.nursing_home * self.nursing_home
        )
        rate: Floats = np.exp(log_rate)
        return rate

    def contacts_and_diagnoses(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        rng, n, years = self.rng, self.n, self.years
        age = self.age.astype(np.float64)
        n_groups = self.has_group.sum(axis=1)
        n_deficits = self.has_deficit.sum(axis=1)
        vocab = _VOCABULARY

        # Everything a person has, as (person, item) with items 0..G-1 groups, G.. deficits.
        has = np.concatenate([self.has_group, self.has_deficit], axis=1)
        owner, item = (a.astype(np.int64) for a in np.nonzero(has))

        contacts: list[tuple[Ints, Ints, int, Ints | None]] = []  # person, day, kind, stay
        diagnoses: list[tuple[Ints, Ints, Ints, int]] = []  # person, day, code, source

        # 1. Every recorded condition and deficit is coded at least once by the GP in the history.
        day = self._event_days(owner, self.start, self.end)
        contacts.append((owner, day, KIND_GP, None))
        diagnoses.append((owner, day, vocab.item_code(rng, item, "icpc2"), SOURCE_GP))

        # 2. Other GP consultations: about three a year, more with age and illness.
        gp_rate = (
            years * (1.6 + 0.025 * age + 0.45 * n_groups + 0.15 * n_deficits) * np.exp(0.25 * self.health)
        )
        person = _repeat(rng.poisson(gp_rate))
        day = self._event_days(person, self.start, self.end)
        contacts.append((person, day, KIND_GP, None))
        diagnoses.append((person, day, self._reason(person, owner, item, "icpc2", 0.55), SOURCE_GP))

        # 3. Out-of-hours contacts.
        ooh_log = (
            -2.0
            + np.select([age < 5, age < 18, age < 30, age < 80], [0.6, -0.2, 0.25, 0.0], 0.5)
            + 0.7 * self.has_group[:, GROUPS.index("substance_use")]
            + 0.45 * self.has_group[:, GROUPS.index("severe_mental_illness")]
            + 0.25 * self.has_group[:, GROUPS.index("depression")]
            + 0.15 * n_groups
            + 0.4 * self.health
        )
        person = _repeat(rng.poisson(years * np.exp(ooh_log)))
        day = self._event_days(person, self.start, self.end)
        contacts.append((person, day, KIND_OUT_OF_HOURS, None))
        diagnoses.append((person, day, vocab.acute(rng, len(person), "icpc2"), SOURCE_OUT_OF_HOURS))

        # 4. Hospital: emergency admissions from the hidden true model, year by year; planned
        #    admissions and outpatient visits.
        rate = self._true_rate()
        hospital: list[tuple[Ints, Ints, int]] = []
        for year in range(years):
            noise = rng.gamma(TRUE_MODEL.year_noise_shape, 1 / TRUE_MODEL.year_noise_shape, size=n)
            person = _repeat(rng.poisson(rate * noise))
            low = self.start + 365 * year
            hospital.append((person, self._event_days(person, low, low + 364), KIND_EMERGENCY))
        person = _repeat(rng.poisson(years * (0.02 + 0.02 * n_groups) * np.exp(0.2 * self.health)))
        hospital.append((person, self._event_days(person, self.start, self.end), KIND_PLANNED))
        outpatient = years * (0.25 + 0.004 * age + 0.35 * n_groups) * np.exp(0.2 * self.health)
        person = _repeat(rng.poisson(outpatient))
        hospital.append((person, self._event_days(person, self.start, self.end), KIND_OUTPATIENT))
        for person, day, kind in hospital:
            stay = 1 + rng.poisson(2.0 + self.age[person] / 25.0) if kind != KIND_OUTPATIENT else None
            contacts.append((person, day, kind, stay))
            diagnoses.append((person, day, self._reason(person, owner, item, "icd10", 0.6), SOURCE_HOSPITAL))

        c_person = np.concatenate([c[0] for c in contacts])
        c_stay = np.concatenate([c[3] if c[3] is not None else np.full(len(c[0]), -1) for c in contacts])
        contact_frame = pl.DataFrame(
            {
                "national_id": self.national_id.gather(c_person),
                "date": _dates(np.concatenate([c[1] for c in contacts])),
                "kind": pl.Series(CONTACT_KINDS).gather(
                    np.concatenate([np.full(len(c[0]), c[2]) for c in contacts])
                ),
                "length_of_stay": pl.Series(c_stay.astype(np.int32)),
            }
        ).with_columns(_null_below_zero("length_of_stay"))
        code = np.concatenate([d[2] for d in diagnoses])
        diagnosis_frame = pl.DataFrame(
            {
                "national_id": self.national_id.gather(np.concatenate([d[0] for d in diagnoses])),
                "system": vocab.systems.gather(code),
                "code": vocab.codes.gather(code),
                "date": _dates(np.concatenate([d[1] for d in diagnoses])),
                "source": pl.Series(SOURCES).gather(
                    np.concatenate([np.full(len(d[0]), d[3]) for d in diagnoses])
                ),
            }
        )
        return contact_frame, diagnosis_frame

    def _reason(self, person: Ints, owner: Ints, item: Ints, system: str, chronic_share: float) -> Ints:
        """The coded reason of each contact: one of the person's conditions or deficits with
        probability ``chronic_share`` when they have any, else an acute one."""
        rng = self.rng
        picked, have = _group_pick(rng, owner, item, person)
        chronic = have & (rng.random(len(person)) < chronic_share)
        return np.where(
            chronic,
            _VOCABULARY.item_code(rng, picked, system),
            _VOCABULARY.acute(rng, len(person), system),
        )

    def services(self) -> pl.DataFrame:
        rng, n = self.rng, self.n
        age = self.age.astype(np.float64)
        g = {name: self.has_group[:, j] for j, name in enumerate(GROUPS)}
        n_deficits = self.has_deficit.sum(axis=1)
        home_care = _sigmoid(
            -7.2
            + 0.075 * np.maximum(age - 50, 0)
            + 0.25 * n_deficits
            + 1.3 * g["dementia"]
            + 0.4 * self.health
            + 0.5 * self.lives_alone
        )  # fmt: skip
        uses = rng.random(n) < home_care
        kind_p: list[tuple[str, Bools, float | Floats]] = [
            ("hjemmesykepleie", uses, 0.75),
            ("praktisk bistand", uses, 0.45),
            ("trygghetsalarm", uses, 0.5),
            ("matombringing", uses, 0.2),
            ("dagaktivitetstilbud", uses & g["dementia"], 0.4),
            ("korttidsopphold", uses, 0.08),
            ("langtidsopphold", self.nursing_home, 1.0),
            ("psykisk helsearbeid", g["severe_mental_illness"] | g["depression"], 0.2),
            ("rusoppfølging", g["substance_use"], 0.3),
            ("avlastning", (age < 18) & (self.health > 2.0), 0.5),
            ("brukerstyrt personlig assistanse", (age < 67) & (self.health > 2.3), 0.3),
            ("støttekontakt", (age < 67) & (g["severe_mental_illness"] | (self.health > 2.2)), 0.2),
        ]
        hours_mean = {
            "hjemmesykepleie": 4.0,
            "praktisk bistand": 2.0,
            "dagaktivitetstilbud": 8.0,
            "korttidsopphold": 0.0,
            "langtidsopphold": 0.0,
            "psykisk helsearbeid": 1.5,
            "rusoppfølging": 2.0,
            "avlastning": 10.0,
            "brukerstyrt personlig assistanse": 20.0,
            "støttekontakt": 3.0,
        }
        persons: list[Ints] = []
        kinds: list[Ints] = []
        hours: list[Floats] = []
        for k, (kind, mask, p) in enumerate(kind_p):
            chosen = np.flatnonzero(mask & (rng.random(n) < p))
            persons.append(chosen)
            kinds.append(np.full(len(chosen), k, dtype=np.int64))
            mean = hours_mean.get(kind, 0.0)
            hours.append(
                np.round(rng.gamma(2.0, mean / 2.0, len(chosen)), 1) if mean else np.zeros(len(chosen))
            )
        person = np.concatenate(persons)
        start = np.where(
            rng.random(len(person)) < 0.7,
            self.start - 1 - np.floor(rng.random(len(person)) * 3 * 365).astype(np.int64),
            self._event_days(person, self.start, self.end),
        )
        start = np.maximum(start, self.birth[person])
        end = np.where(rng.random(len(person)) < 0.12, self._event_days(person, start, self.end), -1)
        return pl.DataFrame(
            {
                "national_id": self.national_id.gather(person),
                "kind": pl.Series(SERVICE_KINDS).gather(np.concatenate(kinds)),
                "hours_per_week": np.concatenate(hours),
                "start": pl.Series(start.astype(np.int32)).cast(pl.Date),
                "end": pl.Series(end.astype(np.int32)).cast(pl.Date),
            }
        ).with_columns(pl.when(pl.col("end") < pl.col("start")).then(None).otherwise("end").alias("end"))

    def run(self) -> Extract:
        self.persons()
        self.conditions()
        medicines = self.medicines()
        contacts, diagnoses = self.contacts_and_diagnoses()
        services = self.services()
        persons = pl.DataFrame(
            {
                "national_id": self.national_id,
                "birth_date": pl.Series(self.birth.astype(np.int32)).cast(pl.Date),
                "sex": np.where(self.male, "male", "female"),
                "gp_hpr": self.gp_hpr,
            }
        )
        return Extract(
            persons=persons.lazy(),
            diagnoses=diagnoses.lazy(),
            medicines=medicines.lazy(),
            contacts=contacts.lazy(),
            services=services.lazy(),
        )

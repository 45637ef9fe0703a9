"""The persons a population batch put on the work-lists: those at or above the threshold or with a
guideline flag, one Parquet file per batch beside the file of every person's scores
(``<batch uuid>.list.parquet`` under ``RISK_STORE_DIR``), highest risk first.

The database holds no row per scored person: a batch of a million persons lists about 144 000,
and writing them as rows cost more than reading and scoring the whole extract (issue 5's ratio).
The lists read this file (cached per process while it is unchanged) and leave out the persons
the database says are taken care of (a team, an open report, a review that still holds); a
person's page reads their row from each batch's file. A :class:`RiskSubject` is made for the
persons a list shows or someone acts on (``worklist_selectors.subjects_for``).

Columns (:data:`LIST_SCHEMA`): the person's fields as the extract had them, the scores, the
factors (``[{"feature", "value", "contribution"}]``), the guideline flags as a bit mask (bit i:
``flags.RULES[i]``), the deficits (bit i: ``frailty.DEFICITS[i]``), every feature the score
counted, and ``data_hash``, the fingerprint of what the score rests on, which a review holds on.
A flag's reason is worded from the person's numbers when it is shown, in the reader's language
(:attr:`Score.flags`).
"""

from __future__ import annotations

import datetime
import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
from django.conf import settings

from oppfolging.risk import flags as guideline
from oppfolging.risk import words
from oppfolging.risk.admission import FEATURES
from oppfolging.risk.engine import FACTOR_DTYPE

if TYPE_CHECKING:
    from oppfolging.risk.models import ScoreBatch

logger = logging.getLogger(__name__)

LIST_SCHEMA: dict[str, pl.DataType] = {
    "national_id": pl.String(),
    "birth_date": pl.Date(),
    "sex": pl.String(),
    "gp_hpr": pl.String(),
    "admission_risk": pl.Float64(),
    "frailty_index": pl.Float64(),
    "frailty_band": pl.String(),
    "n_deficits": pl.Int32(),
    "tier": pl.Int8(),
    "factors": FACTOR_DTYPE,
    "flag_mask": pl.Int64(),
    "deficit_mask": pl.Int64(),
    "data_hash": pl.String(),
    **{name: pl.Float64() for name in FEATURES},
}
#: The numbers a flag's reason may quote: every feature, the frailty index and the deficits.
VALUES = (*FEATURES, "frailty_index", "n_deficits")
SUFFIX = ".list.parquet"


@dataclass(frozen=True)
class Score:
    """One listed person's scores in one batch."""

    batch: ScoreBatch
    national_id: str
    birth_date: datetime.date
    sex: str
    gp_hpr: str
    admission_risk: float
    frailty_index: float
    frailty_band: str
    tier: int
    factors: list[dict[str, Any]]
    flag_mask: int
    values: dict[str, Any]  # the numbers of :data:`VALUES`; None where not known
    data_hash: str

    @property
    def municipality_id(self) -> int:
        return self.batch.municipality_id

    @property
    def flags(self) -> list[dict[str, Any]]:
        """The guideline's rules that fired, in their order, as {"key", "reason", "values"}: the
        reason worded now, in the active language, from the person's numbers (none when they
        are not known: a list written from the database rows of an earlier version)."""
        fired = []
        for key in guideline.keys_of(self.flag_mask):
            values = {name: self.values.get(name) for name in guideline.RULES_BY_KEY[key].inputs}
            known = all(value is not None for value in values.values())
            reason = words.flag_reason(key, values) if known else ""
            fired.append({"key": key, "reason": reason, "values": values})
        return fired

    @property
    def features(self) -> dict[str, Any]:
        """Every feature the score counted, by name (None where not known)."""
        return {name: self.values.get(name) for name in FEATURES}


def list_file(batch: ScoreBatch) -> Path:
    """The batch's list, beside its file of every person's scores (``ScoreBatch.path``)."""
    everyone = Path(batch.path)
    return Path(settings.RISK_STORE_DIR) / everyone.with_name(everyone.name.removesuffix(".parquet") + SUFFIX)


def write_list(target: Path, frame: pl.DataFrame) -> None:
    """``frame`` (the columns of :data:`LIST_SCHEMA`; one it lacks is left empty) as a batch's
    list, highest risk first (then by identity number), written to a temporary name and moved
    into place. No column statistics: a person is looked up by number, which no row group's
    bounds narrow."""
    columns = [
        pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in LIST_SCHEMA.items()
    ]
    ordered = frame.select(columns).sort(["admission_risk", "national_id"], descending=[True, False])
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    ordered.write_parquet(partial, compression="lz4", statistics=False)
    partial.replace(target)


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=LIST_SCHEMA)


def listed(batch: ScoreBatch) -> pl.DataFrame:
    """The batch's list; empty, with a warning in the log, when the file cannot be read (moved
    away, or RISK_STORE_DIR not the folder the batch wrote to): the lists then show no one, and
    the log says why."""
    path = list_file(batch)
    try:
        stat = path.stat()
    except OSError as exc:
        logger.warning("risk batch %s: its list %s cannot be read (%s)", batch.uuid, path, exc.strerror)
        return empty()
    return _read(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int, size: int) -> pl.DataFrame:
    """A list file as read at this change time and size (a rewritten file is read afresh)."""
    return pl.read_parquet(path)


def scores_from(batch: ScoreBatch, frame: pl.DataFrame) -> list[Score]:
    """The rows of ``frame`` (a slice of the batch's list) as :class:`Score` objects."""
    return [
        Score(
            batch=batch,
            national_id=row["national_id"],
            birth_date=row["birth_date"],
            sex=row["sex"] or "",
            gp_hpr=row["gp_hpr"] or "",
            admission_risk=row["admission_risk"],
            frailty_index=row["frailty_index"],
            frailty_band=row["frailty_band"],
            tier=int(row["tier"]),
            factors=row["factors"] or [],
            flag_mask=int(row["flag_mask"] or 0),
            values={name: row[name] for name in VALUES},
            data_hash=row["data_hash"] or "",
        )
        for row in frame.iter_rows(named=True)
    ]


def score_of(batch: ScoreBatch, national_id: str) -> Score | None:
    """The person's row in the batch's list, if they are on it."""
    path = list_file(batch)
    if not path.is_file():
        return None
    found = pl.scan_parquet(path).filter(pl.col("national_id") == national_id).head(1).collect()
    scores = scores_from(batch, found)
    return scores[0] if scores else None

"""Scoring a whole population: one ``ScoreBatch``.

``run_batch(municipality=..., extract=..., as_of=..., version=..., threshold=0.15)``:

1. scores everyone with the model version (the municipality's approved fitted model, else the
   shipped default), vectorised (``engine.score``), and counts the pyramid. A folder is read
   lazily (``extract.scan_keyed``: identity numbers parsed as integers and codes as
   categoricals while the CSV is read), each file once and summed per person as it is read,
   so the event rows are never all in memory; a file the strict read cannot parse is read
   again as the importer reads it (``extract.load_keyed``). Without a folder: the
   municipality's risk tables;
2. fingerprints the persons that will be listed (``data_hash``): their feature vectors
   (:data:`FINGERPRINTED`, ``extract.row_fingerprints``) — what the score rests on, so what a
   review must notice changing;
3. in ONE transaction: the ``ScoreBatch`` with the pyramid; the subjects the municipality already
   has updated where the extract's fields differ (the subject's own ``data_hash`` is the
   importer's, left alone) and linked to the registered ``Person`` with their number. No row
   per scored person goes into the database: the persons at or above the threshold or with a
   flag are written to the batch's LIST (``listed.write_list``: their scores, factors, flags and
   every feature), which the work-lists read; a ``RiskSubject`` is made when a list shows a
   person or someone acts on them;
4. from the moment the scores are known, in one helper thread, writes EVERY person's scores to
   ``RISK_STORE_DIR/<municipality number>/<batch uuid>.parquet`` (``ScoreBatch.path`` holds the
   path relative to ``RISK_STORE_DIR``; :func:`scores_file`); the list is
   ``<batch uuid>.list.parquet`` beside it. A failure anywhere rolls the transaction back and
   removes both files.

The pyramid (``ScoreBatch.pyramid``): counts of persons per tier (``tiers``: {"1": n, ...}), per
age group and tier (``by_age``: {"0-17": {"1": n, ...}, ...}; groups 0-17, 18-49, 50-66, 67-79,
80+), per target group and tier (``by_group``) and per target group, age group and tier
(``by_group_age``). Target groups (``overview.groups.TargetGroup`` keys; a person may be in
several, or none): ``children`` — under 18; ``mental_health`` — severe mental illness, substance
use or depression recorded; ``frail_elderly`` — 67 or older with moderate or severe frailty;
``chronic`` — at least one long-term condition group. Raw counts: the population view suppresses
small cells when it shows them.

The file of everyone has each person's fields and scores (:data:`EVERYONE`); the factors (the
costliest column to compute: only the listed persons' are), every feature and the fingerprints of
the listed persons are in the list.
"""

from __future__ import annotations

import datetime
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from oppfolging.risk import early, engine
from oppfolging.risk.admission import ModelWeights
from oppfolging.risk.extract import Extract, extract_from_db, load_keyed, row_fingerprints, scan_keyed
from oppfolging.risk.listed import LIST_SCHEMA, list_file, write_list

if TYPE_CHECKING:
    from oppfolging.core.models import Municipality
    from oppfolging.risk.models import RiskModelVersion, ScoreBatch

DEFAULT_THRESHOLD = 0.15

AGE_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("0-17", 0, 17),
    ("18-49", 18, 49),
    ("50-66", 50, 66),
    ("67-79", 67, 79),
    ("80+", 80, 200),
)
TARGET_GROUPS: tuple[str, ...] = ("children", "mental_health", "frail_elderly", "chronic")
STAGES = ("åpne uttrekket", "les og beregn", "fingeravtrykk og personer", "liste, fil og commit")

#: What a listed person's fingerprint (``data_hash`` in the list) covers: the person's fields and
#: everything the score rests on — the deficits behind the frailty index and every feature of
#: the model and the flags. A review holds while these are what they were; a change in the
#: extract that changes none of them (a contact outside the windows, a code on no list) changes
#: nothing the reviewer saw.
FINGERPRINTED: tuple[str, ...] = ("birth_date", "sex", "deficit_mask", *engine.FEATURES)


def target_group_exprs() -> dict[str, pl.Expr]:
    return {
        "children": pl.col("age") < 18,
        "mental_health": (pl.col("cond_severe_mental_illness") > 0)
        | (pl.col("cond_substance_use") > 0)
        | (pl.col("cond_depression") > 0),
        "frail_elderly": (pl.col("age") >= 67) & pl.col("frailty_band").is_in(("moderate", "severe")),
        "chronic": pl.col("n_conditions") >= 1,
    }


def pyramid_inputs() -> tuple[str, ...]:
    """The derived features the target groups read (a batch computes them for everyone)."""
    return engine.features_read_by(target_group_exprs().values())


def age_group_expr() -> pl.Expr:
    expr = pl.lit(AGE_GROUPS[-1][0])
    for key, low, high in reversed(AGE_GROUPS[:-1]):
        expr = pl.when(pl.col("age").is_between(low, high)).then(pl.lit(key)).otherwise(expr)
    return expr.alias("age_group")


def pyramid(scores: pl.DataFrame) -> dict[str, Any]:
    """The batch's aggregates (see the module docstring), from one count per cell: each person's
    tier, age group and target groups packed into one small integer."""
    tiers = ("1", "2", "3", "4")
    groups = target_group_exprs()
    age = pl.lit(len(AGE_GROUPS) - 1, dtype=pl.Int32)
    for index, (_, low, high) in reversed(list(enumerate(AGE_GROUPS[:-1]))):
        age = pl.when(pl.col("age").is_between(low, high)).then(pl.lit(index, dtype=pl.Int32)).otherwise(age)
    bits = pl.lit(0, dtype=pl.Int32)
    for bit, group in enumerate(TARGET_GROUPS):
        bits = bits + groups[group].fill_null(False).cast(pl.Int32) * (1 << bit)
    cell = (pl.col("tier").cast(pl.Int32) * len(AGE_GROUPS) + age) * (1 << len(TARGET_GROUPS)) + bits
    cells = scores.select(cell.alias("cell")).get_column("cell").value_counts()

    def empty() -> dict[str, int]:
        return dict.fromkeys(tiers, 0)

    whole = empty()
    by_age = {key: empty() for key, _, _ in AGE_GROUPS}
    by_group = {group: empty() for group in TARGET_GROUPS}
    by_group_age = {group: {key: empty() for key, _, _ in AGE_GROUPS} for group in TARGET_GROUPS}
    for value, count in cells.iter_rows():
        rest, bits_of = divmod(int(value), 1 << len(TARGET_GROUPS))
        tier_of, age_of = divmod(rest, len(AGE_GROUPS))
        tier, age_key = str(tier_of), AGE_GROUPS[age_of][0]
        whole[tier] += count
        by_age[age_key][tier] += count
        for bit, group in enumerate(TARGET_GROUPS):
            if bits_of & (1 << bit):
                by_group[group][tier] += count
                by_group_age[group][age_key][tier] += count
    return {
        "tiers": whole,
        "by_age": by_age,
        "by_group": by_group,
        "by_group_age": by_group_age,
        "persons": scores.height,
    }


# --- Model --------------------------------------------------------------------------------------


def model_for(municipality: Municipality, model_id: int | None = None) -> RiskModelVersion:
    """The version to score with: ``model_id`` if given (it must be approved and be the
    municipality's or the default), else the municipality's latest approved fitted model, else
    the shipped default."""
    from django.db.models import Q

    from oppfolging.risk.admission import ensure_default_model
    from oppfolging.risk.models import ModelKind, ModelStatus, RiskModelVersion

    if model_id is not None:
        return RiskModelVersion.objects.get(
            Q(municipality=municipality) | Q(municipality__isnull=True),
            pk=model_id,
            status=ModelStatus.APPROVED,
        )
    fitted = (
        RiskModelVersion.objects.filter(
            municipality=municipality, kind=ModelKind.FITTED, status=ModelStatus.APPROVED
        )
        .order_by("-decided_at", "-id")
        .first()
    )
    return fitted if fitted is not None else ensure_default_model()


# --- Result -------------------------------------------------------------------------------------


@dataclass
class BatchResult:
    batch: ScoreBatch
    persons: int
    listed: int
    seconds: float
    path: Path
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def persons_per_second(self) -> float:
        return self.persons / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (
            f"{self.persons} personer, {self.listed} på arbeidslistene, {self.seconds:.1f} s, "
            f"{self.persons_per_second:,.0f} personer/s".replace(",", " ")
        )


def scores_file(batch: ScoreBatch) -> Path:
    """The batch's Parquet file with every person's scores."""
    return Path(settings.RISK_STORE_DIR) / batch.path


# --- The run ------------------------------------------------------------------------------------


def run_batch(
    *,
    municipality: Municipality,
    extract: Extract | str | Path | None = None,
    as_of: datetime.date,
    version: RiskModelVersion | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    progress: bool = True,
    stream: TextIO | None = None,
) -> BatchResult:
    """Score the municipality's population from ``extract`` (a folder, an :class:`Extract`, or
    None for the risk tables in the database) on ``as_of``; see the module docstring."""
    from oppfolging.risk.models import ScoreBatch

    started = time.perf_counter()
    timings: dict[str, float] = {}
    bar = tqdm(total=len(STAGES), file=stream or sys.stderr, disable=not progress, unit="steg", leave=True)

    def stage(index: int) -> Callable[[], None]:
        bar.set_description(STAGES[index])
        begun = time.perf_counter()

        def done() -> None:
            timings[STAGES[index]] = time.perf_counter() - begun
            bar.update(1)

        return done

    # One helper thread: it writes the file of everyone while this thread writes the list and
    # the database (Polars lets go of Python's lock while it writes).
    worker = ThreadPoolExecutor(max_workers=1)
    target: Path | None = None
    listing: Path | None = None
    try:
        done = stage(0)
        model_version = version or model_for(municipality)
        weights = ModelWeights.of_version(model_version)
        if extract is None:
            data = extract_from_db(municipality.pk).collect()
        elif isinstance(extract, Extract):
            data = extract.collect()
        else:
            # Lazily: the files are read while they are summed per person (extract.scan_keyed).
            data = scan_keyed(extract)
        done()

        done = stage(1)
        keep = (pl.col("admission_risk") >= threshold) | (pl.col("flag_mask") != 0)

        def scored(data: Extract, read: list[pl.DataFrame] | None = None) -> pl.DataFrame:
            return engine.population(data, as_of=as_of, model=weights, read=read, columns=pyramid_inputs())

        try:
            # A folder may have been read already, while Django started (risk/early.py).
            read = early.take(extract, as_of) if isinstance(extract, (str, Path)) else None
            scores = scored(data, read)
        except pl.exceptions.ComputeError:
            if extract is None or isinstance(extract, Extract):
                raise
            # A value the strict read cannot parse (a decimal comma, «ja»/«nei»): read the
            # folder as the importer would (extract.load_keyed), or fail naming the file.
            scores = scored(load_keyed(extract))
        scores = scores.with_columns(keep.alias("listed"))
        batch_uuid = uuid.uuid4()
        relative = Path(municipality.number) / f"{batch_uuid}.parquet"
        target = Path(settings.RISK_STORE_DIR) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        # The helper writes the file of everyone while this thread does the rest.
        written = worker.submit(_write_scores, scores, target)
        shape = pyramid(scores)
        done()

        done = stage(2)
        # The listed persons, once each, with every feature and the factors behind their score.
        kept = engine.explain(_once_each(scores.filter("listed")), weights)
        with transaction.atomic():
            batch = ScoreBatch.all_tenants.create(
                uuid=batch_uuid,
                municipality=municipality,
                model_version=model_version,
                computed_on=as_of,
                persons=scores.height,
                path=str(relative),
                pyramid=shape,
            )
            # The listed persons' fingerprints (a review can concern no one else).
            kept = kept.with_columns(row_fingerprints(kept, FINGERPRINTED))
            _update_subjects(kept, municipality)
            done()

            done = stage(3)
            listing = list_file(batch)
            write_list(listing, _list_frame(kept))
            written.result()
            # The batch's own record has its time up to here; the result's includes the commit.
            batch.seconds = time.perf_counter() - started
            batch.save(update_fields=["seconds", "updated_at"])
        seconds = time.perf_counter() - started
        done()
    except BaseException:
        worker.shutdown(wait=True, cancel_futures=True)
        if target is not None:
            target.unlink(missing_ok=True)
        if listing is not None:
            listing.unlink(missing_ok=True)
        raise
    finally:
        worker.shutdown(wait=True)
        bar.close()
    return BatchResult(
        batch=batch, persons=scores.height, listed=kept.height, seconds=seconds, path=target, timings=timings
    )


def _once_each(listed: pl.DataFrame) -> pl.DataFrame:
    """``listed`` with one row per identity number: an extract that has a person twice (with
    other fields) gives the row first in the order of the fields, whatever order the rows came
    in (the scores come in no set order)."""
    if not listed.get_column("national_id").is_duplicated().any():
        return listed
    fields = ["national_id", "birth_date", "sex", "gp_hpr"]
    return listed.sort(fields, nulls_last=True).unique(
        subset=["national_id"], keep="first", maintain_order=True
    )


#: The columns of the file of everyone: each person's fields and scores (the factors and every
#: feature are in the list, for the persons a list can show).
EVERYONE: tuple[str, ...] = (
    *(name for name in engine.SCORE_COLUMNS if name not in ("flags", "factors", "data_hash")),
    "flag_mask",
    "deficit_mask",
)


def _write_scores(scores: pl.DataFrame, target: Path) -> None:
    """Every person's scores to ``target``. No column statistics: the file is looked up by
    identity number, which no row group's bounds narrow."""
    scores.select(EVERYONE).write_parquet(target, compression="lz4", statistics=False)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


SUBJECT_FIELDS = ("birth_date", "sex", "gp_hpr")


def _subject_values() -> list[pl.Expr]:
    """The listed persons' subject fields as the database holds them (text; no value is "")."""
    return [
        pl.col("birth_date").cast(pl.String),
        pl.col("sex").fill_null(""),
        pl.col("gp_hpr").fill_null(""),
    ]  # in the order of SUBJECT_FIELDS


def _update_subjects(kept: pl.DataFrame, municipality: Municipality) -> None:
    """The subjects the municipality already has (imported, or created when a list showed them or
    someone acted on them) brought up to date with the extract's person fields where they
    differ, and linked to the persons registered with their numbers. New persons get no subject
    here: the list carries their fields, and a subject is made when one is needed
    (``worklist_selectors.subjects_for``). An unchanged subject is not written at all."""
    from oppfolging.risk.models import RiskSubject

    subjects = RiskSubject._meta.db_table
    with connection.cursor() as cursor:
        fields = ", ".join(f"CAST({name} AS TEXT)" for name in SUBJECT_FIELDS)
        cursor.execute(
            f"SELECT national_id, id, {fields} FROM {subjects} WHERE municipality_id = %s",  # noqa: S608
            [municipality.pk],
        )
        known = pl.DataFrame(
            cursor.fetchall(),
            schema={"national_id": pl.String, "id": pl.Int64, **dict.fromkeys(SUBJECT_FIELDS, pl.String)},
            orient="row",
        )
    if known.height:
        mine = kept.select(pl.col("national_id"), *_subject_values())
        both = mine.join(known, on="national_id", how="inner", suffix="_known", maintain_order="left")
        differs = pl.any_horizontal(
            pl.col(name).ne_missing(pl.col(f"{name}_known")) for name in SUBJECT_FIELDS
        )
        changed = both.filter(differs)
        if changed.height:
            date = "%s::date" if _postgres() else "%s"
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            sql = (
                f"UPDATE {subjects} SET birth_date = {date}, sex = %s, gp_hpr = %s, "  # noqa: S608
                "updated_at = %s WHERE id = %s"
            )
            with connection.cursor() as cursor:
                cursor.executemany(sql, changed.select(*SUBJECT_FIELDS, pl.lit(now), "id").rows())
    _link_persons(municipality)


def _link_persons(municipality: Municipality) -> None:
    """Link the subjects to the persons the municipality has registered with the same number."""
    from oppfolging.people.models import Person
    from oppfolging.risk.models import RiskSubject

    subjects = RiskSubject._meta.db_table
    people = Person._meta.db_table
    match = f"p.municipality_id = {subjects}.municipality_id AND p.national_id = {subjects}.national_id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {subjects} SET person_id = (SELECT p.id FROM {people} p WHERE {match}) "  # noqa: S608
            "WHERE municipality_id = %s AND person_id IS NULL "
            f"AND EXISTS (SELECT 1 FROM {people} p WHERE {match})",
            [municipality.pk],
        )


def _list_frame(kept: pl.DataFrame) -> pl.DataFrame:
    """The batch's list (``listed.LIST_SCHEMA``): the listed persons' fields, scores, factors,
    flags and deficits as masks, every feature, and their fingerprints."""
    return kept.select(
        pl.col("sex").fill_null(""),
        pl.col("gp_hpr").fill_null(""),
        pl.col("data_hash").fill_null(""),
        *(name for name in LIST_SCHEMA if name not in ("sex", "gp_hpr", "data_hash")),
    )

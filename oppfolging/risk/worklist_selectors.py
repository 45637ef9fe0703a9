"""Reads for the risk work-lists (SPEC §4.1): who the GP and KE should consider reporting.

A person is on a work-list when the municipality's latest scoring (:class:`ScoreBatch`) listed
them (above the threshold or flagged: the batch's list file, ``listed.py``), they have no team
(no active coordinator for the person registered with their number, or no such person), no open
report of need, and no review made with the data that score was computed on
(:func:`current_hash_of`). The lists are decision support: they only show, never decide.

The list file gives the persons' numbers; the database, which of them are taken care of. The
persons a page shows get a :class:`RiskSubject` (:func:`subjects_for`) if they have none yet,
which their links and audit rows name.

Every score shown is a read of the person's health data: one audit row per person on the page,
written in one insert (:func:`audit_scores_shown`).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import polars as pl
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.lib import identity
from oppfolging.lib.dates import years_before
from oppfolging.people.models import Person
from oppfolging.referrals.models import NeedReport
from oppfolging.referrals.report_selectors import OPEN_STATUSES, active_assignments
from oppfolging.risk import flags as guideline
from oppfolging.risk import worklist_labels as labels
from oppfolging.risk.access import gp_hpr_of
from oppfolging.risk.listed import Score, listed, score_of, scores_from
from oppfolging.risk.models import ModelKind, Review, RiskSubject, ScoreBatch

PAGE_SIZE = 50
WHAT = "risk.score"
#: How many of the municipality's latest batches a person's page looks them up in.
HISTORY = 12


@dataclass(frozen=True)
class AgeGroup:
    key: str
    low: int
    high: int | None  # inclusive; None: no upper bound

    @property
    def label(self) -> str:
        if self.high is None:
            return _("%(low)s år og eldre") % {"low": self.low}
        return _("%(low)s til %(high)s år") % {"low": self.low, "high": self.high}


# The age groups of the KE filter: children, working age in two parts, the young old, the old.
AGE_GROUPS = [
    AgeGroup("0-17", 0, 17),
    AgeGroup("18-49", 18, 49),
    AgeGroup("50-66", 50, 66),
    AgeGroup("67-79", 67, 79),
    AgeGroup("80+", 80, None),
]


@dataclass(frozen=True)
class WorklistFilters:
    tier: int | None = None
    flag: str = ""
    age_group: str = ""

    def as_detail(self) -> dict[str, object]:
        return {k: v for k, v in (("tier", self.tier), ("flag", self.flag), ("age", self.age_group)) if v}


def latest_batch(municipality_id: int) -> ScoreBatch | None:
    """The municipality's most recent scoring, with its model version."""
    return (
        ScoreBatch.all_tenants.filter(municipality_id=municipality_id)
        .select_related("model_version")
        .order_by("-computed_on", "-id")
        .first()
    )


def is_default_model(batch: ScoreBatch | None) -> bool:
    return batch is not None and batch.model_version.kind == ModelKind.DEFAULT


def current_hash_of(subject: RiskSubject, score: Score | None) -> str:
    """The fingerprint a review of ``subject`` is made with and holds on: that of the data the
    subject's latest score was computed on (``data_hash`` in the batch's list, the fingerprint of
    the person's features). The work-list shows that score, so a review holds until a batch
    scores the person on data that differ in what the score rests on. (``subject.data_hash`` is
    the importer's own fingerprint of the stored rows, which tells it what an import changed.)"""
    return score.data_hash if score is not None else ""


def scores_of(subject: RiskSubject, *, limit: int = HISTORY) -> list[Score]:
    """The subject's scores in the municipality's latest ``limit`` batches that listed them,
    latest batch first (with their model versions)."""
    return list(_scores_in_batches(subject, limit))


def latest_score_of(subject: RiskSubject) -> Score | None:
    """The subject's score in the latest batch that listed them, looking no further back than
    :func:`scores_of` does (each batch looked in is a read of its list)."""
    return next(_scores_in_batches(subject, HISTORY), None)


def _scores_in_batches(subject: RiskSubject, limit: int) -> Iterator[Score]:
    batches = (
        ScoreBatch.all_tenants.filter(municipality_id=subject.municipality_id)
        .select_related("model_version")
        .order_by("-computed_on", "-id")[:limit]
    )
    found = (score_of(batch, subject.national_id) for batch in batches)
    return (score for score in found if score is not None)


def _age_filter(key: str, today: datetime.date) -> pl.Expr | None:
    group = next((g for g in AGE_GROUPS if g.key == key), None)
    if group is None:
        return None
    # Age >= low: born on or before today minus low years; age <= high: born after today
    # minus (high + 1) years.
    born = pl.col("birth_date")
    expr = born <= years_before(today, group.low)
    if group.high is not None:
        expr &= born > years_before(today, group.high + 1)
    return expr


def on_worklist(batch: ScoreBatch) -> pl.DataFrame:
    """The batch's listed persons who belong on a work-list (see the module's docstring),
    highest risk first."""
    frame = listed(batch)
    if frame.height == 0:
        return frame
    mine = batch.municipality_id
    taken = Person.all_tenants.filter(municipality_id=mine).filter(
        Exists(active_assignments().filter(team__person_id=OuterRef("pk")))
        | Exists(NeedReport.all_tenants.filter(person_id=OuterRef("pk"), status__in=OPEN_STATUSES))
    )
    reviews = Review.all_tenants.filter(municipality_id=mine)
    reviewed = pl.DataFrame(
        list(reviews.values_list("subject__national_id", "data_hash")),
        schema={"national_id": pl.String, "data_hash": pl.String},
        orient="row",
    )
    untaken = frame.filter(~pl.col("national_id").is_in(list(taken.values_list("national_id", flat=True))))
    return untaken.join(reviewed, on=["national_id", "data_hash"], how="anti", maintain_order="left")


def subjects_for(scores: Sequence[Score]) -> dict[str, RiskSubject]:
    """The subjects of the persons of ``scores`` (all of one municipality) by identity number,
    each linked to the person registered with the number if there is one: made from the score's
    fields for a person who has none yet. A list links to a person's page and names them in its
    audit rows by the subject, so the persons a page shows have one; the batch makes none."""
    if not scores:
        return {}
    municipality_id = scores[0].municipality_id
    numbers = [score.national_id for score in scores]
    found = _subjects(municipality_id, numbers)
    unlinked = [number for number in numbers if number not in found or found[number].person_id is None]
    registered: dict[str, int] = {}
    if unlinked:
        people = Person.all_tenants.filter(municipality_id=municipality_id, national_id__in=unlinked)
        registered = dict(people.values_list("national_id", "id"))
    missing = [score for score in scores if score.national_id not in found]
    late = {number: person_id for number, person_id in registered.items() if number in found}
    if not missing and not late:
        return found
    for number, person_id in late.items():  # registered since the subject was made
        RiskSubject.all_tenants.filter(pk=found[number].pk, person__isnull=True).update(person_id=person_id)
    RiskSubject.all_tenants.bulk_create(
        [
            RiskSubject(
                municipality_id=municipality_id,
                national_id=score.national_id,
                birth_date=score.birth_date,
                sex=score.sex,
                gp_hpr=score.gp_hpr,
                person_id=registered.get(score.national_id),
            )
            for score in missing
        ],
        ignore_conflicts=True,  # made meanwhile by another request: that one is kept
    )
    return _subjects(municipality_id, numbers)


def _subjects(municipality_id: int, numbers: Sequence[str]) -> dict[str, RiskSubject]:
    subjects = RiskSubject.all_tenants.filter(municipality_id=municipality_id, national_id__in=numbers)
    return {subject.national_id: subject for subject in subjects.select_related("person")}


@dataclass(frozen=True)
class WorkRow:
    subject_uuid: str
    name: str  # the registered person's name, or "" when the extract is all we know
    masked_id: str
    age: int
    sex_label: str
    admission_risk: float
    tier: int
    frailty_band: str
    reasons: list[str]

    @property
    def risk_percent(self) -> str:
        return labels.percent(self.admission_risk)

    @property
    def tier_label(self) -> str:
        return labels.tier_label(self.tier)

    @property
    def band_label(self) -> str:
        return labels.band_label(self.frailty_band)


@dataclass(frozen=True)
class WorkPage:
    rows: list[WorkRow]
    number: int
    num_pages: int
    total: int
    batch: ScoreBatch | None

    @property
    def is_default_model(self) -> bool:
        return is_default_model(self.batch)

    @property
    def start_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + len(self.rows)

    @property
    def previous_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next_number(self) -> int | None:
        return self.number + 1 if self.number < self.num_pages else None

    @property
    def page_links(self) -> list[int | None]:
        """First, last and two either side of the current page; ``None`` marks a gap."""
        wanted = {1, self.num_pages, *range(self.number - 2, self.number + 3)}
        links: list[int | None] = []
        for n in sorted(n for n in wanted if 1 <= n <= self.num_pages):
            if links and links[-1] is not None and n - links[-1] > 1:
                links.append(None)
            links.append(n)
        return links


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def reasons_of(score: Score) -> list[str]:
    """The top factors and the flags, in words."""
    return [labels.factor_text(f) for f in score.factors or []] + [
        labels.flag_text(f) for f in score.flags or []
    ]


def _row(score: Score, subject: RiskSubject, today: datetime.date) -> WorkRow:
    person = subject.person
    return WorkRow(
        subject_uuid=str(subject.uuid),
        name=person.full_name if person is not None else "",
        masked_id=identity.mask(score.national_id),
        age=age_on(score.birth_date, today),
        sex_label=labels.sex_label(score.sex),
        admission_risk=score.admission_risk,
        tier=score.tier,
        frailty_band=score.frailty_band,
        reasons=reasons_of(score),
    )


def audit_scores_shown(*, actor: Actor, role: str, subjects: Sequence[RiskSubject], where: str) -> None:
    """One audit row per person whose score was shown, in one insert. A subject not (yet)
    registered as a person is named by the subject's UUID in the municipality."""
    if actor.user is None or not subjects:
        return
    label = actor.user.get_full_name() or actor.user.username
    AuditEvent.all_tenants.bulk_create(
        AuditEvent(
            municipality_id=subject.municipality_id,
            actor=actor.user,
            actor_label=label,
            role=role,
            person_id=subject.person_id,
            action=AuditAction.VIEW,
            what=WHAT,
            object_uuid=subject.uuid,
            detail={"where": where},
        )
        for subject in subjects
    )


def _page(
    *,
    actor: Actor,
    role: str,
    batch: ScoreBatch | None,
    scores: pl.DataFrame | None,
    page: int,
    where: str,
    today: datetime.date,
) -> WorkPage:
    if batch is None or scores is None:
        return WorkPage(rows=[], number=1, num_pages=1, total=0, batch=batch)
    total = scores.height
    num_pages = max(1, math.ceil(total / PAGE_SIZE))
    number = min(max(1, page), num_pages)
    offset = (number - 1) * PAGE_SIZE
    chosen = scores_from(batch, scores.slice(offset, PAGE_SIZE))  # the list is in its order
    subjects = subjects_for(chosen)
    shown = [subjects[score.national_id] for score in chosen]
    audit_scores_shown(actor=actor, role=role, subjects=shown, where=where)
    return WorkPage(
        rows=[_row(score, subject, today) for score, subject in zip(chosen, shown, strict=True)],
        number=number,
        num_pages=num_pages,
        total=total,
        batch=batch,
    )


def gp_worklist(*, actor: Actor, page: int = 1, today: datetime.date | None = None) -> WorkPage:
    """The GP's patients (by the extract's GP number) on the work-list, highest risk first."""
    today = today or timezone.localdate()
    hpr = gp_hpr_of(actor)
    if actor.municipality is None:
        return WorkPage(rows=[], number=1, num_pages=1, total=0, batch=None)
    batch = latest_batch(actor.municipality.pk)
    scores = on_worklist(batch).filter(pl.col("gp_hpr") == hpr) if batch is not None and hpr else None
    return _page(actor=actor, role="gp", batch=batch, scores=scores, page=page, where="gp_list", today=today)


def ke_worklist(
    *, actor: Actor, filters: WorklistFilters, page: int = 1, today: datetime.date | None = None
) -> WorkPage:
    """Everyone of the municipality on the work-list, highest risk first, filtered."""
    today = today or timezone.localdate()
    if actor.municipality is None:
        return WorkPage(rows=[], number=1, num_pages=1, total=0, batch=None)
    batch = latest_batch(actor.municipality.pk)
    scores = None
    if batch is not None:
        scores = on_worklist(batch)
        if filters.tier is not None:
            scores = scores.filter(pl.col("tier") == filters.tier)
        if filters.flag:
            # The rule's bit in the list's flag mask; an unknown key (bit 0) matches no one.
            scores = scores.filter((pl.col("flag_mask") & guideline.bit(filters.flag)) != 0)
        age = _age_filter(filters.age_group, today) if filters.age_group else None
        if age is not None:
            scores = scores.filter(age)
    return _page(
        actor=actor, role="ke_staff", batch=batch, scores=scores, page=page, where="ke_list", today=today
    )


def flag_choices() -> list[tuple[str, str]]:
    return labels.flag_choices()

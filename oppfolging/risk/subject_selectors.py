"""Reads for one subject's page: the score in words, everything the score counted, the data
behind it, the history of scores and the reviews, and whether the subject is on the lists now.
The page is a read of the person's health data: it is audited (``risk.score``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from oppfolging.access.actor import Actor
from oppfolging.lib import identity
from oppfolging.referrals.models import NeedReport
from oppfolging.referrals.report_selectors import OPEN_STATUSES, active_assignments
from oppfolging.risk import worklist_labels as labels
from oppfolging.risk.listed import Score
from oppfolging.risk.models import (
    Contact,
    Diagnosis,
    MedicineUse,
    MunicipalService,
    Review,
    RiskSubject,
    ScoreBatch,
)
from oppfolging.risk.worklist_selectors import (
    age_on,
    audit_scores_shown,
    current_hash_of,
    is_default_model,
    latest_batch,
    scores_of,
)


@dataclass(frozen=True)
class ScoreView:
    """One score in words: the factors that weighed most and the flags with their reasons."""

    score: Score
    computed_on: datetime.date
    model_name: str
    is_default_model: bool

    @property
    def risk_percent(self) -> str:
        return labels.percent(self.score.admission_risk)

    @property
    def tier_label(self) -> str:
        return labels.tier_label(self.score.tier)

    @property
    def band_label(self) -> str:
        return labels.band_label(self.score.frailty_band)

    @property
    def factors(self) -> list[tuple[str, float | None]]:
        return [
            (labels.factor_text(f), f.get("contribution") if isinstance(f, dict) else None)
            for f in self.score.factors or []
        ]

    @property
    def flags(self) -> list[tuple[str, str]]:
        return [(labels.flag_text(f), labels.flag_reason(f)) for f in self.score.flags or []]


@dataclass(frozen=True)
class SubjectPage:
    subject: RiskSubject
    role: str
    age: int
    current: ScoreView | None  # the score of the latest batch, if the subject has one there
    latest: ScoreBatch | None
    history: list[ScoreView]
    reviews: list[Review]
    has_open_report: bool
    has_coordinator: bool
    reviewed_now: bool  # a review made with the subject's current data holds
    features: list[str]  # everything the latest score counted for the person, in words

    @property
    def name(self) -> str:
        return self.subject.person.full_name if self.subject.person is not None else ""

    @property
    def masked_id(self) -> str:
        return identity.mask(self.subject.national_id)

    @property
    def sex_label(self) -> str:
        return labels.sex_label(self.subject.sex)

    @property
    def on_worklist(self) -> bool:
        return (
            self.current is not None
            and not self.has_open_report
            and not self.has_coordinator
            and not self.reviewed_now
        )


def _score_view(score: Score) -> ScoreView:
    return ScoreView(
        score=score,
        computed_on=score.batch.computed_on,
        model_name=score.batch.model_version.name,
        is_default_model=is_default_model(score.batch),
    )


def subject_page(
    *, actor: Actor, subject: RiskSubject, role: str, today: datetime.date | None = None
) -> SubjectPage:
    """The subject's scores (latest first), reviews and pathway state; the view is audited."""
    today = today or timezone.localdate()
    latest = latest_batch(subject.municipality_id)
    scores = list(scores_of(subject))
    history = [_score_view(score) for score in scores]
    current_score = next((s for s in scores if latest is not None and s.batch.pk == latest.pk), None)
    current_hash = current_hash_of(subject, current_score or (scores[0] if scores else None))
    reviews = list(
        Review.objects.filter(subject=subject).select_related("reviewed_by").order_by("-created_at")
    )
    person_id = subject.person_id
    page = SubjectPage(
        subject=subject,
        role=role,
        age=age_on(subject.birth_date, today),
        current=_score_view(current_score) if current_score is not None else None,
        latest=latest,
        history=history,
        reviews=reviews,
        has_open_report=person_id is not None
        and NeedReport.all_tenants.filter(person_id=person_id, status__in=OPEN_STATUSES).exists(),
        has_coordinator=person_id is not None
        and active_assignments().filter(team__person_id=person_id).exists(),
        reviewed_now=bool(current_hash) and any(r.data_hash == current_hash for r in reviews),
        features=features_in_words(current_score) if current_score is not None else [],
    )
    audit_scores_shown(actor=actor, role=role, subjects=[subject], where="subject")
    return page


def features_in_words(score: Score) -> list[str]:
    """Every feature the person had in the score (the non-zero ones), in words."""
    return [
        labels.factor_text({"feature": name, "value": value})
        for name, value in score.features.items()
        if value
    ]


@dataclass(frozen=True)
class SubjectData:
    """The extract's rows behind the scores, newest first."""

    diagnoses: list[Diagnosis]
    medicines: list[MedicineUse]
    contacts: list[Contact]
    services: list[MunicipalService]


def subject_data(subject: RiskSubject) -> SubjectData:
    return SubjectData(
        diagnoses=list(Diagnosis.objects.filter(subject=subject).order_by("-on", "code")),
        medicines=list(MedicineUse.objects.filter(subject=subject).order_by("-start", "atc")),
        contacts=list(Contact.objects.filter(subject=subject).order_by("-on", "kind")),
        services=list(MunicipalService.objects.filter(subject=subject).order_by("-start", "kind")),
    )

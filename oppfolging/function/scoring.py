"""The arithmetic of PSFS (SPEC §4.6), free of Django so that it can be tested on its own.

A measurement scores each of the person's activities 0-10; its score is the mean over the
activities. Change is measured against the baseline over the activities *both* measurements
scored (the same activities): new mean - baseline mean, and per activity new - old. The smallest
detectable change is 2 points in the mean or 3 points in one activity; a change that large is a
*real change* (reell endring). Exact fractions are used throughout, so that a change of exactly
2 is never 1.9999… and missed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Generic, TypeVar

MIN_SCORE = 0
MAX_SCORE = 10
# The smallest detectable change (SPEC §4.6).
REAL_CHANGE_MEAN = Fraction(2)
REAL_CHANGE_ACTIVITY = 3

K = TypeVar("K", bound=Hashable)
Number = Fraction | int | float


def mean(scores: Iterable[int]) -> Fraction | None:
    """The mean of the scores, exactly; ``None`` when there are none."""
    values = list(scores)
    if not values:
        return None
    return Fraction(sum(values), len(values))


def is_real_change(mean_change: Number | None, activity_changes: Iterable[int] = ()) -> bool:
    """A change of at least 2 in the mean, or of at least 3 in one activity (either way)."""
    if mean_change is not None and abs(Fraction(mean_change)) >= REAL_CHANGE_MEAN:
        return True
    return any(abs(change) >= REAL_CHANGE_ACTIVITY for change in activity_changes)


@dataclass(frozen=True)
class Change(Generic[K]):
    """The change from a baseline to a later measurement over the activities both scored."""

    mean_change: Fraction
    activity_changes: dict[K, int]

    @property
    def is_real(self) -> bool:
        return is_real_change(self.mean_change, self.activity_changes.values())

    @property
    def compared(self) -> int:
        return len(self.activity_changes)


def change(baseline: Mapping[K, int], later: Mapping[K, int]) -> Change[K] | None:
    """``later`` against ``baseline`` over the activities both scored; ``None`` if they share
    none (the activities were all replaced: there is nothing to compare)."""
    common = [key for key in baseline if key in later]
    if not common:
        return None
    differences = {key: later[key] - baseline[key] for key in common}
    # new mean - baseline mean over the same activities = the mean of the differences
    return Change(mean_change=Fraction(sum(differences.values()), len(common)), activity_changes=differences)


@dataclass(frozen=True)
class Point(Generic[K]):
    """One measurement in a series, with its mean and its change from the baseline (none for
    the baseline itself)."""

    key: Hashable
    scores: dict[K, int]
    mean: Fraction | None
    change: Change[K] | None = None
    is_baseline: bool = False


@dataclass(frozen=True)
class Series(Generic[K]):
    points: list[Point[K]] = field(default_factory=list)

    @property
    def baseline(self) -> Point[K] | None:
        """The baseline the latest measurement is compared with."""
        return next((point for point in reversed(self.points) if point.is_baseline), None)

    @property
    def latest(self) -> Point[K] | None:
        return self.points[-1] if self.points else None

    @property
    def has_real_change(self) -> bool:
        latest = self.latest
        return latest is not None and latest.change is not None and latest.change.is_real


def series(measurements: Sequence[tuple[Hashable, Mapping[K, int], bool]]) -> Series[K]:
    """Means and changes for measurements in time order, each ``(key, {activity: score},
    is_baseline)``. Each measurement is compared with the latest baseline before it (a new
    baseline is taken when the activities are replaced); when none is marked, the first one is
    the baseline. Measurements before the first baseline get no change."""
    flags = [flag for _key, _scores, flag in measurements]
    if measurements and not any(flags):
        flags[0] = True
    points: list[Point[K]] = []
    base: Mapping[K, int] | None = None
    for (key, scores, _flag), is_base in zip(measurements, flags, strict=True):
        points.append(
            Point(
                key=key,
                scores=dict(scores),
                mean=mean(scores.values()),
                change=None if is_base or base is None else change(base, scores),
                is_baseline=is_base,
            )
        )
        if is_base:
            base = scores
    return Series(points=points)


def validate_score(value: object) -> int:
    """A score as an int in 0-10, or ValueError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not a whole number: {value!r}")
    if not MIN_SCORE <= value <= MAX_SCORE:
        raise ValueError(f"outside {MIN_SCORE}-{MAX_SCORE}: {value}")
    return value

"""Result indicators from what is recorded anyway: here the change in function measured by PSFS
(the pilot's goal «bedre funksjon, målt ved funksjonsmål»; guideline 4.2 on result indicators).

The change is the one the PSFS page shows (:mod:`oppfolging.function.scoring`): a later
measurement against the latest baseline before it, over the activities scored both times,
new minus old averaged over those activities; when no measurement of the person is marked as
baseline, the first one is. The tests hold the two to the same numbers.

Each measurement in the window finds its baseline and its change through index lookups (two
correlated subqueries); a set-based join of every score with every baseline score of the same
activity measured slower at 30 000 persons, because it reads the whole history to use the few
measurements of the window.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models import Window as Over
from django.db.models.functions import Coalesce, Lead
from django.utils.translation import gettext_lazy as _

from oppfolging.function.models import FunctionMeasurement, FunctionScore, Occasion
from oppfolging.function.scoring import REAL_CHANGE_MEAN
from oppfolging.indicators.base import (
    Indicator,
    Kind,
    Outcome,
    Scope,
    Window,
    count_line,
    in_bucket,
    register,
    share_line,
    stat_line,
)

SECTION = _("Resultater for personene")

REAL_CHANGE = float(REAL_CHANGE_MEAN)
SERIES_ORDER = ("measured_on", "created_at", "pk")  # the PSFS page's order of a series


def _earlier() -> Q:
    """Before the outer measurement in the series' order (date, then when it was entered)."""
    on, at = OuterRef("measured_on"), OuterRef("created_at")
    return (
        Q(measured_on__lt=on)
        | Q(measured_on=on, created_at__lt=at)
        | Q(measured_on=on, created_at=at, pk__lt=OuterRef("pk"))
    )


def _baseline() -> Coalesce:
    """The id of the baseline the outer measurement is compared with: the latest marked baseline
    before it, or, when the person has no marked baseline at all, their first measurement."""
    earlier = FunctionMeasurement.objects.filter(_earlier(), person_id=OuterRef("person_id"))
    marked = earlier.filter(occasion=Occasion.BASELINE).order_by(*(f"-{name}" for name in SERIES_ORDER))
    has_marked = Exists(
        FunctionMeasurement.objects.filter(person_id=OuterRef("person_id"), occasion=Occasion.BASELINE)
    )
    first = earlier.filter(~Q(has_marked)).order_by(*SERIES_ORDER)
    return Coalesce(Subquery(marked.values("pk")[:1]), Subquery(first.values("pk")[:1]))


def _change() -> Subquery:
    """The outer measurement's change from its baseline (annotated as ``base``): the mean over
    the activities both scored of new score minus baseline score; None when they share none."""
    pairs = FunctionScore.objects.filter(
        measurement_id=OuterRef("base"), activity__scores__measurement_id=OuterRef("pk")
    )
    mean = (
        pairs.order_by()
        .values("measurement_id")
        .annotate(change=Avg(F("activity__scores__score") - F("score"), output_field=FloatField()))
        .values("change")
    )
    return Subquery(mean, output_field=FloatField())


def measurements_with_change(scope: Scope, window: Window) -> QuerySet[FunctionMeasurement]:
    """The follow-ups and evaluations measured in the window, each with its change and the date
    of the person's next one in the window (``next_on``, None for the last): a measurement is the
    person's latest in a bucket when the next one falls after the bucket or there is none."""
    measurements: QuerySet[FunctionMeasurement] = (
        scope.filter(FunctionMeasurement.objects.all())
        .filter(measured_on__gte=window.start, measured_on__lte=window.end)
        .exclude(occasion=Occasion.BASELINE)
        .annotate(base=_baseline())
        .annotate(
            change=_change(),
            next_on=Over(
                Lead("measured_on"),
                partition_by=[F("person_id")],
                order_by=[F(name) for name in SERIES_ORDER],
            ),
        )
    )
    return measurements


def _psfs_change(scope: Scope, window: Window) -> Outcome:
    """One query: the measurements with their change and the next one's date (in a subquery),
    counted and averaged per bucket over each person's latest. The bucket is tested on the
    dates themselves, which keeps each of the many conditions small."""
    spans = [*window.buckets, window.whole]
    aggregates: dict[str, Any] = {}
    for index, bucket in enumerate(spans):
        latest = in_bucket("measured_on", bucket, datetime_field=False) & (
            Q(next_on__isnull=True) | Q(next_on__gt=bucket.end)
        )
        counted = latest & Q(change__isnull=False)
        aggregates[f"n_{index}"] = Count("pk", filter=counted)
        aggregates[f"mean_{index}"] = Avg("change", filter=counted)
        aggregates[f"up_{index}"] = Count("pk", filter=counted & Q(change__gte=REAL_CHANGE))
        aggregates[f"down_{index}"] = Count("pk", filter=counted & Q(change__lte=-REAL_CHANGE))
    result = measurements_with_change(scope, window).aggregate(**aggregates)
    persons = [int(result[f"n_{index}"] or 0) for index in range(len(spans))]
    means = [
        None if result[f"mean_{index}"] is None else round(float(result[f"mean_{index}"]), 2)
        for index in range(len(spans))
    ]
    improved = [int(result[f"up_{index}"] or 0) for index in range(len(spans))]
    worsened = [int(result[f"down_{index}"] or 0) for index in range(len(spans))]
    return Outcome(
        lines=[
            count_line("persons", _("Personer med ny måling"), persons),
            stat_line("mean_change", _("Gjennomsnittlig endring"), means, persons, "points"),
            share_line("improved", _("Andel med bedring på 2 poeng eller mer"), improved, persons, main=True),
            share_line("worsened", _("Andel med forverring på 2 poeng eller mer"), worsened, persons),
        ]
    )


PSFS_CHANGE = register(
    Indicator(
        key="psfs_change",
        name=_("Endring i funksjon (PSFS)"),
        kind=Kind.RESULT,
        definition=_(
            "Personer med en PSFS-måling («Hva er viktig for deg?») som utgangspunkt og en senere "
            "oppfølging eller evaluering målt i måneden eller kvartalet. For hver person brukes den "
            "siste slike målingen i måneden eller kvartalet, sammenlignet med det siste "
            "utgangspunktet før den (er ingen måling merket som utgangspunkt, brukes personens "
            "første måling, som på PSFS-siden). Endringen er ny skår minus skåren ved "
            "utgangspunktet, i snitt over aktivitetene som ble skåret begge gangene (skala 0 til 10). "
            "Snittet over personene vises når det gjelder minst 5 personer. Bedring er en økning "
            "på 2 poeng eller mer, forverring en nedgang på 2 poeng eller mer (den minste "
            "endringen som kan påvises). PSFS-siden kaller begge deler en reell endring, og også "
            "en endring på 3 poeng i én aktivitet; her vises bedring som hovedtall."
        ),
        numerator=_("Personer med en bedring på 2 poeng eller mer"),
        denominator=_("Personer med utgangspunkt og en senere måling i måneden eller kvartalet"),
        source=_(
            "Pilotens mål om bedre funksjon, målt ved funksjonsmål; veilederen 4.2 "
            "(resultatindikatorer); PSFS: minste påviselige endring 2 poeng i snitt"
        ),
        compute=_psfs_change,
        group=SECTION,
    )
)

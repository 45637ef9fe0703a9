"""Result indicators from the pilot's goals: experienced quality (the person's own answers to the
short survey in their own view), and emergency admissions, bed days and municipal service hours
in the year before versus the year after the team started (the identification issue's imported
extracts, oppfolging.risk)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models import Window as Over
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, Coalesce, Greatest, Least, RowNumber, TruncDate
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from oppfolging.function.models import SURVEY_QUESTIONS, ExperienceSurvey
from oppfolging.indicators.base import (
    Bucket,
    Indicator,
    Kind,
    Line,
    Outcome,
    Scope,
    Window,
    bucket_case,
    count_line,
    events_per_bucket,
    in_bucket,
    midnight,
    register,
    share_line,
    stat_line,
)
from oppfolging.risk.models import Contact, ContactKind, MunicipalService, RiskSubject
from oppfolging.teams.models import CareTeam

# The same section as the PSFS change (definitions/results.py): the person's own results.
SECTION_RESULTS = _("Resultater for personene")
SECTION_SERVICES = _("Innleggelser og tjenester før og etter teamet")

AGREE = 4  # 4 or 5 on the scale from 1 (helt uenig) to 5 (helt enig)


# --- Experienced quality --------------------------------------------------------------------------


def _survey_aggregates() -> dict[str, Any]:
    """Per question: answers (a «vet ikke» is null and is not counted), their mean, and how
    many answered 4 or 5; and the persons who answered."""
    aggregates: dict[str, Any] = {"persons": Count("pk")}
    for name, _text in SURVEY_QUESTIONS:
        aggregates[f"{name}__n"] = Count(name)
        aggregates[f"{name}__mean"] = Avg(name)
        aggregates[f"{name}__agree"] = Count(name, filter=Q(**{f"{name}__gte": AGREE}))
    return aggregates


def _experienced_quality(scope: Scope, window: Window) -> Outcome:
    surveys = scope.filter(
        ExperienceSurvey.objects.filter(answered_on__gte=window.start, answered_on__lte=window.end)
    )
    latest_first = [F("answered_on").desc(), F("pk").desc()]
    # Each person counts once per bucket and once in the whole period, with their latest answer
    # there: a person who answers often weighs no more than one who answers once, and a mean
    # shown over five answers rests on five persons.
    per_bucket = (
        surveys.annotate(
            _b=bucket_case("answered_on", window, datetime_field=False),
            _r=Over(RowNumber(), partition_by=[F("person_id"), F("_b")], order_by=latest_first),
        )
        .filter(_r=1)
        .values("pk")
    )
    overall = (
        surveys.annotate(_r=Over(RowNumber(), partition_by=[F("person_id")], order_by=latest_first))
        .filter(_r=1)
        .values("pk")
    )
    aggregates = _survey_aggregates()
    rows = {
        row["_b"]: row
        for row in ExperienceSurvey.objects.filter(pk__in=per_bucket)
        .annotate(_b=bucket_case("answered_on", window, datetime_field=False))
        .values("_b")
        .annotate(**aggregates)
        .order_by()
    }
    whole = ExperienceSurvey.objects.filter(pk__in=overall).aggregate(**aggregates)
    columns: list[dict[str, Any]] = [rows.get(index, {}) for index in range(len(window.buckets))]
    columns.append(whole)

    def numbers(key: str) -> list[int]:
        return [int(column.get(key) or 0) for column in columns]

    lines: list[Line] = [count_line("persons", _("Personer som har svart"), numbers("persons"))]
    for name, text in SURVEY_QUESTIONS:
        answers = numbers(f"{name}__n")
        means = [column.get(f"{name}__mean") for column in columns]
        lines.append(
            stat_line(
                f"{name}_mean",
                format_lazy("{}: {}", text, _("gjennomsnitt fra 1 til 5")),
                [float(mean) if mean is not None else None for mean in means],
                answers,
                "points",
            )
        )
        lines.append(
            share_line(
                f"{name}_agree",
                format_lazy("{}: {}", text, _("andel som svarer 4 eller 5")),
                numbers(f"{name}__agree"),
                answers,
                main=name == "benefit",
            )
        )
    return Outcome(lines=lines)


EXPERIENCED_QUALITY = register(
    Indicator(
        key="experienced_quality",
        name=_("Opplevd kvalitet"),
        kind=Kind.RESULT,
        definition=_(
            "Svar på de seks spørsmålene om hvordan personen opplever oppfølgingen, gitt av personen "
            "selv på Min side (eller av foresatte eller pårørende personen har samtykket til). "
            "Skalaen går fra 1 (helt uenig) til 5 (helt enig). Hver person telles én gang per "
            "måned eller kvartal, og én gang for hele perioden, med sitt siste svar der. For hvert "
            "spørsmål vises gjennomsnittet og andelen som svarer 4 eller 5; «vet ikke» telles ikke "
            "med for det spørsmålet. Hovedtallet er andelen som alt i alt har nytte av oppfølgingen."
        ),
        numerator=_("Personer som svarer 4 eller 5 på spørsmålet"),
        denominator=_("Personer som har svart på spørsmålet i perioden (ikke «vet ikke»)"),
        source=_(
            "Pilotens mål «bedre opplevd kvalitet»; veilederen 4.2: «pasienter, brukere og pårørende "
            "sine erfaringer med tjenestene» (opplevd kvalitet); forskrift om ledelse og "
            "kvalitetsforbedring § 6 g"
        ),
        compute=_experienced_quality,
        group=SECTION_RESULTS,
    )
)


# --- Before and after the team started ------------------------------------------------------------

# The year before and the year after the team's first day, as 365 days each: date arithmetic in
# whole months is not portable between SQLite and PostgreSQL, a day count is.
YEAR = datetime.timedelta(days=365)
DAY = datetime.timedelta(days=1)
ZERO = datetime.timedelta(0)
TEAM = "subject__person__care_team__created_at"


def _started_by(scope: Scope) -> datetime.datetime:
    """Teams created before this moment have a whole year after their first day behind them
    when the indicator is computed (the first day is day 0; day 364 is over by ``today``)."""
    return midnight(scope.today - YEAR + DAY)


def _relative_days(path: str) -> ExpressionWrapper[CombinedExpression]:
    """Days from the team's first day (Oslo time) to the date at ``path``, as a duration: a date
    minus a date is a duration on both SQLite and PostgreSQL."""
    return ExpressionWrapper(F(path) - TruncDate(TEAM), output_field=DurationField())


def _before_after_cohort(scope: Scope, window: Window) -> dict[str, list[int]]:
    teams = scope.filter(CareTeam.objects.filter(created_at__lt=_started_by(scope))).annotate(
        has_data=Exists(RiskSubject.objects.filter(person_id=OuterRef("person_id")))
    )
    return events_per_bucket(teams, window, "created_at", {"started": Q(), "with_data": Q(has_data=True)})


def _imported(queryset: QuerySet[Any], scope: Scope, window: Window) -> QuerySet[Any]:
    """Rows of the extracts about persons whose team started in the window a year ago or more."""
    rows = queryset.filter(
        **{
            f"{TEAM}__gte": midnight(window.start),
            f"{TEAM}__lt": min(midnight(window.stop), _started_by(scope)),
        }
    )
    return scope.filter(rows, "subject__person")


def _admissions(scope: Scope, window: Window) -> dict[str, list[int]]:
    """Emergency admissions and their bed days per bucket of the team's start, before and after."""
    contacts = _imported(
        Contact.objects.filter(kind=ContactKind.EMERGENCY_ADMISSION), scope, window
    ).annotate(_d=_relative_days("on"))
    years = {"before": Q(_d__gte=-YEAR, _d__lt=ZERO), "after": Q(_d__gte=ZERO, _d__lt=YEAR)}
    aggregates: dict[str, Any] = {}
    spans: list[Bucket] = [*window.buckets, window.whole]
    for index, bucket in enumerate(spans):
        for year, condition in years.items():
            when = in_bucket(TEAM, bucket) & condition
            aggregates[f"admissions_{year}__{index}"] = Count("pk", filter=when)
            aggregates[f"bed_days_{year}__{index}"] = Sum("length_of_stay", filter=when)
    result = contacts.aggregate(**aggregates)
    return {
        f"{measure}_{year}": [int(result[f"{measure}_{year}__{index}"] or 0) for index in range(len(spans))]
        for measure in ("admissions", "bed_days")
        for year in years
    }


def _service_hours(scope: Scope, window: Window) -> dict[str, list[float]]:
    """Municipal service hours per bucket of the team's start, before and after: hours per week
    times the weeks the service ran inside that year. The product is summed in the database as a
    duration (hours per week times days); only the one sum per bucket is turned into hours here."""
    start = _relative_days("start")
    # The service's last day is ``end`` (inclusive); an open service runs past either year.
    stop = Coalesce(_relative_days("end") + Value(DAY), Value(YEAR + DAY))
    overlap = {
        "before": Greatest(Least(stop, Value(ZERO)) - Greatest(start, Value(-YEAR)), Value(ZERO)),
        "after": Greatest(Least(stop, Value(YEAR)) - Greatest(start, Value(ZERO)), Value(ZERO)),
    }
    services = _imported(MunicipalService.objects.all(), scope, window)
    aggregates: dict[str, Any] = {}
    spans: list[Bucket] = [*window.buckets, window.whole]
    for year, days in overlap.items():
        weighted = ExpressionWrapper(
            Cast("hours_per_week", FloatField()) * days, output_field=DurationField()
        )
        for index, bucket in enumerate(spans):
            aggregates[f"hours_{year}__{index}"] = Sum(weighted, filter=in_bucket(TEAM, bucket))
    result = services.aggregate(**aggregates)

    def hours(value: datetime.timedelta | None) -> float:
        # (hours per week times days) as a duration of that many days, over 7 days a week.
        return value.total_seconds() / DAY.total_seconds() / 7 if value else 0.0

    return {
        f"hours_{year}": [hours(result[f"hours_{year}__{index}"]) for index in range(len(spans))]
        for year in overlap
    }


def _mean(totals: list[int] | list[float], persons: list[int]) -> list[float | None]:
    return [total / n if n else None for total, n in zip(totals, persons, strict=True)]


def _before_after(scope: Scope, window: Window) -> Outcome:
    cohort = _before_after_cohort(scope, window)
    persons = cohort["with_data"]
    sums: dict[str, list[int] | list[float]] = {**_admissions(scope, window), **_service_hours(scope, window)}
    measures = [
        ("admissions", _("Øyeblikkelig hjelp-innleggelser per person"), ""),
        ("bed_days", _("Liggedøgn per person"), "days"),
        ("hours", _("Timer kommunale tjenester per person"), "hours"),
    ]
    years = [("before", _("året før")), ("after", _("året etter"))]
    lines = [
        count_line("started", _("Personer der teamet startet (og året etter er omme)"), cohort["started"]),
        count_line("with_data", _("Av dem med innleste data"), persons),
    ]
    for key, label, unit in measures:
        for year, when in years:
            lines.append(
                stat_line(
                    f"{key}_{year}",
                    format_lazy("{}, {}", label, when),
                    _mean(sums[f"{key}_{year}"], persons),
                    persons,
                    unit,
                    main=key == "admissions" and year == "after",
                )
            )
    no_data = _("Kommunen har ikke lest inn uttrekk med innleggelser og tjenester ennå, så ingen telles.")
    note = "" if RiskSubject.objects.exists() else no_data
    return Outcome(lines=lines, note=note)


BEFORE_AFTER = register(
    Indicator(
        key="before_after",
        name=_("Innleggelser og tjenester før og etter teamet"),
        kind=Kind.RESULT,
        definition=_(
            "Personer der oppfølgingsteamet ble opprettet i måneden eller kvartalet, og minst 365 "
            "dager før i dag, slik at hele året etter er omme. For hver av dem telles de 365 dagene "
            "før teamet startet og de 365 dagene fra og med startdagen: øyeblikkelig "
            "hjelp-innleggelser (etter innleggelsesdato), liggedøgn ved disse innleggelsene, og "
            "timer kommunale tjenester (timer per uke ganger ukene tjenesten varte innenfor året). "
            "Tallene er gjennomsnitt per person. Bare personer som finnes i kommunens innleste "
            "uttrekk (risikokartleggingen) telles; personer uten innleste data er ikke med. "
            "Tallene er ikke bedre enn uttrekket: året etter krever et uttrekk lest inn etter at "
            "året var omme."
        ),
        numerator=_("Innleggelser, liggedøgn og tjenestetimer i året før og i året etter"),
        denominator=_("Personer med innleste data der teamet startet i perioden"),
        source=_(
            "Pilotens mål «utsatt behov for kommunale tjenester» og «færre unødvendige "
            "innleggelser»; veilederen 4.2: resultatindikatorer, som «sier noe om sluttresultatet»"
        ),
        compute=_before_after,
        group=SECTION_SERVICES,
    )
)

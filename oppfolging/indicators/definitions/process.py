"""Process indicators: is the working method followed (guideline 4.2; the steps of chapter 6).

Each figure is taken from what the work itself records (the report, the assessment, the
coordinator's appointment, the plan), so nobody enters anything twice for the leader's sake.

Flow indicators count events by the day they happened (Oslo time). Times from a report to a
later step are whole calendar days between the two days in Oslo time, computed in the database
as a difference of dates: both PostgreSQL and SQLite then return a whole number of days, and
no row is ever loaded to compute a duration.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from oppfolging.indicators.base import (
    Indicator,
    Kind,
    Outcome,
    Scope,
    Window,
    count_and_share,
    count_line,
    events_per_bucket,
    midnight,
    quantiles,
    register,
    stat_line,
)
from oppfolging.indicators.days import DaysBetween, DaysLater, LocalDate
from oppfolging.plans.models import CarePlan
from oppfolging.referrals.checklist import WISHES
from oppfolging.referrals.models import ONE_MONTH, Answer, Assessment, NeedReport
from oppfolging.teams.models import CoordinatorAssignment

SECTION_REPORTS = _("Fra melding til kartlegging")
SECTION_WAITING = _("Tid fra melding")
SECTION_ASSESSMENT = _("Kartleggingens innhold")

# Some text that is not only white space: what the assessment service itself asks for before an
# assessment may be completed (it strips the text). The same pattern works on both databases.
NOT_BLANK = r"\S"


def _source(passage: str | Promise) -> str | Promise:
    """Guideline 4.2 (what leaders should follow) and the passage of the step; lazy, so it is
    shown in the reader's language."""
    return format_lazy("{}; {}", _("Veilederen 4.2 (kvalitetsindikatorer)"), passage)


# --- Reports that reached an assessment ----------------------------------------------------------


def _reports_assessed(scope: Scope, window: Window) -> Outcome:
    # The assessment opened from the report, or any assessment of the person that started after
    # the report came: an assessment opened from the person's page answers the report too. Two
    # tests, not one with OR: each then finds its rows through an index.
    opened_from = Assessment.objects.filter(report_id=OuterRef("pk"))
    started_after = Assessment.objects.filter(
        person_id=OuterRef("person_id"), started_at__gte=OuterRef("received_at")
    )
    reports = scope.filter(NeedReport.objects.all()).annotate(
        assessed=ExpressionWrapper(Exists(opened_from) | Exists(started_after), output_field=BooleanField())
    )
    counts = events_per_bucket(
        reports, window, "received_at", {"received": Q(), "assessed": Q(assessed=True)}
    )
    return count_and_share(
        ("received", _("Meldinger mottatt"), counts["received"]),
        ("assessed", _("Andel som har fått kartlegging"), counts["assessed"]),
    )


REPORTS_ASSESSED = register(
    Indicator(
        key="reports_assessed",
        name=_("Meldinger som nådde kartlegging"),
        kind=Kind.PROCESS,
        definition=_(
            "Meldinger om behov mottatt i perioden (telt i måneden eller kvartalet meldingen kom), og hvor "
            "mange av dem som til nå har nådd en kartlegging: en kartlegging ble åpnet fra meldingen, eller "
            "en kartlegging av personen startet etter at meldingen kom."
        ),
        numerator=_("Meldinger mottatt i perioden som til nå har nådd en kartlegging"),
        denominator=_("Meldinger mottatt i perioden"),
        source=_source(_("6.3 og 6.4 (melding om behov), 6.5 (tverrfaglig kartlegging)")),
        compute=_reports_assessed,
        group=SECTION_REPORTS,
    )
)


# --- Interim replies (forvaltningsloven § 11 a) ---------------------------------------------------


def _interim_reply(scope: Scope, window: Window) -> Outcome:
    # The one-month mark (received + 30 days) falls in the bucket and has passed. Only reports
    # received 30 days before the period's bounds (and before now) can: that is the WHERE, so
    # the database reads them through the receipt's index; they are grouped by their mark.
    now = timezone.now()
    start = midnight(window.start).astimezone(datetime.UTC) - ONE_MONTH
    stop = min(midnight(window.stop), now).astimezone(datetime.UTC) - ONE_MONTH
    # Written without a negation: NOT over a missing date would drop the row in SQL.
    open_at_mark = (Q(decided_at__isnull=True) | Q(decided_at__gt=F("mark"))) & (
        Q(closed_at__isnull=True) | Q(closed_at__gt=F("mark"))
    )
    reports = (
        scope.filter(NeedReport.objects.all())
        .filter(received_at__gte=start, received_at__lt=stop)
        .annotate(mark=DaysLater("received_at", ONE_MONTH.days))
    )
    counts = events_per_bucket(
        reports,
        window,
        "mark",
        {"due": open_at_mark, "replied": open_at_mark & Q(interim_reply_at__lte=F("mark"))},
    )
    return count_and_share(
        ("due", _("Meldinger uten vedtak etter en måned"), counts["due"]),
        ("replied", _("Andel med foreløpig svar innen en måned"), counts["replied"]),
    )


INTERIM_REPLY = register(
    Indicator(
        key="interim_reply",
        name=_("Foreløpig svar sendt i tide"),
        kind=Kind.PROCESS,
        definition=_(
            "En melding om behov er en søknad: er den ikke avgjort innen en måned (30 dager etter at den "
            "kom), skal personen få et foreløpig svar. Telles: meldinger der de 30 dagene gikk ut i "
            "perioden, fram til i dag, og som da verken hadde fått vedtak eller var avsluttet. Andelen er de "
            "av dem som fikk foreløpig svar innen de 30 dagene."
        ),
        numerator=_("Av dem: foreløpig svar sendt innen 30 dager etter at meldingen kom"),
        denominator=_("Meldinger der fristen på 30 dager gikk ut i perioden uten vedtak eller avslutning"),
        source=_source(_("6.4 (meldingen er en søknad); forvaltningsloven § 11 a")),
        compute=_interim_reply,
        group=SECTION_REPORTS,
    )
)


# --- Days from the report to the next steps -----------------------------------------------------


def _answering_report(queryset: QuerySet[Any], person: str, end: str, *, linked: str = "") -> QuerySet[Any]:
    """Each event of ``queryset`` with the report it answers (``report_at``): the latest report
    about the person (``person`` is the path to them) received at or before ``end``, or, when
    ``linked`` names a report the event was opened from, that one. Events with no such report
    drop out.

    A join and an anti-join, not a subquery per event: the database matches the reports to the
    events as sets, which keeps the three percentile queries fast at municipal scale."""
    reports = f"{person}__need_reports"
    before = Q(**{f"{reports}__received_at__lte": F(end)})
    if linked:
        before = Q(**{f"{linked}__isnull": False, f"{reports}__pk": F(linked)}) | Q(
            before, **{f"{linked}__isnull": True}
        )
    joined: QuerySet[Any] = queryset.filter(before).annotate(
        report_at=F(f"{reports}__received_at"), report_pk=F(f"{reports}__pk")
    )
    later = NeedReport.objects.filter(
        Q(received_at__gt=OuterRef("report_at"))
        | Q(received_at=OuterRef("report_at"), pk__gt=OuterRef("report_pk")),
        person_id=OuterRef(f"{person}_id"),
        received_at__lte=OuterRef(end),
    )
    if linked:
        later = later.filter(IsNull(OuterRef(linked), True))  # only when opened without a report
    return joined.filter(~Exists(later))


def _days(end: str) -> DaysBetween:
    """Calendar days (Oslo time) from the day of the report to the day of ``end``."""
    return DaysBetween(LocalDate("report_at"), LocalDate(end))


def _as_days(value: int | None) -> int | None:
    return None if value is None else int(value)


def _waiting(queryset: QuerySet[Any], end: str, window: Window, events: str | Promise) -> Outcome:
    """Median and 90th percentile of the days from ``report_at`` to ``end`` per bucket of the
    end event, and the number of events they rest on."""
    counts, values = quantiles(queryset, _days(end), window, end)
    return Outcome(
        lines=[
            stat_line(
                "median", _("Median, dager"), [_as_days(v) for v in values[0.5]], counts, "days", main=True
            ),
            stat_line("p90", _("90-persentil, dager"), [_as_days(v) for v in values[0.9]], counts, "days"),
            count_line("count", events, counts),
        ]
    )


def _days_to_assessment(scope: Scope, window: Window) -> Outcome:
    assessments = _answering_report(
        scope.filter(Assessment.objects.all()), "person", "started_at", linked="report"
    )
    return _waiting(assessments, "started_at", window, _("Kartlegginger startet"))


def _days_to_coordinator(scope: Scope, window: Window) -> Outcome:
    # The first coordinator after the report: no assignment of the team started before this one
    # and was still running when the report came (a coordinator the person already had, or an
    # earlier one after the report). A replacement is not a wait for a coordinator.
    earlier = CoordinatorAssignment.objects.filter(
        Q(started_at__lt=OuterRef("started_at"))
        | Q(started_at=OuterRef("started_at"), pk__lt=OuterRef("pk")),
        Q(ended_at__isnull=True) | Q(ended_at__gt=OuterRef("report_at")),
        team_id=OuterRef("team_id"),
    )
    started = scope.filter(CoordinatorAssignment.objects.filter(started_at__isnull=False), "team__person")
    assignments = _answering_report(started, "team__person", "started_at").filter(~Exists(earlier))
    return _waiting(assignments, "started_at", window, _("Koordinatorer som startet"))


def _days_to_plan(scope: Scope, window: Window) -> Outcome:
    plans = _answering_report(
        scope.filter(CarePlan.objects.filter(activated_at__isnull=False)), "person", "activated_at"
    )
    return _waiting(plans, "activated_at", window, _("Planer tatt i bruk"))


def _waiting_indicator(
    key: str,
    name: str | Promise,
    definition: str | Promise,
    passage: str | Promise,
    compute: Callable[..., Outcome],
) -> Indicator:
    return register(
        Indicator(
            key=key,
            name=name,
            kind=Kind.PROCESS,
            definition=definition,
            numerator=_(
                "Kalenderdager fra meldingen: median (halvparten ventet så lenge eller kortere) og "
                "90-persentil (ni av ti)"
            ),
            denominator="",
            source=_source(passage),
            compute=compute,
            group=SECTION_WAITING,
        )
    )


DAYS_TO_ASSESSMENT = _waiting_indicator(
    "days_to_assessment",
    _("Dager fra melding til kartlegging"),
    _(
        "Kartlegginger som startet i perioden (telt i måneden eller kvartalet den startet): antall "
        "kalenderdager fra dagen meldingen kom til dagen kartleggingen startet. Meldingen som teller er den "
        "kartleggingen ble åpnet fra; ble den åpnet uten melding, den siste meldingen om personen som kom "
        "før kartleggingen startet. Kartlegginger uten noen melding før telles ikke."
    ),
    _("6.3 (melding om behov), 6.5 (tverrfaglig kartlegging)"),
    _days_to_assessment,
)

DAYS_TO_COORDINATOR = _waiting_indicator(
    "days_to_coordinator",
    _("Dager fra melding til koordinator"),
    _(
        "Koordinatorer som startet i perioden (telt i måneden eller kvartalet koordinatoren startet): antall "
        "kalenderdager fra dagen meldingen kom til dagen personens første koordinator etter meldingen "
        "startet. Meldingen som teller er den siste meldingen om personen som kom før koordinatoren startet. "
        "Har personen allerede en koordinator da meldingen kommer, eller er dette ikke den første "
        "koordinatoren etter meldingen (et bytte), telles det ikke."
    ),
    _("6.3 (melding om behov), 7.4 (koordinatorrollen)"),
    _days_to_coordinator,
)

DAYS_TO_PLAN = _waiting_indicator(
    "days_to_plan",
    _("Dager fra melding til individuell plan"),
    _(
        "Individuelle planer tatt i bruk (aktivert) i perioden (telt i måneden eller kvartalet planen ble "
        "aktivert): antall kalenderdager fra dagen meldingen kom til dagen planen ble aktivert. Meldingen "
        "som teller er den siste meldingen om personen som kom før planen ble aktivert. Planer uten noen "
        "melding før telles ikke."
    ),
    _("6.3 (melding om behov), 7.2 (individuell plan og koordinator)"),
    _days_to_plan,
)


# --- What completed assessments record ---------------------------------------------------------


def _completed_share(
    among: Q,
    holds: Q,
    among_label: str | Promise,
    holds_label: str | Promise,
    annotate: Callable[[QuerySet[Assessment]], QuerySet[Assessment]] = lambda qs: qs,
) -> Callable[[Scope, Window], Outcome]:
    """An indicator over the assessments completed in each bucket (by the day they were
    completed): how many of those ``among`` there were, and the share of them that ``holds``."""

    def compute(scope: Scope, window: Window) -> Outcome:
        assessments = annotate(scope.filter(Assessment.objects.filter(completed_at__isnull=False)))
        counts = events_per_bucket(
            assessments, window, "completed_at", {"among": among, "holds": among & holds}
        )
        return count_and_share(
            ("among", among_label, counts["among"]),
            ("share", holds_label, counts["holds"]),
        )

    return compute


def _with_wishes(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The «Hva er viktig for deg?» section as a joined row (at most one per assessment: the key
    is unique per assessment), so its text is tested in the same pass over the assessments."""
    return assessments.annotate(wishes=FilteredRelation("sections", condition=Q(sections__key=WISHES)))


OWN_ANSWER = register(
    Indicator(
        key="own_answer",
        name=_("Kartlegginger med personens eget svar på «Hva er viktig for deg?»"),
        kind=Kind.PROCESS,
        definition=_(
            "Kartlegginger fullført i perioden (telt i måneden eller kvartalet de ble fullført), og andelen "
            "der sjekklistens punkt «Hva er viktig for deg?» har personens eget svar (noe er skrevet)."
        ),
        numerator=_("Av dem: punktet «Hva er viktig for deg?» er fylt ut"),
        denominator=_("Kartlegginger fullført i perioden"),
        source=_source(_("6.5 (kartleggingen tar utgangspunkt i personens ønsker og mål)")),
        compute=_completed_share(
            Q(),
            Q(wishes__text__regex=NOT_BLANK),
            _("Kartlegginger fullført"),
            _("Andel med personens eget svar"),
            _with_wishes,
        ),
        group=SECTION_ASSESSMENT,
    )
)

INFORMED = register(
    Indicator(
        key="informed",
        name=_("Informert om team, individuell plan og koordinator"),
        kind=Kind.PROCESS,
        definition=_(
            "Kartlegginger fullført i perioden (telt i måneden eller kvartalet de ble fullført), og andelen "
            "der det er registrert at personen fikk informasjon om oppfølgingsteam, individuell plan og "
            "koordinator."
        ),
        numerator=_("Av dem: registrert at personen ble informert"),
        denominator=_("Kartlegginger fullført i perioden"),
        source=_source(
            _("6.5 (konklusjonen: rett til individuell plan og koordinator), 7.2 (oppfølgingsteam)")
        ),
        compute=_completed_share(
            Q(),
            Q(informed_about_ip_and_coordinator=True),
            _("Kartlegginger fullført"),
            _("Andel informert"),
        ),
        group=SECTION_ASSESSMENT,
    )
)

MINOR_CHILDREN = register(
    Indicator(
        key="minor_children",
        name=_("Mindreårige barn som pårørende ivaretatt"),
        kind=Kind.PROCESS,
        definition=_(
            "Kartlegginger fullført i perioden (telt i måneden eller kvartalet de ble fullført) der svaret "
            "på om personen har mindreårige barn som pårørende er ja, og andelen av dem der det er beskrevet "
            "hvordan barna blir ivaretatt."
        ),
        numerator=_("Av dem: beskrevet hvordan barna blir ivaretatt"),
        denominator=_("Kartlegginger fullført i perioden med mindreårige barn som pårørende"),
        source=_source(
            _("3.1 (plikten til å ivareta mindreårige barn som pårørende); helsepersonelloven § 10 a")
        ),
        compute=_completed_share(
            Q(minor_children_as_next_of_kin=Answer.YES),
            Q(minor_children_attended_to__regex=NOT_BLANK),
            _("Kartlegginger med mindreårige barn som pårørende"),
            _("Andel der barnas ivaretakelse er beskrevet"),
        ),
        group=SECTION_ASSESSMENT,
    )
)

INTERPRETER = register(
    Indicator(
        key="interpreter",
        name=_("Tolk brukt ved behov"),
        kind=Kind.PROCESS,
        definition=_(
            "Kartlegginger fullført i perioden (telt i måneden eller kvartalet de ble fullført) der det er "
            "registrert at personen trenger tolk, og andelen av dem der det er registrert at tolk ble brukt."
        ),
        numerator=_("Av dem: tolk ble brukt"),
        denominator=_("Kartlegginger fullført i perioden der personen trenger tolk"),
        source=_source(_("3.1 (informasjonen tilrettelegges, med tolk ved behov)")),
        compute=_completed_share(
            Q(interpreter_needed=True),
            Q(interpreter_used=True),
            _("Kartlegginger der personen trenger tolk"),
            _("Andel med tolk"),
        ),
        group=SECTION_ASSESSMENT,
    )
)

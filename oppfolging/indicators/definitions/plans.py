"""Plan and team indicators: do the persons who need coordinated services get a coordinator, a
team and an individual plan, is the plan built on their own goals, and is it evaluated
(guideline 4.2 and 7.2 to 7.4, 7.8; forskrift om habilitering og rehabilitering, individuell plan
og koordinator §§ 16 to 21; the pilot's goals).

Most of these are states: each bucket is read as things stood at the end of its last day (Oslo
time; today for the bucket still running), from the dates recorded (activated, closed, started,
ended, joined, left), never from today's status fields when a date exists. The whole-period cell
of a state is the state on the period's last day.

"Has at least one X on that day" is counted by grouping the X rows by their owner and summing a
0/1 flag per bucket (:func:`_owners_per_bucket`): one pass over the rows whatever the number of
buckets, where a correlated EXISTS per bucket would probe the index once per owner and bucket.
"""

from __future__ import annotations

import calendar
import datetime
import operator
from collections.abc import Callable
from functools import reduce
from typing import Any

from django.db.models import Case, F, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from oppfolging.indicators.base import (
    Bucket,
    Indicator,
    Kind,
    Outcome,
    Scope,
    Window,
    count_and_share,
    count_line,
    counts_per_bucket,
    events_per_bucket,
    midnight,
    register,
    share_line,
)
from oppfolging.indicators.days import LocalDate
from oppfolging.plans.models import CarePlan, CloseReason, Evaluation, Goal, GoalStatus, PlanPeriod
from oppfolging.referrals.models import Answer, Assessment, DecisionKind, DecisionOutcome, ServiceDecision

SECTION_COVERAGE = _("Koordinator, team og individuell plan")
SECTION_PLAN_WORK = _("Mål og evaluering i planen")

# A plan closed for one of these reasons ends the person's need (or the municipality's part in
# it): from that day the person no longer counts among those who need coordinated services.
# Goals reached, consent withdrawn and "other" say nothing of the kind, so those persons stay.
NEED_ENDED = (CloseReason.NO_LONGER_NEEDED, CloseReason.MOVED, CloseReason.DIED)
NEED_KEPT = tuple(reason for reason in CloseReason.values if reason not in NEED_ENDED)

Condition = Callable[[Bucket], Q]


# --- Small pieces ---------------------------------------------------------------------------------


def _day(scope: Scope, bucket: Bucket) -> datetime.date:
    """The day a bucket's state is read at: its last day, or today for the bucket still running
    (a day that has not come yet has no state; read at it, a six-month rule or a decision that
    ends before it would count what has not happened)."""
    return min(bucket.end, scope.today)


def _moment(scope: Scope, bucket: Bucket) -> datetime.datetime:
    """The end of that day (midnight after it, Oslo time): whatever was recorded on it counts."""
    return midnight(_day(scope, bucket) + datetime.timedelta(days=1))


def _open_at(at: datetime.datetime, opened: str, closed: str) -> Q:
    """Opened before ``at`` and not closed by then (a missing opening date never counts)."""
    return Q(**{f"{opened}__lt": at}) & (Q(**{f"{closed}__isnull": True}) | Q(**{f"{closed}__gte": at}))


def _plan_active(at: datetime.datetime, plan: str = "") -> Q:
    return _open_at(at, f"{plan}activated_at", f"{plan}closed_at")


def _six_months_before(day: datetime.date) -> datetime.date:
    """The same day six calendar months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - 6
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _active_plans(scope: Scope, window: Window) -> list[int]:
    """Individual plans active (activated, not closed) at the end of each bucket's day."""
    return counts_per_bucket(
        scope.filter(CarePlan.objects.all()),
        window,
        {"active": lambda bucket: _plan_active(_moment(scope, bucket))},
        state=True,
    )["active"]


def _owners_per_bucket(
    queryset: QuerySet[Any],
    owner: str,
    window: Window,
    conditions: dict[str, Condition],
    combined: dict[str, tuple[str, ...]] | None = None,
    *,
    state: bool = False,
) -> dict[str, list[int]]:
    """One query: per bucket and (last) for the whole period, how many distinct ``owner`` values
    have at least one row of ``queryset`` meeting a condition; with ``combined``, how many have
    a row meeting each of the named conditions (not necessarily the same row).

    The rows are grouped by owner with a 0/1 flag per condition and bucket (MAX), and the flags
    summed, or multiplied and summed, over the groups: one grouping pass, where COUNT(DISTINCT)
    would sort once per bucket. Conditions on two multi-valued relations joined in one query
    (members and coordinator assignments) stay exact this way: the rows of an owner are every
    combination of the two, so "some row has A" and "some row has B" are read independently.
    The paths one condition names are resolved in one ``annotate``, so its tests all speak of
    the same row (the same member joined and not left). ``state``: as in
    :func:`~oppfolging.indicators.base.counts_per_bucket`, the whole period is the last bucket."""
    spans = list(window.buckets) if state else [*window.buckets, window.whole]
    flags: dict[str, Any] = {}
    for name, condition in conditions.items():
        for index, span in enumerate(spans):
            flags[f"{name}__{index}"] = Max(
                Case(When(condition(span), then=Value(1)), default=Value(0), output_field=IntegerField())
            )
    wanted = combined or {name: (name,) for name in conditions}
    totals: dict[str, Any] = {}
    for name, parts in wanted.items():
        for index in range(len(spans)):
            product = reduce(operator.mul, [F(f"{part}__{index}") for part in parts])
            totals[f"total_{name}__{index}"] = Sum(product)
    result = queryset.order_by().values(owner).annotate(**flags).aggregate(**totals)
    counts = {
        name: [int(result[f"total_{name}__{index}"] or 0) for index in range(len(spans))] for name in wanted
    }
    if state:
        for values in counts.values():
            values.append(values[-1])
    return counts


# --- 1. Coordinator, team and plan for those who need coordinated services ---------------------


def _coverage(scope: Scope, window: Window) -> Outcome:
    # Everything starts from the assessments that concluded "yes", grouped per person, so a
    # person with several such assessments counts once. Each condition reads one relation; the
    # helper combines them per person.
    needing = scope.filter(
        Assessment.objects.filter(needs_coordinated_services=Answer.YES, completed_at__isnull=False)
    )
    plan, team = "person__care_plan__", "person__care_team__"

    def need(bucket: Bucket) -> Q:
        # Concluded before the end of the day, and the plan not closed by then for a reason
        # that ends the need.
        at = _moment(scope, bucket)
        return Q(completed_at__lt=at) & (
            Q(**{f"{plan}closed_at__isnull": True})
            | Q(**{f"{plan}closed_at__gte": at})
            | Q(**{f"{plan}close_reason__in": NEED_KEPT})
        )

    def has_team(bucket: Bucket) -> Q:
        at = _moment(scope, bucket)
        return _open_at(at, f"{team}created_at", f"{team}closed_at") & _open_at(
            at, f"{team}members__joined_at", f"{team}members__left_at"
        )

    def has_coordinator(bucket: Bucket) -> Q:
        at = _moment(scope, bucket)
        return _open_at(
            at, f"{team}coordinator_assignments__started_at", f"{team}coordinator_assignments__ended_at"
        )

    counts = _owners_per_bucket(
        needing,
        "person",
        window,
        {
            "need": need,
            "plan": lambda bucket: _plan_active(_moment(scope, bucket), plan),
            "team": has_team,
            "coordinator": has_coordinator,
        },
        {
            "need": ("need",),
            "plan": ("need", "plan"),
            "team": ("need", "team"),
            "coordinator": ("need", "coordinator"),
        },
        state=True,
    )
    persons = counts["need"]
    return Outcome(
        lines=[
            count_line("need", _("Personer med behov for langvarige og koordinerte tjenester"), persons),
            share_line("coordinator", _("Andel med koordinator"), counts["coordinator"], persons),
            share_line("team", _("Andel med oppfølgingsteam"), counts["team"], persons),
            share_line("plan", _("Andel med aktiv individuell plan"), counts["plan"], persons, main=True),
        ]
    )


COORDINATED_NEEDS_COVERAGE = register(
    Indicator(
        key="coordinated_needs_coverage",
        name=_("Koordinator, team og plan for personer med behov for koordinerte tjenester"),
        kind=Kind.PROCESS,
        definition=_(
            "Personer med behov for langvarige og koordinerte tjenester: personer med en fullført "
            "kartlegging som konkluderte med ja på dette behovet, fullført senest den siste dagen i "
            "måneden eller kvartalet. Hver person telles én gang, uansett hvor mange kartlegginger. "
            "En person som har fått planen sin avsluttet fordi behovet er over, fordi personen har "
            "flyttet eller er død, telles ikke fra den dagen planen ble avsluttet. Alt leses slik det "
            "sto ved slutten av den siste dagen i måneden eller kvartalet (i måneden eller kvartalet "
            "som pågår: i dag; for hele perioden: den siste dagen i perioden). Av disse personene "
            "telles de som den dagen hadde: en "
            "koordinator (oppnevningen startet og ikke avsluttet), et oppfølgingsteam (opprettet og "
            "ikke avsluttet, med minst ett medlem som var kommet med og ikke hadde sluttet) og en "
            "aktiv individuell plan (aktivert og ikke avsluttet)."
        ),
        numerator=_(
            "Av disse: personer med koordinator, personer med oppfølgingsteam og personer med aktiv "
            "individuell plan (én linje hver)"
        ),
        denominator=_("Personer med behov for langvarige og koordinerte tjenester den dagen"),
        source=_(
            "Veilederen 4.2 («om pasient/bruker har fått oppnevnt koordinator», «om det er etablert "
            "et tverrfaglig oppfølgingsteam», «om pasient/bruker har individuell plan»), 7.2, 7.3 og 7.4; "
            "forskrift om habilitering og rehabilitering, individuell plan og koordinator §§ 16 til 21"
        ),
        compute=_coverage,
        group=SECTION_COVERAGE,
    )
)


# --- 2. Goals in the person's own words -------------------------------------------------------


def _goal_own_words(scope: Scope, window: Window) -> Outcome:
    active = _active_plans(scope, window)

    # A goal is never deleted; "no longer relevant" is its only way out and has no date of its
    # own. The goal's last change is the nearest recorded date: setting the status is such a
    # change, so the goal stops counting no earlier than it was dropped (later, if edited since).
    def own_goal(bucket: Bucket) -> Q:
        at = _moment(scope, bucket)
        return (
            _plan_active(at, "plan__")
            & Q(created_at__lt=at)
            & (~Q(status=GoalStatus.DROPPED) | Q(updated_at__gte=at))
        )

    goals = scope.filter(Goal.objects.filter(in_own_words=True), "plan__person")
    owned = _owners_per_bucket(goals, "plan", window, {"own": own_goal}, state=True)
    return count_and_share(
        ("active", _("Aktive individuelle planer"), active),
        ("own_words", _("Andel med minst ett mål med personens egne ord"), owned["own"]),
    )


GOAL_OWN_WORDS = register(
    Indicator(
        key="goal_own_words",
        name=_("Planer med mål med personens egne ord"),
        kind=Kind.PROCESS,
        definition=_(
            "Individuelle planer som var aktive (aktivert og ikke avsluttet) ved slutten av den "
            "siste dagen i måneden eller kvartalet (i måneden eller kvartalet som pågår: i dag; for "
            "hele perioden: den siste dagen i perioden), og hvor mange av dem som da hadde minst "
            "ett mål markert «med personens egne ord». Et mål teller fra det ble skrevet inn. Et "
            "nådd mål teller fortsatt. Et mål satt til «Ikke lenger aktuelt» teller ikke fra den "
            "dagen målet sist ble endret (appen lagrer ingen egen dato for når et mål legges bort). "
            "Om målet er med personens egne ord, leses slik det er registrert nå."
        ),
        numerator=_("Aktive planer med minst ett mål med personens egne ord"),
        denominator=_("Aktive individuelle planer den dagen"),
        source=_(
            "Veilederen 4.2 og 7.2 (personens behov og mål er alltid grunnlaget for teamets "
            "arbeid); forskrift om habilitering og rehabilitering, individuell plan og koordinator "
            "§ 19 (planens mål); pilotens mål: bedre resultater målt mot personens egne mål"
        ),
        compute=_goal_own_words,
        group=SECTION_PLAN_WORK,
    )
)


# --- 3. Evaluations held by their checkpoint --------------------------------------------------


def _evaluation_on_time(scope: Scope, window: Window) -> Outcome:
    # Which periods count does not depend on the bucket, so it is decided once in the WHERE: the
    # checkpoint has passed, the plan was active by then and not closed before it.
    periods = (
        scope.filter(PlanPeriod.objects.all(), "plan__person")
        .annotate(activated_on=LocalDate("plan__activated_at"), closed_on=LocalDate("plan__closed_at"))
        .filter(
            evaluation_due_on__lt=scope.today,
            activated_on__lte=F("evaluation_due_on"),
        )
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=F("evaluation_due_on")))
    )

    counts = events_per_bucket(
        periods,
        window,
        "evaluation_due_on",
        {"due": Q(), "on_time": Q(evaluation__held_on__lte=F("evaluation_due_on"))},
        datetime_field=False,
    )
    return count_and_share(
        ("due", _("Sjekkpunkter for evaluering"), counts["due"]),
        ("on_time", _("Andel evaluert innen sjekkpunktet"), counts["on_time"]),
    )


EVALUATION_ON_TIME = register(
    Indicator(
        key="evaluation_on_time",
        name=_("Evalueringer holdt innen sjekkpunktet"),
        kind=Kind.PROCESS,
        definition=_(
            "Planperioder der sjekkpunktet (datoen evalueringen skal være holdt senest) falt i "
            "måneden eller kvartalet og er passert (er før i dag), i planer som var aktivert senest "
            "på sjekkpunktet. Perioder i planer som ble avsluttet før sjekkpunktet, telles ikke. "
            "Av dem telles periodene der evalueringen ble holdt på eller før sjekkpunktet; en "
            "evaluering holdt senere, eller ikke holdt, er ikke i tide."
        ),
        numerator=_("Perioder evaluert på eller før sjekkpunktet"),
        denominator=_("Perioder med sjekkpunkt i måneden eller kvartalet"),
        source=_(
            "Veilederen 4.2; 7.4 (koordinator skal følge opp, evaluere og oppdatere plandokumentet) "
            "og 7.8 (evaluering før planperioden slutter); forskrift om habilitering og "
            "rehabilitering, individuell plan og koordinator § 19 (planperiode og tidspunkt for "
            "revisjon)"
        ),
        compute=_evaluation_on_time,
        group=SECTION_PLAN_WORK,
    )
)


# --- 4. Plans with no evaluation in six months ------------------------------------------------


def _no_evaluation_6m(scope: Scope, window: Window) -> Outcome:
    def old(bucket: Bucket, plan: str = "") -> Q:
        # Active at the end of the day and activated before the day six months earlier, so the
        # plan has been active through all of the six months.
        day = _day(scope, bucket)
        return _plan_active(_moment(scope, bucket), plan) & Q(
            **{f"{plan}activated_at__lt": midnight(_six_months_before(day))}
        )

    def evaluated(bucket: Bucket) -> Q:
        day = _day(scope, bucket)
        return old(bucket, "period__plan__") & Q(held_on__gt=_six_months_before(day), held_on__lte=day)

    plans = counts_per_bucket(scope.filter(CarePlan.objects.all()), window, {"old": old}, state=True)
    # Only evaluations held within six months before some bucket's day can count: the rest of
    # the history is left out before the grouping.
    first, last = _day(scope, window.buckets[0]), _day(scope, window.buckets[-1])
    evaluations = scope.filter(Evaluation.objects.all(), "period__plan__person").filter(
        held_on__gt=_six_months_before(first), held_on__lte=last
    )
    held = _owners_per_bucket(evaluations, "period__plan", window, {"evaluated": evaluated}, state=True)
    without = [count - done for count, done in zip(plans["old"], held["evaluated"], strict=True)]
    return Outcome(
        lines=[
            count_line("without", _("Aktive planer uten evaluering på seks måneder"), without, main=True),
            share_line("share", _("Andel av aktive planer eldre enn seks måneder"), without, plans["old"]),
        ]
    )


NO_EVALUATION_6M = register(
    Indicator(
        key="no_evaluation_6m",
        name=_("Planer uten evaluering på seks måneder"),
        kind=Kind.PROCESS,
        definition=_(
            "Individuelle planer som var aktive (aktivert og ikke avsluttet) ved slutten av den "
            "siste dagen i måneden eller kvartalet og var aktivert mer enn seks måneder før den "
            "dagen, og der ingen evaluering ble holdt i de seks månedene fram til og med den dagen. "
            "Antallet, og andelen av alle aktive planer som var aktivert mer enn seks måneder før. "
            "I måneden eller kvartalet som pågår: i dag. For hele perioden: den siste dagen i "
            "perioden."
        ),
        numerator=_("Aktive planer eldre enn seks måneder uten evaluering de siste seks månedene"),
        denominator=_("Aktive planer aktivert mer enn seks måneder før den dagen"),
        source=_(
            "Veilederen 4.2 og 7.4 (evaluere og oppdatere plandokumentet); forskrift om "
            "habilitering og rehabilitering, individuell plan og koordinator § 19; "
            "Erfaringskompetanse 2020: 35 % hadde en plan som ble laget én gang og aldri evaluert"
        ),
        compute=_no_evaluation_6m,
        group=SECTION_PLAN_WORK,
    )
)


# --- 5. The national count: persons with an individual plan (KOSTRA/IPLOS) ---------------------


def _kostra_ip(scope: Scope, window: Window) -> Outcome:
    active = _active_plans(scope, window)

    def served(bucket: Bucket) -> Q:
        day = _day(scope, bucket)
        return (
            _plan_active(_moment(scope, bucket), "person__care_plan__")
            & Q(decided_on__lte=day)
            & (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        )

    # IPLOS counts the IP of users of municipal care services: a granted service decision, not
    # the decision on the plan or the coordinator themselves.
    # Only decisions in force on some bucket's day can count: decided by the last day and not
    # ended before the first.
    first, last = _day(scope, window.buckets[0]), _day(scope, window.buckets[-1])
    decisions = scope.filter(
        ServiceDecision.objects.filter(kind=DecisionKind.SERVICE, outcome=DecisionOutcome.GRANTED)
    ).filter(Q(decided_on__lte=last), Q(valid_to__isnull=True) | Q(valid_to__gte=first))
    kostra = _owners_per_bucket(decisions, "person", window, {"served": served}, state=True)
    return Outcome(
        lines=[
            count_line(
                "kostra", _("Personer med individuell plan (KOSTRA/IPLOS)"), kostra["served"], main=True
            ),
            count_line(
                "in_force",
                _("Alle med individuell plan i kraft, også uten tjenestevedtak"),
                active,
            ),
        ]
    )


# PROCESS, not STRUCTURE: the guideline (4.2) calls structure what the services have to work with
# (staff, coordinators); whether a person has an individual plan is among its follow-up topics on
# whether the working method reaches the person ("om pasient/bruker har individuell plan").
KOSTRA_IP = register(
    Indicator(
        key="kostra_ip",
        name=_("Personer med individuell plan (KOSTRA/IPLOS)"),
        kind=Kind.PROCESS,
        definition=_(
            "Personer med individuell plan slik KOSTRA/IPLOS teller dem: personer som har en "
            "individuell plan i kraft (aktivert og ikke avsluttet) og minst ett innvilget vedtak om "
            "tjeneste i kraft (vedtatt, fra-datoen nådd og til-datoen ikke passert), ved slutten av "
            "den siste dagen i måneden eller kvartalet (i måneden eller kvartalet som pågår: i "
            "dag). IPLOS teller per 31. desember: det tallet "
            "står i desember eller fjerde kvartal, og i hele perioden når perioden slutter 31. "
            "desember (hele perioden er den siste dagen i perioden). Den andre linjen teller alle med "
            "individuell plan i kraft, også dem uten vedtak om tjeneste."
        ),
        numerator=_("Personer med individuell plan i kraft og minst ett tjenestevedtak i kraft"),
        denominator="",
        source=_(
            "KOSTRA/IPLOS: brukere med individuell plan per 31. desember (brukere med minst én "
            "tjeneste); veilederen 4.2 («om pasient/bruker har individuell plan») og 4.4 (IPLOS i "
            "KPR); helse- og omsorgstjenesteloven § 7-1"
        ),
        compute=_kostra_ip,
        group=SECTION_COVERAGE,
    )
)

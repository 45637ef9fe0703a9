"""The demo: two invented municipalities, a user in every role in each, an external hospital
user, an outsider, and the demo persons of SPEC §7 — all with synthetic identity numbers
(month + 80) that can never belong to a real person."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from oppfolging.accounts.models import Membership, Role, User, UserKind
from oppfolging.core.models import Language, Municipality, Unit, UnitKind
from oppfolging.core.tenancy import unscoped
from oppfolging.lib.identity import Sex, make_synthetic
from oppfolging.people.models import Person, Relative, RelativeKind

DEMO_PASSWORD = "demo-oppfolging-2026"  # noqa: S105 - the demo's published password, never production


class DemoNotAllowedError(RuntimeError):
    pass


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    name: str
    kind: str
    roles: list[str]
    units: list[str]
    municipality: str


@dataclass(frozen=True)
class _Town:
    slug: str
    name: str
    number: str
    language: str


TOWNS = [
    _Town("fjordvik", "Fjordvik kommune", "9901", Language.BOKMAAL),
    _Town("lidal", "Lidal kommune", "9902", Language.NYNORSK),
]

# (unit key, kind, name pattern in bokmål, in nynorsk): each municipality names its units in
# its own written language.
UNITS = [
    ("ke", UnitKind.COORDINATING_UNIT, "Koordinerende enhet {town}", "Koordinerande eining {town}"),
    ("tildeling", UnitKind.ALLOCATION_OFFICE, "Tildelingskontoret {town}", "Tildelingskontoret {town}"),
    ("hjemme", UnitKind.HOME_CARE, "Hjemmetjenesten {town}", "Heimetenesta {town}"),
    ("psyk", UnitKind.MENTAL_HEALTH, "Psykisk helse og rus {town}", "Psykisk helse og rus {town}"),
    ("lege", UnitKind.GP_OFFICE, "{town} legekontor", "{town} legekontor"),
    ("nav", UnitKind.NAV_OFFICE, "NAV {town}", "NAV {town}"),
    ("skole", UnitKind.SCHOOL, "{town} skole", "{town} skule"),
    ("ergo", UnitKind.OTHER, "Ergoterapitjenesten {town}", "Ergoterapitenesta {town}"),
]

# username suffix -> (unit key, role) pairs; then each town's people for them.
STAFF_ROLES: dict[str, list[tuple[str, Role]]] = {
    "ke": [("ke", Role.KE_STAFF)],
    "tildeling": [("tildeling", Role.ALLOCATION_OFFICER)],
    "koordinator": [("ergo", Role.COORDINATOR)],
    "team": [("hjemme", Role.TEAM_MEMBER)],
    "fastlege": [("lege", Role.GP)],
    "leder": [("hjemme", Role.LEADER), ("ergo", Role.LEADER)],
    "admin": [("tildeling", Role.MUNICIPALITY_ADMIN)],
}
# (username suffix, first, last, title)
STAFF_PEOPLE = {
    "fjordvik": [
        ("ke", "Kari", "Koordinerende", "Rådgiver"),
        ("tildeling", "Tor", "Tildeling", "Saksbehandler"),
        ("koordinator", "Ingrid", "Ergoterapeut", "Ergoterapeut"),
        ("team", "Nina", "Sykepleier", "Sykepleier"),
        ("fastlege", "Lars", "Lege", "Fastlege"),
        ("leder", "Liv", "Leder", "Enhetsleder"),
        ("admin", "Arne", "Admin", "Systemansvarlig"),
    ],
    "lidal": [
        ("ke", "Marit", "Haugland", "Rådgjevar"),
        ("tildeling", "Olav", "Rønning", "Sakshandsamar"),
        ("koordinator", "Guro", "Fosse", "Ergoterapeut"),
        ("team", "Kjetil", "Bø", "Sjukepleiar"),
        ("fastlege", "Astrid", "Myklebust", "Fastlege"),
        ("leder", "Bjørn", "Hatlevik", "Einingsleiar"),
        ("admin", "Rune", "Sæbø", "Systemansvarleg"),
    ],
}

# The GPs' HPR numbers (invented): how the risk extracts name a person's GP.
HPR_NUMBERS = {"fjordvik-fastlege": "9144001", "lidal-fastlege": "9144002"}

# (given, family, age in years, extra days, sex, town, story)
PERSONS = [
    (
        "Aron",
        "Nilsen",
        5,
        40,
        Sex.MALE,
        "fjordvik",
        "Autisme; familien trenger avlastning; skal begynne på skolen til høsten.",
    ),
    (
        "Emil",
        "Haugen",
        18,
        120,
        Sex.MALE,
        "fjordvik",
        "Hodeskade etter mopedulykke; fra rehabilitering tilbake til skolen.",
    ),
    (
        "Kari",
        "Johansen",
        36,
        200,
        Sex.FEMALE,
        "fjordvik",
        "Overvekt, depresjon og diabetes; 50 % uføretrygd.",
    ),
    ("Martin", "Berg", 55, 10, Sex.MALE, "fjordvik", "Astma/KOLS; sykmeldt, i kontakt med NAV."),
    (
        "Klara",
        "Lund",
        80,
        300,
        Sex.FEMALE,
        "fjordvik",
        "KOLS, hjertesvikt og begynnende demens; bor alene; flere innleggelser i året.",
    ),
    (
        "Per",
        "Olsen",
        67,
        77,
        Sex.MALE,
        "fjordvik",
        "Eksempelet i veilederen 7.8: fastlegen melder behov for tjenester fra flere aktører.",
    ),
    ("Sigrid", "Vik", 72, 15, Sex.FEMALE, "lidal", "Hjartesvikt og diabetes; bur åleine."),
    ("Ola", "Dal", 16, 90, Sex.MALE, "lidal", "Cerebral parese; går på ungdomsskulen."),
]


def _birth_date(age: int, extra_days: int, today: datetime.date) -> datetime.date:
    try:
        anniversary = today.replace(year=today.year - age)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - age, day=28)
    return anniversary - datetime.timedelta(days=extra_days)


def demo_is_loaded() -> bool:
    return Municipality.objects.filter(number__in=[t.number for t in TOWNS]).exists()


@transaction.atomic
def load_demo(
    *, today: datetime.date | None = None, pathway: bool = True, per_stage: str = "plan"
) -> list[DemoLogin]:
    """``pathway``: also put the demo persons at different stages of the pathway and of their
    plans (the tests' cast leaves it out, so that each test builds exactly the situation it
    checks). ``per_stage``: how far Per's story has come — "plan" (mid-period), "team" (steps 1-5,
    for the browser test that walks steps 6-9) or "start" (untouched)."""
    if not settings.ALLOW_SYNTHETIC_IDS:
        raise DemoNotAllowedError("The demo needs ALLOW_SYNTHETIC_IDS (on with DEBUG or in tests).")
    today = today or datetime.datetime.now(tz=datetime.UTC).date()
    with unscoped():
        hospital = Unit.objects.create(
            name="Fjellheim sykehus, medisinsk avdeling", kind=UnitKind.HOSPITAL_DEPARTMENT
        )
        Unit.objects.create(name="Fysioterapeut Berg, privat praksis", kind=UnitKind.PRIVATE_PRACTICE)
        persons: dict[tuple[str, str], Person] = {}
        for town in TOWNS:
            municipality = Municipality.objects.create(
                name=town.name, number=town.number, default_language=town.language
            )
            short = town.name.replace(" kommune", "")
            units = {
                key: Unit.objects.create(
                    municipality=municipality,
                    kind=kind,
                    name=(nn if town.language == Language.NYNORSK else nb).format(town=short),
                )
                for key, kind, nb, nn in UNITS
            }
            for suffix, first, last, title in STAFF_PEOPLE[town.slug]:
                user = _user(f"{town.slug}-{suffix}", first, last, title=title)
                for unit_key, role in STAFF_ROLES[suffix]:
                    Membership.objects.create(user=user, unit=units[unit_key], role=role)
            for index, (given, family, age, days, sex, home, _story) in enumerate(PERSONS):
                if home != town.slug:
                    continue
                birth = _birth_date(age, days, today)
                persons[(town.slug, given)] = Person.objects.create(
                    municipality=municipality,
                    national_id=make_synthetic(birth, sex=sex, serial=index),
                    id_kind="fnr",
                    id_is_synthetic=True,
                    birth_date=birth,
                    sex=sex.value,
                    given_name=given,
                    family_name=family,
                    preferred_language=town.language,
                    phone=f"4000{index:04d}",
                )
        hospital_user = _user("sykehus", "Hanne", "Sykehuslege", title="Overlege")
        Membership.objects.create(user=hospital_user, unit=hospital, role=Role.TEAM_MEMBER)
        _user("utenforstaaende", "Ulf", "Utenfor", title="")
        per = persons[("fjordvik", "Per")]
        per.user = _user("per", "Per", "Olsen", kind=UserKind.CITIZEN)
        per.save(update_fields=["user"])
        aron = persons[("fjordvik", "Aron")]
        mother = _user("aron-mor", "Lene", "Nilsen", kind=UserKind.CITIZEN)
        Relative.objects.create(
            municipality=aron.municipality,
            person=aron,
            kind=RelativeKind.GUARDIAN,
            name="Lene Nilsen",
            relation="mor",
            phone="40001111",
            user=mother,
        )
        Relative.objects.create(
            municipality=aron.municipality,
            person=aron,
            kind=RelativeKind.GUARDIAN,
            name="Tor Nilsen",
            relation="far",
            phone="40001112",
        )
        klara = persons[("fjordvik", "Klara")]
        Relative.objects.create(
            municipality=klara.municipality,
            person=klara,
            kind=RelativeKind.NEXT_OF_KIN,
            name="Berit Lund",
            relation="datter",
            phone="40002222",
        )
    if pathway:
        from oppfolging.overview.demo_stages import load_pathway_demo

        load_pathway_demo(plans=True, per=per_stage)
        from oppfolging.risk.demo import load_risk_demo

        load_risk_demo()
        load_population_demo(today=today)
    return demo_logins()


# Fjordvik's synthetic population for the leaders' indicators (issue 6): the six demo persons
# make every figure "<5", so a leader would see nothing. Invented names, synthetic numbers, and
# staff of their own (usernames «syn9901-…», no password), so no demo user's caseload changes.
POPULATION_PERSONS = 400
POPULATION_SEED = 2026


def load_population_demo(*, today: datetime.date) -> None:
    """Two years of pathway history up to yesterday (so that nothing is dated later today) for
    :data:`POPULATION_PERSONS` invented persons in Fjordvik (:mod:`oppfolging.indicators.bench`;
    no audit rows: nobody read them)."""
    from oppfolging.indicators.bench import build

    with unscoped():
        fjordvik = Municipality.objects.get(number=TOWNS[0].number)
    # ``years=1``: the builder writes the years asked for plus one year before them.
    build(
        fjordvik,
        persons=POPULATION_PERSONS,
        end=today - datetime.timedelta(days=1),
        years=1,
        seed=POPULATION_SEED,
        audit_rows=0,
        leader=False,
    )


def _user(username: str, first: str, last: str, *, title: str = "", kind: str = UserKind.STAFF) -> User:
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        title=title,
        kind=kind,
        email=f"{username}@demo.invalid",
    )
    user.hpr_number = HPR_NUMBERS.get(username, "")
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def demo_logins() -> list[DemoLogin]:
    """Every demo user, with the password, roles, units and municipality."""
    logins = []
    with unscoped():
        usernames = [f"{t.slug}-{suffix}" for t in TOWNS for suffix in STAFF_ROLES] + [
            "sykehus",
            "utenforstaaende",
            "per",
            "aron-mor",
        ]
        users = {
            u.username: u
            for u in User.objects.filter(username__in=usernames).prefetch_related(
                "memberships__unit__municipality"
            )
        }
        citizens = {
            p.user_id: p.municipality.name
            for p in Person.objects.filter(user__isnull=False).select_related("municipality")
        }
        citizens.update(
            {
                r.user_id: r.municipality.name
                for r in Relative.objects.filter(user__isnull=False).select_related("municipality")
            }
        )
        for username in usernames:
            user = users.get(username)
            if user is None:
                continue
            memberships = list(user.memberships.all())
            municipality = next(
                (m.unit.municipality.name for m in memberships if m.unit.municipality is not None),
                citizens.get(user.pk, ""),
            )
            logins.append(
                DemoLogin(
                    username=username,
                    password=DEMO_PASSWORD,
                    name=user.get_full_name(),
                    kind=user.kind,
                    roles=[m.role for m in memberships] or (["citizen"] if user.is_citizen else []),
                    units=[m.unit.name for m in memberships],
                    municipality=municipality,
                )
            )
    return logins

"""Norwegian identity numbers: fødselsnummer and D-nummer (Django-free).

Real numbers are validated with python-stdnum. Synthetic numbers of the Norwegian test population
(Skatteetaten's convention: 80 added to the month) have valid check digits but a month that no real
person can have, so they can never identify a real person; they are accepted only when the caller
allows it (the demo and the tests). H-numbers and FH-numbers are not identity numbers of persons
and are refused here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from stdnum import exceptions as stdnum_errors
from stdnum.no import fodselsnummer


class IdentityKind(StrEnum):
    FODSELSNUMMER = "fnr"
    D_NUMMER = "dnr"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class ErrorCode(StrEnum):
    LENGTH = "length"
    FORMAT = "format"
    CHECKSUM = "checksum"
    DATE = "date"
    FUTURE = "future"
    SYNTHETIC_NOT_ALLOWED = "synthetic_not_allowed"
    NOT_A_PERSON_NUMBER = "not_a_person_number"


class IdentityNumberError(ValueError):
    """The number is not a valid fødselsnummer or D-nummer; ``code`` says why."""

    def __init__(self, code: ErrorCode) -> None:
        super().__init__(code.value)
        self.code = code


SYNTHETIC_MONTH_OFFSET = 80
D_NUMBER_DAY_OFFSET = 40


@dataclass(frozen=True)
class IdentityNumber:
    number: str
    kind: IdentityKind
    synthetic: bool
    birth_date: datetime.date
    sex: Sex

    @property
    def masked(self) -> str:
        """Birth-date part only: the five personal digits are never shown in lists."""
        return f"{self.number[:6]} *****"

    @property
    def fhir_system(self) -> str:
        """HL7 Norway identifier system (no-basis) for this kind of number."""
        if self.kind is IdentityKind.D_NUMMER:
            return "urn:oid:2.16.578.1.12.4.1.4.2"
        return "urn:oid:2.16.578.1.12.4.1.4.1"


def compact(raw: str) -> str:
    return fodselsnummer.compact(raw)


def mask(number: str) -> str:
    digits = compact(number)
    return f"{digits[:6]} *****" if len(digits) == 11 else "*****"


def parse(raw: str, *, allow_synthetic: bool, today: datetime.date | None = None) -> IdentityNumber:
    """Validate ``raw`` and return what it says. Raises :class:`IdentityNumberError`."""
    number = compact(raw)
    if len(number) != 11:
        raise IdentityNumberError(ErrorCode.LENGTH)
    if not number.isdigit():
        raise IdentityNumberError(ErrorCode.FORMAT)
    day, month = int(number[0:2]), int(number[2:4])
    if day >= 80 or 41 <= month <= 52:
        raise IdentityNumberError(ErrorCode.NOT_A_PERSON_NUMBER)
    synthetic = month > SYNTHETIC_MONTH_OFFSET
    if synthetic and not allow_synthetic:
        raise IdentityNumberError(ErrorCode.SYNTHETIC_NOT_ALLOWED)
    if number[9] != fodselsnummer.calc_check_digit1(number) or number[10] != fodselsnummer.calc_check_digit2(
        number
    ):
        raise IdentityNumberError(ErrorCode.CHECKSUM)
    # The birth date of a synthetic number is read as if the month had no offset.
    dated = number[:2] + f"{month - SYNTHETIC_MONTH_OFFSET:02d}" + number[4:] if synthetic else number
    try:
        birth_date = fodselsnummer.get_birth_date(dated)
    except stdnum_errors.ValidationError as exc:
        raise IdentityNumberError(ErrorCode.DATE) from exc
    if birth_date > (today or datetime.datetime.now(tz=datetime.UTC).date()):
        raise IdentityNumberError(ErrorCode.FUTURE)
    if not synthetic:
        # The library's own check as well, so that a real number passes exactly what it accepts.
        try:
            fodselsnummer.validate(number)
        except stdnum_errors.InvalidChecksum as exc:
            raise IdentityNumberError(ErrorCode.CHECKSUM) from exc
        except stdnum_errors.ValidationError as exc:
            raise IdentityNumberError(ErrorCode.DATE) from exc
    kind = IdentityKind.D_NUMMER if day > D_NUMBER_DAY_OFFSET else IdentityKind.FODSELSNUMMER
    sex = Sex.MALE if int(number[8]) % 2 else Sex.FEMALE
    return IdentityNumber(number=number, kind=kind, synthetic=synthetic, birth_date=birth_date, sex=sex)


def make_synthetic(birth_date: datetime.date, *, sex: Sex, serial: int = 0, d_number: bool = False) -> str:
    """A synthetic number (month + 80) with valid check digits, for demo and test persons.

    ``serial`` picks among the individual numbers that fit the birth century and sex; the first
    that gives valid check digits from that point on is returned.
    """
    year = birth_date.year
    if 1900 <= year <= 1999:
        low, high = 0, 499
    elif 2000 <= year <= 2039:
        low, high = 500, 999
    else:
        raise ValueError("synthetic numbers are made for births 1900-2039")
    day = birth_date.day + (D_NUMBER_DAY_OFFSET if d_number else 0)
    prefix = f"{day:02d}{birth_date.month + SYNTHETIC_MONTH_OFFSET:02d}{year % 100:02d}"
    span = high - low + 1
    for step in range(span):
        individual = low + (serial * 7 + step) % span
        if (individual % 2 == 1) != (sex is Sex.MALE):
            continue
        base = f"{prefix}{individual:03d}"
        k1 = fodselsnummer.calc_check_digit1(base)
        if k1 == "10":
            continue
        k2 = fodselsnummer.calc_check_digit2(base + k1)
        if k2 == "10":
            continue
        return base + k1 + k2
    raise ValueError("no valid synthetic number for that date and sex")  # pragma: no cover

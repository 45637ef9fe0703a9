from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

from oppfolging.lib import identity
from oppfolging.lib.identity import ErrorCode, IdentityKind, IdentityNumberError, Sex

TODAY = datetime.date(2026, 11, 26)
births = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)


def _real_number(birth: datetime.date, individual: int) -> str | None:
    """A structurally real fødselsnummer (month without offset) with valid check digits."""
    base = f"{birth:%d%m}{birth.year % 100:02d}{individual:03d}"
    k1 = fodselsnummer.calc_check_digit1(base)
    k2 = fodselsnummer.calc_check_digit2(base + k1)
    return None if "10" in (k1, k2) else base + k1 + k2


@given(birth=births, sex=st.sampled_from(list(Sex)), serial=st.integers(0, 400), d=st.booleans())
def test_synthetic_numbers_round_trip(birth, sex, serial, d):
    number = identity.make_synthetic(birth, sex=sex, serial=serial, d_number=d)
    parsed = identity.parse(number, allow_synthetic=True, today=TODAY)
    assert parsed.birth_date == birth
    assert parsed.sex is sex
    assert parsed.synthetic
    assert parsed.kind is (IdentityKind.D_NUMMER if d else IdentityKind.FODSELSNUMMER)


@given(birth=births, sex=st.sampled_from(list(Sex)))
def test_synthetic_numbers_are_refused_where_not_allowed(birth, sex):
    number = identity.make_synthetic(birth, sex=sex)
    with pytest.raises(IdentityNumberError) as caught:
        identity.parse(number, allow_synthetic=False, today=TODAY)
    assert caught.value.code is ErrorCode.SYNTHETIC_NOT_ALLOWED
    # and no real validator takes them: month 81-92 is no month
    assert not fodselsnummer.is_valid(number)


@given(
    birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(1999, 12, 31)),
    individual=st.integers(0, 499),
)
def test_real_numbers_agree_with_python_stdnum(birth, individual):
    number = _real_number(birth, individual)
    if number is None:
        return
    parsed = identity.parse(number, allow_synthetic=False, today=TODAY)
    assert parsed.number == number
    assert parsed.birth_date == fodselsnummer.get_birth_date(number)
    assert parsed.sex.value[0].upper() == fodselsnummer.get_gender(number)
    assert not parsed.synthetic


@given(birth=births, sex=st.sampled_from(list(Sex)), position=st.integers(0, 10), delta=st.integers(1, 9))
def test_any_single_digit_error_is_caught(birth, sex, position, delta):
    number = identity.make_synthetic(birth, sex=sex)
    digits = list(number)
    digits[position] = str((int(digits[position]) + delta) % 10)
    broken = "".join(digits)
    with pytest.raises(IdentityNumberError):
        identity.parse(broken, allow_synthetic=True, today=TODAY)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1234567890", ErrorCode.LENGTH),
        ("123456789012", ErrorCode.LENGTH),
        ("1234567890a", ErrorCode.FORMAT),
        ("01415012345", ErrorCode.NOT_A_PERSON_NUMBER),  # H-number month + 40
        ("81015012345", ErrorCode.NOT_A_PERSON_NUMBER),  # FH-number
    ],
)
def test_malformed_numbers_say_why(raw, code):
    with pytest.raises(IdentityNumberError) as caught:
        identity.parse(raw, allow_synthetic=True, today=TODAY)
    assert caught.value.code is code


def test_wrong_checksum_on_a_real_looking_number():
    number = _real_number(datetime.date(1980, 5, 17), 123)
    assert number is not None
    broken = number[:10] + str((int(number[10]) + 1) % 10)
    with pytest.raises(IdentityNumberError) as caught:
        identity.parse(broken, allow_synthetic=False, today=TODAY)
    assert caught.value.code is ErrorCode.CHECKSUM


def test_future_birth_date_is_refused():
    number = identity.make_synthetic(datetime.date(2030, 1, 1), sex=Sex.FEMALE)
    with pytest.raises(IdentityNumberError) as caught:
        identity.parse(number, allow_synthetic=True, today=TODAY)
    assert caught.value.code is ErrorCode.FUTURE


def test_separators_are_accepted_and_masking_hides_the_personal_digits():
    number = identity.make_synthetic(datetime.date(1950, 3, 4), sex=Sex.MALE)
    spaced = f"{number[:6]} {number[6:]}"
    assert identity.parse(spaced, allow_synthetic=True, today=TODAY).number == number
    assert identity.mask(number) == f"{number[:6]} *****"
    assert number[6:] not in identity.mask(number)

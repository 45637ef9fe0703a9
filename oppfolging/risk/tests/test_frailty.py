"""The eFI on hand-made persons: the exact index and band at the edges 0.12 / 0.24 / 0.36, and
what counts as a deficit (codes by prefix and system, medicines, services, polypharmacy)."""

from __future__ import annotations

import datetime

import pytest

from oppfolging.risk import engine, frailty
from oppfolging.risk.tests.engine_support import (
    AS_OF,
    diagnosis,
    make_extract,
    medicine,
    number,
    person,
    service,
)

# One ICPC-2 code for each of 16 different deficits, in an order a test can take the first k of.
CODES = [
    "K86",  # hypertension
    "L90",  # arthritis
    "H86",  # hearing impairment
    "F92",  # visual impairment
    "T86",  # thyroid disease
    "L95",  # osteoporosis
    "U04",  # urinary incontinence
    "N17",  # dizziness
    "P06",  # sleep disturbance
    "B80",  # anaemia
    "S20",  # foot problems
    "K78",  # atrial fibrillation
    "K77",  # heart failure
    "R95",  # respiratory disease
    "D86",  # peptic ulcer
    "K92",  # peripheral vascular disease
]
BIRTH = datetime.date(1940, 3, 1)


def _frailty_of(codes: list[str]) -> dict[str, object]:
    nid = number(BIRTH)
    extract = make_extract(persons=[person(nid, BIRTH)], diagnoses=[diagnosis(nid, code) for code in codes])
    return engine.features(extract, as_of=AS_OF).row(0, named=True)


@pytest.mark.parametrize(
    ("count", "band"),
    [
        (0, "fit"),
        (4, "fit"),
        (5, "mild"),
        (8, "mild"),
        (9, "moderate"),
        (12, "moderate"),
        (13, "severe"),
        (16, "severe"),
    ],
)
def test_index_is_deficits_over_36_with_bands_at_the_edges(count, band):
    row = _frailty_of(CODES[:count])
    assert row["n_deficits"] == count
    assert row["frailty_index"] == pytest.approx(count / 36)
    assert row["frailty_band"] == band


@pytest.mark.parametrize(
    ("index", "band"),
    [(0.0, "fit"), (0.12, "fit"), (0.1201, "mild"), (0.24, "mild"), (0.2401, "moderate"), (0.36, "moderate"),
     (0.3601, "severe"), (1.0, "severe")],
)  # fmt: skip
def test_band_bounds_belong_to_the_lower_band(index, band):
    assert frailty.band(index) == band


def test_the_code_list_has_all_36_deficits_with_sources():
    codes = frailty.deficit_codes()
    assert len(frailty.DEFICITS) == frailty.DEFICIT_COUNT == 36
    assert codes.keys == frailty.DEFICITS
    assert (frailty.DATA / "efi_sources.md").read_text().count("not validated") >= 1


def test_a_deficit_counts_once_however_many_codes_and_codes_match_by_prefix_per_system():
    nid = number(BIRTH)
    extract = make_extract(
        persons=[person(nid, BIRTH)],
        diagnoses=[
            diagnosis(nid, "K86"),
            diagnosis(nid, "K87"),  # hypertension again
            diagnosis(nid, "I10", system="icd10"),  # and again, in ICD-10
            diagnosis(nid, "E11.9", system="icd10"),  # diabetes: E11 matches E11.9 (dots ignored)
            diagnosis(nid, "l89", system="icd10"),  # ICD-10 L89 is a pressure ulcer (ICPC-2 L89 is arthritis)
        ],
    )
    row = engine.features(extract, as_of=AS_OF).row(0, named=True)
    assert sorted(frailty.deficits_of(row["deficit_mask"])) == ["diabetes", "hypertension", "skin_ulcer"]


def test_medicines_services_and_polypharmacy_count_and_later_rows_do_not():
    nid = number(BIRTH)
    later = AS_OF + datetime.timedelta(days=1)
    extract = make_extract(
        persons=[person(nid, BIRTH)],
        diagnoses=[diagnosis(nid, "K77", day=later)],  # after the scoring date: not seen
        medicines=[
            medicine(nid, "H03AA01"),  # thyroid therapy: thyroid disease
            medicine(nid, "C09AA05"),
            medicine(nid, "C10AA05"),
            medicine(nid, "B01AC06"),
            medicine(nid, "A02BC01"),  # five regular medicines: polypharmacy
            medicine(nid, "J01CA04", regular=False),  # a course: not regular
            medicine(nid, "N04BA02", end=AS_OF - datetime.timedelta(days=1)),  # stopped before
        ],
        services=[service(nid, "Hjemmesykepleie natt"), service(nid, "matombringing", hours=0)],
    )
    row = engine.features(extract, as_of=AS_OF).row(0, named=True)
    assert row["n_regular_medicines"] == 5
    assert sorted(frailty.deficits_of(row["deficit_mask"])) == [
        "housebound",
        "polypharmacy",
        "requirement_for_care",
        "thyroid_disease",
    ]
    assert row["frailty_index"] == pytest.approx(4 / 36)

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from oppfolging.audit.models import AuditAction, AuditEvent
from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.lib.identity import Sex, make_synthetic
from oppfolging.people.models import Person

pytestmark = pytest.mark.django_db

NEW_NUMBER = make_synthetic(datetime.date(1990, 6, 15), sex=Sex.FEMALE, serial=99)


def _form(**overrides):
    data = {
        "national_id": NEW_NUMBER,
        "given_name": "Solveig",
        "family_name": "Strand",
        "preferred_language": "nb",
        "phone": "",
        "email": "",
        "address": "",
        "interpreter_language": "",
    }
    data.update(overrides)
    return data


def test_registering_a_person_derives_birth_date_and_sex_and_audits(cast):
    client = cast.client("fjordvik-tildeling")
    response = client.post("/personer/ny/", _form())
    assert response.status_code == 302
    with unscoped():
        person = Person.objects.get(national_id=NEW_NUMBER)
        event = AuditEvent.objects.get(person=person, action=AuditAction.CREATE)
    assert person.municipality == cast.municipalities["fjordvik"]
    assert person.birth_date == datetime.date(1990, 6, 15)
    assert person.sex == "female"
    assert person.id_is_synthetic
    assert event.role == "allocation_officer"
    assert event.actor == cast.users["fjordvik-tildeling"]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nb", "Kontrollsifrene stemmer ikke"),
        ("en", "The check digits do not match"),
        ("nn", "Kontrollsifra stemmer ikkje"),
    ],
)
def test_a_wrong_checksum_is_a_clear_error_in_the_users_language_and_changes_nothing(cast, language, message):
    broken = NEW_NUMBER[:10] + str((int(NEW_NUMBER[10]) + 1) % 10)
    client = cast.client("fjordvik-ke")
    client.post("/konto/sprak/", {"language": language, "next": "/"})
    with unscoped():
        before = (Person.objects.count(), AuditEvent.objects.filter(action=AuditAction.CREATE).count())
    response = client.post("/personer/ny/", _form(national_id=broken))
    assert response.status_code == 200
    assert message in response.content.decode()
    with unscoped():
        assert (
            Person.objects.count(),
            AuditEvent.objects.filter(action=AuditAction.CREATE).count(),
        ) == before


def test_a_number_already_registered_in_the_municipality_is_refused(cast):
    per = cast.persons["Per"]
    response = cast.client("fjordvik-ke").post("/personer/ny/", _form(national_id=per.national_id))
    assert response.status_code == 200
    assert "allerede registrert" in response.content.decode()


def test_the_same_number_may_exist_in_another_municipality(cast):
    """Uniqueness is per municipality: each municipality keeps its own records."""
    per = cast.persons["Per"]
    response = cast.client("lidal-ke").post("/personer/ny/", _form(national_id=per.national_id))
    assert response.status_code == 302
    with municipality_scope(cast.municipalities["lidal"]):
        assert Person.objects.filter(national_id=per.national_id).exists()


def test_synthetic_numbers_are_refused_when_settings_do_not_allow_them(cast, settings):
    settings.ALLOW_SYNTHETIC_IDS = False
    with translation.override("nb"):
        response = cast.client("fjordvik-ke").post("/personer/ny/", _form())
    assert "Syntetiske testnumre kan ikke brukes her" in response.content.decode()


def test_lists_show_masked_numbers_and_the_person_page_the_whole_number(cast):
    per = cast.persons["Per"]
    client = cast.client("fjordvik-ke")
    listing = client.get("/personer/", {"q": "Olsen"}).content.decode()
    assert per.masked_id in listing
    assert per.national_id not in listing
    home = client.get("/").content.decode()
    assert per.national_id not in home
    detail = client.get(f"/personer/{per.uuid}/").content.decode()
    assert per.national_id in detail


def test_search_by_number_is_audited_with_the_number_masked(cast):
    per = cast.persons["Per"]
    cast.client("fjordvik-ke").get("/personer/", {"q": per.national_id})
    with unscoped():
        event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert event.detail["query"] == per.masked_id
    assert per.national_id not in str(event.detail)
    assert event.detail["hits"] == 1


def test_editing_records_which_fields_changed(cast):
    per = cast.persons["Per"]
    data = {
        "given_name": "Per",
        "family_name": "Olsen",
        "phone": "99999999",
        "email": "",
        "address": "",
        "preferred_language": "nb",
        "interpreter_needed": "on",
        "interpreter_language": "polsk",
    }
    response = cast.client("fjordvik-ke").post(f"/personer/{per.uuid}/endre/", data)
    assert response.status_code == 302
    with unscoped():
        per.refresh_from_db()
        event = AuditEvent.objects.filter(person=per, action=AuditAction.UPDATE).latest("id")
    assert per.phone == "99999999"
    assert per.interpreter_needed
    assert event.detail == {"fields": ["interpreter_language", "interpreter_needed", "phone"]}


def test_interpreter_needed_requires_a_language(cast):
    per = cast.persons["Per"]
    data = {
        "given_name": "Per",
        "family_name": "Olsen",
        "preferred_language": "nb",
        "interpreter_needed": "on",
    }
    response = cast.client("fjordvik-ke").post(f"/personer/{per.uuid}/endre/", data)
    assert response.status_code == 200
    with unscoped():
        per.refresh_from_db()
    assert not per.interpreter_needed


def test_access_log_shows_who_looked_and_the_person_can_read_their_own(cast):
    per = cast.persons["Per"]
    cast.client("fjordvik-ke").get(f"/personer/{per.uuid}/")
    page = cast.client("per").get(f"/personer/{per.uuid}/tilgangslogg/").content.decode()
    assert "Kari Koordinerende" in page


def test_a_guardian_of_a_minor_sees_the_childs_access_log_but_not_another_persons(cast):
    aron, klara = cast.persons["Aron"], cast.persons["Klara"]
    client = cast.client("aron-mor")
    assert client.get(f"/personer/{aron.uuid}/tilgangslogg/").status_code == 200
    assert client.get(f"/personer/{klara.uuid}/tilgangslogg/").status_code == 404
    assert "Aron Nilsen" in client.get("/min-side/").content.decode()


def test_a_too_long_search_says_so_also_in_the_htmx_partial(cast):
    response = cast.client("fjordvik-ke").get("/personer/", {"q": "x" * 101}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "100" in response.content.decode()  # Django's max_length message names the limit


def test_editing_form_shows_the_stored_name_after_an_invalid_post(cast):
    per = cast.persons["Per"]
    data = {
        "given_name": "Peder",
        "family_name": "Olsen",
        "preferred_language": "nb",
        "interpreter_needed": "on",
    }
    page = cast.client("fjordvik-ke").post(f"/personer/{per.uuid}/endre/", data).content.decode()
    assert "Endre Per Olsen" in page
    with unscoped():
        per.refresh_from_db()
    assert per.given_name == "Per"


def test_access_log_speaks_words_not_codes(cast):
    per = cast.persons["Per"]
    cast.client("fjordvik-ke").get(f"/personer/{per.uuid}/")
    page = cast.client("per").get(f"/personer/{per.uuid}/tilgangslogg/").content.decode()
    assert "Koordinerende enhet" in page
    assert "med fullt fødselsnummer" in page
    assert "ke_staff" not in page
    assert "person.identity" not in page

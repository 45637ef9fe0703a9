from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from oppfolging.accounts.models import Role
from oppfolging.core.tenancy import unscoped
from oppfolging.lib import identity
from oppfolging.people.models import Person

pytestmark = pytest.mark.django_db


def _logins():
    out = StringIO()
    call_command("demo_logins", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_demo_logins_cover_every_role_in_both_municipalities(cast):
    logins = _logins()
    for municipality in ("Fjordvik kommune", "Lidal kommune"):
        roles = {role for login in logins if login["municipality"] == municipality for role in login["roles"]}
        assert {r.value for r in Role} <= roles, municipality
    by_name = {login["username"]: login for login in logins}
    assert by_name["sykehus"]["units"] == ["Fjellheim sykehus, medisinsk avdeling"]
    assert by_name["utenforstaaende"]["roles"] == []
    assert by_name["per"]["kind"] == "citizen"
    assert all(login["password"] for login in logins)


def test_demo_persons_carry_only_synthetic_numbers(cast):
    with unscoped():
        persons = list(Person.objects.all())
    assert {"Aron", "Emil", "Kari", "Martin", "Klara", "Per"} <= {p.given_name for p in persons}
    for person in persons:
        parsed = identity.parse(person.national_id, allow_synthetic=True)
        assert parsed.synthetic
        assert person.id_is_synthetic
        assert parsed.birth_date == person.birth_date
        with pytest.raises(identity.IdentityNumberError):
            identity.parse(person.national_id, allow_synthetic=False)


def test_demo_ages_match_the_stories(cast):
    ages = {name: person.age() for name, person in cast.persons.items()}
    assert ages["Aron"] == 5
    assert ages["Emil"] == 18
    assert ages["Kari"] == 36
    assert ages["Martin"] == 55
    assert ages["Klara"] == 80


def test_demo_runs_once(cast):
    out = StringIO()
    call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue()


def test_demo_refuses_where_synthetic_numbers_are_not_allowed(settings):
    from oppfolging.core.demo import DemoNotAllowedError, load_demo

    settings.ALLOW_SYNTHETIC_IDS = False
    with pytest.raises(DemoNotAllowedError):
        load_demo()

"""The risk demo: a small synthetic Fjordvik extract, imported and scored once, gives the demo
GP a short work-list, KE a longer one, and leaders a pyramid."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from oppfolging.core.tenancy import unscoped
from oppfolging.risk.demo import load_risk_demo
from oppfolging.risk.listed import listed
from oppfolging.risk.models import RiskSubject, ScoreBatch

pytestmark = pytest.mark.django_db


def _rows(response) -> list[str]:
    return re.findall(r'href="/risiko/person/([0-9a-f-]{36})/"', response.content.decode())


def test_the_demo_scores_fjordvik_once_and_fills_the_lists(cast, settings, tmp_path):
    settings.RISK_STORE_DIR = tmp_path
    assert load_risk_demo(persons=200)
    assert load_risk_demo(persons=200) is False
    with unscoped():
        batch = ScoreBatch.objects.get()
        assert batch.persons == RiskSubject.objects.count()
        assert sum(batch.pyramid["tiers"].values()) == batch.persons
        assert listed(batch).height > 0
    gp = cast.client("fjordvik-fastlege")
    mine = _rows(gp.get(reverse("risk:gp_list")))
    everyone = _rows(cast.client("fjordvik-ke").get(reverse("risk:ke_list")))
    assert 0 < len(mine) < len(everyone)
    page = gp.get(reverse("risk:subject", args=[mine[0]]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Opplysningene bak beregningen" in text
    assert "Alt som inngikk i beregningen" in text  # from the batch's file of every score
    assert cast.client("fjordvik-leder").get(reverse("risk:population")).status_code == 200

"""The model pages through the real views: the list with the default marked, the detail with
figures, chart and deciles, the decisions, and a fixed number of queries for the list."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppfolging.accounts.models import Role
from oppfolging.core.models import UnitKind
from oppfolging.risk.engine import ensure_default_model
from oppfolging.risk.models import ModelStatus
from oppfolging.risk.tests.test_fitting_support import proposed_version, staff

pytestmark = pytest.mark.django_db

NOT_VALIDATED = "Standardvekter \N{EN DASH} ikke validert lokalt"


def test_the_list_marks_the_default_and_shows_fitted_figures(cast):
    version = proposed_version(cast.municipalities["fjordvik"], created_by=cast.users["fjordvik-ke"])
    lidal = proposed_version(cast.municipalities["lidal"])
    response = cast.client("fjordvik-leder").get(reverse("risk:models"))
    assert response.status_code == 200
    html = response.content.decode()
    assert NOT_VALIDATED in html
    assert ensure_default_model().name in html
    assert version.name in html
    assert str(version.uuid) in html
    assert str(lidal.uuid) not in html
    assert f"{version.metrics['fitted']['c_statistic']:.3f}".replace(".", ",") in html
    assert "Venter på godkjenning" in html


def test_the_detail_shows_figures_chart_deciles_and_weights(cast):
    version = proposed_version(cast.municipalities["fjordvik"], created_by=cast.users["fjordvik-ke"])
    response = cast.client("fjordvik-leder").get(reverse("risk:model_detail", args=[version.uuid]))
    assert response.status_code == 200
    html = response.content.decode()
    svg = re.search(r"<svg class=\"app-chart__svg\"[^>]*>.*?</svg>", html, re.S)
    assert svg is not None
    assert 'role="img"' in svg.group(0)
    assert "<title id=" in svg.group(0)
    assert "<desc id=" in svg.group(0)
    table = html.split('aria-describedby="deciles-caption"', 1)[1].split("</table>", 1)[0]
    assert table.count('<th scope="row">') == 10
    assert "Vektene i ord" in html
    assert "c-statistikk (95 % KI)" in html
    # The demo leader leads no coordinating unit: told so, no forms.
    assert "Bare koordinerende enhet" in html
    assert reverse("risk:model_approve", args=[version.uuid]) not in html


def test_the_default_page_says_it_is_not_validated_locally(cast):
    response = cast.client("fjordvik-ke").get(
        reverse("risk:model_detail", args=[ensure_default_model().uuid])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert NOT_VALIDATED in html
    assert reverse("risk:model_approve", args=[ensure_default_model().uuid]) not in html


def test_another_ke_member_approves_through_the_page(cast):
    version = proposed_version(cast.municipalities["fjordvik"], created_by=cast.users["fjordvik-ke"])
    staff(cast, "ke-to", unit_kind=UnitKind.COORDINATING_UNIT, role=Role.KE_STAFF)
    client = cast.client("ke-to")
    page = client.get(reverse("risk:model_detail", args=[version.uuid])).content.decode()
    assert reverse("risk:model_approve", args=[version.uuid]) in page
    response = client.post(
        reverse("risk:model_approve", args=[version.uuid]), {"approve-note": "Ser bra ut."}
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == ModelStatus.APPROVED
    assert version.decision_note == "Ser bra ut."


def test_the_fitter_is_refused_through_the_page(cast):
    version = proposed_version(cast.municipalities["fjordvik"], created_by=cast.users["fjordvik-ke"])
    client = cast.client("fjordvik-ke")
    page = client.get(reverse("risk:model_detail", args=[version.uuid])).content.decode()
    assert "fire øyne" in page
    response = client.post(reverse("risk:model_approve", args=[version.uuid]), {"approve-note": ""})
    assert response.status_code == 200
    assert "fire øyne" in response.content.decode()
    version.refresh_from_db()
    assert version.status == ModelStatus.PROPOSED


def test_a_rejection_without_a_reason_is_shown_as_an_error(cast):
    version = proposed_version(cast.municipalities["fjordvik"], created_by=cast.users["fjordvik-ke"])
    staff(cast, "ke-to", unit_kind=UnitKind.COORDINATING_UNIT, role=Role.KE_STAFF)
    client = cast.client("ke-to")
    response = client.post(reverse("risk:model_reject", args=[version.uuid]), {"reject-note": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Skriv hvorfor modellen avvises." in html
    assert 'aria-describedby="id_reject-note_error"' in html or "id_reject-note_error" in html
    version.refresh_from_db()
    assert version.status == ModelStatus.PROPOSED
    response = client.post(
        reverse("risk:model_reject", args=[version.uuid]), {"reject-note": "For lite data."}
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == ModelStatus.REJECTED


def test_another_municipalitys_model_is_missing(cast):
    version = proposed_version(cast.municipalities["fjordvik"], created_by=cast.users["fjordvik-ke"])
    client = cast.client("lidal-ke")
    assert client.get(reverse("risk:model_detail", args=[version.uuid])).status_code == 404
    assert client.post(reverse("risk:model_approve", args=[version.uuid])).status_code == 404
    version.refresh_from_db()
    assert version.status == ModelStatus.PROPOSED


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_a_fixed_number_of_queries(cast):
    fjordvik = cast.municipalities["fjordvik"]
    client = cast.client("fjordvik-ke")
    url = reverse("risk:models")
    client.get(url)  # warm up: session, the default model
    proposed_version(fjordvik, created_by=cast.users["fjordvik-ke"])
    small = _count(client, url)
    for seed in range(2, 8):
        proposed_version(
            fjordvik, created_by=cast.users["fjordvik-leder"], seed=seed, status=ModelStatus.RETIRED
        )
    proposed_version(fjordvik, created_by=cast.users["fjordvik-leder"], status=ModelStatus.APPROVED)
    large = _count(client, url)
    assert large == small, f"{small} queries with one version, {large} with eight"

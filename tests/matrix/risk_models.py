"""Model versions of the admission-risk model: KE staff and leaders of the municipality see the
shipped default and their own municipality's fitted versions; a fitted version of another
municipality is missing (404). Approve and reject are POST only (405 on GET to those who pass the
route's rule; who may decide is the service's rule, tested in oppfolging/risk/tests)."""

from __future__ import annotations

from typing import Any

from tests.matrix import Case, only

FJORDVIK_READERS = ["fjordvik-ke", "fjordvik-leder"]
READERS = [*FJORDVIK_READERS, "lidal-ke"]


def default_model(cast: Any) -> dict[str, Any]:
    from oppfolging.risk.engine import ensure_default_model

    return {"version_uuid": ensure_default_model().uuid}


def fjordvik_model(cast: Any) -> dict[str, Any]:
    from oppfolging.risk.tests.test_fitting_support import proposed_version

    return {"version_uuid": proposed_version(cast.municipalities["fjordvik"]).uuid}


ENTRIES: dict[str, list[Case]] = {
    "risk:models": [Case("list", expect=only(READERS))],
    "risk:model_detail": [
        Case("shipped default", default_model, expect=only(READERS)),
        Case("Fjordvik's fitted version", fjordvik_model, expect=only(FJORDVIK_READERS)),
    ],
    # POST-only routes: a GET is refused by method before any lookup, so 405 reveals nothing.
    "risk:model_approve": [Case("POST only", fjordvik_model, expect=only(READERS, 405))],
    "risk:model_reject": [Case("POST only", fjordvik_model, expect=only(READERS, 405))],
}

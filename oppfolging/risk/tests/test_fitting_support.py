"""Builders for the model tests and the permission matrix: a fitted version with real figures
(fitted on a small random frame over the engine's features, so the numbers have the shape a real
fit stores), without running the engine on an extract."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
import polars as pl
from django.db.models import Max

from oppfolging.core.models import Municipality
from oppfolging.risk import fitting
from oppfolging.risk.models import ModelKind, ModelStatus, RiskModelVersion

YEAR_END = datetime.date(2024, 12, 31)


def random_history(n: int = 3000, seed: int = 1) -> pl.DataFrame:
    """A frame over ``engine.FEATURES`` with an outcome that depends on them."""
    from oppfolging.risk.admission import BINARY_FEATURES
    from oppfolging.risk.engine import FEATURES

    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {"national_id": [f"{i:011d}" for i in range(n)]}
    z = np.full(n, -2.5)
    for index, feature in enumerate(FEATURES):
        if feature in BINARY_FEATURES:
            values = (rng.random(n) < 0.1 + 0.05 * (index % 3)).astype(float)
        else:
            values = rng.poisson(1.0 + index % 3, n).astype(float)
        columns[feature] = values
        z += (0.3 if index % 2 == 0 else 0.05) * (values - values.mean())
    frame = pl.DataFrame(columns)
    outcome = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(np.int8)
    return frame.with_columns(pl.Series(fitting.OUTCOME, outcome))


def proposed_version(
    municipality: Municipality,
    *,
    created_by: Any = None,
    status: str = ModelStatus.PROPOSED,
    seed: int = 1,
) -> RiskModelVersion:
    from oppfolging.risk.engine import FEATURES, ensure_default_model
    from oppfolging.risk.model_services import weights_of

    default = ensure_default_model()
    result = fitting.fit_frame(
        random_history(seed=seed),
        features=FEATURES,
        default=weights_of(default),
        year_end=YEAR_END,
        seed=seed,
    )
    number = (
        RiskModelVersion.objects.filter(municipality=municipality).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    return RiskModelVersion.objects.create(
        municipality=municipality,
        name=f"Tilpasset modell {number}",
        number=number,
        kind=ModelKind.FITTED,
        status=status,
        weights={"intercept": result.intercept, "coefficients": result.coefficients},
        metrics={**result.metrics_json(), "default_version": str(default.uuid)},
        sources="Testdata.",
        created_by=created_by,
    )


def staff(cast: Any, username: str, *, unit_kind: str, role: str, town: str = "fjordvik") -> Any:
    """A new staff user with ``role`` in the town's unit of ``unit_kind`` (a second KE member, a
    leader of the coordinating unit)."""
    from oppfolging.accounts.models import Membership, User
    from oppfolging.core.models import Unit
    from oppfolging.core.tenancy import unscoped

    with unscoped():
        user = User.objects.create_user(username, f"{username}@demo.invalid", "irrelevant-password-1")
        unit = Unit.objects.get(municipality=cast.municipalities[town], kind=unit_kind)
        Membership.objects.create(user=user, unit=unit, role=role)
    cast.users[username] = user
    return user

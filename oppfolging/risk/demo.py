"""The risk demo: a small synthetic Fjordvik extract, imported (so a person's page shows the
data behind the scores) and scored by the engine's batch with the shipped default weights, so
that the GP's and KE's work-lists, a person's page and the risk pyramid have something to show.

Run at the end of the pathway demo (:func:`oppfolging.core.demo.load_demo`) and only once:
nothing is written when Fjordvik already has a scoring. The persons are invented by
:mod:`oppfolging.risk.synthetic` (synthetic numbers, month + 80); every third of them has the
demo GP (``fjordvik-fastlege``) as their GP.
"""

from __future__ import annotations

import datetime
import tempfile

import polars as pl
from django.utils import timezone

from oppfolging.core.models import Municipality
from oppfolging.core.tenancy import unscoped
from oppfolging.risk import synthetic
from oppfolging.risk.batch import run_batch
from oppfolging.risk.extract import Extract, write_extract
from oppfolging.risk.importing import import_extract
from oppfolging.risk.models import ScoreBatch

FJORDVIK_NUMBER = "9901"
DEMO_GP_HPR = "9144001"  # fjordvik-fastlege (oppfolging.core.demo.HPR_NUMBERS)
PERSONS = 400
SEED = 2026


def _with_demo_gp(extract: Extract) -> Extract:
    """Every third person gets the demo GP."""
    persons = extract.persons.with_row_index("_row").with_columns(
        pl.when(pl.col("_row") % 3 == 0).then(pl.lit(DEMO_GP_HPR)).otherwise(pl.col("gp_hpr")).alias("gp_hpr")
    )
    return Extract(
        persons=persons.drop("_row"),
        diagnoses=extract.diagnoses,
        medicines=extract.medicines,
        contacts=extract.contacts,
        services=extract.services,
    )


def load_risk_demo(*, today: datetime.date | None = None, persons: int = PERSONS) -> bool:
    """Import and score Fjordvik's synthetic extract (the Parquet file of every person's
    scores goes under ``RISK_STORE_DIR``). ``False`` (and nothing written) when Fjordvik is
    missing or already scored."""
    with unscoped():
        municipality = Municipality.objects.filter(number=FJORDVIK_NUMBER).first()
        if municipality is None or ScoreBatch.objects.filter(municipality=municipality).exists():
            return False
        today = today or timezone.localdate()
        extract = _with_demo_gp(
            synthetic.generate(persons, seed=SEED, end=today - datetime.timedelta(days=1))
        )
        with tempfile.TemporaryDirectory() as folder:
            write_extract(extract, folder, format="parquet")
            result = import_extract(municipality=municipality, path=folder)
        if not result.ok:
            raise RuntimeError(f"the risk demo's extract did not import: {result.errors[:3]}")
        run_batch(municipality=municipality, as_of=today, progress=False)
    return True

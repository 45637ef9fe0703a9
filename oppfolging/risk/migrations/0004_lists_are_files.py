"""A batch's listed persons move from ``RiskScore`` rows to a Parquet file beside the batch's file
of everyone (``listed.py``): a population batch no longer writes a row per listed person. Each
existing batch's rows are written to its list file first, so no list is lost."""

import json
import uuid
from pathlib import Path

from django.conf import settings
from django.db import migrations


def write_lists(apps, schema_editor):
    import polars as pl

    from oppfolging.risk.listed import LIST_SCHEMA, SUFFIX, write_list

    ScoreBatch = apps.get_model("risk", "ScoreBatch")
    RiskScore = apps.get_model("risk", "RiskScore")
    Municipality = apps.get_model("core", "Municipality")
    fields = ("national_id", "birth_date", "sex", "gp_hpr")
    for batch in ScoreBatch._base_manager.all():
        rows = RiskScore._base_manager.filter(batch_id=batch.pk).values_list(
            *(f"subject__{name}" for name in fields),
            "admission_risk",
            "frailty_index",
            "frailty_band",
            "tier",
            "factors",
            "flags",
            "data_hash",
        )
        if not rows:
            continue
        if not batch.path:
            number = Municipality._base_manager.get(pk=batch.municipality_id).number
            batch.path = f"{number}/{uuid.uuid4()}.parquet"
            batch.save(update_fields=["path"])
        frame = pl.DataFrame(
            [
                (
                    *row[:8],
                    json.dumps(row[8], ensure_ascii=False),
                    json.dumps(row[9], ensure_ascii=False),
                    row[10],
                )
                for row in rows
            ],
            schema=LIST_SCHEMA,
            orient="row",
        )
        everyone = Path(batch.path)
        target = Path(settings.RISK_STORE_DIR) / everyone.with_name(
            everyone.name.removesuffix(".parquet") + SUFFIX
        )
        write_list(target, frame)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_labels"),
        ("risk", "0003_subject_person_index_where_set"),
    ]

    operations = [
        migrations.RunPython(write_lists, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="RiskScore"),
    ]

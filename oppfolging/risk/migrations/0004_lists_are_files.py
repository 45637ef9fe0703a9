"""A batch's listed persons move from ``RiskScore`` rows to a Parquet file beside the batch's file
of everyone (``listed.py``): a population batch no longer writes a row per listed person. Each
existing batch's rows are written to its list file first, so no list is lost."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import migrations


def write_lists(apps, schema_editor):
    import polars as pl

    from oppfolging.risk.flags import KEYS
    from oppfolging.risk.listed import SUFFIX, write_list

    ScoreBatch = apps.get_model("risk", "ScoreBatch")
    RiskScore = apps.get_model("risk", "RiskScore")
    Municipality = apps.get_model("core", "Municipality")
    fields = ("national_id", "birth_date", "sex", "gp_hpr")
    scored = ("admission_risk", "frailty_index", "frailty_band", "tier", "data_hash")
    for batch in ScoreBatch._base_manager.all():
        rows = list(
            RiskScore._base_manager.filter(batch_id=batch.pk).values(
                *(f"subject__{name}" for name in fields), *scored, "factors", "flags"
            )
        )
        if not rows:
            continue
        if not batch.path:
            number = Municipality._base_manager.get(pk=batch.municipality_id).number
            batch.path = f"{number}/{uuid.uuid4()}.parquet"
            batch.save(update_fields=["path"])
        frame = pl.DataFrame(
            [
                {
                    **{name: row[f"subject__{name}"] for name in fields},
                    **{name: row[name] for name in scored},
                    "factors": [
                        {
                            "feature": f.get("feature"),
                            "value": f.get("value"),
                            "contribution": f.get("contribution"),
                        }
                        for f in row["factors"] or []
                    ],
                    # The flags' numbers were not kept: their reasons are left out when shown.
                    "flag_mask": sum(
                        1 << KEYS.index(f["key"]) for f in row["flags"] or [] if f.get("key") in KEYS
                    ),
                }
                for row in rows
            ]
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

"""RiskScore rows carry the extract's person fields themselves and lose their UUID and times: a
population batch stores one row per scored person instead of two (a subject and a score), and
subjects are created when a list shows a person or someone acts on them. Existing scores keep
their persons' fields, copied from their subjects."""

from django.db import migrations, models

COPY = """
UPDATE risk_riskscore SET
    national_id = (SELECT s.national_id FROM risk_risksubject s WHERE s.id = risk_riskscore.subject_id),
    birth_date = (SELECT s.birth_date FROM risk_risksubject s WHERE s.id = risk_riskscore.subject_id),
    sex = (SELECT s.sex FROM risk_risksubject s WHERE s.id = risk_riskscore.subject_id),
    gp_hpr = (SELECT s.gp_hpr FROM risk_risksubject s WHERE s.id = risk_riskscore.subject_id)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_labels"),
        ("risk", "0003_subject_person_index_where_set"),
    ]

    operations = [
        migrations.AddField(
            model_name="riskscore",
            name="national_id",
            field=models.CharField(default="", max_length=11, verbose_name="fødselsnummer / D-nummer"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="riskscore",
            name="birth_date",
            field=models.DateField(null=True, verbose_name="fødselsdato"),
        ),
        migrations.AddField(
            model_name="riskscore",
            name="sex",
            field=models.CharField(default="", max_length=6, verbose_name="kjønn"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="riskscore",
            name="gp_hpr",
            field=models.CharField(
                blank=True, default="", max_length=9, verbose_name="fastlegens HPR-nummer"
            ),
            preserve_default=False,
        ),
        migrations.RunSQL(COPY, migrations.RunSQL.noop),
        migrations.RemoveConstraint(model_name="riskscore", name="risk_score_once_per_batch"),
        migrations.RemoveField(model_name="riskscore", name="subject"),
        migrations.RemoveField(model_name="riskscore", name="uuid"),
        migrations.RemoveField(model_name="riskscore", name="created_at"),
        migrations.RemoveField(model_name="riskscore", name="updated_at"),
        migrations.AlterField(
            model_name="riskscore",
            name="birth_date",
            field=models.DateField(verbose_name="fødselsdato"),
        ),
        migrations.AddConstraint(
            model_name="riskscore",
            constraint=models.UniqueConstraint(
                fields=("batch", "national_id"), name="risk_score_once_per_batch"
            ),
        ),
    ]

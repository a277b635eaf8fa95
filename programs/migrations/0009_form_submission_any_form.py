"""One-time tokens for every form that changes something, not only those about one session."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0008_assignment_no_overlap"),
    ]

    operations = [
        migrations.AlterField(
            model_name="formsubmission",
            name="session",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programs.laboursession",
                verbose_name="labour session",
            ),
        ),
        migrations.AddField(
            model_name="formsubmission",
            name="digest",
            field=models.CharField(blank=True, max_length=64, verbose_name="content digest"),
        ),
        migrations.AddField(
            model_name="formsubmission",
            name="result",
            field=models.JSONField(blank=True, default=dict, verbose_name="result"),
        ),
    ]

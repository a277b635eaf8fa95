# Role kind "host": a commune's committee reads the sessions held in its villages.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0005_report_settings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="role",
            name="role_target_matches_kind",
        ),
        migrations.AlterField(
            model_name="role",
            name="kind",
            field=models.CharField(
                choices=[
                    ("officer", "officer"),
                    ("viewer", "viewer"),
                    ("secretary", "cell secretary"),
                    ("host", "host commune (reads sessions held in its villages)"),
                ],
                max_length=10,
                verbose_name="role",
            ),
        ),
        migrations.AddConstraint(
            model_name="role",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("cell__isnull", True),
                        ("committee__isnull", False),
                        ("kind__in", ["officer", "viewer", "host"]),
                    ),
                    models.Q(
                        ("cell__isnull", False), ("committee__isnull", True), ("kind", "secretary")
                    ),
                    _connector="OR",
                ),
                name="role_target_matches_kind",
            ),
        ),
    ]

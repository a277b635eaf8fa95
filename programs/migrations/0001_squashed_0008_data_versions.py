"""The schema of the programs app: the models' tables, and three things the models cannot
declare, made by the last operations.

- The periods of one cell's assignments under one directive may not overlap. On PostgreSQL the
  database itself refuses an overlap, whatever path writes it (admin, shell, import, two
  requests at once): an exclusion constraint over the cell, the directive and the period
  (btree_gist lets the integer columns take part in the GiST index). It does not fit in
  ``Assignment.Meta`` because SQLite has no such constraint, so ``makemigrations`` does not see
  it. SQLite relies on ``Assignment.clean()`` alone: triggers would do there, but Django
  rebuilds an SQLite table for most later alterations and the triggers would vanish with the
  old table. The check is deferred to the end of the transaction: the cell's admin page saves
  its rows one after the other (newest first), so closing the old assignment and moving the new
  one's start in one save passes through a moment where the two overlap. Only the committed
  result counts.
- The triggers that list a (cell, month) in ``RollupDirty`` when a confirmed session, its
  attendance or its village's former names change (``programs.rollup_triggers``; a later
  migration that alters those tables must drop and recreate them, as that module says).
- The table of the database cache (``settings.CACHES``), so that ``migrate`` is the only
  install step.

The migrations up to 5 December 2026 were squashed into this one (the work types stay in
``0002_seed_work_types``) before any production database existed. ``replaces`` keeps a database
migrated by them, and their backups, working. A database that an older checkout left partway
through them is refused by the check in ``programs.checks``: Django cannot use this migration
for it, and would otherwise see nothing to do.

The constraints and indexes sit in their models' ``CreateModel`` options, except the five that
name a foreign key added later in the list. Django's squash listed them as 53 operations after
the models; each made Django render the models again (and SQLite copy the whole table), which
added about 1.3 seconds to every ``migrate`` of an empty database: each test run's first
seconds, on every worker. The tables, constraints and indexes made are the same, compared on
both databases.
"""

import datetime
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.math
import django.db.models.lookups
import programs.models.organisations
import programs.models.sessions
from decimal import Decimal
from django.conf import settings
from django.core.management import call_command
from django.db import migrations, models

from programs import rollup_triggers

NO_OVERLAP = "assignment_no_overlap"


def add_no_overlap(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE programs_assignment ADD CONSTRAINT {NO_OVERLAP} EXCLUDE USING gist ("
        "cell_id WITH =, directive_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def remove_no_overlap(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE programs_assignment DROP CONSTRAINT IF EXISTS {NO_OVERLAP}"
        )


def create_triggers(apps, schema_editor):
    rollup_triggers.create_triggers(schema_editor)


def drop_triggers(apps, schema_editor):
    rollup_triggers.drop_triggers(schema_editor)


def create_cache_table(apps, schema_editor):
    # An existing table is left as it is.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True

    # The migrations this one squashed: a database migrated by them is up to date, and a
    # backup whose manifest names the last of them restores (programs.backup).
    replaces = [
        ("programs", "0001_initial"),
        ("programs", "0003_issued_reports"),
        ("programs", "0004_villager_opinions"),
        ("programs", "0005_monthly_rollups"),
        ("programs", "0006_notifications"),
        ("programs", "0007_news_drafts"),
        ("programs", "0008_data_versions"),
    ]

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "connection_key",
                    models.CharField(
                        max_length=32, primary_key=True, serialize=False, verbose_name="connection"
                    ),
                ),
                ("token", models.CharField(max_length=32, verbose_name="token")),
                ("changed_at", models.DateTimeField(verbose_name="changed at")),
            ],
            options={
                "verbose_name": "data version",
                "verbose_name_plural": "data versions",
            },
        ),
        migrations.CreateModel(
            name="District",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "search_name",
                    models.CharField(
                        db_index=True,
                        default="",
                        editable=False,
                        max_length=255,
                        verbose_name="search name",
                    ),
                ),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="valid from")),
                (
                    "valid_until",
                    models.DateField(
                        blank=True,
                        help_text="Leave empty while the unit still exists.",
                        null=True,
                        verbose_name="valid until",
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("huyen", "rural district"),
                            ("thi_xa", "town"),
                            ("thanh_pho", "city"),
                            ("quan", "urban district"),
                        ],
                        default="huyen",
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("code", models.CharField(blank=True, max_length=10, verbose_name="official code")),
            ],
            options={
                "verbose_name": "district",
                "verbose_name_plural": "districts",
                "ordering": ["province__name", "name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("valid_until__isnull", True),
                            ("valid_until__gte", models.F("valid_from")),
                            _connector="OR",
                        ),
                        name="district_valid_period",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Member",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "search_name",
                    models.CharField(
                        db_index=True,
                        default="",
                        editable=False,
                        max_length=255,
                        verbose_name="search name",
                    ),
                ),
                ("full_name", models.CharField(max_length=120, verbose_name="full name")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("official", "official"),
                            ("civil_servant", "civil servant"),
                            ("public_employee", "public employee"),
                            ("worker", "worker"),
                            ("armed_forces", "armed forces"),
                            ("front_cadre", "Front / mass-organisation cadre"),
                        ],
                        max_length=20,
                        verbose_name="category",
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("province", "province level"),
                            ("district", "district level"),
                            ("commune", "commune level"),
                        ],
                        max_length=10,
                        verbose_name="level",
                    ),
                ),
                ("is_party_member", models.BooleanField(default=True, verbose_name="party member")),
                (
                    "organisation",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="agency or organisation"
                    ),
                ),
                ("position", models.CharField(blank=True, max_length=120, verbose_name="position")),
                ("phone", models.CharField(blank=True, max_length=30, verbose_name="phone")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email")),
                (
                    "distinguishing_note",
                    models.CharField(
                        blank=True,
                        help_text="Tells apart two members of the same name in one cell (year of birth…).",
                        max_length=60,
                        verbose_name="distinguishing note",
                    ),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "member",
                "verbose_name_plural": "members",
                "ordering": ["full_name"],
            },
        ),
        migrations.CreateModel(
            name="PartyCell",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "search_name",
                    models.CharField(
                        db_index=True,
                        default="",
                        editable=False,
                        max_length=255,
                        verbose_name="search name",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[("agency", "agency cell"), ("village", "village cell")],
                        default="agency",
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "party cell",
                "verbose_name_plural": "party cells",
                "ordering": ["committee__name", "name"],
            },
        ),
        migrations.CreateModel(
            name="WorkType",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "name",
                    models.CharField(max_length=120, unique=True, verbose_name="name (Vietnamese)"),
                ),
                (
                    "name_en",
                    models.CharField(blank=True, max_length=120, verbose_name="name (English)"),
                ),
                (
                    "default_unit",
                    models.CharField(
                        choices=[
                            ("m", "m"),
                            ("km", "km"),
                            ("m2", "m²"),
                            ("m3", "m³"),
                            ("ha", "ha"),
                            ("house", "house"),
                            ("household", "household"),
                            ("works", "works"),
                            ("tree", "tree"),
                            ("pole", "pole"),
                            ("workday", "workday"),
                            ("session", "session"),
                            ("person", "person"),
                            ("opinion", "opinion"),
                            ("gift", "gift"),
                            ("vnd", "VND"),
                        ],
                        max_length=10,
                        verbose_name="default unit",
                    ),
                ),
                ("sort_order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "work type",
                "verbose_name_plural": "work types",
                "ordering": ["sort_order", "name"],
            },
        ),
        migrations.CreateModel(
            name="CalendarFeed",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        default=programs.models.organisations._new_feed_token,
                        max_length=64,
                        unique=True,
                        verbose_name="token",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="calendar_feed",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "calendar feed",
                "verbose_name_plural": "calendar feeds",
            },
        ),
        migrations.CreateModel(
            name="Directive",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "search_name",
                    models.CharField(
                        db_index=True,
                        default="",
                        editable=False,
                        max_length=255,
                        verbose_name="search name",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("DA", "scheme (Đề án)"),
                            ("KH", "plan (Kế hoạch)"),
                            ("CT", "directive (Chỉ thị)"),
                            ("NQ", "resolution (Nghị quyết)"),
                            ("HD", "guidance (Hướng dẫn)"),
                            ("QD", "decision (Quyết định)"),
                            ("KL", "conclusion (Kết luận)"),
                            ("CTr", "programme (Chương trình)"),
                        ],
                        max_length=4,
                        verbose_name="kind",
                    ),
                ),
                (
                    "number",
                    models.CharField(
                        help_text="For example: 02", max_length=20, verbose_name="number"
                    ),
                ),
                (
                    "symbol",
                    models.CharField(
                        help_text="The full sign, for example: 02-ĐA/TU",
                        max_length=40,
                        verbose_name="symbol",
                    ),
                ),
                (
                    "issuing_body",
                    models.CharField(
                        help_text="For example: Ban Thường vụ Tỉnh ủy",
                        max_length=200,
                        verbose_name="issuing body",
                    ),
                ),
                ("issued_on", models.DateField(verbose_name="issue date")),
                ("title", models.CharField(max_length=500, verbose_name="title")),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("effective_from", models.DateField(verbose_name="effective from")),
                (
                    "effective_until",
                    models.DateField(
                        blank=True,
                        help_text="Leave empty if open-ended.",
                        null=True,
                        verbose_name="effective until",
                    ),
                ),
                (
                    "attachment",
                    models.FileField(
                        blank=True, upload_to="directives/%Y/", verbose_name="attached file"
                    ),
                ),
                (
                    "sessions_per_month",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="How many labour sessions each cell holds in a month.",
                        verbose_name="sessions per month",
                    ),
                ),
                (
                    "allowed_weekdays",
                    models.PositiveSmallIntegerField(
                        default=96,
                        help_text="The days of the week on which sessions may be held.",
                        verbose_name="allowed days of the week",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        help_text="The higher document this one implements.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="programs.directive",
                        verbose_name="implements",
                    ),
                ),
            ],
            options={
                "verbose_name": "directive",
                "verbose_name_plural": "directives",
                "ordering": ["-issued_on", "symbol"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("symbol", "issued_on"), name="directive_unique_symbol"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("effective_until__isnull", True),
                            ("effective_until__gte", models.F("effective_from")),
                            _connector="OR",
                        ),
                        name="directive_effective_period",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("sessions_per_month__gte", 1), ("sessions_per_month__lte", 8)
                        ),
                        name="directive_sessions_per_month_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("allowed_weekdays__gte", 1), ("allowed_weekdays__lte", 127)
                        ),
                        name="directive_allowed_weekdays_not_empty",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("parent", models.F("id")), _negated=True),
                        name="directive_not_own_parent",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Commune",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "search_name",
                    models.CharField(
                        db_index=True,
                        default="",
                        editable=False,
                        max_length=255,
                        verbose_name="search name",
                    ),
                ),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="valid from")),
                (
                    "valid_until",
                    models.DateField(
                        blank=True,
                        help_text="Leave empty while the unit still exists.",
                        null=True,
                        verbose_name="valid until",
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("xa", "commune"),
                            ("phuong", "ward"),
                            ("thi_tran", "township"),
                            ("dac_khu", "special zone"),
                        ],
                        default="xa",
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("code", models.CharField(blank=True, max_length=10, verbose_name="official code")),
                (
                    "successor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="predecessors",
                        to="programs.commune",
                        verbose_name="merged into",
                    ),
                ),
                (
                    "district",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty for communes directly under the province (since 1/7/2025).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="communes",
                        to="programs.district",
                        verbose_name="district",
                    ),
                ),
            ],
            options={
                "verbose_name": "commune",
                "verbose_name_plural": "communes",
                "ordering": ["province__name", "name", "valid_from"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("code", ""), _negated=True),
                        fields=("code", "valid_from"),
                        name="commune_unique_code",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("valid_until__isnull", True),
                            ("valid_until__gte", models.F("valid_from")),
                            _connector="OR",
                        ),
                        name="commune_valid_period",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("successor", models.F("id")), _negated=True),
                        name="commune_not_own_successor",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LabourSession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("date", models.DateField(verbose_name="date")),
                (
                    "start_time",
                    models.TimeField(default=datetime.time(7, 30), verbose_name="start time"),
                ),
                (
                    "partner",
                    models.CharField(
                        blank=True,
                        help_text="For example: the village cell, or Đảng ủy xã Bình An.",
                        max_length=200,
                        verbose_name="partner",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "planned"),
                            ("held", "held"),
                            ("postponed", "postponed"),
                            ("cancelled", "cancelled"),
                        ],
                        default="planned",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "status_reason",
                    models.CharField(
                        blank=True,
                        help_text="Required when the session is postponed or cancelled.",
                        max_length=500,
                        verbose_name="reason",
                    ),
                ),
                (
                    "other_village_reason",
                    models.CharField(
                        blank=True,
                        help_text="Required when the village is not the one assigned to the cell.",
                        max_length=500,
                        verbose_name="reason for another village",
                    ),
                ),
                ("planned_work", models.TextField(blank=True, verbose_name="planned work")),
                (
                    "notes",
                    models.TextField(
                        blank=True,
                        help_text="Villagers' opinions and requests heard.",
                        verbose_name="notes",
                    ),
                ),
                (
                    "unlisted_commune_cadres",
                    models.PositiveIntegerField(
                        default=0, verbose_name="commune cadres (not listed)"
                    ),
                ),
                (
                    "unlisted_armed_forces",
                    models.PositiveIntegerField(
                        default=0, verbose_name="armed forces (not listed)"
                    ),
                ),
                (
                    "unlisted_villagers",
                    models.PositiveIntegerField(default=0, verbose_name="villagers"),
                ),
                (
                    "log_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "not logged yet"),
                            ("draft", "draft"),
                            ("submitted", "waiting for confirmation"),
                            ("returned", "returned for correction"),
                            ("confirmed", "confirmed"),
                        ],
                        default="",
                        max_length=10,
                        verbose_name="log status",
                    ),
                ),
                (
                    "log_submitted_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="log submitted at"),
                ),
                (
                    "log_confirmed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="log confirmed at"),
                ),
                (
                    "review_comment",
                    models.TextField(
                        blank=True,
                        help_text="Why the log was returned for correction.",
                        verbose_name="officer's comment",
                    ),
                ),
                (
                    "version",
                    models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "directive",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sessions",
                        to="programs.directive",
                        verbose_name="directive",
                    ),
                ),
                (
                    "log_confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="log confirmed by",
                    ),
                ),
                (
                    "log_submitted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="log submitted by",
                    ),
                ),
                (
                    "rescheduled_from",
                    models.OneToOneField(
                        blank=True,
                        help_text="The postponed session this one replaces.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rescheduled_as",
                        to="programs.laboursession",
                        verbose_name="rescheduled from",
                    ),
                ),
                (
                    "cell",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sessions",
                        to="programs.partycell",
                        verbose_name="organising cell",
                    ),
                ),
            ],
            options={
                "verbose_name": "labour session",
                "verbose_name_plural": "labour sessions",
                "ordering": ["-date", "start_time"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("status__in", ["postponed", "cancelled"]),
                                models.Q(("status_reason", ""), _negated=True),
                            ),
                            models.Q(("status__in", ["planned", "held"]), ("status_reason", "")),
                            _connector="OR",
                        ),
                        name="session_reason_matches_status",
                        violation_error_message="A postponed or cancelled session needs a reason; other sessions keep none.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("status__in", ["planned", "held"])),
                        fields=("cell", "date"),
                        name="session_one_per_cell_per_day",
                        violation_error_message="One session per cell per day: this cell already has a session on that date.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("log_status__in", ["submitted", "confirmed"]), _negated=True),
                            ("status", "held"),
                            _connector="OR",
                        ),
                        name="session_submitted_log_is_held",
                        violation_error_message="Only a session that was held can have a submitted or confirmed log.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("log_status", "confirmed"), _negated=True),
                            ("log_confirmed_at__isnull", False),
                            _connector="OR",
                        ),
                        name="session_confirmed_log_has_time",
                    ),
                ],
                "indexes": [
                    models.Index(fields=["date", "status"], name="session_date_status_idx"),
                    models.Index(
                        fields=["log_status", "log_submitted_at"], name="session_log_review_idx"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="FormSubmission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.UUIDField(unique=True, verbose_name="token")),
                (
                    "digest",
                    models.CharField(blank=True, max_length=64, verbose_name="content digest"),
                ),
                ("result", models.JSONField(blank=True, default=dict, verbose_name="result")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programs.laboursession",
                        verbose_name="labour session",
                    ),
                ),
            ],
            options={
                "verbose_name": "form submission",
                "verbose_name_plural": "form submissions",
            },
        ),
        migrations.CreateModel(
            name="Attendance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "workdays",
                    models.DecimalField(
                        decimal_places=1,
                        default=Decimal("1"),
                        max_digits=3,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("0.5"), "At least half a workday (0.5)."
                            ),
                            django.core.validators.MaxValueValidator(
                                Decimal("3"), "At most 3 workdays for one person."
                            ),
                            django.core.validators.StepValueValidator(
                                Decimal("0.5"), "Count whole or half days: 0.5, 1, 1.5 … 3."
                            ),
                        ],
                        verbose_name="workdays",
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("official", "official"),
                            ("civil_servant", "civil servant"),
                            ("public_employee", "public employee"),
                            ("worker", "worker"),
                            ("armed_forces", "armed forces"),
                            ("front_cadre", "Front / mass-organisation cadre"),
                        ],
                        max_length=20,
                        verbose_name="category",
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("province", "province level"),
                            ("district", "district level"),
                            ("commune", "commune level"),
                        ],
                        max_length=10,
                        verbose_name="level",
                    ),
                ),
                ("is_party_member", models.BooleanField(default=True, verbose_name="party member")),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendances",
                        to="programs.laboursession",
                        verbose_name="labour session",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="attendances",
                        to="programs.member",
                        verbose_name="member",
                    ),
                ),
            ],
            options={
                "verbose_name": "attendance",
                "verbose_name_plural": "attendance",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("session", "member"),
                        name="attendance_unique_member_per_session",
                        violation_error_message="This person is already listed at this session.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("workdays__gte", Decimal("0.5")),
                            ("workdays__lte", Decimal("3")),
                            django.db.models.lookups.Exact(
                                django.db.models.functions.math.Mod(
                                    "workdays", models.Value(Decimal("0.5"))
                                ),
                                0,
                            ),
                        ),
                        name="attendance_workdays_range",
                        violation_error_message="Count whole or half days: 0.5, 1, 1.5 … 3.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="NotificationPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("session_reminder", "Reminder of a coming session"),
                            ("session_created", "A session was planned"),
                            ("session_moved", "A session was moved"),
                            ("session_postponed", "A session was postponed"),
                            ("session_cancelled", "A session was cancelled"),
                            ("log_late", "A session's log is late"),
                            ("log_late_escalated", "A cell's log is a week late"),
                            ("log_submitted", "A log waits for confirmation"),
                            ("log_returned", "A log was returned for correction"),
                            ("log_confirmed", "A log was confirmed"),
                            ("month_idle_cells", "Cells that held nothing last month"),
                        ],
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("email", "e-mail"),
                            ("inapp", "in the application"),
                            ("webpush", "phone notification"),
                        ],
                        max_length=10,
                        verbose_name="channel",
                    ),
                ),
                ("enabled", models.BooleanField(default=True, verbose_name="on")),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_preferences",
                        to="programs.member",
                        verbose_name="member",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_preferences",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "notification preference",
                "verbose_name_plural": "notification preferences",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("member__isnull", True), ("user__isnull", False)),
                            models.Q(("member__isnull", False), ("user__isnull", True)),
                            _connector="OR",
                        ),
                        name="notification_preference_one_person",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("user__isnull", False)),
                        fields=("user", "kind", "channel"),
                        name="notification_preference_unique_user",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("member__isnull", False)),
                        fields=("member", "kind", "channel"),
                        name="notification_preference_unique_member",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="member",
            name="cell",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="members",
                to="programs.partycell",
                verbose_name="party cell",
            ),
        ),
        migrations.CreateModel(
            name="PartyCommittee",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "search_name",
                    models.CharField(
                        db_index=True,
                        default="",
                        editable=False,
                        max_length=255,
                        verbose_name="search name",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("TU", "provincial committee (Tỉnh ủy)"),
                            ("HU", "district committee (Huyện ủy)"),
                            ("DU", "grassroots committee (Đảng ủy)"),
                            ("DUK", "agencies' committee (Đảng ủy khối)"),
                        ],
                        default="DU",
                        max_length=4,
                        verbose_name="kind",
                    ),
                ),
                (
                    "abbreviation",
                    models.CharField(
                        default="ĐU",
                        help_text="Used in document numbers, for example ĐU in “Số 15-BC/ĐU”.",
                        max_length=20,
                        verbose_name="document abbreviation",
                    ),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "commune",
                    models.ForeignKey(
                        blank=True,
                        help_text="For a commune's own committee: the commune it leads.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="committees",
                        to="programs.commune",
                        verbose_name="commune",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="programs.partycommittee",
                        verbose_name="superior committee",
                    ),
                ),
            ],
            options={
                "verbose_name": "party committee",
                "verbose_name_plural": "party committees",
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("parent", "name"), name="committee_unique_name"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("parent", models.F("id")), _negated=True),
                        name="committee_not_own_parent",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="partycell",
            name="committee",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cells",
                to="programs.partycommittee",
                verbose_name="party committee",
            ),
        ),
        migrations.CreateModel(
            name="NotificationRules",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "remind_days_before",
                    models.PositiveSmallIntegerField(
                        default=3,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="first reminder, days before the session",
                    ),
                ),
                (
                    "remind_again_days_before",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="second reminder, days before the session (in the morning)",
                    ),
                ),
                (
                    "late_log_days",
                    models.PositiveSmallIntegerField(
                        default=2,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="remind the secretary when no log, days after the session",
                    ),
                ),
                (
                    "escalate_days",
                    models.PositiveSmallIntegerField(
                        default=7,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="tell the officers when still no log, days after the session",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="updated by",
                    ),
                ),
                (
                    "committee",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_rules",
                        to="programs.partycommittee",
                        verbose_name="party committee",
                    ),
                ),
            ],
            options={
                "verbose_name": "reminder settings",
                "verbose_name_plural": "reminder settings",
            },
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=255, unique=True, verbose_name="key")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("session_reminder", "Reminder of a coming session"),
                            ("session_created", "A session was planned"),
                            ("session_moved", "A session was moved"),
                            ("session_postponed", "A session was postponed"),
                            ("session_cancelled", "A session was cancelled"),
                            ("log_late", "A session's log is late"),
                            ("log_late_escalated", "A cell's log is a week late"),
                            ("log_submitted", "A log waits for confirmation"),
                            ("log_returned", "A log was returned for correction"),
                            ("log_confirmed", "A log was confirmed"),
                            ("month_idle_cells", "Cells that held nothing last month"),
                        ],
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("email", "e-mail"),
                            ("inapp", "in the application"),
                            ("webpush", "phone notification"),
                        ],
                        max_length=10,
                        verbose_name="channel",
                    ),
                ),
                ("address", models.CharField(blank=True, max_length=254, verbose_name="address")),
                (
                    "language",
                    models.CharField(default="vi", max_length=10, verbose_name="language"),
                ),
                ("context", models.JSONField(blank=True, default=dict, verbose_name="details")),
                ("due_at", models.DateTimeField(verbose_name="due")),
                (
                    "expires_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="not sent after"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "waiting"),
                            ("sending", "being sent"),
                            ("sent", "sent"),
                            ("failed", "failed"),
                            ("skipped", "not sent"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("next_attempt_at", models.DateTimeField(verbose_name="next attempt")),
                (
                    "claimed_by",
                    models.CharField(blank=True, max_length=64, verbose_name="claimed by"),
                ),
                (
                    "claimed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="claimed at"),
                ),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
                ("subject", models.CharField(blank=True, max_length=300, verbose_name="subject")),
                ("body", models.TextField(blank=True, verbose_name="message")),
                ("link", models.CharField(blank=True, max_length=500, verbose_name="link")),
                ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read at")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "recipient_member",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="programs.member",
                        verbose_name="member",
                    ),
                ),
                (
                    "recipient_user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="programs.laboursession",
                        verbose_name="labour session",
                    ),
                ),
                (
                    "committee",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="programs.partycommittee",
                        verbose_name="party committee",
                    ),
                ),
            ],
            options={
                "verbose_name": "notification",
                "verbose_name_plural": "notifications",
                "ordering": ["-due_at", "-id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("recipient_user__isnull", False),
                            ("recipient_member__isnull", False),
                            _connector="OR",
                        ),
                        name="notification_has_recipient",
                    )
                ],
                "indexes": [
                    models.Index(
                        fields=["status", "next_attempt_at"], name="notification_queue_idx"
                    ),
                    models.Index(
                        fields=["recipient_user", "channel", "status", "read_at"],
                        name="notification_inbox_idx",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="IssuedReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("number", models.PositiveIntegerField(verbose_name="number")),
                (
                    "abbreviation",
                    models.CharField(max_length=20, verbose_name="document abbreviation"),
                ),
                ("summary", models.CharField(max_length=500, verbose_name="summary")),
                ("query", models.CharField(max_length=300, verbose_name="report")),
                ("issued_on", models.DateField(verbose_name="issued on")),
                ("issued_at", models.DateTimeField(auto_now_add=True, verbose_name="issued at")),
                ("shortcomings", models.TextField(blank=True, verbose_name="shortcomings (III.1)")),
                (
                    "proposals",
                    models.TextField(
                        blank=True, verbose_name="proposals and recommendations (III.2)"
                    ),
                ),
                ("document_html", models.TextField(verbose_name="document")),
                ("figures", models.JSONField(default=dict, verbose_name="figures")),
                ("pdf", models.BinaryField(blank=True, default=b"", verbose_name="PDF")),
                (
                    "issued_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="issued by",
                    ),
                ),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="issued_reports",
                        to="programs.partycommittee",
                        verbose_name="party committee",
                    ),
                ),
            ],
            options={
                "verbose_name": "issued report",
                "verbose_name_plural": "issued reports",
                "ordering": ["committee", "-year", "-number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("committee", "year", "number"), name="issued_report_unique_number"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("number__gte", 1)), name="issued_report_number"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Photo",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "image",
                    models.ImageField(
                        upload_to=programs.models.sessions.photo_upload_to, verbose_name="image"
                    ),
                ),
                (
                    "thumbnail",
                    models.ImageField(
                        blank=True,
                        upload_to=programs.models.sessions.photo_upload_to,
                        verbose_name="thumbnail",
                    ),
                ),
                ("caption", models.CharField(blank=True, max_length=300, verbose_name="caption")),
                (
                    "keeps_location",
                    models.BooleanField(
                        default=False,
                        help_text="The GPS position in the photo was kept on purpose.",
                        verbose_name="keeps location",
                    ),
                ),
                ("taken_on", models.DateField(blank=True, null=True, verbose_name="taken on")),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="programs.laboursession",
                        verbose_name="labour session",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "photo",
                "verbose_name_plural": "photos",
                "ordering": ["created_at"],
            },
        ),
        migrations.CreateModel(
            name="NewsDraft",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("vi", "Vietnamese"), ("en", "English")],
                        default="vi",
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                ("headline", models.CharField(max_length=300, verbose_name="headline")),
                ("lead", models.TextField(max_length=2000, verbose_name="lead")),
                ("body", models.TextField(max_length=20000, verbose_name="body")),
                ("edited_at", models.DateTimeField(verbose_name="edited at")),
                (
                    "version",
                    models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
                ),
                (
                    "share_token",
                    models.CharField(
                        blank=True,
                        editable=False,
                        max_length=64,
                        null=True,
                        unique=True,
                        verbose_name="share address",
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="published at"),
                ),
                (
                    "edited_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="edited by",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="published by",
                    ),
                ),
                (
                    "session",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="news_draft",
                        to="programs.laboursession",
                        verbose_name="labour session",
                    ),
                ),
                (
                    "sessions",
                    models.ManyToManyField(
                        related_name="+",
                        to="programs.laboursession",
                        verbose_name="sessions covered",
                    ),
                ),
                (
                    "photos",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="programs.photo",
                        verbose_name="photos chosen",
                    ),
                ),
            ],
            options={
                "verbose_name": "news draft",
                "verbose_name_plural": "news drafts",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("share_token__isnull", True),
                            ("published_at__isnull", False),
                            _connector="OR",
                        ),
                        name="news_published_has_time",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("headline", ""), _negated=True),
                        name="news_headline_not_empty",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Province",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "search_name",
                    models.CharField(
                        db_index=True,
                        default="",
                        editable=False,
                        max_length=255,
                        verbose_name="search name",
                    ),
                ),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="valid from")),
                (
                    "valid_until",
                    models.DateField(
                        blank=True,
                        help_text="Leave empty while the unit still exists.",
                        null=True,
                        verbose_name="valid until",
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[("tinh", "province"), ("thanh_pho", "centrally-run city")],
                        default="tinh",
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("code", models.CharField(blank=True, max_length=10, verbose_name="official code")),
            ],
            options={
                "verbose_name": "province",
                "verbose_name_plural": "provinces",
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("name", "valid_from"), name="province_unique_name"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("valid_until__isnull", True),
                            ("valid_until__gte", models.F("valid_from")),
                            _connector="OR",
                        ),
                        name="province_valid_period",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="district",
            name="province",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="districts",
                to="programs.province",
                verbose_name="province",
            ),
        ),
        migrations.AddField(
            model_name="commune",
            name="province",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="communes",
                to="programs.province",
                verbose_name="province",
            ),
        ),
        migrations.CreateModel(
            name="PushSubscription",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "endpoint",
                    models.URLField(max_length=1000, unique=True, verbose_name="endpoint"),
                ),
                ("p256dh", models.CharField(max_length=200, verbose_name="public key")),
                ("auth", models.CharField(max_length=100, verbose_name="authentication secret")),
                (
                    "user_agent",
                    models.CharField(blank=True, max_length=300, verbose_name="browser"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="push_subscriptions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "push subscription",
                "verbose_name_plural": "push subscriptions",
            },
        ),
        migrations.CreateModel(
            name="ReportSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "number",
                    models.CharField(
                        blank=True,
                        help_text="For example: 15",
                        max_length=20,
                        verbose_name="report number",
                    ),
                ),
                (
                    "place",
                    models.CharField(
                        blank=True,
                        help_text="For example: Bình An",
                        max_length=100,
                        verbose_name="place",
                    ),
                ),
                (
                    "superior_body",
                    models.CharField(
                        blank=True,
                        help_text="Printed above the committee's name, for example: ĐẢNG BỘ HUYỆN LÂM BÌNH",
                        max_length=200,
                        verbose_name="superior body",
                    ),
                ),
                (
                    "signer_on_behalf",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="signing on behalf of"
                    ),
                ),
                (
                    "signer_title",
                    models.CharField(blank=True, max_length=100, verbose_name="signer's title"),
                ),
                (
                    "signer_name",
                    models.CharField(blank=True, max_length=120, verbose_name="signer's name"),
                ),
                (
                    "recipients",
                    models.TextField(
                        blank=True,
                        help_text="One per line, for example: Ban Thường vụ Huyện ủy (b/c)",
                        verbose_name="recipients",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "committee",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="report_settings",
                        to="programs.partycommittee",
                        verbose_name="party committee",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="updated by",
                    ),
                ),
            ],
            options={
                "verbose_name": "report settings",
                "verbose_name_plural": "report settings",
            },
        ),
        migrations.CreateModel(
            name="ReportText",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("query", models.CharField(max_length=300, verbose_name="report")),
                ("shortcomings", models.TextField(blank=True, verbose_name="shortcomings (III.1)")),
                (
                    "proposals",
                    models.TextField(
                        blank=True, verbose_name="proposals and recommendations (III.2)"
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="report_texts",
                        to="programs.partycommittee",
                        verbose_name="party committee",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="updated by",
                    ),
                ),
            ],
            options={
                "verbose_name": "report text",
                "verbose_name_plural": "report texts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("committee", "query"), name="report_text_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Role",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "kind",
                    models.CharField(
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
                (
                    "cell",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="roles",
                        to="programs.partycell",
                        verbose_name="party cell",
                    ),
                ),
                (
                    "committee",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="roles",
                        to="programs.partycommittee",
                        verbose_name="party committee",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="civic_roles",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "role",
                "verbose_name_plural": "roles",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("cell__isnull", True),
                                ("committee__isnull", False),
                                ("kind__in", ["officer", "viewer", "host"]),
                            ),
                            models.Q(
                                ("cell__isnull", False),
                                ("committee__isnull", True),
                                ("kind", "secretary"),
                            ),
                            _connector="OR",
                        ),
                        name="role_target_matches_kind",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("committee__isnull", False)),
                        fields=("user", "kind", "committee"),
                        name="role_unique_per_committee",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("cell__isnull", False)),
                        fields=("user", "kind", "cell"),
                        name="role_unique_per_cell",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="RollupDirty",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("cell_id", models.BigIntegerField(verbose_name="party cell")),
                ("month", models.DateField(verbose_name="month")),
            ],
            options={
                "verbose_name": "roll-up to recompute",
                "verbose_name_plural": "roll-ups to recompute",
                "constraints": [
                    models.UniqueConstraint(fields=("cell_id", "month"), name="rollup_dirty_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="SessionChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="time")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("created", "created"),
                            ("updated", "edited"),
                            ("postponed", "postponed"),
                            ("rescheduled", "rescheduled"),
                            ("cancelled", "cancelled"),
                            ("log_saved", "log saved as draft"),
                            ("log_submitted", "log submitted for confirmation"),
                            ("log_confirmed", "log confirmed"),
                            ("log_returned", "log returned for correction"),
                            ("log_reopened", "log reopened"),
                            ("opinion_followed_up", "opinion followed up"),
                        ],
                        max_length=20,
                        verbose_name="action",
                    ),
                ),
                ("changes", models.JSONField(blank=True, default=dict, verbose_name="changes")),
                ("reason", models.CharField(blank=True, max_length=500, verbose_name="reason")),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="changes",
                        to="programs.laboursession",
                        verbose_name="labour session",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "session change",
                "verbose_name_plural": "session changes",
                "ordering": ["at", "id"],
            },
        ),
        migrations.CreateModel(
            name="UserProfile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("vi", "Vietnamese"), ("en", "English")],
                        default="vi",
                        max_length=10,
                        verbose_name="language of messages",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="civic_profile",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "user profile",
                "verbose_name_plural": "user profiles",
            },
        ),
        migrations.CreateModel(
            name="Village",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "search_name",
                    models.CharField(
                        db_index=True,
                        default="",
                        editable=False,
                        max_length=255,
                        verbose_name="search name",
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("thon", "village (thôn)"),
                            ("ban", "hamlet (bản)"),
                            ("lang", "village (làng)"),
                            ("xom", "hamlet (xóm)"),
                            ("ap", "hamlet (ấp)"),
                            ("buon", "village (buôn)"),
                            ("to_dan_pho", "residential group (tổ dân phố)"),
                            ("khu_pho", "quarter (khu phố)"),
                        ],
                        default="thon",
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "commune",
                    models.ForeignKey(
                        help_text="The commune the village belongs to today.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="villages",
                        to="programs.commune",
                        verbose_name="commune",
                    ),
                ),
            ],
            options={
                "verbose_name": "village",
                "verbose_name_plural": "villages",
                "ordering": ["commune__name", "name"],
                "constraints": [
                    models.UniqueConstraint(fields=("commune", "name"), name="village_unique_name")
                ],
            },
        ),
        migrations.AddField(
            model_name="partycell",
            name="home_village",
            field=models.ForeignKey(
                blank=True,
                help_text="For a village cell: the village it belongs to.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="village_cells",
                to="programs.village",
                verbose_name="home village",
            ),
        ),
        migrations.AddField(
            model_name="laboursession",
            name="village",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sessions",
                to="programs.village",
                verbose_name="village",
            ),
        ),
        migrations.CreateModel(
            name="Household",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "search_name",
                    models.CharField(
                        db_index=True,
                        default="",
                        editable=False,
                        max_length=255,
                        verbose_name="search name",
                    ),
                ),
                ("head_name", models.CharField(max_length=120, verbose_name="head of household")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("ordinary", "ordinary"),
                            ("poor", "poor household"),
                            ("near_poor", "near-poor household"),
                            ("policy", "policy family"),
                        ],
                        default="ordinary",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="note")),
                (
                    "publishable",
                    models.BooleanField(
                        default=False,
                        help_text="The household agreed to be named in news items and public share cards.",
                        verbose_name="may be named in news",
                    ),
                ),
                (
                    "village",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="households",
                        to="programs.village",
                        verbose_name="village",
                    ),
                ),
            ],
            options={
                "verbose_name": "household",
                "verbose_name_plural": "households",
                "ordering": ["village__name", "head_name"],
            },
        ),
        migrations.CreateModel(
            name="Assignment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("starts_on", models.DateField(verbose_name="from")),
                (
                    "ends_on",
                    models.DateField(
                        blank=True, help_text="Empty while open.", null=True, verbose_name="until"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="note")),
                (
                    "directive",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="programs.directive",
                        verbose_name="directive",
                    ),
                ),
                (
                    "cell",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="programs.partycell",
                        verbose_name="party cell",
                    ),
                ),
                (
                    "village",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="programs.village",
                        verbose_name="village",
                    ),
                ),
            ],
            options={
                "verbose_name": "assignment",
                "verbose_name_plural": "assignments",
                "ordering": ["cell__name", "-starts_on"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("ends_on__isnull", True)),
                        fields=("cell", "directive"),
                        name="assignment_one_open_per_cell_directive",
                        violation_error_message="This cell already has an open assignment under this directive. Close it (set its end date) before assigning another village.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ends_on__isnull", True),
                            ("ends_on__gte", models.F("starts_on")),
                            _connector="OR",
                        ),
                        name="assignment_valid_period",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="VillageName",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="valid from")),
                (
                    "valid_until",
                    models.DateField(
                        blank=True,
                        help_text="Leave empty while the unit still exists.",
                        null=True,
                        verbose_name="valid until",
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "commune",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="programs.commune",
                        verbose_name="commune",
                    ),
                ),
                (
                    "village",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="names",
                        to="programs.village",
                        verbose_name="village",
                    ),
                ),
            ],
            options={
                "verbose_name": "former name",
                "verbose_name_plural": "former names",
                "ordering": ["valid_from"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("valid_until__isnull", True),
                            ("valid_until__gte", models.F("valid_from")),
                            _connector="OR",
                        ),
                        name="village_name_valid_period",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("valid_until__isnull", False)),
                        name="village_name_has_end",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="CellMonthRollup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "month",
                    models.DateField(help_text="The first day of the month.", verbose_name="month"),
                ),
                (
                    "sessions",
                    models.PositiveIntegerField(
                        default=0, verbose_name="sessions held and confirmed"
                    ),
                ),
                (
                    "named_visits",
                    models.PositiveIntegerField(default=0, verbose_name="named person-visits"),
                ),
                (
                    "workdays",
                    models.DecimalField(
                        decimal_places=1, default=0, max_digits=12, verbose_name="workdays"
                    ),
                ),
                (
                    "party_member_visits",
                    models.PositiveIntegerField(
                        default=0, verbose_name="party members' person-visits"
                    ),
                ),
                (
                    "visits_official",
                    models.PositiveIntegerField(default=0, verbose_name="officials' person-visits"),
                ),
                (
                    "workdays_official",
                    models.DecimalField(
                        decimal_places=1,
                        default=0,
                        max_digits=12,
                        verbose_name="officials' workdays",
                    ),
                ),
                (
                    "visits_civil_servant",
                    models.PositiveIntegerField(
                        default=0, verbose_name="civil servants' person-visits"
                    ),
                ),
                (
                    "workdays_civil_servant",
                    models.DecimalField(
                        decimal_places=1,
                        default=0,
                        max_digits=12,
                        verbose_name="civil servants' workdays",
                    ),
                ),
                (
                    "visits_public_employee",
                    models.PositiveIntegerField(
                        default=0, verbose_name="public employees' person-visits"
                    ),
                ),
                (
                    "workdays_public_employee",
                    models.DecimalField(
                        decimal_places=1,
                        default=0,
                        max_digits=12,
                        verbose_name="public employees' workdays",
                    ),
                ),
                (
                    "visits_worker",
                    models.PositiveIntegerField(default=0, verbose_name="workers' person-visits"),
                ),
                (
                    "workdays_worker",
                    models.DecimalField(
                        decimal_places=1, default=0, max_digits=12, verbose_name="workers' workdays"
                    ),
                ),
                (
                    "visits_armed_forces",
                    models.PositiveIntegerField(
                        default=0, verbose_name="armed forces' person-visits"
                    ),
                ),
                (
                    "workdays_armed_forces",
                    models.DecimalField(
                        decimal_places=1,
                        default=0,
                        max_digits=12,
                        verbose_name="armed forces' workdays",
                    ),
                ),
                (
                    "visits_front_cadre",
                    models.PositiveIntegerField(
                        default=0, verbose_name="Front cadres' person-visits"
                    ),
                ),
                (
                    "workdays_front_cadre",
                    models.DecimalField(
                        decimal_places=1,
                        default=0,
                        max_digits=12,
                        verbose_name="Front cadres' workdays",
                    ),
                ),
                (
                    "visits_province",
                    models.PositiveIntegerField(
                        default=0, verbose_name="province level person-visits"
                    ),
                ),
                (
                    "workdays_province",
                    models.DecimalField(
                        decimal_places=1,
                        default=0,
                        max_digits=12,
                        verbose_name="province level workdays",
                    ),
                ),
                (
                    "visits_district",
                    models.PositiveIntegerField(
                        default=0, verbose_name="district level person-visits"
                    ),
                ),
                (
                    "workdays_district",
                    models.DecimalField(
                        decimal_places=1,
                        default=0,
                        max_digits=12,
                        verbose_name="district level workdays",
                    ),
                ),
                (
                    "visits_commune",
                    models.PositiveIntegerField(
                        default=0, verbose_name="commune level person-visits"
                    ),
                ),
                (
                    "workdays_commune",
                    models.DecimalField(
                        decimal_places=1,
                        default=0,
                        max_digits=12,
                        verbose_name="commune level workdays",
                    ),
                ),
                (
                    "directive",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programs.directive",
                        verbose_name="directive",
                    ),
                ),
                (
                    "cell",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programs.partycell",
                        verbose_name="party cell",
                    ),
                ),
                (
                    "village",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programs.village",
                        verbose_name="village",
                    ),
                ),
                (
                    "place",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programs.villagename",
                        verbose_name="former name",
                    ),
                ),
            ],
            options={
                "verbose_name": "monthly roll-up",
                "verbose_name_plural": "monthly roll-ups",
                "indexes": [
                    models.Index(fields=["month", "cell"], name="rollup_month_cell_idx"),
                    models.Index(fields=["cell", "month"], name="rollup_cell_month_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="VillagerOpinion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("heard_on", models.DateField(verbose_name="heard on")),
                ("text", models.TextField(max_length=2000, verbose_name="opinion or request")),
                (
                    "field",
                    models.CharField(
                        choices=[
                            ("roads", "rural roads and transport"),
                            ("irrigation", "irrigation"),
                            ("housing", "housing"),
                            ("electricity", "electricity and lighting"),
                            ("water", "clean water"),
                            ("environment", "environment and sanitation"),
                            ("land", "land"),
                            ("production", "agricultural production and livelihoods"),
                            ("social_policy", "social policy"),
                            ("health_education", "health, education and culture"),
                            ("security", "security and public order"),
                            ("other", "other"),
                        ],
                        max_length=20,
                        verbose_name="field",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("received", "received"),
                            ("forwarded", "forwarded"),
                            ("resolved", "resolved"),
                        ],
                        default="received",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "resolver",
                    models.CharField(
                        blank=True,
                        help_text="The body or person that settles it, for example UBND xã Bình An.",
                        max_length=200,
                        verbose_name="resolved by",
                    ),
                ),
                (
                    "resolved_on",
                    models.DateField(blank=True, null=True, verbose_name="resolved on"),
                ),
                (
                    "version",
                    models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="opinions",
                        to="programs.laboursession",
                        verbose_name="labour session",
                    ),
                ),
                (
                    "village",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="opinions",
                        to="programs.village",
                        verbose_name="village concerned",
                    ),
                ),
            ],
            options={
                "verbose_name": "villagers' opinion",
                "verbose_name_plural": "villagers' opinions",
                "ordering": ["heard_on", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("text", ""), _negated=True),
                        name="opinion_text_not_empty",
                        violation_error_message="Write the opinion or request.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "field__in",
                                [
                                    "roads",
                                    "irrigation",
                                    "housing",
                                    "electricity",
                                    "water",
                                    "environment",
                                    "land",
                                    "production",
                                    "social_policy",
                                    "health_education",
                                    "security",
                                    "other",
                                ],
                            )
                        ),
                        name="opinion_field_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["received", "forwarded", "resolved"])),
                        name="opinion_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("resolved_on__isnull", False), ("status", "resolved")),
                            models.Q(
                                models.Q(("status", "resolved"), _negated=True),
                                ("resolved_on__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="opinion_resolved_has_date",
                        violation_error_message="A resolved opinion needs the date it was resolved; others have none.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("resolved_on__isnull", True),
                            ("resolved_on__gte", models.F("heard_on")),
                            _connector="OR",
                        ),
                        name="opinion_resolved_after_heard",
                        violation_error_message="An opinion cannot be resolved before the session it was heard at.",
                    ),
                ],
                "indexes": [
                    models.Index(fields=["status", "heard_on"], name="opinion_status_heard_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="WorkOutput",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "description",
                    models.CharField(blank=True, max_length=500, verbose_name="description"),
                ),
                (
                    "quantity",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                        verbose_name="quantity",
                    ),
                ),
                (
                    "unit",
                    models.CharField(
                        choices=[
                            ("m", "m"),
                            ("km", "km"),
                            ("m2", "m²"),
                            ("m3", "m³"),
                            ("ha", "ha"),
                            ("house", "house"),
                            ("household", "household"),
                            ("works", "works"),
                            ("tree", "tree"),
                            ("pole", "pole"),
                            ("workday", "workday"),
                            ("session", "session"),
                            ("person", "person"),
                            ("opinion", "opinion"),
                            ("gift", "gift"),
                            ("vnd", "VND"),
                        ],
                        max_length=10,
                        verbose_name="unit",
                    ),
                ),
                (
                    "value_vnd",
                    models.PositiveBigIntegerField(
                        blank=True, null=True, verbose_name="money-equivalent value (VND)"
                    ),
                ),
                (
                    "funding_source",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("state", "State budget"),
                            ("cadres", "Cadres' contributions"),
                            ("villagers", "Villagers' contributions"),
                            ("donors", "Donors (socialisation)"),
                        ],
                        max_length=10,
                        verbose_name="funding source",
                    ),
                ),
                (
                    "household",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="outputs",
                        to="programs.household",
                        verbose_name="beneficiary household",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="outputs",
                        to="programs.laboursession",
                        verbose_name="labour session",
                    ),
                ),
                (
                    "work_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="outputs",
                        to="programs.worktype",
                        verbose_name="work type",
                    ),
                ),
            ],
            options={
                "verbose_name": "work output",
                "verbose_name_plural": "work outputs",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("quantity__gt", 0)),
                        name="output_quantity_positive",
                        violation_error_message="The quantity must be greater than zero.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("value_vnd__isnull", True),
                            models.Q(("funding_source", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="output_value_has_funding_source",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="DemoRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField(verbose_name="row id")),
                ("key", models.CharField(max_length=300, verbose_name="demo key")),
                (
                    "fingerprint",
                    models.JSONField(blank=True, null=True, verbose_name="fingerprint"),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="kind of row",
                    ),
                ),
            ],
            options={
                "verbose_name": "demo record",
                "verbose_name_plural": "demo records",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "key"), name="demo_record_unique_key"
                    ),
                    models.UniqueConstraint(
                        fields=("content_type", "object_id"), name="demo_record_unique_row"
                    ),
                ],
            },
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["cell", "active"], name="member_cell_active_idx"),
        ),
        migrations.AddConstraint(
            model_name="district",
            constraint=models.UniqueConstraint(
                fields=("province", "name", "valid_from"), name="district_unique_name"
            ),
        ),
        migrations.AddConstraint(
            model_name="commune",
            constraint=models.UniqueConstraint(
                fields=("province", "name", "valid_from"), name="commune_unique_name"
            ),
        ),
        migrations.AddConstraint(
            model_name="partycell",
            constraint=models.UniqueConstraint(
                fields=("committee", "name"), name="cell_unique_name"
            ),
        ),
        migrations.AddConstraint(
            model_name="partycell",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "agency"), ("home_village__isnull", False), _connector="OR"
                ),
                name="cell_village_kind_has_village",
            ),
        ),
        migrations.RunPython(add_no_overlap, remove_no_overlap, elidable=False),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False),
    ]

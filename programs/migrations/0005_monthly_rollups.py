"""Monthly roll-ups of confirmed logs (``CellMonthRollup``) and the (cell, month) pairs to
recompute (``RollupDirty``), with the database triggers that list a pair whenever a confirmed
session, its attendance or its village's former names change (issue 12, item 7); then the
roll-ups of the rows already there (``services.rollups.rollup_rebuild``)."""

import django.db.models.deletion
from django.db import migrations, models

# PostgreSQL: statement-level triggers reading the transition tables, so a bulk insert of a
# month of attendance marks its pairs in one statement. The function body reads ``changed``:
# each trigger names its OLD or NEW rows so.
PG_FUNCTIONS = {
    "session": """
        INSERT INTO programs_rollupdirty (cell_id, month)
        SELECT DISTINCT cell_id, date_trunc('month', date)::date FROM changed
        WHERE log_status = 'confirmed'
        ON CONFLICT DO NOTHING
    """,
    "attendance": """
        INSERT INTO programs_rollupdirty (cell_id, month)
        SELECT DISTINCT s.cell_id, date_trunc('month', s.date)::date
        FROM changed c JOIN programs_laboursession s ON s.id = c.session_id
        WHERE s.log_status = 'confirmed'
        ON CONFLICT DO NOTHING
    """,
    "villagename": """
        INSERT INTO programs_rollupdirty (cell_id, month)
        SELECT DISTINCT s.cell_id, date_trunc('month', s.date)::date
        FROM changed c JOIN programs_laboursession s ON s.village_id = c.village_id
        WHERE s.log_status = 'confirmed'
        ON CONFLICT DO NOTHING
    """,
}
PG_TABLES = {
    "session": "programs_laboursession",
    "attendance": "programs_attendance",
    "villagename": "programs_villagename",
}
PG_EVENTS = [("insert", "NEW"), ("update_old", "OLD"), ("update_new", "NEW"), ("delete", "OLD")]


def _pg_statements():
    for name, body in PG_FUNCTIONS.items():
        yield (
            f"CREATE OR REPLACE FUNCTION programs_rollup_mark_{name}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"
        )
        for event, side in PG_EVENTS:
            verb = event.split("_")[0].upper()
            yield (
                f"CREATE TRIGGER programs_rollup_{name}_{event} AFTER {verb} ON "
                f"{PG_TABLES[name]} REFERENCING {side} TABLE AS changed FOR EACH STATEMENT "
                f"EXECUTE FUNCTION programs_rollup_mark_{name}()"
            )


def _pg_drop():
    for name in PG_FUNCTIONS:
        yield f"DROP FUNCTION IF EXISTS programs_rollup_mark_{name}() CASCADE"


# SQLite: row-level triggers (SQLite has no other kind).
SQLITE_MARK = {
    "session": """
        INSERT OR IGNORE INTO programs_rollupdirty (cell_id, month)
        SELECT {row}.cell_id, date({row}.date, 'start of month')
        WHERE {row}.log_status = 'confirmed';
    """,
    "attendance": """
        INSERT OR IGNORE INTO programs_rollupdirty (cell_id, month)
        SELECT s.cell_id, date(s.date, 'start of month') FROM programs_laboursession s
        WHERE s.id = {row}.session_id AND s.log_status = 'confirmed';
    """,
    "villagename": """
        INSERT OR IGNORE INTO programs_rollupdirty (cell_id, month)
        SELECT DISTINCT s.cell_id, date(s.date, 'start of month')
        FROM programs_laboursession s
        WHERE s.village_id = {row}.village_id AND s.log_status = 'confirmed';
    """,
}
SQLITE_EVENTS = [("insert", ["NEW"]), ("update", ["OLD", "NEW"]), ("delete", ["OLD"])]


def _sqlite_statements():
    for name, mark in SQLITE_MARK.items():
        for event, rows in SQLITE_EVENTS:
            body = "".join(mark.format(row=row) for row in rows)
            yield (
                f"CREATE TRIGGER programs_rollup_{name}_{event} AFTER {event.upper()} ON "
                f"{PG_TABLES[name]} FOR EACH ROW BEGIN {body} END"
            )


def _sqlite_drop():
    for name in SQLITE_MARK:
        for event, _rows in SQLITE_EVENTS:
            yield f"DROP TRIGGER IF EXISTS programs_rollup_{name}_{event}"


def create_triggers(apps, schema_editor):
    statements = {"postgresql": _pg_statements, "sqlite": _sqlite_statements}
    for statement in statements.get(schema_editor.connection.vendor, tuple)():
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    statements = {"postgresql": _pg_drop, "sqlite": _sqlite_drop}
    for statement in statements.get(schema_editor.connection.vendor, tuple)():
        schema_editor.execute(statement)


def rebuild(apps, schema_editor):
    """The roll-ups of the logs already confirmed. The service reads through the current
    models, whose tables may have gained columns in later migrations, so it runs only where
    there is something to roll up (a database that held confirmed logs before this
    migration); a new database has none. ``manage.py rebuild_rollups`` does the same later."""
    sessions = apps.get_model("programs", "LabourSession").objects.using(
        schema_editor.connection.alias
    )
    if not sessions.filter(log_status="confirmed").exists():
        return
    from programs.services.rollups import rollup_rebuild

    rollup_rebuild(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0004_villager_opinions'),
    ]

    operations = [
        migrations.CreateModel(
            name='RollupDirty',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cell_id', models.BigIntegerField(verbose_name='party cell')),
                ('month', models.DateField(verbose_name='month')),
            ],
            options={
                'verbose_name': 'roll-up to recompute',
                'verbose_name_plural': 'roll-ups to recompute',
                'constraints': [models.UniqueConstraint(fields=('cell_id', 'month'), name='rollup_dirty_unique')],
            },
        ),
        migrations.CreateModel(
            name='CellMonthRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The first day of the month.', verbose_name='month')),
                ('sessions', models.PositiveIntegerField(default=0, verbose_name='sessions held and confirmed')),
                ('named_visits', models.PositiveIntegerField(default=0, verbose_name='named person-visits')),
                ('workdays', models.DecimalField(decimal_places=1, default=0, max_digits=12, verbose_name='workdays')),
                ('party_member_visits', models.PositiveIntegerField(default=0, verbose_name="party members' person-visits")),
                ('visits_official', models.PositiveIntegerField(default=0, verbose_name="officials' person-visits")),
                ('workdays_official', models.DecimalField(decimal_places=1, default=0, max_digits=12, verbose_name="officials' workdays")),
                ('visits_civil_servant', models.PositiveIntegerField(default=0, verbose_name="civil servants' person-visits")),
                ('workdays_civil_servant', models.DecimalField(decimal_places=1, default=0, max_digits=12, verbose_name="civil servants' workdays")),
                ('visits_public_employee', models.PositiveIntegerField(default=0, verbose_name="public employees' person-visits")),
                ('workdays_public_employee', models.DecimalField(decimal_places=1, default=0, max_digits=12, verbose_name="public employees' workdays")),
                ('visits_worker', models.PositiveIntegerField(default=0, verbose_name="workers' person-visits")),
                ('workdays_worker', models.DecimalField(decimal_places=1, default=0, max_digits=12, verbose_name="workers' workdays")),
                ('visits_armed_forces', models.PositiveIntegerField(default=0, verbose_name="armed forces' person-visits")),
                ('workdays_armed_forces', models.DecimalField(decimal_places=1, default=0, max_digits=12, verbose_name="armed forces' workdays")),
                ('visits_front_cadre', models.PositiveIntegerField(default=0, verbose_name="Front cadres' person-visits")),
                ('workdays_front_cadre', models.DecimalField(decimal_places=1, default=0, max_digits=12, verbose_name="Front cadres' workdays")),
                ('visits_province', models.PositiveIntegerField(default=0, verbose_name='province level person-visits')),
                ('workdays_province', models.DecimalField(decimal_places=1, default=0, max_digits=12, verbose_name='province level workdays')),
                ('visits_district', models.PositiveIntegerField(default=0, verbose_name='district level person-visits')),
                ('workdays_district', models.DecimalField(decimal_places=1, default=0, max_digits=12, verbose_name='district level workdays')),
                ('visits_commune', models.PositiveIntegerField(default=0, verbose_name='commune level person-visits')),
                ('workdays_commune', models.DecimalField(decimal_places=1, default=0, max_digits=12, verbose_name='commune level workdays')),
                ('cell', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.partycell', verbose_name='party cell')),
                ('directive', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.directive', verbose_name='directive')),
                ('place', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.villagename', verbose_name='former name')),
                ('village', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.village', verbose_name='village')),
            ],
            options={
                'verbose_name': 'monthly roll-up',
                'verbose_name_plural': 'monthly roll-ups',
                'indexes': [models.Index(fields=['month', 'cell'], name='rollup_month_cell_idx'), models.Index(fields=['cell', 'month'], name='rollup_cell_month_idx')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]

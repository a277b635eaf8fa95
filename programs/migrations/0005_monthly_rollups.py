"""Monthly roll-ups of confirmed logs (``CellMonthRollup``) and the (cell, month) pairs to
recompute (``RollupDirty``), with the database triggers that list a pair whenever a confirmed
session, its attendance or its village's former names change (issue 12, item 7); then the
(cell, month) of every confirmed session already there listed as dirty, for
``manage.py rebuild_rollups`` to compute."""

import django.db.models.deletion
from django.db import migrations, models

from programs import rollup_triggers

# The trigger SQL lives in programs.rollup_triggers, shared with any later migration that
# alters programs_laboursession, programs_attendance or programs_villagename: such a migration
# must drop the triggers before its schema changes and create them again after (SQLite
# rebuilds the table, which breaks or loses the triggers) -- see that module's docstring.


def create_triggers(apps, schema_editor):
    rollup_triggers.create_triggers(schema_editor)


def drop_triggers(apps, schema_editor):
    rollup_triggers.drop_triggers(schema_editor)


def mark_confirmed_months(apps, schema_editor):
    """List in RollupDirty the (cell, month) of every confirmed session already there, so the
    reports read them from the raw rows until ``manage.py rebuild_rollups`` computes their
    roll-ups. Plain SQL on this migration's tables, so later model changes cannot break it
    (the service it used to call reads through today's models)."""
    month = {
        "postgresql": "date_trunc('month', date)::date",
        "sqlite": "date(date, 'start of month')",
    }.get(schema_editor.connection.vendor)
    if month is None:
        return
    schema_editor.execute(
        "INSERT INTO programs_rollupdirty (cell_id, month) "
        f"SELECT DISTINCT cell_id, {month} FROM programs_laboursession "
        "WHERE log_status = 'confirmed' AND date IS NOT NULL"
    )


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
        migrations.RunPython(mark_confirmed_months, migrations.RunPython.noop),
    ]

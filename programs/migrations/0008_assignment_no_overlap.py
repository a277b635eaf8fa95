"""The periods of one cell's assignments under one directive may not overlap.

On PostgreSQL the database itself refuses an overlap, whatever path writes it (admin, shell,
import, two requests at once): an exclusion constraint over the cell, the directive and the
period (btree_gist lets the integer columns take part in the GiST index). It does not fit in
``Assignment.Meta`` because SQLite has no such constraint, so ``makemigrations`` does not see
it. SQLite relies on ``Assignment.clean()`` alone: triggers would do there, but Django rebuilds
an SQLite table for most later alterations and the triggers would vanish with the old table.

The check is deferred to the end of the transaction: the cell's admin page saves its rows one
after the other (newest first), so closing the old assignment and moving the new one's start in
one save passes through a moment where the two overlap. Only the committed result counts.

If the table already holds overlaps, the migration stops and lists them: they have to be
corrected (in the admin site) before the rule can hold.
"""

from django.db import migrations

NAME = "assignment_no_overlap"

OVERLAPS = """
    SELECT a.id, b.id FROM programs_assignment a JOIN programs_assignment b
    ON a.cell_id = b.cell_id AND a.directive_id = b.directive_id AND a.id < b.id
    AND (b.ends_on IS NULL OR a.starts_on <= b.ends_on)
    AND (a.ends_on IS NULL OR b.starts_on <= a.ends_on)
    ORDER BY a.id, b.id
"""


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(OVERLAPS)
        pairs = cursor.fetchall()
    if pairs:
        listed = ", ".join(f"{a} & {b}" for a, b in pairs[:20])
        raise RuntimeError(
            f"Overlapping assignments (ids {listed}): shorten or close one of each pair in the "
            "admin site, then run the migration again."
        )
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE programs_assignment ADD CONSTRAINT {NAME} EXCLUDE USING gist ("
        "cell_id WITH =, directive_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE programs_assignment DROP CONSTRAINT IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0007_demo_records"),
    ]

    operations = [
        migrations.RunPython(add_constraint, remove_constraint, elidable=False),
    ]

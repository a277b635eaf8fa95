"""The database triggers that list a (cell, month) in ``RollupDirty`` whenever a confirmed
session, its attendance or its village's former names change (see ``services.rollups``).

Triggers on insert, update and delete of ``programs_laboursession``, ``programs_attendance``
and ``programs_villagename``: nine on SQLite, twelve on PostgreSQL (an update has one trigger
for its old rows and one for its new); ``trigger_names(vendor)`` lists them.

FUTURE MIGRATIONS touching any of those three tables must drop the triggers first and create
them again last (needed on SQLite; simplest on both), because Django's SQLite schema editor
rebuilds a table for most ``AlterField``/``AddField``/``RemoveField`` operations (a new
table, a copy, a drop, a rename):
a trigger on another table that names the rebuilt one fails ("no such table:
main.programs_laboursession"), and the rebuilt table's own triggers are silently lost.
Do it so::

    from programs import rollup_triggers

    operations = [
        migrations.RunPython(_drop, _create),   # _drop(apps, se): rollup_triggers.drop_triggers(se)
        ...the schema changes...
        migrations.RunPython(_create, _drop),
    ]

``tests/test_rollups.py`` checks that they all exist after ``migrate``, so a migration that
loses them fails the suite. The SQL here is frozen history as much as a migration's: change
it only together with a migration that drops and recreates the triggers.
"""

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


def create_triggers(schema_editor) -> None:
    """Create the nine roll-up triggers (and their functions on PostgreSQL)."""
    statements = {"postgresql": _pg_statements, "sqlite": _sqlite_statements}
    for statement in statements.get(schema_editor.connection.vendor, tuple)():
        schema_editor.execute(statement)


def drop_triggers(schema_editor) -> None:
    """Drop the nine roll-up triggers (and their functions on PostgreSQL), if present."""
    statements = {"postgresql": _pg_drop, "sqlite": _sqlite_drop}
    for statement in statements.get(schema_editor.connection.vendor, tuple)():
        schema_editor.execute(statement)


def trigger_names(vendor: str) -> list[str]:
    """The names of the roll-up triggers on a database of ``vendor`` (none on others)."""
    events = {"postgresql": [e for e, _side in PG_EVENTS], "sqlite": [e for e, _r in SQLITE_EVENTS]}
    return [
        f"programs_rollup_{name}_{event}" for name in PG_TABLES for event in events.get(vendor, [])
    ]

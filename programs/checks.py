"""System checks: a database that a squashed migration cannot serve."""

from django.core import checks
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


@checks.register(checks.Tags.database)
def check_squashed_migrations(app_configs=None, databases=None, **kwargs):
    """A database on which an older checkout applied some, not all, of the migrations a
    squashed migration replaces, once their files are gone.

    Django uses a squashed migration only when all or none of the migrations it replaces are
    applied. Partway through, it falls back on the replaced files; with those deleted it sees
    nothing to do, and the tables the missing ones would have made never appear. ``migrate``
    runs the database checks, so it stops here instead.
    """
    errors = []
    if not databases:
        return errors
    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    for alias in databases:
        recorder = MigrationRecorder(connections[alias])
        if not recorder.has_table():
            continue
        applied = recorder.applied_migrations()
        for key, migration in sorted(on_disk.items()):
            missing = [r for r in migration.replaces if r not in on_disk]
            done = [r for r in missing if r in applied]
            if done and len(done) < len(missing):
                errors.append(
                    checks.Error(
                        f"The database {alias!r} has {len(done)} of the {len(missing)} "
                        f"migrations that {key[0]}.{key[1]} replaces, and their files are "
                        f"gone, so migrate cannot finish it.",
                        hint=(
                            "Run migrate once with an older checkout that still has those "
                            "files, then again with this one."
                        ),
                        id="programs.E001",
                    )
                )
    return errors

"""``manage.py backup``: the whole site in one archive (``programs.backup``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write the whole site to one .tar.gz archive: every table a working site needs (users, "
        "groups, admin history and all of the programs app; not logins, lockout logs, content "
        "types or permissions, which migrate recreates) as dumpdata JSON Lines, every file "
        "under MEDIA_ROOT (photos, attachments) and a manifest.json with the migration state "
        "and row counts. The database is only read. Put it back with the restore command."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help=(
                "The archive to write (default: "
                "backups/civic-labour-YYYYMMDD-HHMMSS.tar.gz in the project folder). "
                "An existing file is never overwritten."
            ),
        )

    def handle(self, *args, output, **options):
        try:
            result = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(result.summary())

"""``manage.py restore``: put an archive made by ``manage.py backup`` back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Put back an archive written by the backup command: runs migrate, loads the rows in "
        "one transaction and writes the media files into MEDIA_ROOT. Goes into an empty "
        "database only, unless --force. Refuses, before changing anything, an archive made by "
        "a newer version (migrations this code lacks) or holding a member with an absolute "
        "path, '..' or a link."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The .tar.gz archive to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete everything in the database first (flush), then restore.",
        )

    def handle(self, *args, path, force, **options):
        try:
            result = backup_restore(path=path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(result.summary())

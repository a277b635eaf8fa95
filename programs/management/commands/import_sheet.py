"""``manage.py import_sheet FILE --kind KIND [--dry-run] [--user USERNAME]``: the import page's
service for operators."""

import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from programs import permissions
from programs.imports.engine import run_import
from programs.imports.sheets import SHEETS


def command_user(username: str | None):
    """The user an operator's command acts as: ``--user``, whose scope then applies as on the
    page, or else the first active superuser (history entries need a user)."""
    users = get_user_model()._default_manager.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"No active user is called {username!r}.")
        return user
    user = users.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise CommandError("There is no superuser to act as: give --user USERNAME.")
    return user


class Command(BaseCommand):
    help = (
        "Import a sheet (XLSX or CSV) of villages, households, committees, cells, members or "
        "assignments: prints how many rows are new, changed, unchanged and rejected, and every "
        "rejected row; writes everything in one transaction, or nothing when any row is "
        "rejected (exit status 1). --dry-run only previews. --user applies that user's scope, "
        "as the /imports/ page does (default: the first superuser)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--kind", required=True, choices=list(SHEETS))
        parser.add_argument("--dry-run", action="store_true", help="preview: write nothing")
        parser.add_argument("--user", help="import as this user (their scope)")

    def handle(self, *args, file, kind, dry_run, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        acting = command_user(user)
        if not permissions.can_use_imports(acting):
            raise CommandError(f"{acting.get_username()} is neither an officer nor a superuser.")
        with translation.override(settings.LANGUAGE_CODE), path.open("rb") as stream:
            with tqdm(unit=" rows", disable=options["verbosity"] == 0, file=sys.stderr) as bar:
                report = run_import(
                    kind=kind,
                    stream=stream,
                    name=path.name,
                    user=acting,
                    apply=not dry_run,
                    progress=bar.update,
                )
            for line in report.lines():
                self.stdout.write(line)
            if not report.ok:
                raise CommandError("Nothing was written.", returncode=1)
            if report.applied:
                self.stdout.write(f"Written: {report.new} new, {report.changed} changed.")
            else:
                self.stdout.write("Dry run: nothing was written.")

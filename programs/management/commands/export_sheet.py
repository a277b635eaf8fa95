"""``manage.py export_sheet --kind KIND OUT.xlsx [--committee ID] [--user USERNAME]``: a sheet
in the import's format, each record's code in the first column."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from programs.imports.sheets import SHEETS
from programs.imports.writer import write_export
from programs.management.commands.import_sheet import command_user
from programs.models import PartyCommittee
from programs.permissions import committee_subtree_ids


class Command(BaseCommand):
    help = (
        "Export villages, households, committees, cells, members or assignments to an XLSX file "
        "that import_sheet reads back (export → import changes nothing): everything, or with "
        "--committee ID the committee and those below it; --user limits it to that user's scope."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="the .xlsx file to write")
        parser.add_argument("--kind", required=True, choices=list(SHEETS))
        parser.add_argument("--committee", type=int, help="only this committee's subtree")
        parser.add_argument("--user", help="export as this user (their scope)")

    def handle(self, *args, out, kind, committee, user, **options):
        committees = None
        if committee is not None:
            if not PartyCommittee.objects.filter(pk=committee).exists():
                raise CommandError(f"No party committee has the id {committee}.")
            committees = committee_subtree_ids(committee)
        acting = command_user(user)
        bar = tqdm(unit=" rows", disable=options["verbosity"] == 0, file=sys.stderr)
        with translation.override("vi"), bar:
            count = write_export(kind, out, user=acting, committees=committees, progress=bar.update)
        self.stdout.write(f"Wrote {count} rows to {out}.")

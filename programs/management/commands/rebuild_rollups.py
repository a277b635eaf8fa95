"""``manage.py rebuild_rollups``: recompute every monthly roll-up from the confirmed logs."""

from django.core.management.base import BaseCommand

from programs.models import RollupDirty
from programs.services.rollups import rollup_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the monthly roll-ups (CellMonthRollup) of every cell from the confirmed logs "
        "and clear the list of months to recompute. Idempotent: run it on an existing database, "
        "after a restore, or whenever rows were written around the application."
    )

    def handle(self, *args, **options):
        waiting = RollupDirty.objects.count()
        rows = rollup_rebuild()
        self.stdout.write(
            f"Monthly roll-ups rebuilt: {rows:,} rows ({waiting:,} months were waiting)."
        )

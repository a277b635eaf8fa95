"""``manage.py generate_scale_data``: the synthetic province of ``sample_data.scale``."""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sample_data.scale import (
    DEFAULT_OFFICER_PASSWORD,
    DEFAULT_OFFICER_USERNAME,
    PRESETS,
    ScaleError,
    scale_config,
    scale_generate,
)

# The options that describe the data (``scale_config``'s arguments), as argparse names them.
CONFIG_OPTIONS = (
    "preset",
    "seed",
    "committees",
    "cells_per_committee",
    "members_per_cell",
    "months",
    "communes",
    "villages",
    "officer_username",
    "officer_password",
)


class Command(BaseCommand):
    help = (
        "Generate a synthetic province for load tests: communes, villages and households, a "
        "Tỉnh ủy with N committees of C cells (each assigned a village under 21-KH/TU) of M "
        "members, and K months of weekend sessions ending with next month's plan, with "
        "attendance, work outputs and logs. The same seed gives the same data (on the same "
        "day). '--preset province' is 124 communes, 1,800 villages, 1,500 cells × 30 members "
        "and 36 months (~54,000 sessions, ~800,000 attendance rows). Refuses to run twice for "
        "one seed unless --replace. The officer user (officer of the Tỉnh ủy, so the whole "
        "province is in scope) gets the given password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), help="Start from these numbers.")
        parser.add_argument("--committees", type=int, help="Committees under the Tỉnh ủy.")
        parser.add_argument("--cells-per-committee", type=int, help="Party cells per committee.")
        parser.add_argument("--members-per-cell", type=int, help="Members of each cell.")
        parser.add_argument(
            "--months", type=int, help="Months of sessions, ending with next month."
        )
        parser.add_argument("--communes", type=int, help="Communes (default: one per ~12 cells).")
        parser.add_argument(
            "--villages", type=int, help="Villages (default: a fifth more than cells)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default: 1).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete this seed's scale data first, if there is any.",
        )
        parser.add_argument(
            "--officer-username",
            default=DEFAULT_OFFICER_USERNAME,
            help=f"The officer's username (default: {DEFAULT_OFFICER_USERNAME!r}).",
        )
        parser.add_argument(
            "--officer-password",
            default=DEFAULT_OFFICER_PASSWORD,
            help=f"The officer's password (default: {DEFAULT_OFFICER_PASSWORD!r}).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar on stderr.")

    def handle(self, *args, **options):
        try:
            config = scale_config(**{name: options[name] for name in CONFIG_OPTIONS})
        except ScaleError as error:
            raise CommandError(str(error)) from error
        if not settings.DEBUG and options["verbosity"] > 0:
            self.stderr.write(
                self.style.WARNING(
                    "DEBUG is off: writing synthetic data into what may be a production database."
                )
            )
        quiet = options["no_progress"] or options["verbosity"] == 0
        started = time.monotonic()
        with tqdm(
            total=config.step_count,
            disable=quiet or not sys.stderr.isatty(),
            file=sys.stderr,
            unit="step",
        ) as bar:

            def step(label: str):
                bar.set_description(label)
                bar.update()

            try:
                result = scale_generate(config=config, replace=options["replace"], progress=step)
            except ScaleError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(f"{result.summary()} ({time.monotonic() - started:.1f} s)")

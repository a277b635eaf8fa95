"""``manage.py send_notifications``: plan the reminders that are due and send every waiting
notification once (``programs.notifications.sender``)."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from programs.notifications.sender import run_once


class Command(BaseCommand):
    help = (
        "Plan the reminders and notices that are due (coming sessions, late logs, the month's "
        "cells that held nothing) and send every waiting notification by e-mail, in the "
        "application and to phones, each exactly once. Safe to run every few minutes from cron "
        "or a systemd timer, and safe to run twice at once. A failed send is retried later "
        "with back-off. --loop keeps running, one round every --interval seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="Run as a long-lived process (Ctrl+C stops it)."
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="Seconds between two rounds with --loop (default 60).",
        )

    def handle(self, *args, loop, interval, **options):
        while True:
            summary = run_once()
            self.stdout.write(f"Notifications: {summary}.")
            if not loop:
                return
            # A long-lived process must not keep a connection the database has closed.
            close_old_connections()
            time.sleep(max(interval, 1))

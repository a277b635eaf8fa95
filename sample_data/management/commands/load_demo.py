"""``manage.py load_demo``: the demo world of ``sample_data.demo``, guarded by DEBUG."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sample_data.demo import DEFAULT_PASSWORD, DemoError, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo world of the Lâm Bình article: Tuyên Quang, Lâm Bình and xã Bình An "
        "before and after the 2025 reform, Đề án 02-ĐA/TU and Kế hoạch 54-KH/HU, the cells of "
        "Đảng ủy Cơ quan Chính quyền huyện with their villages and members, about six months "
        "of sessions around today and next month's plan, and the demo users admin, officer, "
        "viewer, secretary and secretary2. Safe to run again: it marks the rows it creates and "
        "changes only those, and only while nobody has changed them since. It never changes or "
        "deletes what people entered or edited (sessions, logs, photos, assignments, a renamed "
        "village, roles given to a demo user) and never deletes a file; a demo session people "
        "used is theirs from then on. Its own unused sessions follow today's date, and those "
        "that left the schedule are deleted. Where people's rows take the demo's place (a "
        "session on the same day, an assignment of the same cell), the demo gives way and the "
        "summary says so. It resets the demo users' passwords, so it runs only with DEBUG on "
        "unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password for every demo user (default: {DEFAULT_PASSWORD!r}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (for example, on a staging server).",
        )

    def handle(self, *args, password, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: load_demo writes the demo data and resets the demo users' "
                "passwords, so it refuses to run on what may be a production database. "
                "Pass --force if you mean it."
            )
        if not password:
            raise CommandError("The demo password must not be empty.")
        try:
            result = demo_load(password=password)
        except DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(result.summary())
        width = max(len(login.username) for login in result.logins)
        for login in result.logins:
            self.stdout.write(
                f"  {login.username:<{width}}  {login.role}  (password: {login.password})"
            )

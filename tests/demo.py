"""The demo world in tests: the one place tests/ imports the demo loader from (its module may
move; the command's name, ``load_demo``, stays), and ``load``, which runs the command as
``make run`` does.

Tests that only read the demo take the ``demo`` fixture (tests/conftest.py): loaded once per
module inside a transaction that is rolled back at the module's end. Tests that change the
demo, or load it themselves, call ``load`` or ``demo_load`` on their own database.
"""

from io import StringIO

from django.core.management import call_command

from sample_data.demo import AGENCY_CELLS, _schedule, demo_load

__all__ = ["AGENCY_CELLS", "DEMO_USERS", "_schedule", "demo_load", "load"]

DEMO_USERS = ["admin", "officer", "viewer", "secretary", "secretary2", "host"]


def load(*args, **options) -> str:
    """Run ``load_demo`` with command-line ``args`` and ``options``; what it printed."""
    out = StringIO()
    call_command("load_demo", *args, stdout=out, **options)
    return out.getvalue()

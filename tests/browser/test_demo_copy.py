"""The browser tests' committed demo (``demo_site``): a copy put back after the flush is the
database and the files a load leaves, row for row."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.browser.conftest import _DemoCopy, _flushed_tables, _read_table
from tests.conftest import _seed_work_types

pytestmark = pytest.mark.django_db(transaction=True)


def _state() -> dict[str, list]:
    with connection.cursor() as cursor:
        tables = {table: _read_table(cursor, table) for table in _flushed_tables()}
    if connection.vendor == "postgresql":
        return {table: sorted(data.splitlines()) for table, data in tables.items()}
    return {table: sorted(map(repr, rows)) for table, (_columns, rows) in tables.items()}


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_copy_put_back_after_the_flush_is_the_demo_loaded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "loaded"
    call_command("load_demo", password="demo", force=True, stdout=io.StringIO())
    loaded, loaded_files = _state(), _files(tmp_path / "loaded")
    copy = _DemoCopy.take(None, tmp_path / "loaded")
    assert sum(len(rows) for rows in loaded.values()) > 500
    assert loaded_files  # the article's photos

    call_command("flush", interactive=False)
    _seed_work_types()  # as after every browser test's flush (the autouse fixture)
    assert _state() != loaded
    copy.put_back(tmp_path / "put-back")

    assert _state() == loaded
    assert _files(tmp_path / "put-back") == loaded_files

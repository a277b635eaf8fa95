"""The Vietnamese catalogue is complete, compiled, and formats follow Vietnamese conventions."""

import datetime
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_vietnamese_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = polib.pofile(str(PO_FILE))
    assert len(catalogue) > 50
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_source():
    compiled = polib.mofile(str(PO_FILE.with_suffix(".mo")))
    source = polib.pofile(str(PO_FILE))
    translated = {(e.msgctxt, e.msgid): e.msgstr for e in source.translated_entries()}
    assert {(e.msgctxt, e.msgid): e.msgstr for e in compiled if e.msgid} == translated


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed"
)
def test_catalogue_is_up_to_date_with_the_code(tmp_path):
    """Every translatable string in the code is in the catalogue (run `make messages`)."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "node_modules",
            "*.sqlite3",
            "media",
            ".test-media",
            "staticfiles",
            ".pytest_cache",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "vi",
            "--no-obsolete",
            "--add-location",
            "file",
            "--ignore",
            "tests/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "PYTHONPATH": str(copy)},
    )
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / PO_FILE.relative_to(ROOT)))}
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO_FILE))}
    assert sorted(fresh - committed, key=str) == []


def test_vietnamese_formats():
    with translation.override("vi"):
        assert formats.date_format(datetime.date(2027, 2, 6), "SHORT_DATE_FORMAT") == "06/02/2027"
        assert (
            formats.number_format(
                Decimal("1250.5"), decimal_pos=1, use_l10n=True, force_grouping=True
            )
            == "1.250,5"
        )
        assert translation.gettext("Overview") == "Tổng quan"

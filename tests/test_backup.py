"""Backup and restore: one archive holds the rows and the media files, restore puts them back,
and an archive that is unsafe or too new is refused before anything changes.

These tests commit (a restore runs migrate, flush and loaddata), so they use transactional
databases, flushed after each test.
"""

import datetime
import io
import json
import re
import shutil
import tarfile
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.migrations.loader import MigrationLoader

from programs.models import LabourSession, Photo, SessionChange, WorkOutput, WorkType
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Put back the work types that migration 0002 seeds.

    pytest-django flushes the database after every transactional test, seeds included. The
    flush runs after this fixture's teardown, so re-seeding after a test would be undone:
    the seed is applied before each test instead, as tests/browser/conftest.py does.
    """
    import_module("programs.migrations.0002_seed_work_types").seed(apps, None)


@pytest.fixture
def demo():
    """The whole demo world, for the round trip: every model, many rows, two photo files."""
    call_command("load_demo", password="demo", force=True, stdout=io.StringIO())


@pytest.fixture
def small_site(settings):
    """A little of everything an archive carries: a committee, a cell, a user with a role
    who logs in with "demo", a held session with an output and a photo (its file in
    MEDIA_ROOT), a history entry.

    For the tests whose point is what restore checks before it changes anything (a database
    in use, an unsafe member, newer code): those checks read the manifest, the members' names
    and the database's row counts, never how many rows there are, so they take the same code
    paths with this as with the demo (which cost some seconds to load for each test; the
    round trip above still backs up and restores the whole demo)."""
    committee = factories.committee()
    cell = factories.cell(committee=committee)
    factories.user("officer", password="demo", role="officer", target=committee)
    factories.user("secretary", password="demo", role="secretary", target=cell)
    session = factories.session(cell=cell, status="held", log_status="submitted")
    work_type = WorkType.objects.first()
    WorkOutput.objects.create(session=session, work_type=work_type, quantity=40, unit="m")
    SessionChange.objects.create(session=session, action=SessionChange.Action.CREATED)
    photo = Photo(session=session, caption="Ảnh")
    photo.image.save("p.jpg", ContentFile(factories.jpeg()), save=False)
    photo.save()
    assert _media_files(Path(settings.MEDIA_ROOT))


# Sums of other rows, left out of archives and rebuilt by restore (programs.backup): what
# they hold before and after says nothing about what people entered.
DERIVED = {"programs.cellmonthrollup", "programs.rollupdirty"}


def _counts():
    models = [*apps.get_app_config("programs").get_models(), User, Group, LogEntry]
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in models
        if model._meta.label_lower not in DERIVED
    }


def _rows():
    """Every column of the rows most worth keeping exactly: ids, timestamps, password hashes.

    Times to the millisecond: Django's JSON encoder writes no finer (nothing here compares
    timestamps; stale edits are caught by an integer version)."""

    def ms(value):
        if isinstance(value, datetime.datetime):
            return value.replace(microsecond=value.microsecond // 1000 * 1000)
        return value

    return {
        model._meta.label_lower: [
            {name: ms(value) for name, value in row.items()}
            for row in model._base_manager.order_by("pk").values()
        ]
        for model in (User, LabourSession, Photo)
    }


def _media_files(root: Path):
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


def _backup(path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output=path, stdout=out)
    assert out.getvalue().startswith(f"Backup written to {path}: ")
    return path


def _restore(path: Path, **options) -> str:
    out = io.StringIO()
    call_command("restore", path, stdout=out, **options)
    return out.getvalue()


def _copy(source: Path, target: Path, *, manifest=None, extra=()) -> Path:
    """A copy of the archive ``source``, its manifest changed by ``manifest(dict)`` and the
    ``extra`` (TarInfo, bytes or None) members appended."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            content = old.extractfile(member).read() if member.isfile() else None
            if member.name == "manifest.json" and manifest:
                data = json.loads(content)
                manifest(data)
                content = json.dumps(data).encode()
                member.size = len(content)
            new.addfile(member, io.BytesIO(content) if content is not None else None)
        for info, content in extra:
            if content is not None:
                info.size = len(content)
            new.addfile(info, io.BytesIO(content) if content is not None else None)
    return target


def test_restore_brings_back_rows_logins_and_photos(demo, client, settings, tmp_path):
    media_root = Path(settings.MEDIA_ROOT)
    counts, rows, files = _counts(), _rows(), _media_files(media_root)
    assert counts["programs.photo"] > 0
    photo_files = {photo.image.name for photo in Photo.objects.all()}
    assert photo_files <= files.keys()

    archive = _backup(tmp_path / "site.tar.gz")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["counts"]["programs.laboursession"] == counts["programs.laboursession"]
    # The latest migration on disk, not a squashed one's replaced name (0008_data_versions).
    assert manifest["migrations"]["programs"] == max(
        name for app_label, name in MigrationLoader(None).disk_migrations if app_label == "programs"
    )

    call_command("flush", interactive=False)
    shutil.rmtree(media_root)
    assert not User.objects.exists()

    summary = _restore(archive)

    assert summary.startswith(f"Restored {archive} (made ")
    assert _counts() == counts
    assert _rows() == rows
    assert _media_files(media_root) == files
    assert client.login(username="officer", password="demo")
    # New rows take ids after the restored ones (PostgreSQL sequences moved past them).
    session = factories.session()
    assert session.pk > max(row["id"] for row in rows["programs.laboursession"])
    assert factories.user("newcomer").pk > max(row["id"] for row in rows["auth.user"])


def test_restore_refuses_a_database_in_use_unless_forced(small_site, client, tmp_path):
    archive = _backup(tmp_path / "site.tar.gz")
    counts = _counts()
    factories.user("intruder")

    with pytest.raises(CommandError, match="already holds data"):
        _restore(archive)

    assert User.objects.filter(username="intruder").exists()
    assert _counts() == {**counts, "auth.user": counts["auth.user"] + 1}

    assert "after deleting the data that was there" in _restore(archive, force=True)
    assert _counts() == counts
    assert not User.objects.filter(username="intruder").exists()
    assert client.login(username="secretary", password="demo")


def _member(name, kind=tarfile.REGTYPE, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


OUTSIDE = "would be written outside"
LINK = "is a link"


@pytest.mark.parametrize(
    ("evil", "refusal"),
    [
        (lambda outside: (_member("../evil.txt"), b"x"), OUTSIDE),
        (lambda outside: (_member("media/../../evil.txt"), b"x"), OUTSIDE),
        (lambda outside: (_member(str(outside)), b"x"), OUTSIDE),
        (lambda outside: (_member("media/a.jpg", tarfile.SYMTYPE, str(outside)), None), LINK),
        (lambda outside: (_member("media/a.jpg", tarfile.LNKTYPE, "../evil.txt"), None), LINK),
    ],
    ids=["dot-dot", "dot-dot-in-media", "absolute", "symlink", "hardlink"],
)
def test_restore_refuses_members_outside_media_root(small_site, settings, tmp_path, evil, refusal):
    media_root = Path(settings.MEDIA_ROOT)
    outside = tmp_path / "evil.txt"
    archive = _copy(
        _backup(tmp_path / "site.tar.gz"),
        tmp_path / "evil.tar.gz",
        # A harmless file first: nothing at all is written when any member is unsafe.
        extra=[(_member("media/harmless.txt"), b"ok"), evil(outside)],
    )
    counts, files = _counts(), _media_files(media_root)

    with pytest.raises(CommandError, match=f"Refusing {archive}: the member .* {refusal}"):
        # Even with --force, which would first empty the database.
        _restore(archive, force=True)

    assert not outside.exists()
    assert _media_files(media_root) == files
    assert _counts() == counts


def _archive_naming(tmp_path, migration: str) -> Path:
    """A backup of the site whose manifest names ``migration`` as the programs app's latest."""

    def naming(manifest):
        manifest["migrations"]["programs"] = migration

    return _copy(_backup(tmp_path / "site.tar.gz"), tmp_path / "named.tar.gz", manifest=naming)


def test_restore_takes_an_archive_made_before_the_migrations_were_squashed(small_site, tmp_path):
    archive = _archive_naming(tmp_path, "0008_data_versions")
    counts = _counts()
    call_command("flush", interactive=False)

    _restore(archive)

    assert _counts() == counts


def test_restore_refuses_an_archive_from_newer_code(small_site, tmp_path):
    archive = _archive_naming(tmp_path, "9999_from_the_future")
    counts = _counts()

    with pytest.raises(CommandError, match=r"newer version.*programs\.9999_from_the_future"):
        _restore(archive, force=True)

    assert _counts() == counts


def test_backup_is_named_after_the_time_and_never_overwrites_or_goes_into_media(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    call_command("backup", stdout=io.StringIO())

    [archive] = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"civic-labour-\d{8}-\d{6}\.tar\.gz", archive.name)
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=archive, stdout=io.StringIO())
    with pytest.raises(CommandError, match="inside MEDIA_ROOT"):
        call_command("backup", output=Path(settings.MEDIA_ROOT) / "a.tar.gz")

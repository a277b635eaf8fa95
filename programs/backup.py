"""Backups: the whole site in one ``.tar.gz`` archive, and putting such an archive back.

An archive holds, in this order:

- ``manifest.json`` — when it was made, the Django version, the latest applied migration of
  every app and the number of rows of every model it holds;
- ``database.jsonl`` — ``dumpdata`` output (JSON Lines, one row a line, foreign keys to content
  types and permissions as natural keys) of every model a working site needs;
- ``media/…`` — every uploaded file (session photos, thumbnails, directive files), read
  through Django's default storage: the folder ``MEDIA_ROOT``, or the S3 bucket when
  ``S3_BUCKET`` is set.

JSON Lines rather than one JSON document because Django reads it line by line: neither the
backup nor the restore holds the whole database in memory. Primary keys are kept as they are
(no natural primary keys), so ids in admin history entries and in bookmarked addresses still
point at the same rows after a restore.
"""

import io
import json
import os
import posixpath
import shutil
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from programs.services.rollups import rollup_rebuild

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
DATA = "database.jsonl"
MEDIA = "media"

# Not backed up: content types and permissions are recreated by ``migrate`` (the dump refers
# to them by natural key), logins and django-axes' lockout logs are not worth restoring.
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
# The monthly roll-ups are sums of the rows backed up: a restore recomputes them. The data
# versions only tell cached reports apart (``reports.cache``): a restore's writes start new ones.
EXCLUDED_MODELS = {
    "auth.permission",
    "programs.cellmonthrollup",
    "programs.rollupdirty",
    "programs.dataversion",
}
# Rows the migrations insert (0002_seed_work_types): a freshly migrated database has them and
# the archive brings its own copy, so they are replaced and do not make the database "in use".
SEEDED_MODELS = {"programs.worktype"}


class BackupError(Exception):
    """The archive cannot be written, or must not (or could not) be restored."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    counts: dict[str, int]
    media_files: int
    size: int

    def summary(self) -> str:
        return (
            f"Backup written to {self.path}: {sum(self.counts.values())} rows of "
            f"{len(self.counts)} models, {self.media_files} media files, "
            f"{self.size / 1000:,.0f} kB."
        )


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    created_at: str
    counts: dict[str, int]
    media_files: int
    flushed: bool

    def summary(self) -> str:
        replaced = " after deleting the data that was there" if self.flushed else ""
        return (
            f"Restored {self.path} (made {self.created_at}){replaced}: "
            f"{sum(self.counts.values())} rows of {len(self.counts)} models, "
            f"{self.media_files} media files."
        )


def backed_up_models():
    """The models whose rows an archive holds: everything but what ``migrate`` recreates and
    the login and lockout records."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in EXCLUDED_APPS
        and model._meta.label_lower not in EXCLUDED_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ]


def _backup_path(output: Path | None, created_at) -> Path:
    """``output``, or ``backups/civic-labour-YYYYMMDD-HHMMSS.tar.gz`` in the project folder;
    refused when it exists or lies where uploaded files are served from."""
    if output is None:
        stamp = timezone.localtime(created_at).strftime("%Y%m%d-%H%M%S")
        output = Path(settings.BASE_DIR) / "backups" / f"civic-labour-{stamp}.tar.gz"
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} already exists; choose another file name.")
    if output.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise BackupError(
            f"{output} is inside MEDIA_ROOT, where uploaded files are served from; "
            f"write backups elsewhere."
        )
    return output


def _dump_rows(data_path: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Write every backed-up row to ``data_path`` (JSON lines) from one snapshot; return the
    row count of each model and the latest applied migration of each app, read in the same
    snapshot so they agree with the rows."""
    with _snapshot():
        models = backed_up_models()
        counts = {model._meta.label_lower: model._base_manager.count() for model in models}
        # dumpdata streams row by row into the file (no output= path: that would be
        # written in the locale's encoding, which need not be UTF-8).
        with data_path.open("w", encoding="utf-8") as stream:
            call_command(
                "dumpdata",
                *(model._meta.label for model in models),
                format="jsonl",
                natural_foreign=True,
                use_base_manager=True,
                stdout=stream,
                verbosity=0,
            )
        return counts, _latest_applied_migrations()


def _add_media(archive: tarfile.TarFile, mtime: int) -> int:
    """Add every stored upload under ``media/``; return how many."""
    added = 0
    for name in _stored_files(default_storage):
        with default_storage.open(name, "rb") as stream:
            info = tarfile.TarInfo(f"{MEDIA}/{name}")
            info.size = stream.size
            info.mtime = mtime
            info.mode = 0o644
            archive.addfile(info, stream)
        added += 1
    return added


def backup_create(*, output: Path | None = None) -> BackupResult:
    """Write the database and the uploaded files to one new ``.tar.gz`` archive.

    Side effects: creates ``output`` — by default
    ``backups/civic-labour-YYYYMMDD-HHMMSS.tar.gz`` in the project folder — and its folder,
    and a temporary folder next to it while the archive is written; the archive only appears
    once complete. The database is only read, in one transaction (a repeatable-read snapshot
    on PostgreSQL), so the rows agree with each other and with the counts in the manifest even
    while the site is in use. Media files are read afterwards: a photo deleted meanwhile is
    missing from the archive.
    """
    created_at = timezone.now()
    output = _backup_path(output, created_at)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        data_path = Path(work) / DATA
        counts, migrations = _dump_rows(data_path)
        manifest = {
            "format": ARCHIVE_FORMAT,
            "created_at": created_at.isoformat(),
            "django": django.get_version(),
            "database": connection.vendor,
            "migrations": migrations,
            "counts": counts,
        }
        partial = Path(work) / output.name
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
            archive.add(data_path, arcname=DATA)
            media_files = _add_media(archive, int(created_at.timestamp()))
        os.replace(partial, output)
    return BackupResult(
        path=output, counts=counts, media_files=media_files, size=output.stat().st_size
    )


def backup_restore(*, path: Path, force: bool = False) -> RestoreResult:
    """Put the rows and media files of an archive made by ``backup_create`` back.

    Refuses with ``BackupError``, before changing anything, an archive that is not one of ours,
    that holds a member with an absolute path, a ``..`` part, a link or a special file, or that
    was made by code with migrations this code does not have.

    Side effects: runs ``migrate``. Then, in one transaction: refuses a database that already
    holds users or site data unless ``force``, which deletes everything first (``flush``);
    replaces the rows the migrations seeded; loads the dump (``loaddata``, which also moves
    PostgreSQL's id sequences past the restored ids), checks the rows per model against the
    manifest and rebuilds the monthly roll-ups (not in the archive: they are sums). Last,
    writes the media files to the default storage (MEDIA_ROOT, or the S3 bucket), replacing
    files of the same name.
    """
    path = Path(path)
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{path} is not a readable .tar.gz archive: {error}") from error
    with archive:
        members = _checked_members(archive, path)
        manifest = _read_manifest(archive, members, path)
        _check_migrations(manifest, path)

        call_command("migrate", interactive=False, verbosity=0)
        with tempfile.TemporaryDirectory(prefix="civic-restore-") as work:
            data_path = Path(work) / DATA
            with archive.extractfile(members[DATA]) as source, data_path.open("wb") as target:
                shutil.copyfileobj(source, target)
            with transaction.atomic():
                if force:
                    call_command("flush", interactive=False, verbosity=0)
                else:
                    _check_empty()
                for label in SEEDED_MODELS:
                    apps.get_model(label)._base_manager.all().delete()
                try:
                    call_command("loaddata", str(data_path), verbosity=0)
                except (DeserializationError, DatabaseError) as error:
                    raise BackupError(
                        f"{path} could not be loaded, nothing was restored: {error}"
                    ) from error
                counts = _check_counts(manifest, path)
                rollup_rebuild()  # loaddata wrote the rows around the services
        media_files = _restore_media(archive, members, default_storage)
    return RestoreResult(
        path=path,
        created_at=manifest["created_at"],
        counts=counts,
        media_files=media_files,
        flushed=force,
    )


@contextmanager
def _snapshot():
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # PostgreSQL's default (read committed) gives every query its own moment: a photo
            # added during the backup could reference a session dumped before it existed.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _latest_applied_migrations() -> dict[str, str]:
    """Per app, the latest applied migration that is on disk. Django numbers migration names
    (0001_…, 0002_…), so the greatest name is the latest. A squashed migration's replaced
    names stay recorded as applied after their files are gone (0008_data_versions, say), and
    would outrank a later migration numbered 0003: they are left out, or a restore into code
    without that later migration would pass the check."""
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = set(MigrationRecorder(connection).applied_migrations())
    current = applied & on_disk
    apps_on_disk = {app_label for app_label, _ in current}
    latest = {}
    for app_label, name in current | {key for key in applied if key[0] not in apps_on_disk}:
        latest[app_label] = max(name, latest.get(app_label, name))
    return dict(sorted(latest.items()))


def _add_bytes(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(content))


def _stored_files(storage, folder=""):
    """Every file name in the storage, folder by folder in a stable order."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # MEDIA_ROOT not created yet: nothing uploaded.
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for name in sorted(folders):
        yield from _stored_files(storage, posixpath.join(folder, name))


def _checked_members(archive, path) -> dict:
    """Every member by name, once each is known to be a plain file or folder that stays
    inside the folder it is extracted to."""
    members = {}
    for member in archive.getmembers():
        name = PurePosixPath(member.name)
        if name.is_absolute() or ".." in name.parts or not name.parts:
            raise BackupError(
                f"Refusing {path}: the member {member.name!r} would be written outside the "
                f"folder it belongs in."
            )
        if not (member.isfile() or member.isdir()):
            raise BackupError(
                f"Refusing {path}: the member {member.name!r} is a link or a special file; "
                f"a backup holds only plain files."
            )
        in_media = name.parts[0] == MEDIA and (member.isdir() or len(name.parts) > 1)
        if str(name) not in (MANIFEST, DATA) and not in_media:
            raise BackupError(f"Refusing {path}: unexpected member {member.name!r}.")
        members[str(name)] = member
    return members


def _read_manifest(archive, members, path) -> dict:
    not_ours = f"{path} is not a Civic Labour backup (no readable {MANIFEST} and {DATA})."
    if MANIFEST not in members or DATA not in members or not members[DATA].isfile():
        raise BackupError(not_ours)
    try:
        with archive.extractfile(members[MANIFEST]) as stream:
            manifest = json.load(stream)
    except (ValueError, tarfile.TarError) as error:
        raise BackupError(not_ours) from error
    if not isinstance(manifest, dict) or not isinstance(manifest.get("migrations"), dict):
        raise BackupError(not_ours)
    if manifest.get("format") != ARCHIVE_FORMAT or not isinstance(manifest.get("counts"), dict):
        raise BackupError(f"{path} has an archive format this code does not read.")
    return manifest


def _check_migrations(manifest, path):
    """Refuse an archive made by newer code: its rows may have columns this schema lacks."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        # A squashed migration stands for the ones it replaced, which may since be deleted.
        known.update(migration.replaces)
    installed = {config.label for config in apps.get_app_configs()}
    newer = [
        f"{app_label}.{name}"
        for app_label, name in sorted(manifest["migrations"].items())
        if app_label in installed and (app_label, name) not in known
    ]
    missing_apps = sorted(
        {
            label.partition(".")[0]
            for label, count in manifest["counts"].items()
            if count and label.partition(".")[0] not in installed
        }
    )
    if newer or missing_apps:
        unknown = ", ".join(newer + [f"the app {label}" for label in missing_apps])
        raise BackupError(
            f"Refusing {path}: it was made by a newer version of Civic Labour ({unknown}: not "
            f"in this code). Restore it with the version that made it, or a later one."
        )


def _check_empty():
    in_use = [
        model._meta.label_lower
        for model in backed_up_models()
        if model._meta.label_lower not in SEEDED_MODELS and model._base_manager.exists()
    ]
    if in_use:
        named = ", ".join(in_use[:3]) + (f" and {len(in_use) - 3} more" if len(in_use) > 3 else "")
        raise BackupError(
            f"The database already holds data ({named}): a restore goes into an empty "
            f"database only. Use --force to delete everything in it first."
        )


def _check_counts(manifest, path) -> dict[str, int]:
    counts = {}
    for label, expected in sorted(manifest["counts"].items()):
        counts[label] = apps.get_model(label)._base_manager.count() if expected else 0
        if counts[label] != expected:
            raise BackupError(
                f"Restoring {path} gave {counts[label]} rows of {label} instead of the "
                f"{expected} the manifest lists; nothing was restored."
            )
    return counts


def _restore_media(archive, members, storage) -> int:
    written = 0
    for name, member in members.items():
        parts = PurePosixPath(name).parts
        if parts[0] != MEDIA or not member.isfile():
            continue
        stored_name = "/".join(parts[1:])
        # Replace a file of the same name: save() would otherwise pick a new name for it.
        storage.delete(stored_name)
        with archive.extractfile(member) as source:
            saved = storage.save(stored_name, File(source, name=stored_name))
        if saved != stored_name:
            raise BackupError(f"The media file {stored_name} was stored as {saved}.")
        written += 1
    return written

"""Uploaded sheets waiting for their confirmation.

The uploaded file is kept in the default storage under the user's id until it is imported or
replaced (``imports/<user id>/<upload id>``), and the user's session remembers which upload the
preview showed: the confirmation sends only that id and a one-time token, never the file again.
An upload previewed and never confirmed is removed when anyone next uploads a file, once it is
more than ``STALE_UPLOAD_AGE`` old (no scheduled job needed).
"""

import datetime
import uuid
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.utils import timezone

from .sheets import SHEETS

SESSION_KEY = "civic_import"
UPLOADS_DIR = "imports"
STALE_UPLOAD_AGE = datetime.timedelta(hours=24)


def remove_stale_uploads(now=None) -> int:
    """Delete every user's uploads older than ``STALE_UPLOAD_AGE`` (previewed, never
    confirmed); returns how many. A file another request deletes meanwhile is skipped."""
    limit = (now or timezone.now()) - STALE_UPLOAD_AGE
    removed = 0
    try:
        folders, _files = default_storage.listdir(UPLOADS_DIR)
    except FileNotFoundError:
        return 0
    for folder in folders:
        _subfolders, names = default_storage.listdir(f"{UPLOADS_DIR}/{folder}")
        for name in names:
            path = f"{UPLOADS_DIR}/{folder}/{name}"
            try:
                if default_storage.get_modified_time(path) < limit:
                    default_storage.delete(path)
                    removed += 1
            except FileNotFoundError:
                continue
    return removed


def keep_upload(request, form) -> dict:
    """Store the upload under the user's id, forgetting (and deleting) their previous one and
    every user's stale ones."""
    forget_upload(request)
    remove_stale_uploads()
    upload = form.cleaned_data["file"]
    upload_id = str(uuid.uuid4())
    suffix = PurePosixPath(upload.name).suffix.lower()
    path = default_storage.save(f"{UPLOADS_DIR}/{request.user.pk}/{upload_id}{suffix}", upload)
    pending = {
        "id": upload_id,
        "kind": form.cleaned_data["kind"],
        "name": upload.name[:200],
        "path": path,
    }
    request.session[SESSION_KEY] = pending
    return pending


def pending_upload(request, upload_id) -> dict | None:
    """The upload the user's last preview showed, if ``upload_id`` names it and it is theirs."""
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("id") != str(upload_id):
        return None
    if not str(pending.get("path", "")).startswith(f"imports/{request.user.pk}/"):
        return None
    return pending if pending.get("kind") in SHEETS else None


def forget_upload(request) -> None:
    """Forget the user's pending upload and delete its file."""
    pending = request.session.pop(SESSION_KEY, None)
    if isinstance(pending, dict) and str(pending.get("path", "")).startswith(
        f"imports/{request.user.pk}/"
    ):
        default_storage.delete(pending["path"])

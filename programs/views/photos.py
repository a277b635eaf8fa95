"""Session photos, served only to the people who may see the session.

Photos show villagers' homes and faces, so the media folder is never linked directly: every
image goes through this view, which checks the session's scope first.
"""

import os

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from programs import permissions
from programs.models import Photo


@login_required
@require_safe
def session_photo(request, pk, photo_id):
    """The photo (or, with ``?size=thumb``, its thumbnail) of a session the user may see."""
    session = permissions.get_session_or_404(request.user, pk)
    photo = get_object_or_404(Photo, pk=photo_id, session=session)
    file = photo.image
    if request.GET.get("size") == "thumb" and photo.thumbnail:
        file = photo.thumbnail
    if not file:
        raise Http404
    try:
        handle = file.storage.open(file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    # Every upload is re-encoded as JPEG (programs.photos), whatever its original format.
    response = FileResponse(handle, content_type="image/jpeg", filename=os.path.basename(file.name))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response

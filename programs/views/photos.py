"""Session photos, served only to the people who may see the session.

Photos show villagers' homes and faces, so the media folder is never linked directly: every
image goes through this view, which checks the session's scope first.
"""

import os

from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from programs import permissions
from programs.models import Directive, Photo


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
    # Every upload is re-encoded as JPEG (programs.photos), whatever its original format.
    return _stored_file_response(file, content_type="image/jpeg")


def _stored_file_response(file, *, content_type=None, as_attachment=False):
    try:
        handle = file.storage.open(file.name, "rb")
    except (FileNotFoundError, OSError, SuspiciousFileOperation):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=as_attachment,
        filename=os.path.basename(file.name),
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def media_file(request, name):
    """A file under MEDIA_URL, by its stored name, after the same checks as its own page.

    The admin site links uploads by their storage URL; this view answers those links so the
    web server never needs to expose the media folder. Photos need the session's scope;
    directive attachments are readable by every signed-in user and always downloaded, never
    shown inline (an uploaded HTML file must not run in our origin). Names are matched
    against the database, so "../" tricks find nothing.
    """
    if name.startswith("directives/"):
        directive = Directive.objects.filter(attachment=name).first()
        if directive is None:
            raise Http404
        return _stored_file_response(directive.attachment, as_attachment=True)
    photo = (
        Photo.objects.filter(Q(image=name) | Q(thumbnail=name)).first()
        if name.startswith("sessions/")
        else None
    )
    if photo is None:
        raise Http404
    permissions.get_session_or_404(request.user, photo.session_id)
    file = photo.image if photo.image.name == name else photo.thumbnail
    return _stored_file_response(file, content_type="image/jpeg")

"""Every text a client sends is stored in one Unicode form (NFC), whatever its keyboard sent.

Why a middleware, and why here: every form of the site — the pages' forms, the admin's change
forms, its search box and filters, the log form's "find people" — reads its text from
``request.GET`` and ``request.POST``. Normalising those two once, before any view, form or
admin code sees them, covers every present and future form without each field remembering to
do it, and search terms are compared in the same form as the stored names. Doing it on the way
into the database instead (a ``pre_save`` hook) would miss search terms and ``update()``, and
put hidden logic in the save path.

Uploaded files are left as they are (photos are re-encoded anyway; attachments are the
sender's). Reading ``request.POST`` here parses the body before the view runs; that is what
``CsrfViewMiddleware`` does for every POST anyway, and nothing in this project changes
``request.upload_handlers`` in a view (the only thing that early parsing would prevent).
"""

from django.http import QueryDict
from django.http.request import UnreadablePostError

from programs.text import nfc

UTF8 = {"utf-8", "utf8"}


def _clean(value: str) -> str:
    # NFC, and without NUL characters: no text holds one, and PostgreSQL refuses them in a
    # query (a search term, an autocomplete term…) with an error instead of finding nothing.
    return nfc(value.replace("\x00", "")) if "\x00" in value else nfc(value)


def _normalised(data: QueryDict) -> QueryDict | None:
    """An immutable cleaned copy of ``data``, or None when nothing in it needs to change (the
    usual case: ASCII ids, numbers, dates, tokens and already-composed text)."""
    lists = list(data.lists())
    if all(
        key == _clean(key) and all(value == _clean(value) for value in values)
        for key, values in lists
    ):
        return None
    copy = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in lists:
        copy.setlist(_clean(key), [_clean(value) for value in values])
    copy._mutable = False
    return copy


class NormalizeTextMiddleware:
    """Replace ``request.GET`` and (for form posts) ``request.POST`` with NFC copies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.encoding and request.encoding.lower().replace("_", "-") not in UTF8:
            # Django decodes the query string with a charset the client declares; pages are
            # UTF-8, and text decoded otherwise (UTF-7 surrogates…) cannot even be written back.
            request.encoding = "utf-8"
        if (data := _normalised(request.GET)) is not None:
            request.GET = data
        if request.method not in ("GET", "HEAD", "OPTIONS") and _is_form(request):
            try:
                post = request.POST
            except (UnreadablePostError, OSError):
                # A broken upload: leave it to the code after us, which reports it as it did.
                post = None
            if post is not None and (data := _normalised(post)) is not None:
                request.POST = data
        return self.get_response(request)


def _is_form(request) -> bool:
    # Django's own parsed, lower-cased content type: the one it decides to parse the body by.
    return request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")

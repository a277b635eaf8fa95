"""The hidden fields every write form carries: the one-time token (a re-sent form changes
nothing twice, see ``services.tokens``) and the version of the session it was opened on (a
stale save is refused)."""

import hashlib
import uuid

from django import forms

from programs.services.tokens import FormToken


class OneTimeTokenField(forms.UUIDField):
    """The hidden one-time token of a form that changes something (``services.tokens``).

    A fresh token each time the form is shown; a re-shown form (errors, "add a row") keeps the
    one posted, since nothing was carried out yet. Optional, so a post without one is carried
    out as before, only without protection against a re-send.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)  # called at each rendering of an unbound form
        super().__init__(**kwargs)


def posted_token(request) -> FormToken | None:
    """The one-time token of the form posted in ``request``, with a digest of everything sent
    with it (address, fields, file names and sizes), so that ``services.tokens.claim_form`` can
    tell a re-sent copy from a form changed after it was sent. None without a valid token."""
    try:
        value = uuid.UUID(str(request.POST.get("token", "")))
    except ValueError:
        return None
    digest = hashlib.sha256(request.path.encode())
    for name, values in sorted(request.POST.lists()):
        if name != "csrfmiddlewaretoken":
            digest.update(repr((name, values)).encode())
    for name, files in sorted(request.FILES.lists()):
        digest.update(repr((name, [(f.name, f.size) for f in files])).encode())
    return FormToken(value, digest.hexdigest())


class TokenForm(forms.Form):
    """Only the one-time token, for a form whose other fields live elsewhere (the month plan's
    "create" button, the calendar address reset)."""

    token = OneTimeTokenField()


class VersionForm(forms.Form):
    """The hidden fields every write form carries: the version of the session it was opened on
    (a stale save is refused) and a one-time token (a re-sent form changes nothing twice)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    token = OneTimeTokenField()


def posted_write(request, form) -> dict:
    """What a session write takes from a valid posted ``form``: the user who sends it, the
    version the form was opened on and the form's one-time token."""
    return {
        "user": request.user,
        "version": form.cleaned_data["version"],
        "token": posted_token(request),
    }


def carry_current_version(form, version: int) -> None:
    """After a stale save: keep what was typed, but let the form carry the current ``version``
    and a fresh one-time token, so a deliberate second save goes through. The form may be
    cleaned already; only the values shown in its hidden fields change."""
    posted = form.data.copy()
    posted["version"] = version
    posted["token"] = str(uuid.uuid4())
    form.data = posted

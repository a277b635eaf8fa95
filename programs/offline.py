"""What the browser keeps for use without signal, decided on the server (issue: offline logs).

The service worker (templates/offline/sw.js, served at /sw.js by views.offline) keeps three
things: the static files and the offline page, for everyone; and, per signed-in user, the pages
``pages_to_keep`` names. The scripts on the pages (static/js/offline.js, log-form.js) keep what
a secretary types in the browser's storage and send it when the network returns. Their texts
are here, translated, so the scripts carry no words of their own.
"""

import hashlib
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs import selectors

# Files every page needs, kept by the service worker when it installs; other static files are
# kept the first time a page uses them.
PRECACHED_STATIC = [
    "css/app.css",
    "js/offline.js",
    "js/sync-core.js",
    "js/log-form.js",
    "vendor/idb-keyval/idb-keyval.js",
    "img/favicon.svg",
    "img/icon-192.png",
]

# The manifest's colours: the header's red (--c-brand in app.css) and the page background.
THEME_COLOR = "#9b1c1c"
BACKGROUND_COLOR = "#f4f5f7"


def pages_to_keep(user, today) -> list[str]:
    """The pages of ``user`` the browser keeps for use without signal: the overview (the app's
    start page: for a secretary, their cell) and the log forms of the sessions they may log
    now or soon (``selectors.logs_to_keep_offline``)."""
    logs = selectors.logs_to_keep_offline(user, today)
    return [reverse("programs:home")] + [
        reverse("programs:session-log", args=[session.pk]) for session in logs
    ]


def precached_urls() -> list[str]:
    return [static(name) for name in PRECACHED_STATIC]


def _static_digest() -> str:
    digest = hashlib.sha256()
    for name in PRECACHED_STATIC:
        path = finders.find(name)
        if path:
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()


@cache
def _static_digest_once() -> str:
    return _static_digest()


def static_version() -> str:
    """Changes whenever a precached file changes, so the service worker installs anew and
    drops the old copies. Read once per process, except while developing."""
    return _static_digest() if settings.DEBUG else _static_digest_once()


def script_texts() -> dict:
    """Every sentence the offline scripts show, in the page's language."""
    return {
        "savedLocally": _("Saved on this phone at %(time)s."),
        "queued": _("No connection: the log will be sent when the network returns."),
        "queuedAt": _("Waiting to be sent (saved on this phone at %(time)s)."),
        "sending": _("Sending… %(percent)s"),
        "sendingQueued": _("Sending the log saved on this phone…"),
        "sent": _("The log of %(title)s was sent."),
        "signIn": _(
            "Your sign-in has expired. Sign in again: the log is kept on this phone and is "
            "sent afterwards."
        ),
        "signInLink": _("Sign in"),
        "refused": _("The log of %(title)s was not accepted. Open it to see why."),
        "conflict": _(
            "Someone else saved the log of %(title)s meanwhile. Open it to choose a version."
        ),
        "closed": _("The log of %(title)s can no longer be changed: %(message)s"),
        "open": _("Open the log"),
        "waiting": _("%(count)s log waiting to be sent from this phone."),
        "waitingMany": _("%(count)s logs waiting to be sent from this phone."),
        "restored": _("Restored what you typed on this phone at %(time)s."),
        "offlineCopy": _("No connection: this is the copy kept on this phone."),
        "searchOffline": _(
            "Finding people needs a connection. Tick the people listed, or try again later."
        ),
        "searching": _("Finding…"),
        "photoShrunk": _("Photo made smaller for sending: %(size)s."),
        "discard": _("Discard what is saved on this phone"),
        "discardConfirm": _("Discard what you typed on this phone for this log?"),
        "failed": _("Sending failed. The log is kept on this phone; try again."),
    }

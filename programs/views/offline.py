"""The installable app: its manifest, its service worker at /sw.js, the offline page, and the
state the offline scripts ask for (who is signed in, the CSRF token, the pages to keep).
``programs.offline`` holds the decisions."""

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from programs import offline


def _language(request) -> str:
    # The manifest and the offline page are fetched without cookies: the page says which.
    wanted = request.GET.get("lang", "")
    known = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in known else translation.get_language()


@require_GET
@cache_control(max_age=60 * 60, public=True)
def manifest(request):
    with translation.override(_language(request)):
        data = {
            "name": _("Civic Labour"),
            # Under the icon on a home screen, where about 12 characters fit.
            "short_name": pgettext("app short name", "Civic Labour"),
            "description": _(
                "Plan, log and report the monthly sessions in which party cells work with the "
                "people of their assigned villages."
            ),
            "lang": translation.get_language(),
            "dir": "ltr",
            # The overview: for a cell secretary, their cell with the logs to write.
            "start_url": reverse("programs:home"),
            "scope": "/",
            "id": "/",
            "display": "standalone",
            "orientation": "portrait",
            "theme_color": offline.THEME_COLOR,
            "background_color": offline.BACKGROUND_COLOR,
            "icons": [
                {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("img/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
                {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )


@require_GET
@never_cache
def service_worker(request):
    """The service worker, from this address so that its scope is the whole site. Never cached
    by the browser's HTTP cache: a new version must reach phones at their next visit."""
    script = render_to_string(
        "offline/sw.js",
        {
            "version": offline.static_version()[:16],
            "static_prefix": settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL,
            "precache": json.dumps(offline.precached_urls()),
            "offline_pages": json.dumps(
                {code: reverse("offline") + f"?lang={code}" for code, _name in settings.LANGUAGES}
            ),
            "core_script": static("js/sync-core.js"),
            "store_script": static("vendor/idb-keyval/idb-keyval.js"),
            "state_url": reverse("offline-state"),
            "logout_url": reverse("logout"),
        },
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline_page(request):
    """What the app shows instead of a page it could not load; the same for everyone (the
    service worker fetches it without cookies), in the language asked for."""
    with translation.override(_language(request)):
        return render(request, "offline/offline.html")


@require_GET
@never_cache
def state(request):
    """For the offline scripts: who is signed in (drafts and kept pages are per person), a
    CSRF token for a queued send, and the pages to keep. 401 when nobody is signed in."""
    if not request.user.is_authenticated:
        return JsonResponse({"user": None}, status=401)
    token = get_token(request)
    if settings.CSRF_COOKIE_NAME in request.COOKIES:
        # The token is read from the cookie the browser sent, so the cookie need not be sent
        # back. Sending it would let an answer that arrives after the user signs out and in
        # again put back the old cookie under the new sign-in form (403 on the next post).
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
    return JsonResponse(
        {
            "user": str(request.user.pk),
            "csrf": token,
            "pages": offline.pages_to_keep(request.user, timezone.localdate()),
            "lang": translation.get_language(),
        }
    )

"""Every page passes axe-core's WCAG 2.1 A/AA rules, in Vietnamese at desktop and phone widths
and in English at the phone width (see ``WIDTHS``; colour contrast in Vietnamese only: the
colours are the same in both), with no errors in the browser console. At the phone width
(360 × 740) the same walk checks the phone layout of each page it loads
(``phone_layout_problems``: fits the width, a short header), and of every other demo user's
overview."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from programs.models import (
    Directive,
    LabourSession,
    Notification,
    PartyCell,
    PartyCommittee,
    Photo,
    Village,
    VillagerOpinion,
)
from programs.notifications.unsubscribe import make_token
from programs.planning import Month
from programs.reports import news as composer
from programs.selectors.news import news_sources
from programs.services import news as news_services
from tests.browser.conftest import WCAG_AA

from .test_phone_layout import DEMO_USERS, PHONE, phone_layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The widths each language's walk checks. Vietnamese, the working language, at both. English
# at the phone width only, where its longer words would overflow first: the markup is the same
# in both languages (no template branches on the language, only the text and ``lang`` differ),
# so at 1280 px axe's rules would find in English what they find in Vietnamese.
WIDTHS = {"vi": [1280, 360], "en": [360]}
LANGUAGES = ["vi", "en"]
AXE_SCRIPT = Axe().axe_script


def _news_pages() -> tuple[str, str]:
    """The news page of the demo's article session, and its share card, published."""
    article = Photo.objects.filter(caption__startswith="Cán bộ, đảng viên").latest("pk").session
    officer = get_user_model().objects.get(username="officer")
    text = composer.compose(composer.news_facts(news_sources([article.pk])))
    news_services.news_draft_save(
        session=article,
        user=officer,
        version=0,
        data=news_services.NewsInput(
            headline=text.headline,
            lead=text.lead,
            body=text.body,
            photo_ids=list(article.photos.values_list("pk", flat=True)),
        ),
    )
    draft = news_services.news_share_publish(session=article, user=officer, version=1)
    return f"/sessions/{article.pk}/news/", f"/share/{draft.share_token}/"


def _pages():
    """(user, path) for every page a person sees, with the demo's objects."""
    committee = PartyCommittee.objects.get(name="Đảng ủy Cơ quan Chính quyền huyện")
    held = LabourSession.objects.filter(status="held", photos__isnull=False).first()
    planned = LabourSession.objects.filter(
        status="planned", cell__roles__user__username="secretary"
    ).first()
    cell = PartyCell.objects.get(roles__user__username="secretary")
    village = Village.objects.get(name="Phiêng Luông")
    directive = Directive.objects.get(symbol__contains="54")
    next_month = Month.of(timezone.localdate()).next()
    news_page, share_card = _news_pages()
    # The in-app list and the session page's "sent" section have rows to show (the demo's
    # reminders and notices), and an e-mail's unsubscribe link has a real token.
    call_command("send_notifications", stdout=io.StringIO())
    _inbox_rows(planned)
    unsubscribe = make_token(Notification.objects.filter(channel="email").first())
    opinion = VillagerOpinion.objects.of_confirmed_logs().open().first()
    return [
        (None, share_card),
        ("officer", news_page),
        (None, "/accounts/login/"),
        (None, "/offline/"),
        ("officer", "/"),
        ("secretary", "/"),
        ("officer", "/sessions/calendar/"),
        ("officer", "/sessions/"),
        ("officer", "/sessions/new/"),
        ("officer", f"/sessions/{held.pk}/"),
        ("officer", f"/sessions/{planned.pk}/edit/"),
        ("officer", f"/sessions/{planned.pk}/postpone/"),
        ("officer", f"/sessions/{planned.pk}/cancel/"),
        ("officer", "/sessions/plan/"),
        ("officer", f"/sessions/plan/?committee={committee.pk}&month=2099-01"),
        # A preview, with its table of cells (and the demo's sessions already in that month).
        (
            "officer",
            f"/sessions/plan/?committee={committee.pk}&directive={directive.pk}"
            f"&month={next_month}&preferred_week=1&start_time=07:30",
        ),
        ("officer", "/compliance/"),
        ("officer", f"/cells/{cell.pk}/"),
        ("officer", f"/villages/{village.pk}/"),
        ("officer", "/calendar/feed/"),
        ("secretary", f"/sessions/{planned.pk}/log/"),
        ("officer", "/reviews/"),
        ("officer", "/reports/"),
        ("officer", "/reports/print/"),
        (None, "/accounts/password/reset/"),
        (None, "/accounts/password/reset/sent/"),
        (None, f"/notifications/unsubscribe/{unsubscribe}/"),
        ("secretary", "/notifications/"),
        ("secretary", "/notifications/settings/"),
        ("secretary", f"/sessions/{planned.pk}/"),
        ("officer", "/notifications/settings/"),
        ("officer", f"/notifications/rules/{committee.pk}/"),
        # Villagers' opinions: the list, one opinion's follow-up, and a session page whose
        # confirmed log lists its opinions with their follow-up links.
        ("officer", "/opinions/"),
        ("officer", f"/opinions/{opinion.pk}/"),
        ("officer", f"/sessions/{opinion.session_id}/"),
    ]


def _inbox_rows(session):
    from django.contrib.auth import get_user_model

    secretary = get_user_model().objects.get(username="secretary")
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            key=f"axe:{n}",
            kind="session_reminder",
            channel="inapp",
            recipient_user=secretary,
            session=session,
            due_at=now,
            next_attempt_at=now,
            status="sent",
            sent_at=now,
            read_at=now if n else None,
            subject=f"Nhắc lịch: buổi lao động ngày {session.date:%d/%m/%Y}",
            body="Chi bộ lao động cùng Nhân dân thôn Phiêng Luông.",
            link=session.get_absolute_url(),
        )
        for n in range(2)
    )


# Colour contrast is a property of the style sheet, which both languages share: the Vietnamese
# walk checks it on every page at both widths, and the English walk, where it would find the
# same colours on the same elements, leaves it out (it is about three quarters of axe's time).
WITHOUT_CONTRAST = {**WCAG_AA, "rules": {"color-contrast": {"enabled": False}}}


def _check(page, label, language):
    options = WCAG_AA if language == "vi" else WITHOUT_CONTRAST
    results = page.evaluate("options => axe.run(document, options)", options)
    problems = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in results["violations"]
    ]
    assert problems == [], f"{label}: " + "; ".join(problems)


def _signed_in(username: str) -> dict:
    """A session cookie of the demo user: the walk reads pages, and the sign-in form is a
    page of its own in it (and signs in through the form in tests/browser/test_login_admin.py
    and the flows), so each user's walk starts signed in instead of typing at the form."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.session.session_key}


def _viewport(width: int) -> dict:
    return PHONE if width == PHONE["width"] else {"width": width, "height": 900}


def _context(browser, live_server, username, language, width):
    context = browser.new_context(
        viewport=_viewport(width),
        locale="vi-VN" if language == "vi" else "en-GB",
        # axe-core is injected from the test, not from the page.
        bypass_csp=True,
        # The pages, not the offline app: no service worker, and no copies of the person's
        # pages kept for use without signal (offline.js keeps them when the browser has a
        # Cache Storage), which would ask the server for a dozen pages per user meanwhile.
        # tests/browser/test_offline_log.py covers both.
        service_workers="block",
    )
    context.add_init_script("Object.defineProperty(window, 'caches', {value: undefined});")
    cookies = [{"name": "django_language", "value": language}]
    if username:
        cookies.append(_signed_in(username))
    context.add_cookies([{**cookie, "url": live_server.url} for cookie in cookies])
    return context


# One test per language, its widths in it: the demo is loaded and its pages prepared once for
# both. The walks run in the middle of a parallel run (pytest-django puts the tests that
# commit after the others, and a few short ones come after them), where a long test leaves
# no core idle.
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_passes_axe(browser, live_server, language, demo_site):
    """At 360 px also: every page fits a phone and its header is short (the phone layout's
    checks, tests/browser/test_phone_layout.py, made on the page already loaded for axe)."""
    failures = _walk(browser, live_server, _pages(), language)
    assert failures == [], "\n".join(failures)


def _walk(browser, live_server, pages, language) -> list[str]:
    """What is wrong with the pages, at each width, in ``language``.

    Each page is loaded once, at the first width, and checked there; then the window is made
    the next width and the same document is checked again. The pages' styles follow the
    width (media queries) and no script reads it, so this is the page a phone loads, without
    asking the server for it and evaluating axe-core twice."""
    failures = []
    # The demo users without pages of their own here: their overview, at the phone width, for
    # the phone layout.
    for username in (None, *DEMO_USERS):
        own = [path for user, path in pages if user == username]
        widths = WIDTHS[language] if own else [PHONE["width"]]
        context = _context(browser, live_server, username, language, widths[0])
        page = context.new_page()
        errors = []
        page.on(
            "console",
            lambda msg, errors=errors: msg.type == "error" and errors.append(msg.text),
        )
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        who = username or "anonymous"
        for path in own or ["/"]:
            url = live_server.url + path
            failures += _check_at_each_width(page, url, path, who, language, widths, axe=bool(own))
            if errors:
                failures.append(f"{path} as {who} in {language}: console errors {errors}")
                errors.clear()
        context.close()
    return failures


def _check_at_each_width(page, url, path, who, language, widths, *, axe) -> list[str]:
    """Load ``url`` at the first width, then check it at each width: axe (when ``axe``) and,
    at the phone width, the phone layout."""
    failures = []
    if page.viewport_size != _viewport(widths[0]):
        page.set_viewport_size(_viewport(widths[0]))
    response = page.goto(url)
    label = f"{path} as {who} in {language}"
    assert response.status == 200, label
    # One round trip to the browser for both.
    lang, title = page.evaluate("[document.documentElement.lang, document.title]")
    assert lang == language, label
    assert title, label
    if axe:
        # axe-core is put in the page here, where it is run: an init script of the context
        # would evaluate its 500 kB on every page the walk opens, those it only looks at too.
        page.evaluate(AXE_SCRIPT)
    for width in widths:
        label = f"{path} as {who} at {width}px in {language}"
        if page.viewport_size != _viewport(width):
            page.set_viewport_size(_viewport(width))
            # The styles are applied again at the next frame.
            page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")
        if width == PHONE["width"]:
            failures += phone_layout_problems(page, label, path)
        if axe:
            try:
                _check(page, label, language)
            except AssertionError as error:
                failures.append(str(error))
    return failures

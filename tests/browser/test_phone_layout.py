"""On a 360 × 740 phone every page fits the width and the header leaves the screen to the page
(issue 10, "a form made for a thumb"): the header is at most 15 % of the screen's height, for
every demo user, in both languages — checked by ``phone_layout_problems`` during the
accessibility sweep's 360 px walk (tests/browser/test_accessibility.py), which loads the same
pages. The main menu folds behind a "Menu" button that works without JavaScript and from the
keyboard; on a desktop it stays open."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
HEADER_MAX = 111  # 15 % of 740 px
DEMO_USERS = ["officer", "viewer", "secretary", "secretary2", "host", "admin"]

# Anything on the page that scrolls sideways on its own (a wide table in its wrapper, say):
# the document may fit while a part of it still has to be swiped.
SIDEWAYS_SCROLLERS = """() => [...document.querySelectorAll('body *')]
    .filter((el) => {
        const style = getComputedStyle(el);
        return ['auto', 'scroll'].includes(style.overflowX)
            && el.scrollWidth > el.clientWidth + 1;
    })
    .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""
# Pages whose wide tables (a month per column, figures side by side) still scroll inside their
# own frame on a phone while the page around them fits; the session list and the planner's
# preview are cards there and must not.
WIDE_TABLE_PAGES = ("/compliance/", "/cells/", "/villages/", "/reports/")


def _phone(browser, live_server, language, **options):
    context = browser.new_context(
        viewport=PHONE, locale="vi-VN" if language == "vi" else "en-GB", **options
    )
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return context, context.new_page()


def _header_height(page) -> float:
    # The public share card (issue 15) is a page of its own with no site header: 0 there.
    return page.evaluate(
        "(document.querySelector('.site-header, .share-header')"
        " ?.getBoundingClientRect().height) ?? 0"
    )


def phone_layout_problems(page, label: str, path: str) -> list[str]:
    """What is wrong with the page on a 360 px phone: wider than the screen, a part that
    scrolls sideways on its own (except on the wide-table pages), a header taller than 15 %
    of the screen. The accessibility sweep (tests/browser/test_accessibility.py) calls this on
    every page it visits at 360 px, in both languages, and on the overview of every demo user:
    one page load for both checks."""
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{label}: the page is {width}px wide")
    scrollers = page.evaluate(SIDEWAYS_SCROLLERS)
    if scrollers and not path.startswith(WIDE_TABLE_PAGES):
        problems.append(f"{label}: scrolls sideways inside {scrollers}")
    height = _header_height(page)
    if height > HEADER_MAX:
        problems.append(f"{label}: the header is {height:.0f}px tall")
    return problems


def test_the_phone_menu_opens_without_javascript_and_signs_out(
    browser, live_server, log_in, demo_site
):
    context, page = _phone(browser, live_server, "vi", java_script_enabled=False)
    log_in(page, "officer", "demo")
    nav = page.locator("nav.site-nav")
    toggle = page.locator(".site-menu__toggle")
    expect(toggle).to_have_text("Trình đơn")
    expect(nav).to_be_hidden()
    expect(page.locator(".user-menu__logout button")).to_be_hidden()

    toggle.click()
    expect(nav.locator('a[href="/sessions/"]')).to_be_visible()
    expect(page.locator(".language-switch")).to_be_visible()
    nav.locator('a[href="/sessions/"]').click()
    expect(page).to_have_url(live_server.url + "/sessions/")
    # A new page starts with the menu folded again.
    expect(nav).to_be_hidden()

    toggle.click()
    with page.expect_navigation():
        page.locator(".user-menu__logout button").click()
    expect(page.locator("#login-form")).to_be_visible()
    context.close()


def test_the_phone_menu_works_from_the_keyboard(browser, live_server, log_in, demo_site):
    context, page = _phone(browser, live_server, "en")
    log_in(page, "secretary", "demo")
    toggle = page.locator(".site-menu__toggle")
    expect(toggle).to_have_text("Menu")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    # The focus ring is drawn (the header's accent colour), not removed.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    expect(page.locator(".site-menu")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(page.locator(".site-menu__panel :focus")).to_have_count(1)
    # English is the current language: choosing Vietnamese from the menu switches it.
    page.locator('.language-switch__option[lang="vi"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    context.close()


def test_the_desktop_header_keeps_the_menu_open(page, live_server, log_in, demo_site):
    log_in(page, "officer", "demo")
    expect(page.locator(".site-menu__toggle")).to_be_hidden()
    expect(page.locator('nav.site-nav a[href="/reports/"]')).to_be_visible()
    expect(page.locator(".user-menu__logout button")).to_be_visible()
    expect(page.locator(".language-switch")).to_be_visible()

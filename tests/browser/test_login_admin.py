"""End to end in a real browser: sign in, find a village in the admin without typing diacritics,
and a phone-sized home page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories

# The live server needs committed data, so these tests commit and the database is flushed
# afterwards (conftest re-seeds the migrations' reference rows before each).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_officer_finds_a_village_in_the_admin_without_diacritics(
    page, live_server, log_in, demo_site
):
    log_in(page, "officer", "demo")
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    page.locator("nav.site-nav").locator('a[href="/admin/"]').click()
    expect(page).to_have_url(live_server.url + "/admin/")
    page.locator('a[href="/admin/programs/village/"]').first.click()
    expect(page).to_have_url(live_server.url + "/admin/programs/village/")

    page.locator("#searchbar").fill("na cooc")
    page.locator("#searchbar").press("Enter")
    page.wait_for_url("**/admin/programs/village/?q=na+cooc")

    expect(page.locator("#result_list")).to_contain_text("Nà Coóc")


def test_home_page_fits_a_phone_screen(page, live_server, log_in):
    world_cell = factories.cell(name="Chi bộ Văn phòng Huyện ủy và Ủy ban nhân dân huyện")
    secretary = factories.user("secretary", password="pw", role="secretary", target=world_cell)
    factories.session(
        cell=world_cell,
        village=factories.village(name="Phiêng Luông"),
        date=timezone.localdate() + datetime.timedelta(days=2),
    )
    page.set_viewport_size({"width": 360, "height": 740})

    log_in(page, secretary.username, "pw")

    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".my-cell")).to_contain_text("Phiêng Luông")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, f"the page scrolls sideways: {scroll_width}px wide at 360px"

"""End to end on a phone (360×740): the secretary records two villagers' opinions in the log
form (one in a row the page's script adds), submits; the officer confirms; the month's report
counts them."""

import datetime

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}
SATURDAY = datetime.date(2026, 11, 28)


def test_two_opinions_logged_on_a_phone_are_counted_after_confirmation(
    page, new_page, live_server, log_in, world
):
    session = factories.world_session(world, date=SATURDAY)
    page.set_viewport_size(PHONE)
    log_in(page, "secretary", "pw")
    page.goto(f"{live_server.url}/sessions/{session.pk}/log/")
    page.fill("#id_opinions-0-text", "Đề nghị sửa đoạn đường vào thôn bị sạt lở")
    page.select_option("#id_opinions-0-field", "roads")
    page.locator("button[data-add-opinion]").click()  # a fourth row, added in place
    page.fill("#id_opinions-3-text", "Đề nghị hỗ trợ bể chứa nước sạch")
    page.select_option("#id_opinions-3-field", "water")
    page.select_option("#id_opinions-3-status", "resolved")
    page.fill("#id_opinions-3-resolver", "UBND xã Bình An")
    page.fill("#id_opinions-3-resolved_on", "2026-11-30")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= PHONE["width"], f"the log form scrolls sideways: {scroll}px"
    page.locator("button[name=action][value=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/sessions/{session.pk}/")
    assert sorted(session.opinions.values_list("field", "status")) == [
        ("roads", "received"),
        ("water", "resolved"),
    ]

    # The officer, at the district office's computer.
    desk = new_page()
    log_in(desk, "officer", "pw")
    desk.goto(f"{live_server.url}/sessions/{session.pk}/")
    desk.locator(f'form[action="/sessions/{session.pk}/confirm/"] button[type=submit]').click()
    expect(desk).to_have_url(f"{live_server.url}/sessions/{session.pk}/")
    desk.goto(
        f"{live_server.url}/reports/?committee={world['committee'].pk}&period=month&month=2026-11"
    )
    expect(desk.locator("#report-opinions + p")).to_contain_text("2")
    expect(desk.locator("section[aria-labelledby=report-opinions]")).to_contain_text(
        "đã giải quyết 1"
    )

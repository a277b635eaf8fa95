"""The officer's import, end to end on a phone-wide screen (360 px): download the members
template, fill three rows (one with an unknown category), upload, read the preview that explains
the bad row, fix it, upload again, confirm, and find the new members in the log form's roster.
The upload page and the preview pass axe-core's WCAG 2.1 AA rules and do not scroll sideways."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from openpyxl import load_workbook
from playwright.sync_api import expect

from programs.models import LabourSession, Member
from tests.browser.conftest import WCAG_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CELL = "Chi bộ Văn phòng HĐND-UBND huyện"


@pytest.fixture
def phone(browser):
    # axe-core is injected from the test, not from the page: the context bypasses the CSP.
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", bypass_csp=True
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _accessible(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    violations = Axe().run(page, options=WCAG_AA).response["violations"]
    assert [v["id"] for v in violations] == []


def _fill(template, out, category):
    book = load_workbook(template)
    sheet = book.worksheets[0]
    for name, kind in (
        ("Ma Thị Duyên", "công chức"),
        ("Nông Văn Tú", category),
        ("Lý Văn Hùng", "cán bộ"),
    ):
        sheet.append(["", name, "", CELL, "", kind, "cấp huyện", "Có", "Có"])
    book.save(out)


def _upload(page, live_server, path):
    page.goto(live_server.url + "/imports/")
    page.select_option("#id_kind", "members")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.locator("#import-form button[type=submit]").click()


def test_officer_imports_members_from_the_template(phone, live_server, log_in, tmp_path, demo_site):
    page = phone
    log_in(page, "officer", "demo")
    page.goto(live_server.url + "/")
    # On the phone the navigation is behind the header's menu button.
    page.locator(".site-menu__toggle", has_text="Trình đơn").click()
    # Wait for the new page: measuring while it loads reads a null document.
    with page.expect_navigation():
        page.get_by_role("link", name="Nhập, xuất dữ liệu").click()
    _accessible(page)
    with page.expect_download() as download:
        page.locator("#template-members").click()
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)

    bad = tmp_path / "bad.xlsx"
    _fill(template, bad, "nông dân")
    _upload(page, live_server, bad)
    rejections = page.locator("#rejections")
    expect(rejections).to_contain_text("“nông dân” không có trong danh sách")
    expect(rejections.locator("tbody tr")).to_have_count(1)
    expect(rejections.locator("tbody th")).to_have_text("4")
    expect(page.locator("#confirm-form")).to_have_count(0)
    _accessible(page)
    assert not Member.objects.filter(full_name="Ma Thị Duyên").exists()

    good = tmp_path / "good.xlsx"
    _fill(template, good, "viên chức")
    _upload(page, live_server, good)
    expect(page.locator("#import-counts")).to_contain_text("3")
    with page.expect_navigation():
        page.locator("#confirm-form button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("Đã nhập: 3 mới")

    session = LabourSession.objects.filter(cell__name=CELL).order_by("-date").first()
    page.goto(f"{live_server.url}/sessions/{session.pk}/log/")
    for name in ("Ma Thị Duyên", "Nông Văn Tú", "Lý Văn Hùng"):
        expect(page.get_by_text(name, exact=True).first).to_be_visible()

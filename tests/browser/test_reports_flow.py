"""End to end: the officer opens this year's report of the demo committee, downloads it as a
spreadsheet and opens the printable party document."""

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import LabourSession, PartyCommittee
from programs.permissions import committee_subtree_ids
from programs.reports.document import vn_number

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_officer_reads_downloads_and_prints_the_report(
    page, live_server, log_in, tmp_path, demo_site
):
    committee = PartyCommittee.objects.get(name="Đảng ủy Cơ quan Chính quyền huyện")
    year = timezone.localdate().year
    confirmed = LabourSession.objects.filter(
        cell__committee_id__in=committee_subtree_ids(committee.pk),
        date__year=year,
        status="held",
        log_status="confirmed",
    ).count()

    log_in(page, "officer", "demo")
    page.locator('.site-nav a[href="/reports/"]').click()
    page.select_option("#id_committee", str(committee.pk))
    page.select_option("#id_period", "year")
    page.fill("#id_year", str(year))
    with page.expect_navigation():
        page.locator(".report-filter button[type=submit]").click()

    expect(page.locator(".report__title")).to_have_text(committee.name)
    expect(page.locator(".report-counts__item--held dd")).to_have_text(vn_number(confirmed))
    expect(page.locator("svg.chart[role=img]")).to_have_count(1)

    with page.expect_download() as download_info:
        page.locator('.report-actions a[href$="format=xlsx"]').click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename  # openpyxl goes by the file's extension
    download.save_as(saved)
    workbook = openpyxl.load_workbook(saved, read_only=True)
    assert workbook.sheetnames
    workbook.close()

    page.locator('.report-actions a[href^="/reports/print/"]').click()
    document = page.locator("article.party-doc")
    expect(document).to_contain_text("BÁO CÁO")
    expect(document.locator(".party-doc__party")).to_have_text("ĐẢNG CỘNG SẢN VIỆT NAM")
    expect(document).to_contain_text(f"năm {year}")
    # The officer may fill in the header and signature; it is remembered for the committee.
    page.locator(".print-settings summary").click()
    page.fill("#id_signer_name", "Hoàng Văn Thắng")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu tiêu đề và chữ ký").click()
    # The number comes when the report is issued (the register), not from this form.
    expect(document.locator(".party-doc__number")).to_contain_text("-BC/ĐU")
    expect(document.locator(".party-doc__signer-name")).to_have_text("Hoàng Văn Thắng")

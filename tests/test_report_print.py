"""The printed report (a party document in Vietnamese), its remembered header and signature,
its PDF, and the wording helpers behind it."""

import datetime
import re
import sys
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import LabourSession, ReportSettings
from programs.reports import document, pdf
from programs.reports.periods import parse_period
from tests import factories
from tests.queries import pinned_queries

URL = reverse("programs:report-print")
D = datetime.date


# The interface in English: the document must still be Vietnamese.
pytestmark = pytest.mark.usefixtures("english")


def _params(world, **extra):
    return {"committee": world["committee"].pk, "period": "quarter", "month": "2026-02", **extra}


def _get(client, user, params):
    client.force_login(user)
    return client.get(URL, params)


def _document(response) -> str:
    page = response.content.decode()
    match = re.search(r'<article class="party-doc".*?</article>', page, re.S)
    assert match, "no document on the page"
    return match.group(0)


def _flat(text: str) -> str:
    """The text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


# --- wording helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 2, 28), "Bình An, ngày 28 tháng 02 năm 2026"),
        (D(2026, 1, 9), "Bình An, ngày 09 tháng 01 năm 2026"),
        (D(2026, 3, 5), "Bình An, ngày 05 tháng 3 năm 2026"),
        (D(2026, 10, 10), "Bình An, ngày 10 tháng 10 năm 2026"),
        (D(2026, 12, 1), "Bình An, ngày 01 tháng 12 năm 2026"),
    ],
)
def test_place_and_date(day, expected):
    assert document.vietnamese_place_date("Bình An", day) == expected


def test_place_and_date_without_a_place():
    assert document.vietnamese_place_date("  ", D(2026, 11, 27)) == "ngày 27 tháng 11 năm 2026"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_500_000, "1.500.000"),
        (Decimal("1250.50"), "1.250,5"),
        (Decimal("250.00"), "250"),
        (0, "0"),
        (66.666, "66,7"),
    ],
)
def test_numbers(value, expected):
    assert document.vn_number(value) == expected


def test_money_and_document_number():
    assert document.vnd(1_500_000) == "1.500.000\N{NO-BREAK SPACE}đ"
    assert document.document_number("15", "ĐU") == "Số 15-BC/ĐU"
    assert document.document_number("", "HU") == "Số " + "\N{NO-BREAK SPACE}" * 5 + "-BC/HU"


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"period": "month", "month": "2026-02"}, "tháng 02 năm 2026"),
        ({"period": "quarter", "month": "2026-02"}, "quý I năm 2026"),
        ({"period": "half", "month": "2026-08"}, "6 tháng cuối năm 2026"),
        ({"period": "year", "year": "2026"}, "năm 2026"),
        (
            {"period": "custom", "from": "2025-11-15", "to": "2026-02-10"},
            "từ ngày 15/11/2025 đến ngày 10/02/2026",
        ),
    ],
)
def test_period_words(params, words):
    assert parse_period(params, D(2026, 11, 27)).document_phrase() == words


# --- the document -------------------------------------------------------------------------


def test_document_blocks(client, world):
    response = _get(client, world["officer"], _params(world))
    assert response.status_code == 200
    doc = _document(response)
    text = _flat(doc)
    # Top left: the issuing committee in capitals; no number yet, a blank to fill in.
    assert '<p class="party-doc__committee">ĐẢNG ỦY CƠ QUAN CHÍNH QUYỀN HUYỆN</p>' in doc
    assert "Số \N{NO-BREAK SPACE}\N{NO-BREAK SPACE}" in doc and "-BC/ĐU" in doc
    assert "Số:" not in text
    # Top right.
    assert '<p class="party-doc__party">ĐẢNG CỘNG SẢN VIỆT NAM</p>' in doc
    today = timezone.localdate()
    assert document.vietnamese_place_date("", today) in text
    # Centre and body.
    assert "BÁO CÁO" in text
    assert "Kết quả thực hiện hoạt động lao động cùng Nhân dân quý I năm 2026" in text
    positions = [
        text.index("I. TÌNH HÌNH CHUNG"),
        text.index("II. KẾT QUẢ THỰC HIỆN"),
        text.index("III. TỒN TẠI, HẠN CHẾ VÀ ĐỀ XUẤT, KIẾN NGHỊ"),
        text.index("Nơi nhận:"),
    ]
    assert positions == sorted(positions)
    assert "- Lưu VP." in text
    assert "T/M ĐẢNG ỦY" in text and "BÍ THƯ" in text


def test_superior_body_defaults_to_the_parent_committee(client, report_dataset):
    dataset = report_dataset
    params = {"committee": dataset["sub"].pk, "period": "year", "year": "2026"}
    doc = _document(_get(client, dataset["officer"], params))
    # The party organisation the parent committee leads: Đảng ủy X leads Đảng bộ X.
    assert '<p class="party-doc__superior">ĐẢNG BỘ CƠ QUAN CHÍNH QUYỀN HUYỆN</p>' in doc
    assert '<p class="party-doc__committee">ĐẢNG ỦY CẤP DƯỚI</p>' in doc


def test_directive_in_the_summary_line(client, world):
    doc = _document(_get(client, world["officer"], _params(world, directive=world["directive"].pk)))
    assert "Kết quả thực hiện Kế hoạch 54-KH/HU quý I năm 2026" in _flat(doc)


def test_document_figures_match_the_report(client, report_dataset):
    dataset = report_dataset
    params = {"committee": dataset["committee"].pk, "period": "year", "year": "2026"}
    confirmed = LabourSession.objects.filter(
        date__year=2026, status="held", log_status="confirmed"
    ).count()
    text = _flat(_document(_get(client, dataset["officer"], params)))
    assert f"Đã tổ chức (đã xác nhận kết quả) {confirmed}" in text
    assert "Ngân sách nhà nước" in text  # a funding source, in Vietnamese in an English UI


def test_saved_settings_are_printed(client, world):
    client.force_login(world["officer"])
    response = client.post(
        f"{URL}?committee={world['committee'].pk}&period=quarter&month=2026-02",
        {
            "number": "15",
            "place": "Bình An",
            "superior_body": "Đảng bộ huyện Lâm Bình",
            "signer_on_behalf": "T/M ĐẢNG ỦY",
            "signer_title": "BÍ THƯ",
            "signer_name": "Hoàng Văn Thắng",
            "recipients": "Ban Thường vụ Huyện ủy (b/c)\n\nCác chi bộ trực thuộc\n",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"{URL}?committee={world['committee'].pk}&period=quarter&month=2026-01"
    )
    saved = ReportSettings.objects.get(committee=world["committee"])
    assert (saved.place, saved.signer_name, saved.updated_by) == (
        "Bình An",
        "Hoàng Văn Thắng",
        world["officer"],
    )
    assert saved.recipient_lines == ["Ban Thường vụ Huyện ủy (b/c)", "Các chi bộ trực thuộc"]

    doc = _document(client.get(response["Location"]))
    text = _flat(doc)
    # The number is not a setting: a report gets its number when it is issued.
    assert "Số 15-BC/ĐU" not in text and "-BC/ĐU" in text
    assert '<p class="party-doc__superior">ĐẢNG BỘ HUYỆN LÂM BÌNH</p>' in doc
    assert document.vietnamese_place_date("Bình An", timezone.localdate()) in text
    assert "Nơi nhận: - Ban Thường vụ Huyện ủy (b/c), - Các chi bộ trực thuộc, - Lưu VP." in text
    assert "T/M ĐẢNG ỦY BÍ THƯ Hoàng Văn Thắng" in text


def test_saving_again_updates_the_same_row(client, world):
    ReportSettings.objects.create(committee=world["committee"], place="Thổ Bình")
    client.force_login(world["officer"])
    client.post(f"{URL}?committee={world['committee'].pk}", {"place": "Bình An"})
    settings_row = ReportSettings.objects.get(committee=world["committee"])
    assert settings_row.place == "Bình An"


@pytest.mark.parametrize("who", ["viewer", "secretary"])
def test_readers_may_print_but_not_save(client, world, who):
    params = _params(world) if who == "viewer" else {"cell": world["cell"].pk}
    response = _get(client, world[who], params)
    assert response.status_code == 200
    assert 'name="signer_name"' not in response.content.decode()
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.post(f"{URL}?{query}", {"number": "99"})
    assert response.status_code == 403
    assert not ReportSettings.objects.exists()


def test_outsider_gets_404(client, world):
    response = _get(client, world["secretary2"], {"cell": world["cell"].pk})
    assert response.status_code == 404
    response = _get(client, world["officer"], {"committee": world["outsider_committee"].pk})
    assert response.status_code == 404


def test_bad_period_is_a_message(client, world):
    response = _get(client, world["officer"], _params(world, month="2026-13"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a month" in page
    assert "party-doc" not in page


def test_document_is_vietnamese_in_an_english_interface(client, world):
    response = _get(client, world["officer"], _params(world))
    page = response.content.decode()
    assert "Print report" in page  # the interface is English…
    text = _flat(_document(response))
    assert "quý I năm 2026" in text  # …the document is not
    assert "quarter" not in text.lower()


def test_user_text_is_escaped(client, world):
    committee = world["committee"]
    committee.name = "<b>Đảng ủy</b>"
    committee.save()
    ReportSettings.objects.create(
        committee=committee,
        signer_name="<script>alert(1)</script>",
        recipients="<img src=x onerror=alert(1)>",
        place="<i>x</i>",
    )
    page = _get(client, world["officer"], _params(world)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "<b>Đảng ủy</b>" not in page and "<i>x</i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


# --- the PDF ------------------------------------------------------------------------------


@pytest.fixture
def fresh_weasyprint_check():
    pdf.load_weasyprint.cache_clear()
    yield
    pdf.load_weasyprint.cache_clear()


def test_pdf(client, world, fresh_weasyprint_check):
    if pdf.load_weasyprint() is None:
        pytest.skip("WeasyPrint (or the Pango library it needs) is not installed here")
    factories.world_session(
        world,
        date=D(2026, 2, 7),
    )
    response = _get(client, world["officer"], _params(world, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2026-q1.pdf"'


def test_pdf_link_only_when_weasyprint_loads(client, world, monkeypatch, fresh_weasyprint_check):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import now raises ImportError
    response = _get(client, world["officer"], _params(world))
    assert "format=pdf" not in response.content.decode()
    response = client.get(URL, _params(world, format="pdf"))
    assert response.status_code == 200
    assert "PDF is not available on this server" in response.content.decode()


def test_print_view_queries_do_not_grow_with_cells(client, world):
    def held(cell, village, day):
        session = factories.session(
            cell=cell,
            village=village,
            directive=world["directive"],
            date=day,
            other_village_reason="x",
        )
        LabourSession.objects.filter(pk=session.pk).update(
            status="held", log_status="confirmed", log_confirmed_at=timezone.now()
        )

    params = {"committee": world["committee"].pk, "period": "year", "year": "2026"}
    held(world["cell"], world["village"], datetime.date(2026, 3, 7))
    client.force_login(world["officer"])
    client.get(URL, params)
    with pinned_queries(40, cold=True):
        assert client.get(URL, params).status_code == 200
    for n in range(49):
        cell = factories.cell(committee=world["committee"])
        village = factories.village(commune=world["commune"])
        held(cell, village, datetime.date(2026, 1 + n % 12, 3 + n % 20))
    with pinned_queries(40, cold=True):
        response = client.get(URL, params)
    assert response.content.decode().count("Chi bộ") >= 50

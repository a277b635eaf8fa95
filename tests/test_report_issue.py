"""The document as an office issues it: header and signature defaults by the committee's kind,
the typed shortcomings and proposals, "Lưu VP." once, issuing with the committee's next number
(race-free, a re-sent form issuing once), issued reports frozen against later log changes, the
register of issued reports and who may read it, and the PDF set in one font family."""

import contextlib
import re
import threading
import uuid
import zlib
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from programs.models import (
    IssuedReport,
    LabourSession,
    PartyCommittee,
    ReportSettings,
    ReportText,
)
from programs.reports import document, pdf
from programs.services import issuing
from tests import factories
from tests.queries import pinned_queries

PRINT = reverse("programs:report-print")
Kind = PartyCommittee.Kind

pytestmark = pytest.mark.usefixtures("english")


def _query(world) -> str:
    return f"committee={world['committee'].pk}&period=year&year=2026"


def _issue(client, world, user=None, **extra):
    client.force_login(user or world["officer"])
    data = {"action": "issue", "shortcomings": "", "proposals": "", **extra}
    return client.post(f"{PRINT}?{_query(world)}", data)


def _confirmed(world, day):
    session = factories.world_session(world, date=day)
    LabourSession.objects.filter(pk=session.pk).update(
        status="held", log_status="confirmed", log_confirmed_at=timezone.now()
    )
    return session


def _document(response) -> str:
    page = response.content.decode()
    return re.search(r'<article class="party-doc".*?</article>', page, re.S).group(0)


def _flat(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- defaults by the committee's kind -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "parent", "superior", "on_behalf"),
    [
        (Kind.DISTRICT, ("Tỉnh ủy Tuyên Quang", Kind.PROVINCIAL), "ĐẢNG BỘ TỈNH TUYÊN QUANG",
         "T/M BAN THƯỜNG VỤ"),
        (Kind.PROVINCIAL, None, "", "T/M BAN THƯỜNG VỤ"),
        (Kind.GRASSROOTS, ("Huyện ủy Lâm Bình", Kind.DISTRICT), "ĐẢNG BỘ HUYỆN LÂM BÌNH",
         "T/M ĐẢNG ỦY"),
        (Kind.GRASSROOTS, ("Huyện uỷ Lâm Bình", Kind.DISTRICT), "ĐẢNG BỘ HUYỆN LÂM BÌNH",
         "T/M ĐẢNG ỦY"),
        (Kind.AGENCIES, ("Đảng ủy Khối cơ quan tỉnh", Kind.AGENCIES),
         "ĐẢNG BỘ KHỐI CƠ QUAN TỈNH", "T/M ĐẢNG ỦY"),
    ],
)  # fmt: skip
def test_header_defaults_by_kind(kind, parent, superior, on_behalf):
    above = factories.committee(name=parent[0], kind=parent[1]) if parent else None
    committee = factories.committee(name="Ủy ban X", kind=kind, parent=above)
    assert document.header_defaults(committee) == {
        "superior_body": superior,
        "signer_on_behalf": on_behalf,
        "signer_title": "BÍ THƯ",
    }


def test_district_committee_document_signs_for_the_standing_committee(client, world):
    province = factories.committee(name="Tỉnh ủy Tuyên Quang", kind=Kind.PROVINCIAL)
    committee = world["committee"]
    committee.name, committee.kind, committee.parent = "Huyện ủy Lâm Bình", Kind.DISTRICT, province
    committee.abbreviation = "HU"
    committee.save()
    client.force_login(world["officer"])
    page = client.get(f"{PRINT}?{_query(world)}").content.decode()
    assert '<p class="party-doc__superior">ĐẢNG BỘ TỈNH TUYÊN QUANG</p>' in page
    assert '<p class="party-doc__committee">HUYỆN ỦY LÂM BÌNH</p>' in page
    assert '<p class="party-doc__on-behalf">T/M BAN THƯỜNG VỤ</p>' in page
    assert "-BC/HU" in page
    # The defaults are the form's hints; what the office types wins.
    assert 'placeholder="T/M BAN THƯỜNG VỤ"' in page
    client.post(f"{PRINT}?{_query(world)}", {"signer_on_behalf": "TM. BAN THƯỜNG VỤ"})
    page = client.get(f"{PRINT}?{_query(world)}").content.decode()
    assert '<p class="party-doc__on-behalf">TM. BAN THƯỜNG VỤ</p>' in page


def test_a_cells_own_report_goes_out_under_the_cell(client, world):
    """A secretary prints their cell's report as the cell issues it: under the party
    organisation the committee leads, signed for the cell, numbered in the cell's register,
    sent to the committee; the committee's saved header and signer are not the cell's."""
    _confirmed(world, timezone.localdate().replace(day=1))
    committee = world["committee"]
    ReportSettings.objects.create(
        committee=committee, superior_body="ĐẢNG BỘ HUYỆN", signer_name="Ma Thị Hạnh"
    )
    client.force_login(world["secretary"])
    page = _document(client.get(PRINT, {"cell": world["cell"].pk}))
    assert '<p class="party-doc__superior">ĐẢNG BỘ CƠ QUAN CHÍNH QUYỀN HUYỆN</p>' in page
    assert '<p class="party-doc__committee">CHI BỘ VĂN PHÒNG</p>' in page
    assert "-BC/CB" in page and "-BC/ĐU" not in page
    assert '<p class="party-doc__on-behalf">T/M CHI BỘ</p>' in page
    assert "Ma Thị Hạnh" not in page
    text = _flat(page)
    assert "- Đảng ủy Cơ quan Chính quyền huyện (để báo cáo), - Lưu Chi bộ." in text
    assert "Lưu VP" not in text
    # The committee's own report keeps the committee's header.
    client.force_login(world["officer"])
    page = _document(client.get(f"{PRINT}?{_query(world)}"))
    assert '<p class="party-doc__committee">ĐẢNG ỦY CƠ QUAN CHÍNH QUYỀN HUYỆN</p>' in page
    assert "Ma Thị Hạnh" in page


def test_a_cells_report_is_not_issued_in_the_committees_register(client, world):
    _confirmed(world, timezone.localdate().replace(day=1))
    client.force_login(world["officer"])
    url = f"{PRINT}?cell={world['cell'].pk}"
    page = client.get(url).content.decode()
    assert 'value="issue"' not in page
    assert "only a committee’s report is issued" in page
    response = client.post(url, {"action": "issue", "shortcomings": "", "proposals": ""})
    assert response.status_code == 302 and response["Location"].startswith(url)
    assert not IssuedReport.objects.exists()
    assert "only a committee’s report is issued" in client.get(url).content.decode()


# --- "Lưu VP." -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "printed"),
    [
        ([], ["- Lưu VP."]),
        (["Ban Thường vụ Huyện ủy (b/c)"], ["- Ban Thường vụ Huyện ủy (b/c),", "- Lưu VP."]),
        (
            ["Ban Thường vụ Huyện ủy (b/c),", "- Lưu Văn phòng Đảng ủy."],
            ["- Ban Thường vụ Huyện ủy (b/c),", "- Lưu Văn phòng Đảng ủy."],
        ),
        (["lưu VP", "Các chi bộ"], ["- lưu VP,", "- Các chi bộ."]),
        (["Lưu trữ huyện"], ["- Lưu trữ huyện."]),
    ],
)
def test_luu_line_added_only_once(lines, printed):
    assert document.recipient_lines(lines) == printed


def test_luu_line_not_doubled_on_the_page(client, world):
    client.force_login(world["officer"])
    client.post(f"{PRINT}?{_query(world)}", {"recipients": "Huyện ủy (b/c)\nLưu VP"})
    page = client.get(f"{PRINT}?{_query(world)}").content.decode()
    text = _flat(re.search(r'<article class="party-doc".*?</article>', page, re.S).group(0))
    assert "Nơi nhận: - Huyện ủy (b/c), - Lưu VP." in text
    assert text.count("Lưu VP") == 1


# --- the typed shortcomings and proposals ---------------------------------------------------


def test_typed_texts_are_saved_and_printed(client, world):
    client.force_login(world["officer"])
    response = client.post(
        f"{PRINT}?{_query(world)}",
        {
            "action": "text",
            "shortcomings": "Một số chi bộ chưa ghi ảnh.",
            "proposals": "- Đề nghị hỗ trợ xi măng.\n\n- Đề nghị <b>tập huấn</b>.",
            "token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    saved = ReportText.objects.get(committee=world["committee"])
    assert saved.query == _query(world)
    assert saved.proposals.startswith("- Đề nghị hỗ trợ xi măng.")
    page = client.get(f"{PRINT}?{_query(world)}").content.decode()
    text = _flat(page)
    assert "Một số chi bộ chưa ghi ảnh. 2. Đề xuất, kiến nghị" in text
    assert "- Đề nghị hỗ trợ xi măng. - Đề nghị &lt;b&gt;tập huấn&lt;/b&gt;. Nơi nhận:" in text
    assert "party-doc__blank" not in page
    # Another period is another report: its own (empty) texts.
    other = client.get(f"{PRINT}?committee={world['committee'].pk}&period=year&year=2025")
    assert "xi măng" not in _flat(other.content.decode())


@pytest.mark.parametrize("action", ["text", "issue"])
def test_viewer_may_not_type_or_issue(client, world, action):
    response = _issue(client, world, user=world["viewer"], action=action, proposals="x")
    assert response.status_code == 403
    assert not ReportText.objects.exists() and not IssuedReport.objects.exists()


# --- issuing -------------------------------------------------------------------------------


def test_second_report_of_the_year_gets_the_next_number(client, world):
    _confirmed(world, timezone.localdate().replace(day=1))
    first = _issue(client, world, proposals="- Đề nghị A.")
    issued = IssuedReport.objects.get()
    assert first.status_code == 302
    assert first["Location"] == reverse(
        "programs:issued-report", args=[world["committee"].pk, issued.pk]
    )
    second = _issue(client, world, token=str(uuid.uuid4()))
    assert second.status_code == 302
    rows = list(IssuedReport.objects.order_by("number").values_list("year", "number", "proposals"))
    year = timezone.localdate().year
    assert rows == [(year, 1, "- Đề nghị A."), (year, 2, "")]
    # The draft keeps the texts of the last issue.
    assert ReportText.objects.get(committee=world["committee"]).proposals == ""
    last = IssuedReport.objects.get(number=2)
    assert last.number_text == "2-BC/ĐU" and last.issued_by == world["officer"]
    assert "Số 2-BC/ĐU" in _flat(last.document_html)
    assert last.query == _query(world)
    # The print page names the numbers this very report was issued under.
    page = client.get(f"{PRINT}?{_query(world)}").content.decode()
    assert "Already issued:" in page and "Số 2-BC/ĐU of" in page and "Số 1-BC/ĐU of" in page
    other_period = client.get(f"{PRINT}?committee={world['committee'].pk}&period=year&year=2025")
    assert "Already issued:" not in other_period.content.decode()
    # Another committee starts at 1.
    other = factories.committee(name="Đảng ủy khác")
    made = issuing.report_issue(
        committee=other,
        user=world["admin"],
        make=lambda n: {"document_html": f"{n}", "figures": {}, "pdf": b""},
        issued_on=timezone.localdate(),
        query="q",
        summary="s",
    )
    assert made.number == 1


def test_resent_issue_form_issues_once(client, world):
    token = str(uuid.uuid4())
    first = _issue(client, world, token=token)
    again = _issue(client, world, token=token)
    assert IssuedReport.objects.count() == 1
    assert first["Location"] == again["Location"]


def test_numbers_are_unique_per_committee_and_year(world):
    from django.db import IntegrityError, transaction

    fields = {
        "committee": world["committee"],
        "year": 2026,
        "number": 3,
        "abbreviation": "ĐU",
        "summary": "s",
        "query": "q",
        "issued_on": timezone.localdate(),
        "document_html": "x",
    }
    IssuedReport.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedReport.objects.create(**fields)
    IssuedReport.objects.create(**{**fields, "year": 2027})


@pytest.mark.django_db(transaction=True)
def test_two_issues_at_once_never_share_a_number(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections")
    committee, user = world["committee"], world["officer"]
    start = threading.Barrier(4)
    errors = []

    def make(number):
        return {"document_html": str(number), "figures": {}, "pdf": b""}

    def issue():
        try:
            start.wait()
            for _ in range(3):
                issuing.report_issue(
                    committee=committee,
                    user=user,
                    make=make,
                    issued_on=timezone.localdate(),
                    query="q",
                    summary="s",
                    token=uuid.uuid4(),
                )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(IssuedReport.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 13))


def test_issued_report_does_not_change_when_a_log_is_reopened(client, world):
    day = timezone.localdate().replace(day=1)
    session = _confirmed(world, day)
    _confirmed(world, day.replace(day=2))
    _issue(client, world)
    issued = IssuedReport.objects.get()
    figures, html, content = issued.figures, issued.document_html, bytes(issued.pdf)
    summary = next(t for t in figures["tables"] if t["rows"])
    assert "Đã tổ chức (đã xác nhận kết quả) 2" in _flat(html)
    detail_url = reverse("programs:issued-report", args=[world["committee"].pk, issued.pk])
    before = _document(client.get(detail_url))

    # The log is reopened (and the session edited) after the report was issued.
    LabourSession.objects.filter(pk=session.pk).update(log_status="submitted", notes="đã sửa")

    live = _flat(client.get(f"{PRINT}?{_query(world)}").content.decode())
    assert "Đã tổ chức (đã xác nhận kết quả) 1" in live  # the live report moved on…
    issued.refresh_from_db()
    assert issued.figures == figures and issued.document_html == html  # …the issued one did not
    assert next(t for t in issued.figures["tables"] if t["rows"]) == summary
    assert bytes(issued.pdf) == content
    assert _document(client.get(detail_url)) == before
    if content:
        response = client.get(
            reverse("programs:issued-report-pdf", args=[world["committee"].pk, issued.pk])
        )
        assert b"".join(response.streaming_content if response.streaming else [response.content])
        assert response.content == content


# --- the register ----------------------------------------------------------------------------


def _register(world):
    return reverse("programs:issued-reports", args=[world["committee"].pk])


def test_register_lists_the_issued_reports_for_readers(client, world):
    _issue(client, world, token=str(uuid.uuid4()))
    _issue(client, world, token=str(uuid.uuid4()))
    for who in ("officer", "viewer"):
        client.force_login(world[who])
        page = client.get(_register(world)).content.decode()
        assert page.index(">2-BC/ĐU</a>") < page.index(">1-BC/ĐU</a>")
        issued = IssuedReport.objects.get(number=1)
        detail = client.get(
            reverse("programs:issued-report", args=[world["committee"].pk, issued.pk])
        )
        assert detail.status_code == 200
        assert "Số 1-BC/ĐU" in _flat(detail.content.decode())
    # The report page links to the register.
    client.force_login(world["viewer"])
    report = client.get(f"{reverse('programs:reports')}?{_query(world)}").content.decode()
    assert _register(world) in report


def test_register_is_scoped(client, world):
    _issue(client, world)
    issued = IssuedReport.objects.get()
    urls = [
        _register(world),
        reverse("programs:issued-report", args=[world["committee"].pk, issued.pk]),
        reverse("programs:issued-report-pdf", args=[world["committee"].pk, issued.pk]),
    ]
    outsider = factories.user("outsider", role="officer", target=world["outsider_committee"])
    for user in (world["secretary2"], outsider):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
    # The report under another committee's address is not found either.
    client.force_login(outsider)
    wrong = reverse("programs:issued-report", args=[world["outsider_committee"].pk, issued.pk])
    assert client.get(wrong).status_code == 404
    # A secretary sees no link to a register they cannot read.
    client.force_login(world["secretary"])
    page = client.get(f"{reverse('programs:reports')}?cell={world['cell'].pk}").content.decode()
    assert "/reports/issued/" not in page


def test_register_queries_do_not_grow(client, world):
    def add(n):
        for _ in range(n):
            issuing.report_issue(
                committee=world["committee"],
                user=world["officer"],
                make=lambda number: {"document_html": "x", "figures": {}, "pdf": b"x"},
                issued_on=timezone.localdate(),
                query="q",
                summary="s",
            )

    add(1)
    client.force_login(world["viewer"])
    client.get(_register(world))
    with pinned_queries(8, cold=True):
        assert client.get(_register(world)).status_code == 200
    add(30)
    with pinned_queries(8, cold=True):
        page = client.get(_register(world)).content.decode()
    assert page.count("-BC/ĐU</a>") == 31


# --- the font ------------------------------------------------------------------------------


def _pdf_chunks(content: bytes) -> list[bytes]:
    """The PDF's bytes and every stream it holds, decompressed (object streams hold the font
    dictionaries, font file streams the embedded fonts)."""
    chunks = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        with contextlib.suppress(zlib.error):
            chunks.append(zlib.decompress(match.group(1)))
    return chunks


def pdf_font_names(content: bytes) -> set[str]:
    """The BaseFont names of a PDF's fonts, subset tags such as "ABCDEF+" removed."""
    names = set()
    for chunk in _pdf_chunks(content):
        for name in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", chunk):
            names.add(re.sub(r"^[A-Z]{6}\+", "", name.decode("latin-1")))
    return names


def test_every_glyph_of_the_pdf_comes_from_the_shipped_font(client, world):
    if pdf.load_weasyprint() is None:
        pytest.skip("WeasyPrint (or the Pango library it needs) is not installed here")
    _confirmed(world, timezone.localdate().replace(day=1))
    client.force_login(world["officer"])
    client.post(
        f"{PRINT}?{_query(world)}",
        {"signer_name": "Hoàng Văn Thắng", "recipients": "Ban Thường vụ Huyện ủy (b/c)"},
    )
    # Tone marks in every style: bold, italic, bold italic, regular.
    _issue(client, world, proposals="- Đề nghị Ủy ban nhân dân xã hỗ trợ kinh phí, xi măng.")
    content = bytes(IssuedReport.objects.get().pdf)
    assert content.startswith(b"%PDF")
    names = pdf_font_names(content)
    # WeasyPrint names each font by its CSS family: "Civic Serif" is the @font-face family of
    # the shipped files; a letter missing from it would come from a system font of another
    # name (DejaVuSerif, TimesNewRoman…).
    assert names, "no font found in the PDF"
    assert {name[: len("Civic-Serif")] for name in names} == {"Civic-Serif"}, names
    assert len(names) >= 3  # regular, bold and italic at least, all of the one family
    # …and the embedded font programs are Liberation Serif's.
    embedded = [chunk for chunk in _pdf_chunks(content) if b"glyf" in chunk[:400]]
    assert embedded and all(
        "Liberation Serif".encode("utf-16-be") in chunk or b"Liberation Serif" in chunk
        for chunk in embedded
    )


def test_the_font_and_its_licence_are_shipped():
    from django.contrib.staticfiles import finders

    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert finders.find(f"fonts/LiberationSerif-{style}.ttf")
    licence = Path(finders.find("fonts/LICENSE-LiberationSerif.txt")).read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence or "SIL-OFL-1.1" in licence
    css = Path(finders.find("css/report-print.css")).read_text(encoding="utf-8")
    assert 'url("../fonts/LiberationSerif-Regular.ttf")' in css
    assert 'font-family: "Civic Serif", "Times New Roman", serif;' in css

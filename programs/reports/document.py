"""The words of the printed report (Hướng dẫn 36-HD/VPTW): the place and date, the document
number, the summary line, the generated sentences of sections I and III, and everything
``reports/document.html`` shows (``document_context``).

The printed report is always in Vietnamese, whatever the language of the screen, so the fixed
words here are Vietnamese literals rather than translatable strings.
"""

import datetime
import re
import unicodedata

from programs.text import vn_number, vnd

from . import opinions
from .cadence import RULE_VI
from .indicators import comparison_rows

__all__ = ["vn_number", "vnd"]  # re-exported: templates and tests format through this module

# The person-visit categories of figures.CATEGORY_GROUPS, as a Vietnamese report names them.
CATEGORY_WORDS = {
    "cadres": "Cán bộ, công chức, viên chức, người lao động",
    "armed_forces": "Chiến sĩ lực lượng vũ trang",
    "front": "Cán bộ Mặt trận Tổ quốc và các đoàn thể",
}


def vietnamese_place_date(place: str, day: datetime.date) -> str:
    """ "Bình An, ngày 28 tháng 02 năm 2026": days below 10 and the months January and
    February take a leading zero (so "tháng 01" is never misread as "tháng 10"), other months
    do not ("tháng 3", "tháng 12")."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    place = (place or "").strip()
    return f"{place}, {text}" if place else text


def document_number(number: str, abbreviation: str) -> str:
    """ "Số 15-BC/ĐU"; without a number, a blank to fill in by hand: "Số     -BC/ĐU".
    Party documents write no colon after "Số"."""
    number = (number or "").strip()
    blank = number or "\N{NO-BREAK SPACE}" * 5
    return f"Số {blank}-BC/{abbreviation or 'ĐU'}"


def summary_line(report) -> str:
    """The line under "BÁO CÁO": what the report is about and for which period."""
    directive = report.directive
    if directive is not None:
        subject = f"Kết quả thực hiện {directive.get_kind_short()} {directive.symbol}"
    else:
        subject = "Kết quả thực hiện hoạt động lao động cùng Nhân dân"
    if report.scope.kind != "committee":
        subject += f" tại {report.scope.label}"
    return f"{subject} {report.period.document_phrase()}"


def general_sentences(report) -> list[str]:
    """Section I: a few sentences with the key figures."""
    totals = report.totals
    assigned = (
        f"{vn_number(report.cells_assigned)} chi bộ được phân công phụ trách thôn"
        if report.cells_assigned
        else "chưa có chi bộ nào được phân công phụ trách thôn"
    )
    sentences = [
        f"Trong {report.period.document_phrase()}, {assigned}; "
        f"đã tổ chức {vn_number(totals.held)} buổi lao động cùng Nhân dân (đã xác nhận) "
        f"tại {vn_number(report.villages_with_sessions)} thôn, "
        f"với {vn_number(totals.visits)} lượt người tham gia, "
        f"{vn_number(totals.workdays)} ngày công.",
    ]
    if report.directive_tree is not None and report.directive_tree.implementing:
        sentences.append(f"Số liệu {report.directive_tree.phrase()}.")
    if totals.held_unconfirmed:
        sentences.append(
            f"Ngoài ra có {vn_number(totals.held_unconfirmed)} buổi đã tổ chức nhưng chưa được "
            "xác nhận kết quả, chưa tính vào số liệu của báo cáo này."
        )
    if report.cadence_rate is not None:
        sentences.append(
            f"Số chi bộ duy trì đều đặn hằng tháng: {report.cells_meeting_cadence}/"
            f"{report.cells_counted} chi bộ, đạt {vn_number(report.cadence_rate, 1)}%."
        )
    sentences.extend(cadence_sentences(report))
    if report.total_value:
        sentences.append(
            f"Tổng giá trị quy đổi thành tiền các phần việc: {vnd(report.total_value)}."
        )
    return sentences


def cadence_sentences(report) -> list[str]:
    """The cadence rule in words, and the months it did not judge (the month under way is
    "tháng này, đến nay")."""
    sentences = [RULE_VI]
    if report.months_running:
        sentences.append(
            f"Tháng {report.running_label} chưa kết thúc: số liệu tháng này, đến nay, "
            "chưa xét việc duy trì."
        )
    if report.months_partial:
        sentences.append(
            f"Tháng {report.partial_label} chỉ có một phần trong kỳ báo cáo nên không xét "
            "việc duy trì."
        )
    return sentences


def shortcoming_sentences(report) -> list[str]:
    """Section III: what fell short, from the postponed, cancelled and missed months."""
    totals = report.totals
    sentences = []
    if totals.cancelled or totals.postponed:
        sentences.append(
            f"Có {vn_number(totals.postponed)} buổi phải tạm hoãn và "
            f"{vn_number(totals.cancelled)} buổi bị hủy."
        )
    missing = report.cells_counted - report.cells_meeting_cadence
    if report.cells_counted and missing:
        sentences.append(
            f"Còn {missing} chi bộ chưa duy trì tổ chức lao động cùng Nhân dân đủ số buổi hằng "
            "tháng theo yêu cầu."
        )
    if totals.planned:
        sentences.append(
            f"Còn {vn_number(totals.planned)} buổi đã lên lịch nhưng chưa ghi nhận kết quả."
        )
    if totals.held_unconfirmed:
        sentences.append(
            f"{vn_number(totals.held_unconfirmed)} buổi đã tổ chức chưa được xác nhận kết quả."
        )
    return sentences


def households_sentence(report) -> str:
    """ "Đã hỗ trợ 5 hộ (hộ nghèo: 2; gia đình chính sách: 3)." """
    text = f"Đã hỗ trợ {vn_number(len(report.households))} hộ gia đình"
    parts = [f"{label}: {vn_number(count)}" for _code, label, count in report.households_by_status]
    if parts:
        text += f" ({'; '.join(parts)})"
    return text + "."


# A committee's name starts with the word for its kind; the party organisation it leads (its
# "đảng bộ") is named by the same place: "Huyện ủy Lâm Bình" leads "Đảng bộ huyện Lâm Bình".
_BODY_PREFIXES = (
    ("tỉnh ủy", "ĐẢNG BỘ TỈNH"),
    ("thành ủy", "ĐẢNG BỘ THÀNH PHỐ"),
    ("huyện ủy", "ĐẢNG BỘ HUYỆN"),
    ("thị ủy", "ĐẢNG BỘ THỊ XÃ"),
    ("quận ủy", "ĐẢNG BỘ QUẬN"),
    ("đảng ủy", "ĐẢNG BỘ"),
)

# Who signs, by the issuing committee's kind: a Tỉnh ủy or Huyện ủy signs for its standing
# committee, a grassroots or agencies' Đảng ủy for the whole committee.
_ON_BEHALF = {"TU": "T/M BAN THƯỜNG VỤ", "HU": "T/M BAN THƯỜNG VỤ"}
_ON_BEHALF_DEFAULT = "T/M ĐẢNG ỦY"
SIGNER_TITLE = "BÍ THƯ"
# A party cell's own report (Hướng dẫn 36-HD/VPTW): under the party organisation its committee
# leads, signed for the cell by its secretary, numbered in the cell's register ("…-BC/CB").
CELL_ON_BEHALF = "T/M CHI BỘ"
CELL_ABBREVIATION = "CB"


def _fold(text: str) -> str:
    # "uỷ" and "ủy" are both written; compare on one spelling.
    return unicodedata.normalize("NFC", text).replace("uỷ", "ủy").replace("UỶ", "ỦY").lower()


def party_body_of(committee) -> str:
    """The party organisation ``committee`` leads, in capitals: "Huyện ủy Lâm Bình" →
    "ĐẢNG BỘ HUYỆN LÂM BÌNH". A name that does not start with a known kind is kept as it is."""
    name = " ".join(committee.name.split())
    folded = _fold(name)
    for prefix, body in _BODY_PREFIXES:
        if folded.startswith(prefix + " "):
            return f"{body} {name[len(prefix) + 1 :].strip()}".upper()
    return name.upper()


def header_defaults(committee) -> dict[str, str]:
    """The header and signature a committee prints when its office has not typed its own:
    the superior body (the party organisation of the committee above; none for a committee
    at the top), the committee's line, who signs on behalf of whom, and the signer's title."""
    if committee is None:
        return {"superior_body": "", "signer_on_behalf": _ON_BEHALF_DEFAULT, "signer_title": ""}
    parent = committee.parent if committee.parent_id else None
    return {
        "superior_body": party_body_of(parent) if parent is not None else "",
        "signer_on_behalf": _ON_BEHALF.get(committee.kind, _ON_BEHALF_DEFAULT),
        "signer_title": SIGNER_TITLE,
    }


_LUU = re.compile(r"^[-–•\s]*lưu\b", re.IGNORECASE)


def cell_header(cell) -> dict[str, str]:
    """The header and signature of a party cell's own report: the party organisation its
    committee leads above the cell's name, "T/M CHI BỘ" and "BÍ THƯ"; it goes to the
    committee, and a copy stays with the cell."""
    committee = cell.committee
    return {
        "superior_body": party_body_of(committee),
        "issuer": cell.name,
        "abbreviation": CELL_ABBREVIATION,
        "signer_on_behalf": CELL_ON_BEHALF,
        "signer_title": SIGNER_TITLE,
        "recipients": [f"{committee.name} (để báo cáo)", "Lưu Chi bộ"],
    }


def recipient_lines(lines: list[str]) -> list[str]:
    """The "Nơi nhận:" list as printed: each line "- …," and the last "- ….", with "Lưu VP."
    added unless the office already wrote a "Lưu …" line of its own."""
    lines = [re.sub(r"^[-–•\s]+", "", line).rstrip(" ,.;") for line in lines]
    lines = [line for line in lines if line]
    if not any(_LUU.match(unicodedata.normalize("NFC", line)) for line in lines):
        lines.append("Lưu VP")
    return [f"- {line}{'.' if n == len(lines) - 1 else ','}" for n, line in enumerate(lines)]


def document_context(
    report, committee, settings_obj, today: datetime.date, *, texts=None, number=""
) -> dict:
    """What ``reports/document.html`` shows: the header (superior body, issuing committee,
    number, place and date) from the committee and its saved ``settings_obj`` (blank fields
    take ``header_defaults``), then the sections, with the shortcomings and proposals typed
    before printing (``texts``: "shortcomings", "proposals"). ``number`` is an issued
    report's number; without it, a blank to fill in by hand. Call it under
    ``override("vi")``: the comparison's labels are translated."""
    defaults = header_defaults(committee)
    superior = settings_obj.superior_body.strip() or defaults["superior_body"]
    issuer = committee.name if committee is not None else report.scope.label
    abbreviation = committee.abbreviation if committee is not None else "ĐU"
    signer = {
        "signer_on_behalf": settings_obj.signer_on_behalf.strip() or defaults["signer_on_behalf"],
        "signer_title": settings_obj.signer_title.strip() or defaults["signer_title"],
        "signer_name": settings_obj.signer_name,
    }
    recipients = settings_obj.recipient_lines
    if report.scope.kind == "cell":
        # The cell's own report: the committee's saved header and signer are the committee's.
        cell = cell_header(report.scope.obj)
        superior, issuer, abbreviation = cell["superior_body"], cell["issuer"], cell["abbreviation"]
        signer = {
            "signer_on_behalf": cell["signer_on_behalf"],
            "signer_title": cell["signer_title"],
            "signer_name": "",
        }
        recipients = cell["recipients"]
    texts = texts or {}
    return {
        "report": report,
        "superior_body": superior.upper(),
        "issuer": issuer.upper(),
        "number_line": document_number(str(number or ""), abbreviation),
        "place_date": vietnamese_place_date(settings_obj.place, today),
        "summary_line": summary_line(report),
        "period_words": report.period.document_phrase(),
        "general": general_sentences(report),
        "shortcomings": shortcoming_sentences(report),
        "shortcomings_typed": _paragraphs(texts.get("shortcomings", "")),
        "proposals": _paragraphs(texts.get("proposals", "")),
        "by_category": [
            (CATEGORY_WORDS[key], count, workdays)
            for key, _label, count, workdays in report.by_category
        ],
        "households_sentence": households_sentence(report),
        "opinions_sentence": opinions.sentence(report),
        "comparison": comparison_rows(report),
        "settings": settings_obj,
        **signer,
        "recipients": recipient_lines(recipients),
    }


def _paragraphs(text: str) -> list[str]:
    """Typed text as paragraphs, one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]

"""Spreadsheet import and export (issue 11): round trips, every rejection reason with its row
and column, all or nothing, idempotence, CSV as Excel saves it, scope, history, the page and
the commands."""

import codecs
import datetime
import io
import re
import unicodedata
import zipfile

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook, load_workbook

from programs.admin.history import value_changes
from programs.imports.engine import run_import
from programs.imports.sheets import SHEETS
from programs.imports.writer import write_export, write_template
from programs.models import Assignment, Commune, Household, Member, PartyCell, Village
from tests import factories

MEMBER_HEADER = ["Mã", "Họ và tên", "Chi bộ", "Đối tượng", "Cấp", "Đảng viên"]


def _xlsx(rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _import(kind, rows, user, *, apply=True):
    with translation.override("vi"):
        return run_import(kind=kind, stream=_xlsx(rows), name="f.xlsx", user=user, apply=apply)


def _export(kind, user) -> list[list]:
    out = io.BytesIO()
    write_export(kind, out, user=user)
    out.seek(0)
    return [list(row) for row in load_workbook(out).active.iter_rows(values_only=True)]


def _reasons(report) -> list[tuple]:
    return [(item.row, item.column, item.reason) for item in report.rejections]


@pytest.fixture
def filled(world):
    """The world with a household, a member and a second commune of the same name."""
    factories.household(village=world["village"], head_name="Quan Văn Thính")
    factories.member(cell=world["cell"], full_name="Hoàng Văn Lâm", category="official")
    province = world["province"]
    world["new_commune"] = factories.commune(
        province=province, district=None, name="Bình An", valid_from=datetime.date(2025, 7, 1)
    )
    Commune.objects.filter(pk=world["commune"].pk).update(valid_until=datetime.date(2025, 6, 30))
    return world


@pytest.mark.parametrize("kind", list(SHEETS))
@pytest.mark.parametrize("who", ["admin", "officer"])
def test_export_then_import_changes_nothing(filled, kind, who):
    user = filled[who]
    rows = _export(kind, user)
    assert len(rows) > 1
    assert rows[0][0] == "Mã" and re.match(r"^[A-Z]+-\d+$", rows[1][0])
    stamps = {obj.pk: obj.updated_at for obj in SHEETS[kind].model.objects.all()}
    logs = LogEntry.objects.count()
    report = _import(kind, rows, user)
    assert report.ok and report.applied, _reasons(report)
    assert (report.new, report.changed, report.unchanged) == (0, 0, len(rows) - 1)
    assert {o.pk: o.updated_at for o in SHEETS[kind].model.objects.all()} == stamps
    assert LogEntry.objects.count() == logs


@pytest.mark.parametrize("kind", list(SHEETS))
def test_templates_have_headers_example_and_lists(kind):
    out = io.BytesIO()
    write_template(kind, out)
    out.seek(0)
    book = load_workbook(out)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [column.header for column in SHEETS[kind].columns]
    assert sheet["A2"].value == "Ví dụ"
    if any(column.kind in ("choice", "bool") for column in SHEETS[kind].columns):
        assert sheet.data_validations.dataValidation
        assert book["Danh mục"].sheet_state == "hidden"


def test_members_import_creates_then_the_same_file_writes_nothing(world):
    rows = [
        MEMBER_HEADER,
        ["", "  Nguyễn   Thị Hoa ", "Chi bộ Văn phòng", "công chức", "cấp xã", "Có"],
        ["", "Lò Văn Sáng", "Chi bộ Tư pháp", "viên chức", "cấp huyện", "FALSE"],
    ]
    report = _import("members", rows, world["officer"])
    assert report.applied and report.new == 2
    hoa = Member.objects.get(full_name="Nguyễn Thị Hoa")
    assert hoa.cell == world["cell"] and hoa.is_party_member and hoa.level == "commune"
    sang = Member.objects.get(full_name="Lò Văn Sáng")
    assert not sang.is_party_member and sang.category == "public_employee"
    stamp = sang.updated_at
    logs = LogEntry.objects.count()
    again = _import("members", rows, world["officer"])
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    assert Member.objects.count() == 2 and LogEntry.objects.count() == logs
    sang.refresh_from_db()
    assert sang.updated_at == stamp


def test_a_code_updates_in_place_and_history_keeps_old_and_new(world):
    member = factories.member(cell=world["cell"], full_name="Hoàng Văn Lâm", category="official")
    rows = [
        [*MEMBER_HEADER, "Điện thoại"],
        [f"TV-{member.pk}", "Hoàng Văn Lâm Anh", "Chi bộ Tư pháp", "cán bộ", "cấp xã", "Có", 912],
    ]
    report = _import("members", rows, world["officer"])
    assert report.changed == 1, _reasons(report)
    member.refresh_from_db()
    assert (member.full_name, member.cell, member.phone) == (
        "Hoàng Văn Lâm Anh",
        world["other_cell"],
        "912",
    )
    entry = LogEntry.objects.get(object_id=str(member.pk), action_flag=CHANGE)
    with translation.override("vi"):
        changes = {row["label"]: (row["old"], row["new"]) for row in value_changes(entry)}
    assert changes["Họ và tên"] == ("Hoàng Văn Lâm", "Hoàng Văn Lâm Anh")
    assert changes["Chi bộ"] == ("Chi bộ Văn phòng", "Chi bộ Tư pháp")


def test_one_bad_row_writes_nothing(world):
    rows = [
        MEMBER_HEADER,
        ["", "Nguyễn Thị Hoa", "Chi bộ Văn phòng", "công chức", "cấp xã", "Có"],
        ["", "Lò Văn Sáng", "Chi bộ Văn phòng", "nông dân", "cấp xã", "Có"],
    ]
    report = _import("members", rows, world["officer"])
    assert not report.applied and report.new == 1 and report.rejected == 1
    row, column, reason = _reasons(report)[0]
    assert (row, column) == (3, "Đối tượng")
    assert reason.startswith("“nông dân” không có trong danh sách")
    assert not Member.objects.exists()


def test_rejections_name_row_column_and_reason_in_vietnamese(filled):
    rows = [
        ["Mã", "Tên thôn", "Loại", "Xã"],
        ["", "Bản Mới", "thôn", "Binh An"],
        ["", "Bản Mới", "thôn", "xã Bình An"],
        ["", "Bản Hai", "thôn", "xã Bình An (tỉnh Tuyên Quang, từ 01/07/2025)"],
        ["", "Bản Hai", "thôn", "xã Bình An (tỉnh Tuyên Quang, từ 01/07/2025)"],
    ]
    report = _import("villages", rows, filled["admin"])
    reasons = _reasons(report)
    assert reasons[0][:2] == (2, "Xã")
    assert "Không có xã nào tên “Binh An”" in reasons[0][2]
    assert (
        "Có phải: xã Bình An (huyện Lâm Bình, đến 30/06/2025); "
        "xã Bình An (tỉnh Tuyên Quang, từ 01/07/2025)?" in reasons[0][2]
    )
    assert reasons[1][:2] == (3, "Xã")
    assert "trùng với 2 xã" in reasons[1][2] and "đến 30/06/2025" in reasons[1][2]
    assert reasons[2][:2] == (5, "Tên thôn")
    assert "trùng với dòng 4" in reasons[2][2]
    assert not Village.objects.filter(name__in=["Bản Mới", "Bản Hai"]).exists()


def test_assignment_dates_reversed_and_overlapping_are_rejected(world):
    header = ["Mã", "Chi bộ", "Thôn", "Văn bản chỉ đạo", "Từ ngày", "Đến ngày"]
    rows = [
        header,
        ["", "Chi bộ Văn phòng", "Nà Coóc", "54-KH/HU", "01/03/2026", "01/02/2026"],
        ["", "Chi bộ Văn phòng", "Nà Coóc", "54-KH/HU", "01/04/2026", ""],
        ["", "Chi bộ Văn phòng", "Nà Coóc", "54-KH/HU", "31/02/2026", ""],
    ]
    report = _import("assignments", rows, world["officer"])
    reasons = _reasons(report)
    assert reasons[0][:2] == (2, "Đến ngày")
    assert "không được trước ngày bắt đầu" in reasons[0][2]
    assert reasons[1][:2] == (3, "Từ ngày") and "thôn Phiêng Luông" in reasons[1][2]
    assert reasons[2][:2] == (4, "Từ ngày") and "dd/mm/yyyy" in reasons[2][2]
    assert Assignment.objects.count() == 2


def test_an_officer_cannot_import_into_another_committee(world):
    factories.cell(committee=world["outsider_committee"], name="Chi bộ Ngoài")
    rows = [
        MEMBER_HEADER,
        ["", "Nguyễn Thị Hoa", "Chi bộ Văn phòng", "công chức", "cấp xã", "Có"],
        ["", "Lò Văn Sáng", "Chi bộ Ngoài", "công chức", "cấp xã", "Có"],
    ]
    report = _import("members", rows, world["officer"])
    assert _reasons(report) == [
        (3, "Chi bộ", "Ngoài phạm vi của bạn: bạn không được thay đổi mục này.")
    ]
    assert not Member.objects.exists()


def test_a_name_without_diacritics_is_suggested_not_matched(world):
    factories.member(cell=world["cell"], full_name="Hoàng Văn Lâm", category="official")
    rows = [MEMBER_HEADER, ["", "Hoang Van Lam", "Chi bo Van phong", "cán bộ", "cấp xã", "Có"]]
    report = _import("members", rows, world["officer"])
    (row, column, reason) = _reasons(report)[0]
    assert (row, column) == (2, "Chi bộ") and "Có phải: Chi bộ Văn phòng" in reason
    rows[1][2] = "Chi bộ Văn phòng"
    report = _import("members", rows, world["officer"])
    (row, column, reason) = _reasons(report)[0]
    assert (row, column) == (2, "Họ và tên") and "Có phải: Hoàng Văn Lâm" in reason
    assert Member.objects.count() == 1


def test_a_village_renamed_by_import_keeps_its_former_name(world):
    village = world["village"]
    rows = [["Mã", "Tên thôn", "Xã"], [f"TH-{village.pk}", "Phiêng Luông Trên", "xã Bình An"]]
    report = _import("villages", rows, world["admin"])
    assert report.changed == 1, _reasons(report)
    village.refresh_from_db()
    assert village.name == "Phiêng Luông Trên"
    assert village.names.get().name == "Phiêng Luông"


def _csv(text: str, encoding: str, bom: bool = False) -> io.BytesIO:
    data = text.encode(encoding)
    return io.BytesIO((codecs.BOM_UTF8 if bom else b"") + data)


def _cp1258(text: str) -> bytes:
    """``text`` as Windows-1258 stores it: letters with their shape (â, ơ…) as one byte, the
    tone mark as a combining one after them."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append((base + "".join(c for c in parts if c in tones)).encode("cp1258"))
    return b"".join(out)


def test_csv_saved_with_semicolons_and_a_bom(world):
    text = "Mã;Chủ hộ;Thôn;Hoàn cảnh\r\n;Quan Văn Thính;Phiêng Luông;Hộ nghèo\r\n"
    report = run_import(
        kind="households",
        stream=_csv(text, "utf-8", bom=True),
        name="h.csv",
        user=world["officer"],
        apply=True,
    )
    assert report.applied and report.new == 1, _reasons(report)
    household = Household.objects.get()
    assert (household.head_name, household.status) == ("Quan Văn Thính", "poor")


def test_csv_in_windows_1258_is_read_and_other_encodings_refused(world):
    text = "Mã,Chủ hộ,Thôn\r\n,Quan Văn Thính,Phiêng Luông\r\n"
    stream = io.BytesIO(_cp1258(text))
    report = run_import(
        kind="households", stream=stream, name="h.csv", user=world["officer"], apply=True
    )
    assert report.new == 1, (report.file_error, _reasons(report))
    assert Household.objects.get().head_name == "Quan Văn Thính"
    with translation.override("vi"):
        refused = run_import(
            kind="households",
            stream=io.BytesIO(b"\x81\x8d\x8f\x90\x9d" * 10 + b"\n"),
            name="h.csv",
            user=world["officer"],
            apply=True,
        )
    assert "UTF-8" in refused.file_error


@pytest.mark.parametrize("name", ["m.xlsx", "m.csv"])
def test_a_broken_file_is_a_message_not_an_error(world, name):
    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    for data in (b"PK\x03\x04broken", not_a_workbook.getvalue(), b"", b"\xff\xfe\x00\x01" * 9):
        report = run_import(
            kind="members", stream=io.BytesIO(data), name=name, user=world["officer"], apply=True
        )
        assert report.file_error and not report.applied


# --- the page ---------------------------------------------------------------------------


def test_the_page_previews_then_imports_once(client, world):
    client.force_login(world["officer"])
    assert client.get("/imports/").status_code == 200
    rows = [MEMBER_HEADER, ["", "Nguyễn Thị Hoa", "Chi bộ Văn phòng", "công chức", "cấp xã", "Có"]]
    upload = _xlsx(rows)
    upload.name = "members.xlsx"
    response = client.post("/imports/", {"kind": "members", "file": upload})
    assert response.status_code == 200 and response.context["report"].new == 1
    assert not Member.objects.exists()
    confirm = response.context["confirm"]
    data = {"upload": confirm.initial["upload"], "token": str(confirm["token"].initial)}
    first = client.post("/imports/confirm/", data)
    assert first.status_code == 302 and Member.objects.count() == 1
    again = client.post("/imports/confirm/", data)
    assert again.status_code == 302 and Member.objects.count() == 1


def test_a_confirmation_whose_upload_is_gone_asks_to_upload_again(client, world, settings):
    client.force_login(world["officer"])
    rows = [MEMBER_HEADER, ["", "Nguyễn Thị Hoa", "Chi bộ Văn phòng", "công chức", "cấp xã", "Có"]]
    upload = _xlsx(rows)
    upload.name = "members.xlsx"
    response = client.post("/imports/", {"kind": "members", "file": upload})
    confirm = response.context["confirm"]
    for path in (settings.MEDIA_ROOT / "imports").rglob("*.xlsx"):
        path.unlink()
    data = {"upload": confirm.initial["upload"], "token": str(confirm["token"].initial)}
    assert client.post("/imports/confirm/", data).status_code == 302
    assert not Member.objects.exists()


def test_the_page_shows_rejections_and_no_confirm(client, world):
    client.force_login(world["officer"])
    rows = [MEMBER_HEADER, ["", "Nguyễn Thị Hoa", "Chi bộ Không Có", "công chức", "cấp xã", "Có"]]
    upload = _xlsx(rows)
    upload.name = "members.xlsx"
    response = client.post("/imports/", {"kind": "members", "file": upload})
    assert response.context["confirm"] is None
    assert "Chi bộ Không Có" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [{}, {"upload": "x"}, {"upload": "6f1c1f4e-1b8a-4d4e-9a59-111111111111", "token": "zz"}],
)
def test_a_forged_confirmation_is_a_message(client, world, data):
    client.force_login(world["officer"])
    response = client.post("/imports/confirm/", data)
    assert response.status_code == 302 and not Member.objects.exists()


def test_viewers_and_secretaries_get_403_and_no_link(client, world):
    for who in ("viewer", "secretary"):
        client.force_login(world[who])
        assert client.get("/imports/").status_code == 403
        assert client.get("/imports/export/?kind=members").status_code == 403
        assert "/imports/" not in client.get("/").content.decode()
    client.force_login(world["officer"])
    assert "/imports/" in client.get("/").content.decode()
    assert client.get("/imports/export/?kind=nothing").status_code == 404
    assert client.get("/imports/template/?kind=members").status_code == 200


# --- the commands --------------------------------------------------------------------------


def test_the_commands_export_and_import(world, tmp_path):
    factories.member(cell=world["cell"], full_name="Hoàng Văn Lâm", category="official")
    path = tmp_path / "members.xlsx"
    call_command("export_sheet", str(path), kind="members", verbosity=0, stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_sheet", str(path), kind="members", user="officer", stdout=out, verbosity=0)
    assert "1" in out.getvalue()
    book = load_workbook(path)
    book.active.append(["", "Lò Văn Sáng", "", "Chi bộ Văn phòng", "", "nông dân", "cấp xã"])
    book.save(path)
    with pytest.raises(CommandError) as error:
        call_command("import_sheet", str(path), kind="members", verbosity=0, stdout=out)
    assert error.value.returncode == 1
    assert Member.objects.count() == 1
    assert PartyCell.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("import_sheet", str(path), kind="members", user="viewer", verbosity=0)

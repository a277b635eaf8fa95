"""Spreadsheet imports, the gaps closed after issue 11: villages' former names imported,
drop-down lists on exports, committees under ones further down the file (and rings refused),
assignment overlaps judged on the file's final periods, stale uploads removed."""

import datetime
import io
import os
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from programs.imports.writer import write_export
from programs.models import Assignment, PartyCommittee, Village, VillageName
from programs.text import vn_date
from tests.test_imports import _import, _reasons, _xlsx

D = datetime.date
VILLAGE_HEADER = ["Mã", "Tên thôn", "Xã", "Tên cũ"]
ASSIGNMENT_HEADER = ["Mã", "Chi bộ", "Thôn", "Văn bản chỉ đạo", "Từ ngày", "Đến ngày"]
COMMITTEE_HEADER = ["Mã", "Tên đảng ủy", "Cấp trên"]


def _export_book(kind, user):
    out = io.BytesIO()
    write_export(kind, out, user=user)
    out.seek(0)
    return load_workbook(out)


def _rows(book) -> list[list]:
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _village_row(village, former):
    return [f"TH-{village.pk}", village.name, "xã Bình An", former]


# --- 1. villages' former names -------------------------------------------------------------


@pytest.fixture
def renamed(world):
    """Phiêng Luông was "Bản Cũ" of the same commune from 2010 to the end of 2019."""
    VillageName.objects.create(
        village=world["village"],
        name="Bản Cũ",
        commune=world["commune"],
        valid_from=D(2010, 1, 1),
        valid_until=D(2019, 12, 31),
    )
    return world


def test_export_then_import_keeps_former_names_and_changes_nothing(renamed):
    rows = _rows(_export_book("villages", renamed["admin"]))
    village_row = next(row for row in rows if row[1] == "Phiêng Luông")
    assert village_row[4] == "Bản Cũ (xã Bình An, 01/01/2010 – 31/12/2019)"
    logs = LogEntry.objects.count()
    report = _import("villages", rows, renamed["admin"])
    assert report.ok and (report.new, report.changed) == (0, 0), _reasons(report)
    assert VillageName.objects.count() == 1 and LogEntry.objects.count() == logs


def test_a_former_name_in_the_file_is_recorded_once(renamed):
    village = renamed["village"]
    former = "Bản Xưa (xã Bình An, … – 31/12/2009); Bản Cũ (xã Bình An, 01/01/2010 – 31/12/2019)"
    rows = [VILLAGE_HEADER, _village_row(village, former)]
    report = _import("villages", rows, renamed["admin"])
    assert report.applied and report.changed == 1, _reasons(report)
    assert list(
        village.names.order_by("valid_until").values_list("name", "valid_from", "valid_until")
    ) == [
        ("Bản Xưa", None, D(2009, 12, 31)),
        ("Bản Cũ", D(2010, 1, 1), D(2019, 12, 31)),
    ]
    entry = LogEntry.objects.filter(object_id=str(village.pk)).latest("pk")
    assert "Bản Xưa" in entry.get_change_message()  # the history names the former name added
    logs = LogEntry.objects.count()
    again = _import("villages", rows, renamed["admin"])
    assert again.applied and (again.changed, again.unchanged) == (0, 1)
    assert village.names.count() == 2 and LogEntry.objects.count() == logs


def test_a_new_village_with_a_former_name(world):
    rows = [VILLAGE_HEADER, ["", "Bản Mường", "xã Bình An", "Bản Xưa (Bình An, … – 31/12/2015)"]]
    report = _import("villages", rows, world["admin"])
    assert report.applied and report.new == 1, _reasons(report)
    village = Village.objects.get(name="Bản Mường")
    assert [(n.name, n.commune, n.valid_until) for n in village.names.all()] == [
        ("Bản Xưa", world["commune"], D(2015, 12, 31))
    ]


def test_former_names_left_out_of_the_file_are_kept(renamed):
    village = renamed["village"]
    rows = [VILLAGE_HEADER, _village_row(village, "")]
    report = _import("villages", rows, renamed["admin"])
    assert report.applied and report.unchanged == 1
    assert village.names.get().name == "Bản Cũ"


@pytest.mark.parametrize(
    ("former", "reason"),
    [
        ("Bản Cũ 31/12/2019", "không đúng cách ghi tên cũ như khi xuất"),
        ("Bản Cũ (xã Không Có, … – 31/12/2019)", "Không có xã nào tên"),
        ("Bản Cũ (xã Bình An, … – 31/02/2019)", "dd/mm/yyyy"),
        ("Bản Cũ (xã Bình An, 01/01/2019 – 31/12/2018)", "không được trước ngày bắt đầu"),
        ("Bản Khác (xã Bình An, 01/06/2019 – 30/06/2019)", "trùng thời gian với tên cũ Bản Cũ"),
        ("Bản Khác (xã Bình An, 01/01/2020 – 31/03/2020)", "trước ngày tên hiện tại bắt đầu"),
    ],
)
def test_a_bad_former_name_is_a_rejected_row(renamed, former, reason):
    village = renamed["village"]
    rows = [VILLAGE_HEADER, ["", "Bản Thêm", "xã Bình An", ""], _village_row(village, former)]
    report = _import("villages", rows, renamed["admin"])
    ((row, column, text),) = _reasons(report)
    assert (row, column) == (3, "Tên cũ") and reason in text, text
    assert not report.applied and not Village.objects.filter(name="Bản Thêm").exists()
    assert village.names.count() == 1


def test_a_former_name_of_a_village_with_none_ends_before_today(world):
    today = vn_date(datetime.date.today())
    rows = [VILLAGE_HEADER, _village_row(world["village"], f"Bản X (xã Bình An, … – {today})")]
    ((row, column, text),) = _reasons(_import("villages", rows, world["admin"]))
    assert (row, column) == (2, "Tên cũ") and "phải kết thúc trước hôm nay" in text


# --- 2. drop-down lists on exports ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["villages", "members", "cells"])
def test_exports_carry_the_templates_drop_down_lists(world, kind):
    from tests import factories

    factories.member(cell=world["cell"], full_name="Hoàng Văn Lâm", category="official")
    book = _export_book(kind, world["admin"])
    validations = book.worksheets[0].data_validations.dataValidation
    assert validations and all(v.type == "list" for v in validations)
    assert book["Danh mục"].sheet_state == "hidden"
    entries = {cell for row in book["Danh mục"].iter_rows(values_only=True) for cell in row}
    assert {"thôn", "công chức", "Có"} & entries
    report = _import(kind, _rows(book), world["admin"])
    assert report.ok and report.writes == 0, _reasons(report)


# --- 3. committees under one further down --------------------------------------------------


def test_a_committee_may_sit_under_one_further_down_the_file(world):
    rows = [
        COMMITTEE_HEADER,
        ["", "Chi bộ cơ sở Nà Coóc", "Đảng ủy xã Bình An"],
        ["", "Đảng ủy xã Bình An", "Đảng ủy Cơ quan Chính quyền huyện"],
    ]
    report = _import("committees", rows, world["admin"])
    assert report.applied and report.new == 2, _reasons(report)
    child = PartyCommittee.objects.get(name="Chi bộ cơ sở Nà Coóc")
    assert child.parent.name == "Đảng ủy xã Bình An"
    assert child.parent.parent == world["committee"]


def test_committees_naming_each_other_in_a_ring_are_refused_on_each_row(world):
    rows = [
        COMMITTEE_HEADER,
        ["", "Đảng ủy A", "Đảng ủy B"],
        ["", "Đảng ủy Ngoài", ""],
        ["", "Đảng ủy B", "Đảng ủy A"],
        ["", "Đảng ủy C", "Đảng ủy C"],
    ]
    report = _import("committees", rows, world["admin"])
    reasons = _reasons(report)
    assert [(row, column) for row, column, _reason in reasons] == [
        (2, "Cấp trên"),
        (4, "Cấp trên"),
        (5, "Cấp trên"),
    ]
    assert "dòng 2, 4 " in reasons[0][2] and "vòng" in reasons[0][2]
    assert reasons[1][2] == reasons[0][2] and "dòng 5 " in reasons[2][2]
    assert (
        not PartyCommittee.objects.filter(name__startswith="Đảng ủy ")
        .exclude(pk__in=[world["committee"].pk, world["outsider_committee"].pk])
        .exists()
    )


# --- 4. assignments closed further down ----------------------------------------------------


def test_an_assignment_closed_further_down_lets_a_new_one_open_above(world):
    stored = Assignment.objects.get(cell=world["cell"])
    rows = [
        ASSIGNMENT_HEADER,
        ["", "Chi bộ Văn phòng", "Nà Coóc", "54-KH/HU", "01/03/2026", ""],
        [f"PC-{stored.pk}", "Chi bộ Văn phòng", "Phiêng Luông", "54-KH/HU", "01/06/2021",
         "28/02/2026"],
    ]  # fmt: skip
    report = _import("assignments", rows, world["officer"])
    assert report.applied and (report.new, report.changed) == (1, 1), _reasons(report)
    stored.refresh_from_db()
    assert stored.ends_on == D(2026, 2, 28)
    new = Assignment.objects.get(cell=world["cell"], starts_on=D(2026, 3, 1))
    assert new.village == world["other_village"] and new.ends_on is None
    again = _import("assignments", rows, world["officer"])
    assert again.applied and (again.writes, again.unchanged) == (0, 2)


def test_a_real_overlap_is_still_refused_whatever_the_order(world):
    stored = Assignment.objects.get(cell=world["cell"])
    rows = [
        ASSIGNMENT_HEADER,
        ["", "Chi bộ Văn phòng", "Nà Coóc", "54-KH/HU", "01/02/2026", ""],
        [f"PC-{stored.pk}", "Chi bộ Văn phòng", "Phiêng Luông", "54-KH/HU", "01/06/2021",
         "28/02/2026"],
        ["", "Chi bộ Văn phòng", "Nà Coóc", "54-KH/HU", "01/01/2020", "31/12/2020"],
        ["", "Chi bộ Văn phòng", "Nà Coóc", "54-KH/HU", "01/06/2020", "30/06/2020"],
    ]  # fmt: skip
    report = _import("assignments", rows, world["officer"])
    reasons = _reasons(report)
    assert [(row, column) for row, column, _reason in reasons] == [(3, "Từ ngày"), (5, "Từ ngày")]
    assert "trùng với dòng 2 của tệp" in reasons[0][2]
    assert "trùng với dòng 4 của tệp" in reasons[1][2]
    assert (report.new, report.changed) == (2, 0)
    assert Assignment.objects.count() == 2
    stored.refresh_from_db()
    assert stored.ends_on is None


def test_an_overlap_with_a_stored_assignment_names_it(world):
    rows = [ASSIGNMENT_HEADER, ["", "Chi bộ Văn phòng", "Nà Coóc", "54-KH/HU", "01/01/2025", ""]]
    ((row, column, reason),) = _reasons(_import("assignments", rows, world["officer"]))
    assert (row, column) == (2, "Từ ngày") and "thôn Phiêng Luông" in reason
    assert Assignment.objects.count() == 2


# --- 5. stale uploads --------------------------------------------------------------------


def _age(name: str, hours: float) -> None:
    moment = time.time() - hours * 3600
    os.utime(default_storage.path(name), (moment, moment))


def test_an_upload_removes_every_users_stale_uploads(client, world):
    stale = default_storage.save("imports/999/old.xlsx", ContentFile(b"x"))
    fresh = default_storage.save("imports/999/recent.xlsx", ContentFile(b"x"))
    _age(stale, 25)
    _age(fresh, 23)
    client.force_login(world["officer"])
    upload = _xlsx([["Mã", "Họ và tên", "Chi bộ", "Đối tượng", "Cấp"]])
    upload.name = "members.xlsx"
    response = client.post("/imports/", {"kind": "members", "file": upload})
    assert response.status_code == 200
    assert not default_storage.exists(stale) and default_storage.exists(fresh)
    pending = client.session["civic_import"]["path"]
    assert default_storage.exists(pending)


def test_former_names_in_a_commune_whose_name_another_shares_round_trip(renamed):
    from tests import factories

    old = renamed["commune"]
    factories.commune(
        province=renamed["province"], district=None, name="Bình An", valid_from=D(2025, 7, 1)
    )
    Commune = type(old)
    Commune.objects.filter(pk=old.pk).update(valid_until=D(2025, 6, 30))
    rows = _rows(_export_book("villages", renamed["admin"]))
    former = next(row for row in rows if row[1] == "Phiêng Luông")[4]
    assert former.startswith("Bản Cũ (xã Bình An (") and "đến 30/06/2025" in former
    report = _import("villages", rows, renamed["admin"])
    assert report.ok and report.writes == 0, _reasons(report)
    assert VillageName.objects.count() == 1

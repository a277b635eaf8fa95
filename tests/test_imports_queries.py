"""The import page's previews, confirmations and exports run a fixed number of queries
whatever the number of rows (pinned literals, ``tests/queries.py``): linked records and closed
lists are read once per file, not once per row."""

import io

import pytest
from openpyxl import Workbook

from programs.models import Member
from tests import factories
from tests.queries import pinned_queries

# The preview page renders the header (one COUNT of unread notifications since issue 13).
QUERIES = {("preview", 0): 16, ("preview", 1): 16, "confirm": 19, "export": 6}
HEADER = ["Mã", "Họ và tên", "Chi bộ", "Đối tượng", "Cấp", "Đảng viên"]


def _upload(count: int, *, bad: int = 0, first: int = 1) -> io.BytesIO:
    book = Workbook()
    book.active.append(HEADER)
    for n in range(count):
        cell = "Chi bộ Không Có" if n < bad else "Chi bộ Văn phòng"
        book.active.append(["", f"Người Thứ {first + n}", cell, "công chức", "cấp xã", "Có"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "members.xlsx"
    return out


def _preview(client, count, *, bad=0, first=1):
    upload = _upload(count, bad=bad, first=first)
    return client.post("/imports/", {"kind": "members", "file": upload})


@pytest.fixture
def officer(client, world):
    client.force_login(world["officer"])
    _preview(client, 1)  # warm-up: the content types and the session row
    return world


@pytest.mark.parametrize("bad", [0, 1])
def test_a_preview_runs_the_same_queries_for_one_row_and_forty(client, officer, bad):
    expected = QUERIES["preview", bad]
    with pinned_queries(expected, cold=True):
        one = _preview(client, 1 + bad, bad=bad)  # one good row, and the bad one
    with pinned_queries(expected, cold=True):
        forty = _preview(client, 40, bad=bad)
    assert len(one.context["report"].rejections) == len(forty.context["report"].rejections) == bad
    assert (one.context["report"].new, forty.context["report"].new) == (1, 40 - bad)


def _confirm(client, response):
    confirm = response.context["confirm"]
    data = {"upload": confirm.initial["upload"], "token": str(confirm["token"].initial)}
    return client.post("/imports/confirm/", data)


def test_a_confirmation_runs_the_same_queries_for_one_row_and_forty(client, officer):
    one = _preview(client, 1)
    with pinned_queries(QUERIES["confirm"]):
        assert _confirm(client, one).status_code == 302
    forty = _preview(client, 40, first=2)
    with pinned_queries(QUERIES["confirm"]):
        assert _confirm(client, forty).status_code == 302
    assert Member.objects.count() == 41


def test_an_export_runs_the_same_queries_for_one_member_and_forty(client, officer):
    cell = officer["cell"]
    factories.member(cell=cell)
    client.get("/imports/export/?kind=members")
    with pinned_queries(QUERIES["export"]):
        assert client.get("/imports/export/?kind=members").status_code == 200
    for _ in range(39):
        factories.member(cell=cell)
    with pinned_queries(QUERIES["export"]):
        assert client.get("/imports/export/?kind=members").status_code == 200

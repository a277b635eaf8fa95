"""A higher committee's report (a Huyện ủy): one subtotal row per subordinate committee, each
a link to that committee's report for the same period, whose totals equal the subtotal; the
committee's own cells still listed one by one. Expected figures come from loops over the raw
sessions and attendance rows, climbing the committee tree by hand."""

import datetime
import io
import random
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext
from openpyxl import load_workbook

from programs.models import Attendance, LabourSession, PartyCommittee
from tests import factories
from tests.http import consume
from tests.queries import pinned_queries

D = datetime.date
URL = reverse("programs:reports")
PRINT_URL = reverse("programs:report-print")
PARAMS = {"period": "year", "year": "2026"}
FIELDS = ("held", "held_unconfirmed", "planned", "postponed", "cancelled", "visits")

pytestmark = pytest.mark.usefixtures("english")


def _session(cell, village, directive, day, rng):
    status = rng.choice(["planned", "held", "held", "held", "postponed", "cancelled"])
    log_status = rng.choice(["confirmed", "confirmed", "submitted"]) if status == "held" else ""
    session = factories.session(
        cell=cell,
        village=village,
        directive=directive,
        date=day,
        status=status,
        status_reason="Mưa" if status in ("postponed", "cancelled") else "",
        log_status=log_status,
        log_confirmed_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
        if log_status == "confirmed"
        else None,
        other_village_reason="x",
        unlisted_villagers=rng.randint(0, 9),
    )
    for _ in range(rng.randint(0, 3)):
        row = Attendance(
            session=session,
            member=factories.member(cell=cell),
            workdays=Decimal(rng.choice(["0.5", "1", "1.5"])),
        )
        row.copy_from_member()
        row.save()
    return session


def _branch(world, top, children, rng, *, cells=2):
    """A subordinate committee under ``top`` with cells, one of them under a committee of its
    own one level further down, each holding sessions in 2026."""
    sub = factories.committee(name=f"Đảng ủy {len(children) + 1:02d}", parent=top)
    grand = factories.committee(name=f"Chi ủy dưới {sub.name}", parent=sub)
    children.append(sub)
    for n in range(cells):
        cell = factories.cell(committee=grand if n == 0 else sub)
        for month in rng.sample(range(1, 12), 3):
            _session(cell, world["village"], world["directive"], D(2026, month, 6), rng)
    return sub


@pytest.fixture
def district(world):
    """A Huyện ủy above the world's committee and two other subordinates, with a cell of its
    own; its officer."""
    rng = random.Random(20261203)
    top = factories.committee(name="Huyện ủy Lâm Bình")
    PartyCommittee.objects.filter(pk=world["committee"].pk).update(parent=top)
    children = [world["committee"]]
    for cell in (world["cell"], world["other_cell"]):
        for month in rng.sample(range(1, 12), 4):
            _session(cell, world["village"], world["directive"], D(2026, month, 13), rng)
    for _ in range(2):
        _branch(world, top, children, rng)
    own = factories.cell(committee=top, name="Chi bộ Văn phòng Huyện ủy")
    for month in (2, 5):
        _session(own, world["village"], world["directive"], D(2026, month, 20), rng)
    officer = factories.user("district_officer", role="officer", target=top)
    return {"top": top, "children": children, "own": own, "officer": officer, "rng": rng}


def _direct_child(committee_id, top_id):
    """The committee directly below ``top_id`` whose branch ``committee_id`` is in."""
    parents = dict(PartyCommittee.objects.values_list("id", "parent_id"))
    node = committee_id
    while node is not None and parents[node] != top_id:
        node = parents[node]
    return node


def _expected(top) -> dict:
    """Figures by subordinate committee (key None: the committee's own cells)."""
    expected = {}
    for session in LabourSession.objects.filter(date__year=2026).select_related("cell"):
        child = _direct_child(session.cell.committee_id, top.pk)
        if child is None and session.cell.committee_id != top.pk:
            continue
        row = expected.setdefault(child, dict.fromkeys(FIELDS, 0))
        if session.status == "held":
            confirmed = session.log_status == "confirmed"
            row["held" if confirmed else "held_unconfirmed"] += 1
            if confirmed:
                row["visits"] += session.unlisted_villagers + session.attendances.count()
        else:
            row[session.status] += 1
    return expected


def _figures(row) -> dict:
    return {name: getattr(row, name) for name in FIELDS}


def test_subtotal_per_subordinate_and_own_cells_listed(client, world, district):
    top = district["top"]
    client.force_login(district["officer"])
    response = client.get(URL, {"committee": top.pk, **PARAMS})
    report = response.context["report"]
    expected = _expected(top)
    assert {row.key: _figures(row) for row in report.subtotals} == {
        child.pk: expected[child.pk] for child in district["children"]
    }
    assert [row.label for row in report.subtotals] == sorted(c.name for c in district["children"])
    # Own cells only, one by one; every cell still in ``cells`` (the spreadsheet's sheet).
    assert [row.label for row in report.cells_shown] == ["Chi bộ Văn phòng Huyện ủy"]
    assert _figures(report.cells_shown[0]) == expected[None]
    assert len(report.cells) == 2 + 2 * 2 + 1
    page = response.content.decode()
    assert "Per subordinate committee" in page
    assert "Chi bộ Văn phòng</th>" not in page  # a subordinate's cell is not listed here
    # Subtotals and own cells add up to the report's totals.
    for name in FIELDS:
        assert sum(row[name] for row in expected.values()) == getattr(report.totals, name)


def test_drill_down_links_give_the_subordinates_report_with_the_same_totals(
    client, world, district
):
    top = district["top"]
    client.force_login(district["officer"])
    response = client.get(URL, {"committee": top.pk, "directive": world["directive"].pk, **PARAMS})
    rows = response.context["subtotal_rows"]
    assert len(rows) == 3
    for row, url in rows:
        assert f'<a href="{url.replace("&", "&amp;")}">{row.label}</a>' in response.content.decode()
        parts = urlsplit(url)
        assert parts.path == URL
        assert parse_qs(parts.query) == {
            "committee": [str(row.key)],
            "directive": [str(world["directive"].pk)],
            "period": ["year"],
            "year": ["2026"],
        }
        child = client.get(url).context["report"]
        assert child.scope.obj.pk == row.key
        assert _figures(child.totals) == _figures(row)
        assert child.totals.workdays == row.workdays
        assert (child.cells_meeting_cadence, child.cells_counted) == (
            row.cells_meeting_cadence,
            row.cells_counted,
        )


def test_workbook_has_a_subtotal_sheet_and_the_document_a_table(client, world, district):
    top = district["top"]
    expected = _expected(top)
    client.force_login(district["officer"])
    params = {"committee": top.pk, **PARAMS}
    book = load_workbook(io.BytesIO(consume(client.get(URL, {**params, "format": "xlsx"}))))
    with translation.override("vi"):
        sheet = book[pgettext("report sheet", "By subordinate committee")]
    rows = list(sheet.iter_rows(values_only=True))
    names = {child.name: child.pk for child in district["children"]}
    held = [row for row in rows if row and row[0] in names]
    assert {row[0]: row[2] for row in held} == {
        name: expected[pk]["held"] for name, pk in names.items()
    }
    total = rows[-1]
    assert total[2] == sum(row["held"] for row in expected.values())
    document = client.get(PRINT_URL, params).context["document"]
    assert "Kết quả theo từng đảng bộ, chi bộ trực thuộc" in document
    for name in names:
        assert name in document


def test_a_committee_without_subordinates_lists_every_cell(client, world, district):
    client.force_login(world["officer"])
    report = client.get(URL, {"committee": world["committee"].pk, **PARAMS}).context["report"]
    assert report.subtotals == []
    assert report.cells_shown == report.cells
    assert {row.label for row in report.cells} == {"Chi bộ Văn phòng", "Chi bộ Tư pháp"}


def test_outsider_gets_404_for_the_district_report(client, world, district):
    client.force_login(world["officer"])  # an officer of a subordinate, not of the Huyện ủy
    assert client.get(URL, {"committee": district["top"].pk, **PARAMS}).status_code == 404


def test_query_count_does_not_grow_with_subordinates(client, world, district):
    params = {"committee": district["top"].pk, **PARAMS}
    client.force_login(district["officer"])
    client.get(URL, params)  # warm up
    with pinned_queries(50, cold=True):
        assert client.get(URL, params).status_code == 200
    for _ in range(12):
        _branch(world, district["top"], district["children"], district["rng"], cells=3)
    with pinned_queries(50, cold=True):
        response = client.get(URL, params)
    assert len(response.context["report"].subtotals) == 15

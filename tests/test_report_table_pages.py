"""A province's report page stays small: the long tables (cells, villages, households) show 50
rows a page, each table with its own page number, while the totals cover every row."""

import datetime
import re

import pytest
from django.urls import reverse

from programs.models import LabourSession
from programs.views.reports import REPORT_ROWS_PER_PAGE
from tests import factories

URL = reverse("programs:reports")
PARAMS = {"period": "year", "year": "2026"}
CELLS = REPORT_ROWS_PER_PAGE + 5

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def many_cells(world):
    for n in range(CELLS):
        cell = factories.cell(committee=world["committee"], name=f"Chi bộ số {n:03d}")
        village = factories.village(commune=world["commune"], name=f"Thôn số {n:03d}")
        session = factories.session(
            cell=cell,
            village=village,
            directive=world["directive"],
            date=datetime.date(2026, 1 + n % 12, 3 + n % 20),
            other_village_reason="x",
        )
        LabourSession.objects.filter(pk=session.pk).update(
            status="held",
            log_status="confirmed",
            log_confirmed_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
        )
    return world


def _rows(page: str, prefix: str) -> list[str]:
    return re.findall(rf'<th scope="row">({prefix}[^<]*)</th>', page)


def _get(client, world, **extra):
    client.force_login(world["officer"])
    response = client.get(URL, {"committee": world["committee"].pk, **PARAMS, **extra})
    assert response.status_code == 200
    return response.content.decode()


def test_first_page_shows_fifty_rows_and_the_totals_cover_all(client, many_cells):
    page = _get(client, many_cells)
    assert len(_rows(page, "Chi bộ")) == REPORT_ROWS_PER_PAGE
    assert len(_rows(page, "thôn Thôn số")) == REPORT_ROWS_PER_PAGE
    assert f"Rows 1–50 of {CELLS + 2}" in page  # the world's own two cells are listed too
    assert 'rel="next"' in page and "cells_page=2#report-cells" in page
    # The count of sessions held covers every cell, not the page.
    assert re.search(rf"<dt>Held \(confirmed\)</dt>\s*<dd>\s*{CELLS}\s*</dd>", page)


def test_each_table_keeps_its_own_page(client, many_cells):
    page = _get(client, many_cells, cells_page=2)
    cells = _rows(page, "Chi bộ")
    assert len(cells) == CELLS + 2 - REPORT_ROWS_PER_PAGE
    assert "Chi bộ số 000" not in cells
    # The villages' table is still on its first page.
    assert len(_rows(page, "thôn Thôn số")) == REPORT_ROWS_PER_PAGE
    assert 'rel="prev"' in page


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999", "²"])
def test_a_page_number_a_client_makes_up_gives_a_page(client, many_cells, value):
    page = _get(client, many_cells, villages_page=value, households_page=value)
    assert len(_rows(page, "thôn Thôn số")) in (REPORT_ROWS_PER_PAGE, CELLS - REPORT_ROWS_PER_PAGE)

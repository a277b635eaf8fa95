"""Places as they were: a commune that ended in the 2025 reform is still a report scope, and
every table, export and the printed document name the village, the commune and (until
30/06/2025) the district as they were on the session's date.

The world's village thôn Phiêng Luông was in xã Bình An, huyện Lâm Bình until 30/06/2025; the
reform moved it to the new xã Bình An, directly under the province. Expected figures come from
loops over the raw sessions and ``VillageName`` rows, not from the report code.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext
from openpyxl import load_workbook

from programs.models import Attendance, Commune, LabourSession, Village, VillageName
from tests import factories
from tests.http import consume
from tests.queries import pinned_queries

D = datetime.date
URL = reverse("programs:reports")
PRINT_URL = reverse("programs:report-print")
RAW_CSV = reverse("programs:report-raw-csv")
REFORM = D(2025, 7, 1)
OLD_LABEL = "thôn Phiêng Luông, xã Bình An, huyện Lâm Bình"
NEW_LABEL = "thôn Phiêng Luông, xã Bình An"

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def reform(world):
    """The old xã Bình An ends on 30/06/2025; the village moves to the new one, keeping its
    former commune as a ``VillageName``."""
    old = world["commune"]
    Commune.objects.filter(pk=old.pk).update(valid_until=D(2025, 6, 30))
    new = factories.commune(province=world["province"], name="Bình An", valid_from=REFORM)
    Commune.objects.filter(pk=old.pk).update(successor=new)
    village = world["village"]
    VillageName.objects.create(
        village=village, name=village.name, commune=old, valid_until=D(2025, 6, 30)
    )
    Village.objects.filter(pk=village.pk).update(commune=new)
    old.refresh_from_db()
    return old, new


def _held(world, day, *, village=None, cell=None, villagers=3):
    session = factories.session(
        cell=cell or world["cell"],
        village=village or world["village"],
        directive=world["directive"],
        date=day,
        status="held",
        log_status="confirmed",
        log_confirmed_at=datetime.datetime(2026, 3, 8, tzinfo=datetime.UTC),
        other_village_reason="x",
        unlisted_villagers=villagers,
    )
    member = factories.member(cell=session.cell)
    row = Attendance(session=session, member=member, workdays=Decimal("1"))
    row.copy_from_member()
    row.save()
    return session


def _commune_on(session) -> int:
    """The commune of the session's village on its date, from the raw rows."""
    for former in VillageName.objects.filter(village_id=session.village_id):
        starts = former.valid_from is None or former.valid_from <= session.date
        if starts and session.date <= former.valid_until:
            return former.commune_id
    return Village.objects.get(pk=session.village_id).commune_id


def _expected(commune, start, end) -> dict:
    held = visits = 0
    for session in LabourSession.objects.filter(date__gte=start, date__lte=end):
        if _commune_on(session) != commune.pk:
            continue
        if session.status == "held" and session.log_status == "confirmed":
            held += 1
            visits += session.unlisted_villagers + session.attendances.count()
    return {"held": held, "visits": visits}


@pytest.fixture(autouse=True)
def _reports_built_each_time(settings):
    """These tests read the figures from the page's context, which only a report built for
    the request has: the cache of reports is off (``REPORT_CACHE_SECONDS = 0``)."""
    settings.REPORT_CACHE_SECONDS = 0


def _report(response):
    assert response.status_code == 200, response.status_code
    return response.context["report"]


# --- A pre-reform commune as a scope --------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "officer"])
def test_pre_reform_commune_is_a_scope_with_the_sessions_held_in_it_then(
    client, world, reform, who
):
    old, new = reform
    _held(world, D(2022, 5, 14))
    _held(world, D(2022, 8, 13), village=world["other_village"], cell=world["other_cell"])
    _held(world, D(2026, 3, 7), villagers=5)
    client.force_login(world[who])
    for commune in (old, new):
        for year in (2022, 2026):
            report = _report(
                client.get(URL, {"commune": commune.pk, "year": year, "period": "year"})
            )
            expected = _expected(commune, D(year, 1, 1), D(year, 12, 31))
            assert (report.totals.held, report.totals.visits) == (
                expected["held"],
                expected["visits"],
            ), (commune, year)
    # The figures above are not all zero: the old commune holds 2022, the new one 2026.
    assert (
        _report(client.get(URL, {"commune": old.pk, "year": 2022, "period": "year"})).totals.held
        == 2
    )
    assert (
        _report(client.get(URL, {"commune": old.pk, "year": 2026, "period": "year"})).totals.held
        == 0
    )
    assert (
        _report(client.get(URL, {"commune": new.pk, "year": 2022, "period": "year"})).totals.held
        == 0
    )
    assert (
        _report(client.get(URL, {"commune": new.pk, "year": 2026, "period": "year"})).totals.held
        == 1
    )


def test_scope_choices_list_the_ended_commune_with_its_dates(client, world, reform):
    old, new = reform
    client.force_login(world["officer"])
    response = client.get(URL, {"commune": old.pk, "year": 2022, "period": "year"})
    choices = dict(response.context["form"].fields["commune"].widget.choices)
    assert choices[str(old.pk)] == "xã Bình An (huyện Lâm Bình, until 30/06/2025)"
    assert choices[str(new.pk)] == "xã Bình An (tỉnh Tuyên Quang, from 01/07/2025)"
    assert f'<option value="{old.pk}" selected>' in response.content.decode()


def test_outsider_gets_404_for_the_pre_reform_commune(client, world, reform):
    old, _new = reform
    outsider = factories.user("outsider", role="officer", target=world["outsider_committee"])
    client.force_login(outsider)
    assert client.get(URL, {"commune": old.pk, "year": 2022, "period": "year"}).status_code == 404
    assert (
        client.get(PRINT_URL, {"commune": old.pk, "year": 2022, "period": "year"}).status_code
        == 404
    )
    assert (
        client.get(RAW_CSV, {"commune": old.pk, "year": 2022, "period": "year"}).status_code == 404
    )
    choices = client.get(URL).context["form"].fields["commune"].widget
    assert not getattr(choices, "choices", [])


def test_unknown_commune_is_404_even_for_an_admin(client, world):
    client.force_login(world["admin"])
    assert client.get(URL, {"commune": 987654}).status_code == 404


# --- The same village in 2022 and in 2026 ---------------------------------------------------


@pytest.mark.usefixtures("reform")
def test_village_scope_is_named_as_the_village_was_in_the_period(client, world):
    # Renamed at the reform too: the 2022 report still names it as it was.
    VillageName.objects.filter(village=world["village"]).update(name="Phiêng Luông Cũ")
    _held(world, D(2022, 5, 14))
    client.force_login(world["secretary"])
    params = {"village": world["village"].pk, "period": "year"}
    old_report = _report(client.get(URL, {**params, "year": 2022}))
    assert old_report.scope.label == (
        "thôn Phiêng Luông Cũ, xã Bình An, huyện Lâm Bình, tỉnh Tuyên Quang"
    )
    assert old_report.totals.held == 1
    assert _report(client.get(URL, {**params, "year": 2026})).scope.label == (
        "thôn Phiêng Luông, xã Bình An, tỉnh Tuyên Quang"
    )
    client.force_login(world["secretary2"])  # the other cell's secretary never went there
    assert client.get(URL, {**params, "year": 2022}).status_code == 404


def test_village_rows_name_the_commune_and_district_of_the_session_date(client, world, reform):
    _held(world, D(2022, 5, 14))
    _held(world, D(2026, 3, 7))
    client.force_login(world["officer"])
    committee = world["committee"].pk
    old_rows = _report(
        client.get(URL, {"committee": committee, "year": 2022, "period": "year"})
    ).villages
    new_rows = _report(
        client.get(URL, {"committee": committee, "year": 2026, "period": "year"})
    ).villages
    assert [(row.label, row.held) for row in old_rows] == [(OLD_LABEL, 1)]
    assert [(row.label, row.held) for row in new_rows] == [(NEW_LABEL, 1)]


def test_a_year_across_the_reform_gives_the_village_a_row_for_each_place(client, world, reform):
    _held(world, D(2025, 3, 1))
    _held(world, D(2025, 5, 3))
    _held(world, D(2025, 9, 6))
    client.force_login(world["officer"])
    report = _report(
        client.get(URL, {"committee": world["committee"].pk, "year": 2025, "period": "year"})
    )
    held = {}
    for session in LabourSession.objects.filter(date__year=2025):
        label = OLD_LABEL if session.date < REFORM else NEW_LABEL
        held[label] = held.get(label, 0) + 1
    assert (
        {row.label: row.held for row in report.villages}
        == held
        == {
            OLD_LABEL: 2,
            NEW_LABEL: 1,
        }
    )
    page = client.get(
        URL, {"committee": world["committee"].pk, "year": 2025, "period": "year"}
    ).content.decode()
    assert OLD_LABEL in page and NEW_LABEL + "</th>" in page


def test_exports_and_document_name_the_places_as_they_were(client, world, reform):
    session = _held(world, D(2022, 5, 14))
    household = factories.household(village=world["village"], head_name="Quan Văn Thính")
    session.outputs.create(
        work_type=factories.work_type(), quantity=Decimal("1"), unit="house", household=household
    )
    client.force_login(world["officer"])
    params = {"committee": world["committee"].pk, "year": 2022, "period": "year"}
    # The report's workbook: the village sheet and the households sheet.
    book = load_workbook(io.BytesIO(consume(client.get(URL, {**params, "format": "xlsx"}))))
    with translation.override("vi"):
        villages_sheet = book[pgettext("report sheet", "By village")]
        households_sheet = book[pgettext("report sheet", "Households helped")]
    village_cells = {row[0] for row in villages_sheet.iter_rows(values_only=True)}
    assert OLD_LABEL in village_cells
    assert ("Quan Văn Thính", OLD_LABEL) in {
        row[:2] for row in households_sheet.iter_rows(values_only=True)
    }
    # The CSV of the report's tables.
    assert OLD_LABEL in consume(client.get(URL, {**params, "format": "csv"})).decode("utf-8")
    # The raw lists: sessions, participants and work done, each with the commune of the day.
    for which in ("sessions", "attendance", "outputs"):
        text = consume(client.get(RAW_CSV, {**params, "list": which})).decode("utf-8")
        assert "xã Bình An, huyện Lâm Bình, tỉnh Tuyên Quang" in text, which
    # The printed document.
    document = client.get(PRINT_URL, params).context["document"]
    assert OLD_LABEL in document
    later = client.get(PRINT_URL, {**params, "year": 2026}).context["document"]
    assert "huyện Lâm Bình" not in later.split("theo từng thôn")[-1]


# --- Query counts ---------------------------------------------------------------------------


def test_commune_report_queries_do_not_grow_with_villages_or_renames(client, world, reform):
    old, new = reform
    _held(world, D(2022, 5, 14))
    client.force_login(world["admin"])
    params = {"commune": old.pk, "year": 2022, "period": "year"}
    client.get(URL, params)  # warm up
    with pinned_queries(21, cold=True):
        assert client.get(URL, params).status_code == 200
    for n in range(20):
        village = factories.village(commune=new, name=f"Thôn {n}")
        VillageName.objects.create(
            village=village, name=f"Thôn cũ {n}", commune=old, valid_until=D(2025, 6, 30)
        )
        _held(world, D(2022, 1 + n % 12, 1 + n), village=village, cell=world["other_cell"])
    with pinned_queries(21, cold=True):
        report = _report(client.get(URL, params))
    assert len(report.villages) == 21
    assert {row.label for row in report.villages} >= {"thôn Thôn cũ 3, xã Bình An, huyện Lâm Bình"}

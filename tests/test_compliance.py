"""The compliance grid: the rule for one cell-month, the grid's states and totals, its filters."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import LabourSession
from programs.planning import Month
from programs.selectors.compliance import cell_month_state
from tests import factories
from tests.http import page_html
from tests.queries import pinned_queries


@pytest.fixture(autouse=True)
def _grids_built_each_time(settings):
    """These tests read the grid from the page's context, which only a grid built for the
    request has: the cache of reports is off here (``test_report_cache`` covers it)."""
    settings.REPORT_CACHE_SECONDS = 0


URL = reverse("programs:compliance")
Status = LabourSession.Status


pytestmark = pytest.mark.usefixtures("english")


def _session(cell, village, directive, day, status=Status.HELD):
    """A session; a held one with its log confirmed (only those count, see cadence)."""
    reason = "Mưa lớn" if status in (Status.POSTPONED, Status.CANCELLED) else ""
    confirmed = {}
    if status == Status.HELD:
        confirmed = {
            "log_status": LabourSession.LogStatus.CONFIRMED,
            "log_confirmed_at": timezone.now(),
        }
    return factories.session(
        cell=cell,
        village=village,
        directive=directive,
        date=day,
        status=status,
        status_reason=reason,
        **confirmed,
    )


def _states(grid) -> dict[str, list[str]]:
    return {row.cell.name: [item.state for item in row.months] for row in grid.rows}


def _months():
    """The current month and the two before it, oldest first."""
    this = Month.of(timezone.localdate())
    return this.previous().previous(), this.previous(), this


# --- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "planned", "cancelled", "required", "month_over", "state"),
    [
        (1, 0, 0, 1, True, "met"),
        (1, 0, 0, 1, False, "met"),  # held early in a running month
        (3, 0, 1, 2, True, "met"),  # more than asked
        (1, 0, 0, 2, True, "partial"),
        (1, 1, 0, 2, False, "partial"),
        (0, 1, 0, 1, False, "planned"),
        (0, 1, 1, 1, False, "planned"),  # one cancelled, another planned
        (0, 1, 0, 1, True, "late"),  # planned, never logged
        (0, 0, 0, 1, True, "late"),  # nothing at all
        (0, 1, 1, 1, True, "late"),
        (0, 0, 1, 1, True, "cancelled"),
        (0, 0, 2, 1, False, "cancelled"),
        (0, 0, 0, 1, False, "none"),
        (0, 0, 0, 0, False, "none"),  # a bad cadence of 0 still asks for one session
    ],
)
def test_cell_month_state(held, planned, cancelled, required, month_over, state):
    assert cell_month_state(held, planned, cancelled, required, month_over) == state


# --- the grid ------------------------------------------------------------------------------


@pytest.fixture
def twice_a_month(world):
    """A third cell whose directive asks for two sessions a month."""
    directive = factories.directive(symbol="02-ĐA/TU", sessions_per_month=2)
    cell = factories.cell(committee=world["committee"], name="Chi bộ Hai buổi")
    village = factories.village(commune=world["commune"], name="Chẩu Quân")
    factories.assignment(cell=cell, village=village, directive=directive)
    return {"cell": cell, "village": village, "directive": directive}


def test_grid_states_totals_and_rate(client, world, twice_a_month):
    m2, m1, m0 = _months()
    a = (world["cell"], world["village"], world["directive"])
    b = (world["other_cell"], world["other_village"], world["directive"])
    c = (twice_a_month["cell"], twice_a_month["village"], twice_a_month["directive"])
    _session(*a, m2.first)  # met
    _session(*a, m1.last)  # met
    _session(*a, m0.last, Status.PLANNED)  # planned
    _session(*b, m2.first, Status.CANCELLED)  # cancelled
    _session(*b, m1.first, Status.POSTPONED)
    _session(*b, m1.last, Status.PLANNED)  # never logged, month over: late
    _session(*c, m2.first)
    _session(*c, m2.last)  # 2 of 2: met
    _session(*c, m1.first)  # 1 of 2: partial
    _session(*c, m0.first)  # 1 of 2, month running: partial
    client.force_login(world["officer"])

    response = client.get(URL, {"from": str(m2), "to": str(m0)})

    grid = response.context["grid"]
    assert [total.month for total in grid.months] == [m2, m1, m0]
    assert _states(grid) == {
        "Chi bộ Hai buổi": ["met", "partial", "partial"],
        "Chi bộ Tư pháp": ["cancelled", "late", "none"],
        "Chi bộ Văn phòng": ["met", "met", "planned"],
    }
    # The month under way is shown ("so far") but not counted.
    assert [(t.met, t.counted) for t in grid.months] == [(2, 3), (1, 3), (0, 0)]
    assert [(row.met, row.counted) for row in grid.rows] == [(1, 2), (0, 2), (2, 2)]
    assert (grid.met, grid.counted) == (3, 6)
    assert grid.rate == 50.0
    html = page_html(response)
    assert "50,0%" in html  # Vietnamese decimal comma
    assert "so far" in html
    assert "1/2 held" in html
    assert 'class="state state--late"' in html
    assert 'class="state state--cancelled"' in html
    assert 'class="state state--none"' in html
    assert "<caption>" in html
    assert '<th scope="col">' in html and '<th scope="row">' in html
    assert m2.label in html and m0.label in html
    cell_url = reverse("programs:cell-detail", args=[world["cell"].pk])
    assert f'href="{cell_url}"' in html


def test_grid_does_not_count_months_before_a_cells_assignment(client, world):
    m2, _m1, m0 = _months()
    newcomer = factories.cell(committee=world["committee"], name="Chi bộ Mới")
    factories.assignment(cell=newcomer, directive=world["directive"], starts_on=m0.first)
    # An assignment that ended before the period: the cell is not in the grid at all.
    gone = factories.cell(committee=world["committee"], name="Chi bộ Cũ")
    factories.assignment(
        cell=gone, directive=world["directive"], ends_on=m2.first - datetime.timedelta(days=1)
    )
    client.force_login(world["officer"])

    grid = client.get(URL, {"from": str(m2), "to": str(m0)}).context["grid"]

    states = _states(grid)
    assert states["Chi bộ Mới"] == ["not-assigned", "not-assigned", "none"]
    assert "Chi bộ Cũ" not in states
    newcomer_row = next(row for row in grid.rows if row.cell == newcomer)
    # Its only assigned month is the one under way: not counted yet.
    assert (newcomer_row.met, newcomer_row.counted) == (0, 0)


def test_grid_covers_sub_committees_and_defaults_to_the_top_committee(client, world):
    child = factories.committee(name="Đảng ủy A (cấp dưới)", parent=world["committee"])
    child_cell = factories.cell(committee=child, name="Chi bộ Cấp dưới")
    factories.assignment(cell=child_cell, directive=world["directive"])
    this = Month.of(timezone.localdate())
    client.force_login(world["officer"])

    response = client.get(URL)

    grid = response.context["grid"]
    assert grid.committee == world["committee"]  # not the child, though its name sorts first
    assert grid.end == this
    assert len(grid.months) == 6
    assert grid.start == this.previous().previous().previous().previous().previous()
    assert "Chi bộ Cấp dưới" in _states(grid)
    form = response.context["form"]
    assert form["committee"].value() == world["committee"].pk
    assert form["from"].value() == str(grid.start)
    assert form["to"].value() == str(this)

    # The child alone: its cell only.
    grid = client.get(URL, {"committee": child.pk}).context["grid"]
    assert list(_states(grid)) == ["Chi bộ Cấp dưới"]


def test_grid_reads_the_counts_in_one_grouped_query(client, world):
    m2, _m1, m0 = _months()
    _session(world["cell"], world["village"], world["directive"], m2.first)
    client.force_login(world["officer"])

    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"from": str(m2), "to": str(m0)})

    session_queries = [
        q["sql"] for q in queries.captured_queries if 'FROM "programs_laboursession"' in q["sql"]
    ]
    assert len(session_queries) == 1
    assert "GROUP BY" in session_queries[0]


def test_viewer_and_superuser_may_read_the_grid(client, world):
    for who in ("viewer", "admin"):
        client.force_login(world[who])
        response = client.get(URL, {"committee": world["committee"].pk})
        assert response.status_code == 200
        assert response.context["grid"].committee == world["committee"]


def test_compliance_link_in_the_nav_for_committee_roles_only(client, world):
    for who, shown in (("officer", True), ("viewer", True), ("admin", True), ("secretary", False)):
        client.force_login(world[who])
        assert (f'href="{URL}"' in page_html(client.get("/"))) is shown, who


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"from": "2026-05", "to": "2026-01"},
            "The period ends (01/2026) before it starts (05/2026).",
        ),
        ({"from": "2026-13"}, "Enter a month as YYYY-MM, for example 2027-02."),
        ({"to": "May 2026"}, "Enter a month as YYYY-MM, for example 2027-02."),
        ({"from": "2020-01", "to": "2023-01"}, "Choose a period of at most 36 months."),
        ({"committee": "abc"}, "Choose a party committee from the list."),
    ],
)
def test_bad_filters_give_a_message_not_an_error(client, world, params, message):
    client.force_login(world["officer"])

    response = client.get(URL, params)

    assert response.status_code == 200
    assert response.context["grid_body"] == ""
    html = page_html(response)
    assert message in html
    assert 'role="alert"' in html


def test_a_period_of_exactly_36_months_is_accepted(client, world):
    client.force_login(world["officer"])

    response = client.get(URL, {"from": "2024-01", "to": "2026-12"})

    assert len(response.context["grid"].months) == 36


def test_only_from_given_runs_to_the_current_month(client, world):
    this = Month.of(timezone.localdate())
    client.force_login(world["officer"])

    grid = client.get(URL, {"from": str(this.previous())}).context["grid"]

    assert [t.month for t in grid.months] == [this.previous(), this]


def test_unknown_or_outside_committee_is_404(client, world):
    client.force_login(world["officer"])

    assert client.get(URL, {"committee": world["outsider_committee"].pk}).status_code == 404
    assert client.get(URL, {"committee": 987654}).status_code == 404
    assert client.get(URL, {"committee": -3}).status_code == 404


def test_secretaries_get_404_for_a_committee_and_403_without(client, world):
    client.force_login(world["secretary"])

    assert client.get(URL, {"committee": world["committee"].pk}).status_code == 404
    assert client.get(URL, {"committee": world["outsider_committee"].pk}).status_code == 404
    assert client.get(URL).status_code == 403


def test_compliance_requires_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- speed ---------------------------------------------------------------------------------


def test_grid_queries_do_not_grow_with_cells(client, world):
    m2, m1, m0 = _months()
    params = {"committee": world["committee"].pk, "from": str(m2), "to": str(m0)}
    _session(world["cell"], world["village"], world["directive"], m1.first)
    client.force_login(world["officer"])
    client.get(URL, params)  # warm up the session and user loading

    with pinned_queries(12):
        response = client.get(URL, params)
    assert len(response.context["grid"].rows) == 2

    for _n in range(49):
        cell = factories.cell(committee=world["committee"])
        village = factories.village(commune=world["commune"])
        factories.assignment(cell=cell, village=village, directive=world["directive"])
        _session(cell, village, world["directive"], m2.first)
        _session(cell, village, world["directive"], m1.first, Status.CANCELLED)
        _session(cell, village, world["directive"], m0.last, Status.PLANNED)

    with pinned_queries(12):
        response = client.get(URL, params)
    assert len(response.context["grid"].rows) == 51
    assert response.context["grid"].months[0].met == 49


def test_many_cells_are_paged_and_the_totals_count_them_all(client, world):
    for _ in range(58):
        cell = factories.cell(committee=world["committee"])
        factories.assignment(cell=cell, directive=world["directive"])
    client.force_login(world["officer"])
    first = client.get(URL, {"committee": world["committee"].pk})
    assert len(first.context["rows_page"].object_list) == 50
    assert len(first.context["grid"].rows) == 60
    second = client.get(URL, {"committee": world["committee"].pk, "page": 2})
    assert len(second.context["rows_page"].object_list) == 10
    assert (
        f"committee={world['committee'].pk}"
        in page_html(first).split('rel="next"')[0].rsplit("href=", 1)[1]
    )

"""The overview page: the officer's dashboard, the secretary's own cell, the page for no role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from programs import selectors
from programs.models import LabourSession
from programs.planning import Month
from tests import factories
from tests.http import page_html
from tests.queries import pinned_queries

HOME = "/"
Status = LabourSession.Status
LogStatus = LabourSession.LogStatus


pytestmark = pytest.mark.usefixtures("english")


def _session(world, day, status=Status.PLANNED, *, cell=None, village=None):
    return factories.world_session(world, date=day, status=status, cell=cell, village=village)


def _counts(response) -> dict[str, int]:
    return {code: count for code, _label, count in response.context["status_counts"]}


# --- the officer's dashboard ---------------------------------------------------------------


def test_dashboard_counts_this_months_sessions_by_status(world):
    """A fixed "today" (Wednesday 19/03/2031), so every status has a day to fall on."""
    today = datetime.date(2031, 3, 19)
    other = world["other_cell"]
    _session(world, datetime.date(2031, 3, 22))  # planned, still to come
    _session(world, today, cell=other, village=world["other_village"])  # today: not late yet
    _session(world, datetime.date(2031, 3, 8))  # planned, day passed: late
    _session(world, datetime.date(2031, 3, 1), Status.HELD)
    _session(world, datetime.date(2031, 3, 2), Status.HELD, cell=other)
    _session(world, datetime.date(2031, 3, 15), Status.POSTPONED)
    _session(world, datetime.date(2031, 3, 16), Status.CANCELLED, cell=other)
    _session(world, datetime.date(2031, 2, 22), Status.HELD)  # last month: not counted
    _session(world, datetime.date(2031, 4, 5))  # next month: not counted
    outsider_cell = factories.cell(committee=world["outsider_committee"])
    _session(world, datetime.date(2031, 3, 22), cell=outsider_cell)  # not the officer's

    data = selectors.dashboard(world["officer"], today)

    counts = {code: count for code, _label, count in data["status_counts"]}
    assert counts == {"planned": 2, "late": 1, "held": 2, "postponed": 1, "cancelled": 1}
    assert data["session_total"] == 7
    assert data["month"] == Month(2031, 3)


def test_dashboard_page_shows_the_counts_with_words(client, world):
    today = timezone.localdate()
    month = Month.of(today)
    _session(world, today)
    _session(world, month.first, Status.CANCELLED, cell=world["other_cell"])
    _session(world, month.last, Status.POSTPONED, cell=world["other_cell"])
    if today.day > 1:
        _session(world, today - datetime.timedelta(days=1), cell=world["other_cell"])
    client.force_login(world["officer"])

    response = client.get(HOME)

    assert response.status_code == 200
    assert response.context["mode"] == "dashboard"
    counts = _counts(response)
    assert counts["planned"] == 1
    assert counts["held"] == 0
    assert counts["postponed"] == 1
    assert counts["cancelled"] == 1
    assert counts["late"] == (1 if today.day > 1 else 0)
    html = page_html(response)
    assert month.label in html
    for code in ("planned", "late", "held", "postponed", "cancelled"):
        assert f'class="badge badge--{code}"' in html


def test_dashboard_lists_assigned_cells_with_nothing_this_month(client, world):
    today = timezone.localdate()
    _session(world, today)  # the first cell has a planned session: not listed
    # Only a cancelled session: still nothing planned or held, so listed.
    _session(world, today, Status.CANCELLED, cell=world["other_cell"])
    unassigned = factories.cell(committee=world["committee"], name="Chi bộ Không phân công")
    inactive = factories.cell(committee=world["committee"], name="Chi bộ Giải thể", active=False)
    factories.assignment(cell=inactive, directive=world["directive"])
    ended = factories.cell(committee=world["committee"], name="Chi bộ Hết hạn")
    factories.assignment(
        cell=ended, directive=world["directive"], ends_on=today - datetime.timedelta(days=40)
    )
    client.force_login(world["viewer"])

    response = client.get(HOME)

    assert response.context["idle_cells"] == [world["other_cell"]]
    assert response.context["assigned_cell_count"] == 2
    html = page_html(response)
    other_url = reverse("programs:cell-detail", args=[world["other_cell"].pk])
    assert f'href="{other_url}"' in html
    assert "Nà Coóc" in html  # the village the idle cell is assigned to
    assert reverse("programs:cell-detail", args=[world["cell"].pk]) not in html
    for name in (unassigned.name, inactive.name, ended.name):
        assert name not in html


def test_dashboard_says_so_when_every_cell_has_a_session(client, world):
    today = timezone.localdate()
    _session(world, Month.of(today).first, Status.HELD)
    _session(world, today, cell=world["other_cell"], village=world["other_village"])
    client.force_login(world["officer"])

    response = client.get(HOME)

    assert response.context["idle_cells"] == []
    assert "Every assigned cell has a session planned or held this month." in page_html(response)


@pytest.mark.parametrize(
    ("today", "saturday"),
    [
        (datetime.date(2031, 3, 17), datetime.date(2031, 3, 22)),  # Monday
        (datetime.date(2031, 3, 21), datetime.date(2031, 3, 22)),  # Friday
        (datetime.date(2031, 3, 22), datetime.date(2031, 3, 22)),  # Saturday: this weekend
        (datetime.date(2031, 3, 23), datetime.date(2031, 3, 22)),  # Sunday: this weekend
        (datetime.date(2031, 3, 31), datetime.date(2031, 4, 5)),  # across a month end
    ],
)
def test_next_weekend(today, saturday):
    assert selectors.next_weekend(today) == (saturday, saturday + datetime.timedelta(days=1))


def test_dashboard_lists_the_next_weekends_sessions(client, world):
    saturday, sunday = selectors.next_weekend(timezone.localdate())
    on_saturday = _session(world, saturday)
    on_sunday = _session(world, sunday, cell=world["other_cell"], village=world["other_village"])
    _session(world, sunday + datetime.timedelta(days=6))  # the weekend after: not listed
    _session(world, saturday - datetime.timedelta(days=7), Status.HELD)  # the one before
    client.force_login(world["officer"])

    response = client.get(HOME)

    assert response.context["weekend_sessions"] == [on_saturday, on_sunday]
    html = page_html(response)
    assert saturday.strftime("%d/%m/%Y") in html
    assert sunday.strftime("%d/%m/%Y") in html
    assert f'href="{on_saturday.get_absolute_url()}"' in html
    assert f'href="{on_sunday.get_absolute_url()}"' in html


def test_plan_link_only_for_officers(client, world):
    next_month = Month.of(timezone.localdate()).next()
    plan_url = f"{reverse('programs:session-plan')}?month={next_month}"

    client.force_login(world["officer"])
    officer_html = page_html(client.get(HOME))
    client.force_login(world["viewer"])
    viewer_html = page_html(client.get(HOME))

    assert f'href="{plan_url}"' in officer_html
    assert reverse("programs:session-plan") not in viewer_html
    calendar_url = reverse("programs:session-calendar")
    assert f'href="{calendar_url}"' in officer_html
    assert f'href="{calendar_url}"' in viewer_html


def test_superuser_dashboard_covers_every_committee(client, world):
    outsider_cell = factories.cell(committee=world["outsider_committee"], name="Chi bộ Xã khác")
    factories.assignment(cell=outsider_cell, directive=world["directive"])
    client.force_login(world["admin"])

    response = client.get(HOME)

    assert response.context["mode"] == "dashboard"
    assert outsider_cell in response.context["idle_cells"]
    assert response.context["assigned_cell_count"] == 3


def test_officer_does_not_see_other_committees_cells(client, world):
    outsider_cell = factories.cell(committee=world["outsider_committee"], name="Chi bộ Xã khác")
    factories.assignment(cell=outsider_cell, directive=world["directive"])
    _session(world, timezone.localdate(), cell=outsider_cell)
    client.force_login(world["officer"])

    response = client.get(HOME)

    assert sum(_counts(response).values()) == 0
    assert "Chi bộ Xã khác" not in page_html(response)


def test_dashboard_queries_do_not_grow_with_cells(client, world):
    today = timezone.localdate()
    saturday, _sunday = selectors.next_weekend(today)
    _session(world, saturday)
    client.force_login(world["officer"])
    client.get(HOME)  # warm up the session and user loading

    with pinned_queries(12):
        response = client.get(HOME)
    assert len(response.context["weekend_sessions"]) == 1

    for n in range(49):
        cell = factories.cell(committee=world["committee"])
        village = factories.village(commune=world["commune"])
        factories.assignment(cell=cell, village=village, directive=world["directive"])
        if n % 2:
            _session(world, saturday, cell=cell, village=village)
        else:
            _session(world, Month.of(today).first, Status.CANCELLED, cell=cell, village=village)

    with pinned_queries(12):
        response = client.get(HOME)
    assert len(response.context["weekend_sessions"]) == 25
    assert response.context["weekend_count"] == 25
    # 25 cells with only a cancelled session, plus other_cell; the page lists the first 25.
    assert response.context["idle_count"] == 26
    assert len(response.context["idle_cells"]) == selectors.DASHBOARD_LIST_LIMIT == 25
    assert reverse("programs:compliance") in response.content.decode()


# --- the secretary's cell ------------------------------------------------------------------


def test_secretary_sees_their_cell_next_session_recent_sessions_and_members(client, world):
    today = timezone.localdate()
    cell = world["cell"]
    factories.member(cell=cell, full_name="Hoàng Văn Thắng", position="Bí thư chi bộ")
    factories.member(cell=cell, full_name="Ma Thị Hạnh")
    factories.member(cell=cell, full_name="Người Đã Chuyển", active=False)
    factories.member(cell=world["other_cell"], full_name="Ma Văn Cường")
    later = _session(world, today + datetime.timedelta(days=20))
    upcoming = _session(world, today + datetime.timedelta(days=3))
    held = _session(world, today - datetime.timedelta(days=30), Status.HELD)
    late = _session(world, today - datetime.timedelta(days=2))
    other = _session(
        world, today - datetime.timedelta(days=5), Status.HELD, cell=world["other_cell"]
    )
    client.force_login(world["secretary"])

    response = client.get(HOME)

    assert response.context["mode"] == "secretary"
    [shown] = response.context["cells"]
    assert shown == cell
    assert shown.next_session == upcoming
    assert shown.recent_sessions == [late, held]
    assert [m.full_name for m in shown.active_members] == ["Hoàng Văn Thắng", "Ma Thị Hạnh"]
    html = page_html(response)
    assert upcoming.date.strftime("%d/%m/%Y") in html
    assert later.get_absolute_url() not in html
    assert 'class="badge badge--late"' in html
    assert "Bí thư chi bộ" in html
    assert "Người Đã Chuyển" not in html
    assert f'href="{reverse("programs:cell-detail", args=[cell.pk])}"' in html
    # Nothing of the other cell.
    assert "Chi bộ Tư pháp" not in html
    assert "Ma Văn Cường" not in html
    assert other.get_absolute_url() not in html
    # No compliance link and no plan link for a secretary.
    assert reverse("programs:compliance") not in html
    assert reverse("programs:session-plan") not in html


def test_secretary2_does_not_see_the_first_cells_data(client, world):
    today = timezone.localdate()
    factories.member(cell=world["cell"], full_name="Hoàng Văn Thắng")
    mine = _session(world, today + datetime.timedelta(days=3))
    client.force_login(world["secretary2"])

    response = client.get(HOME)

    assert [c.pk for c in response.context["cells"]] == [world["other_cell"].pk]
    html = page_html(response)
    assert "Chi bộ Tư pháp" in html
    assert "Chi bộ Văn phòng" not in html
    assert "Hoàng Văn Thắng" not in html
    assert mine.get_absolute_url() not in html


def test_secretary_overview_keeps_the_last_five_sessions(client, world):
    today = timezone.localdate()
    sessions = [
        _session(world, today - datetime.timedelta(days=7 * n), Status.HELD) for n in range(1, 8)
    ]
    client.force_login(world["secretary"])

    [cell] = client.get(HOME).context["cells"]

    assert cell.recent_sessions == sessions[: selectors.RECENT_SESSIONS_PER_CELL]
    assert cell.next_session is None


def _logged(session, log_status, comment=""):
    LabourSession.objects.filter(pk=session.pk).update(
        log_status=log_status,
        review_comment=comment,
        log_submitted_at=timezone.now() if log_status != LogStatus.DRAFT else None,
    )
    session.refresh_from_db()
    return session


def test_secretary_sees_what_waits_for_results_and_what_came_back(client, world):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    upcoming = _session(world, today + 3 * day)
    never_logged = _session(world, today - 2 * day)
    draft = _logged(_session(world, today - 30 * day, Status.HELD), LogStatus.DRAFT)
    returned = _logged(
        _session(world, today - 60 * day, Status.HELD),
        LogStatus.RETURNED,
        "Thiếu ảnh phần việc nhà ông Thính",
    )
    waiting = _logged(_session(world, today - 90 * day, Status.HELD), LogStatus.SUBMITTED)
    _session(world, today - 120 * day, Status.CANCELLED)
    other = _session(world, today - 2 * day, cell=world["other_cell"])
    client.force_login(world["secretary"])

    response = client.get(HOME)

    [cell] = response.context["cells"]
    assert cell.next_session == upcoming
    assert cell.awaiting_log == [never_logged, draft]
    assert cell.returned_logs == [returned]
    html = page_html(response)
    for session in (never_logged, draft, returned):
        assert reverse("programs:session-log", args=[session.pk]) in html
    for session in (upcoming, waiting, other):
        assert reverse("programs:session-log", args=[session.pk]) not in html
    assert "Thiếu ảnh phần việc nhà ông Thính" in html
    assert "Returned for correction" in html
    assert "Waiting for results" in html


def test_secretary_with_everything_logged_is_told_so(client, world):
    today = timezone.localdate()
    _logged(_session(world, today - datetime.timedelta(days=7), Status.HELD), LogStatus.SUBMITTED)
    client.force_login(world["secretary"])

    response = client.get(HOME)

    [cell] = response.context["cells"]
    assert cell.awaiting_log == [] and cell.returned_logs == []
    html = page_html(response)
    assert "Every past session has its results submitted." in html
    assert "Returned for correction" not in html


def test_secretary_overview_queries_do_not_grow(client, world):
    today = timezone.localdate()
    cell = world["cell"]
    for _ in range(3):
        factories.member(cell=cell)
    _session(world, today + datetime.timedelta(days=3))
    _session(world, today - datetime.timedelta(days=7))
    _logged(
        _session(world, today - datetime.timedelta(days=14), Status.HELD),
        LogStatus.RETURNED,
        "Sửa",
    )
    client.force_login(world["secretary"])
    client.get(HOME)

    with pinned_queries(11):
        response = client.get(HOME)
    [shown] = response.context["cells"]
    assert (len(shown.awaiting_log), len(shown.returned_logs)) == (1, 1)

    for _ in range(57):
        factories.member(cell=cell)
    for n in range(3, 22):
        session = _session(world, today - datetime.timedelta(days=7 * n))
        if n % 2:
            _logged(session, LogStatus.DRAFT)
        else:
            session.status = Status.HELD
            session.save()
            _logged(session, LogStatus.RETURNED, f"Sửa {n}")

    with pinned_queries(11):
        response = client.get(HOME)
    [shown] = response.context["cells"]
    assert len(shown.active_members) == 60
    assert len(shown.awaiting_log) == selectors.AWAITING_LOG_PER_CELL
    assert len(shown.returned_logs) == 10


# --- no role -------------------------------------------------------------------------------


def test_a_user_without_a_role_is_told_to_ask_the_administrator(client, db):
    client.force_login(factories.user("newcomer"))

    response = client.get(HOME)

    assert response.status_code == 200
    assert response.context["mode"] == "no_role"
    html = page_html(response)
    assert "Contact your administrator" in html
    assert reverse("programs:compliance") not in html

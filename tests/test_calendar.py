"""The month calendar: days, weekday order, month navigation, scope and a fixed query count."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import LabourSession
from programs.planning import Month
from tests import factories
from tests.queries import pinned_queries

URL = reverse("programs:session-calendar")
SATURDAY = datetime.date(2031, 3, 8)


def _get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def _day_html(html: str, day: datetime.date) -> str:
    """The markup of one day's list item."""
    for chunk in html.split('<li class="calendar__day')[1:]:
        if f'datetime="{day.isoformat()}"' in chunk:
            return chunk
    raise AssertionError(f"{day} is not in the calendar")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_session_appears_on_its_day_with_cell_village_and_status(client_en, world):
    session = factories.world_session(
        world,
        date=SATURDAY,
        start_time=datetime.time(7, 30),
    )
    response = _get(client_en, world["officer"], month="2031-03")
    assert response.status_code == 200
    html = response.content.decode()
    day = _day_html(html, SATURDAY)
    assert session.get_absolute_url() in day
    assert "Chi bộ Văn phòng → in thôn Phiêng Luông" in _text(day)
    assert "07:30" in day
    assert '<span class="badge badge--planned">planned</span>' in day
    assert "Saturday" in day and "08/03/2031" in day
    # Not on the other days.
    assert session.get_absolute_url() not in _day_html(html, SATURDAY + datetime.timedelta(days=1))
    assert "calendar__day--empty" not in day.split(">", 1)[0]


def test_weekday_header_starts_on_monday_and_the_grid_places_the_first_day(client_en, world):
    html = _get(client_en, world["viewer"], month="2031-03").content.decode()
    header = html.split('<ul class="calendar__weekdays"', 1)[1].split("</ul>", 1)[0]
    names = re.findall(r"<li>([^<]+)</li>", header)
    assert names == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    # 1 March 2031 is a Saturday: the sixth column.
    first = html.split('<li class="calendar__day', 2)[1]
    assert 'datetime="2031-03-01"' in first
    assert "calendar__day--col-6" in first
    assert html.count('<li class="calendar__day') == 31


def test_heading_and_previous_next_today_links(client_en, world):
    response = _get(client_en, world["officer"], month="2031-01")
    html = response.content.decode()
    assert "Calendar · month 01/2031" in html
    assert "Previous month" in html and "Next month" in html
    assert 'href="?month=2030-12"' in html
    assert 'href="?month=2031-02"' in html
    assert f'href="{URL}"' in html
    assert response.context["month"] == Month(2031, 1)


@pytest.mark.parametrize("value", ["2027-13", "abc", "2027-02'; DROP TABLE x;--", "0000-00"])
def test_invalid_month_falls_back_to_this_month_with_a_message(client_en, world, value):
    response = _get(client_en, world["officer"], month=value)
    assert response.status_code == 200
    assert response.context["month"] == Month.of(timezone.localdate())
    messages = [str(m) for m in response.context["messages"]]
    assert any("YYYY-MM" in m for m in messages)
    assert "YYYY-MM" in response.content.decode()


def test_missing_month_shows_this_month_without_a_message(client_en, world):
    response = _get(client_en, world["officer"])
    today = timezone.localdate()
    assert response.context["month"] == Month.of(today)
    assert not list(response.context["messages"])
    assert 'aria-current="date"' in _day_html(response.content.decode(), today)


def test_past_planned_session_is_marked_late_but_held_one_is_not(client_en, world):
    today = timezone.localdate()
    month = Month.of(today).previous()
    late = factories.world_session(world, date=month.first)
    held = factories.session(
        cell=world["other_cell"],
        village=world["other_village"],
        directive=world["directive"],
        date=month.first,
        status=LabourSession.Status.HELD,
    )
    html = _get(client_en, world["officer"], month=str(month)).content.decode()
    day = _day_html(html, month.first)
    late_item, held_item = (
        day.split(late.get_absolute_url(), 1)[1],
        day.split(held.get_absolute_url(), 1)[1],
    )
    assert '<span class="badge badge--late">late</span>' in late_item.split("</li>", 1)[0]
    assert '<span class="badge badge--held">held</span>' in held_item.split("</li>", 1)[0]


def test_outsider_does_not_see_another_cells_sessions(client_en, world):
    mine = factories.session(
        cell=world["other_cell"],
        village=world["other_village"],
        directive=world["directive"],
        date=SATURDAY,
    )
    theirs = factories.world_session(
        world,
        date=SATURDAY + datetime.timedelta(days=1),
    )
    html = _get(client_en, world["secretary2"], month="2031-03").content.decode()
    assert mine.get_absolute_url() in html
    assert theirs.get_absolute_url() not in html
    assert "Chi bộ Văn phòng" not in html
    # The cell's own secretary sees it.
    html = _get(client_en, world["secretary"], month="2031-03").content.decode()
    assert theirs.get_absolute_url() in html
    assert mine.get_absolute_url() not in html


def test_calendar_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _nav(html: str) -> str:
    return html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


def test_nav_links_to_calendar_and_list_for_users_with_a_scope(client_en, world):
    nav = _nav(_get(client_en, world["secretary"], month="2031-03").content.decode())
    assert f'href="{URL}"' in nav
    assert 'aria-current="page">Calendar<' in nav
    assert f'href="{reverse("programs:session-list")}"' in nav
    # A user without any role reaches the (empty) page but the menu does not offer it.
    response = _get(client_en, factories.user("nobody"), month="2031-03")
    assert response.status_code == 200
    assert f'href="{URL}"' not in _nav(response.content.decode())
    assert not any(day.sessions for day in response.context["days"])


def test_query_count_is_the_same_for_one_and_fifty_cells(client_en, world):
    factories.world_session(world, date=SATURDAY)
    client_en.force_login(world["officer"])
    client_en.get(URL, {"month": "2031-03"})  # warm up
    with pinned_queries(14, cold=True):
        response = client_en.get(URL, {"month": "2031-03"})
    assert len(response.context["days"][SATURDAY.day - 1].sessions) == 1
    for _n in range(50):
        cell = factories.cell(committee=world["committee"])
        village = factories.village(commune=world["commune"])
        for day in (SATURDAY, SATURDAY + datetime.timedelta(days=1)):
            factories.session(cell=cell, village=village, directive=world["directive"], date=day)
    client_en.force_login(world["officer"])
    with pinned_queries(14, cold=True):
        response = client_en.get(URL, {"month": "2031-03"})
    saturday = response.context["days"][SATURDAY.day - 1]
    # The day shows its first twelve and counts the rest: only those are read.
    assert (len(saturday.sessions), saturday.total, saturday.more) == (12, 51, 39)


def test_a_busy_day_lists_the_first_sessions_and_links_to_the_rest(client, world):
    day = datetime.date(2031, 3, 8)
    for _ in range(14):
        cell = factories.cell(committee=world["committee"])
        factories.session(
            cell=cell,
            village=world["village"],
            directive=world["directive"],
            date=day,
            other_village_reason="x",
        )
    client.force_login(world["officer"])
    response = client.get(reverse("programs:session-calendar"), {"month": "2031-03"})
    html = response.content.decode()
    assert html.count('class="calendar__session"') == 12
    assert f"{reverse('programs:session-list')}?month=2031-03" in html
    # The first twelve in the day's order (start time, then cell name), and the two others
    # counted in words.
    expected = list(
        LabourSession.objects.filter(date=day)
        .order_by("start_time", "cell__name", "pk")
        .values_list("pk", flat=True)[:12]
    )
    assert [s.pk for s in response.context["days"][day.day - 1].sessions] == expected
    assert "2" in _text(html.split('class="calendar__more"', 1)[1].split("</p>", 1)[0])

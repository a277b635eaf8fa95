"""The personal iCalendar feed: token access, content, time zone, reset, and its settings page."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import CalendarFeed, LabourSession, VillageName
from programs.services import preferences
from tests import factories
from tests.queries import pinned_queries

FEED = reverse("programs:calendar-feed")
SETTINGS = reverse("programs:calendar-feed-settings")
RESET = reverse("programs:calendar-feed-reset")
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def soon():
    return timezone.localdate() + datetime.timedelta(days=10)


def _events(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def _uid(session) -> str:
    return f"session-{session.pk}@civic-labour"


def test_feed_lists_the_users_visible_sessions_with_local_start_times(client, world, soon):
    session = factories.world_session(
        world,
        date=soon,
        start_time=datetime.time(7, 30),
        planned_work="Lắp 250 m kênh mương bê tông",
    )
    hidden = factories.session(
        cell=world["other_cell"],
        village=world["other_village"],
        directive=world["directive"],
        date=soon,
    )
    feed = preferences.calendar_feed_for(world["secretary"])
    response = client.get(FEED, {"token": feed.token})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["x-published-ttl"]) == "PT1H"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    events = _events(response)
    assert set(events) == {_uid(session)}
    assert _uid(hidden) not in events
    event = events[_uid(session)]
    start = event.decoded("dtstart")
    assert start == datetime.datetime.combine(soon, datetime.time(7, 30), tzinfo=HCM)
    assert start.utcoffset() == datetime.timedelta(hours=7)
    assert start.astimezone(datetime.UTC).time() == datetime.time(0, 30)
    assert event.decoded("duration") == datetime.timedelta(hours=4)
    assert str(event["summary"]) == "Chi bộ Văn phòng → thôn Phiêng Luông"
    assert str(event["location"]) == (
        "thôn Phiêng Luông, xã Bình An, huyện Lâm Bình, tỉnh Tuyên Quang"
    )
    assert str(event["description"]) == "Lắp 250 m kênh mương bê tông"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["url"]) == f"http://testserver{session.get_absolute_url()}"


def test_feed_period_and_statuses(client, world):
    today = timezone.localdate()
    directive, cell, village = world["directive"], world["cell"], world["village"]

    def make(day, **kw):
        return factories.session(cell=cell, village=village, directive=directive, date=day, **kw)

    recent = make(today - datetime.timedelta(days=60))
    ahead = make(today + datetime.timedelta(days=330))
    too_old = make(today - datetime.timedelta(days=200))
    too_far = make(today + datetime.timedelta(days=500))
    cancelled = make(
        today + datetime.timedelta(days=3),
        status=LabourSession.Status.CANCELLED,
        status_reason="Mưa lũ",
    )
    postponed = make(
        today + datetime.timedelta(days=4),
        status=LabourSession.Status.POSTPONED,
        status_reason="Trùng lịch họp",
    )
    held = make(today - datetime.timedelta(days=5), status=LabourSession.Status.HELD)
    events = _events(
        client.get(FEED, {"token": preferences.calendar_feed_for(world["officer"]).token})
    )
    assert set(events) == {_uid(s) for s in (recent, ahead, postponed, held)}
    assert _uid(too_old) not in events and _uid(too_far) not in events
    assert _uid(cancelled) not in events
    assert str(events[_uid(postponed)]["status"]) == "CANCELLED"
    assert "Trùng lịch họp" in str(events[_uid(postponed)]["description"])
    assert str(events[_uid(held)]["status"]) == "CONFIRMED"


def test_location_uses_the_village_name_of_the_sessions_date(client, world, soon):
    VillageName.objects.create(
        village=world["village"],
        name="Phiêng Luông cũ",
        commune=world["commune"],
        valid_from=datetime.date(2000, 1, 1),
        valid_until=soon - datetime.timedelta(days=30),
    )
    old = factories.world_session(
        world,
        date=soon - datetime.timedelta(days=40),
    )
    new = factories.world_session(world, date=soon)
    events = _events(
        client.get(FEED, {"token": preferences.calendar_feed_for(world["admin"]).token})
    )
    assert str(events[_uid(old)]["location"]).startswith("thôn Phiêng Luông cũ, xã Bình An")
    assert str(events[_uid(new)]["location"]).startswith("thôn Phiêng Luông, xã Bình An")


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"token": ""},
        {"token": "not-a-token"},
        {"tok": "x"},
        {"token": "' OR '1'='1"},
        {"token": "x" * 500},
    ],
)
def test_missing_or_unknown_token_is_404(client, world, params):
    preferences.calendar_feed_for(world["officer"])
    assert client.get(FEED, params).status_code == 404


def test_inactive_users_token_is_404(client, world):
    feed = preferences.calendar_feed_for(world["officer"])
    world["officer"].is_active = False
    world["officer"].save()
    assert client.get(FEED, {"token": feed.token}).status_code == 404


def test_reset_revokes_the_old_token_and_the_new_one_works(client, world, soon):
    session = factories.world_session(world, date=soon)
    old_token = preferences.calendar_feed_for(world["officer"]).token
    client.force_login(world["officer"])
    response = client.post(RESET)
    assert response.status_code == 302
    assert response["Location"] == SETTINGS
    feed = CalendarFeed.objects.get(user=world["officer"])
    assert feed.token != old_token
    client.logout()
    assert client.get(FEED, {"token": old_token}).status_code == 404
    assert set(_events(client.get(FEED, {"token": feed.token}))) == {_uid(session)}


def test_reset_says_so_and_the_settings_page_shows_the_new_address(client, world):
    client.force_login(world["officer"])
    client.get(SETTINGS)
    response = client.post(RESET, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "The old address no longer works" in html
    assert CalendarFeed.objects.get(user=world["officer"]).token in html


def test_get_on_reset_is_not_allowed(client, world):
    feed = preferences.calendar_feed_for(world["officer"])
    client.force_login(world["officer"])
    assert client.get(RESET).status_code == 405
    feed_after = CalendarFeed.objects.get(user=world["officer"])
    assert feed_after.token == feed.token


def test_settings_page_requires_login(client, db):
    for url in (SETTINGS, RESET):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not CalendarFeed.objects.exists()


def test_settings_page_creates_the_feed_once_and_shows_its_address(client, world):
    client.force_login(world["viewer"])
    response = client.get(SETTINGS, HTTP_ACCEPT_LANGUAGE="en")
    feed = CalendarFeed.objects.get(user=world["viewer"])
    html = response.content.decode()
    assert f"http://testserver{FEED}?token={feed.token}" in html
    assert f"webcal://testserver{FEED}?token={feed.token}" in html
    assert "Add Subscribed Calendar" in html
    assert f'action="{RESET}"' in html and 'method="post"' in html
    client.get(SETTINGS)
    assert CalendarFeed.objects.get(user=world["viewer"]).token == feed.token


def _former_name(village, commune, name):
    VillageName.objects.create(
        village=village,
        name=name,
        commune=commune,
        valid_from=datetime.date(2000, 1, 1),
        valid_until=datetime.date(2020, 1, 1),
    )


def test_feed_query_count_does_not_grow_with_sessions(client, world, soon):
    factories.world_session(world, date=soon)
    _former_name(world["village"], world["commune"], "Tên cũ")
    token = preferences.calendar_feed_for(world["officer"]).token
    client.get(FEED, {"token": token})  # warm up
    with pinned_queries(5):
        assert len(_events(client.get(FEED, {"token": token}))) == 1
    for n in range(30):
        cell = factories.cell(committee=world["committee"])
        village = factories.village(commune=factories.commune(name=f"Xã {n}"))
        _former_name(village, world["commune"], f"Tên cũ {n}")
        factories.session(cell=cell, village=village, directive=world["directive"], date=soon)
    with pinned_queries(5):
        assert len(_events(client.get(FEED, {"token": token}))) == 31


def test_a_planned_session_has_an_alarm_the_day_before(client, world, soon):
    planned = factories.world_session(world, date=soon)
    postponed = factories.world_session(
        world, date=soon + datetime.timedelta(days=7), status=LabourSession.Status.POSTPONED
    )
    feed = preferences.calendar_feed_for(world["secretary"])
    events = _events(client.get(FEED, {"token": feed.token}))
    [alarm] = events[_uid(planned)].walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == -datetime.timedelta(days=1)
    assert "Chi bộ Văn phòng" in str(alarm["description"])
    # Nothing happens on a postponed session's date: no alarm.
    assert events[_uid(postponed)].walk("VALARM") == []

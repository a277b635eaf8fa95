"""What an attacker would try: other people's objects by URL, forged posts, markup in every
text field, SQL in every filter. Each must be refused or made harmless, never a 500."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from programs.models import Attendance, LabourSession, Photo, WorkOutput, WorkType
from tests import factories
from tests.http import consume

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def target(world):
    """A held, submitted session of the secretary's cell, with a photo and an output."""
    session = factories.world_session(
        world,
        status="held",
        log_status="submitted",
    )
    photo = Photo(session=session, caption="Ảnh")
    photo.image.save("p.jpg", ContentFile(factories.jpeg(colour="red")), save=False)
    photo.save()
    return {"session": session, "photo": photo}


def _object_urls(world, target):
    s, p, cell = target["session"].pk, target["photo"].pk, world["cell"].pk
    village = world["village"].pk
    return [
        f"/sessions/{s}/",
        f"/sessions/{s}/edit/",
        f"/sessions/{s}/postpone/",
        f"/sessions/{s}/cancel/",
        f"/sessions/{s}/log/",
        f"/sessions/{s}/return/",
        f"/sessions/{s}/reopen/",
        f"/sessions/{s}/photos/{p}/",
        f"/sessions/{s}/photos/{p}/?size=thumb",
        target["photo"].image.url,
        f"/cells/{cell}/",
        f"/villages/{village}/",
        f"/reports/?cell={cell}",
        f"/reports/?cell={cell}&format=xlsx",
        f"/reports/?cell={cell}&format=csv",
        f"/reports/print/?cell={cell}",
        f"/reports/sessions.csv?cell={cell}",
        f"/reports/sessions.xlsx?cell={cell}",
        f"/reports/?village={village}",
        f"/reports/?committee={world['committee'].pk}",
        f"/compliance/?committee={world['committee'].pk}",
    ]


def test_every_object_view_and_export_is_404_for_an_outsider(client, world, target):
    client.force_login(world["secretary2"])
    for url in _object_urls(world, target):
        response = client.get(url)
        assert response.status_code == 404, url
        consume(response)


def test_every_object_view_and_export_is_404_for_another_committee(client, world, target):
    stranger = factories.user("stranger", role="officer", target=world["outsider_committee"])
    client.force_login(stranger)
    for url in _object_urls(world, target):
        response = client.get(url)
        assert response.status_code == 404, url
        consume(response)
    # Posting to them changes nothing either.
    s = target["session"].pk
    for url in (f"/sessions/{s}/confirm/", f"/sessions/{s}/cancel/", f"/sessions/{s}/log/"):
        assert client.post(url, {"version": 1, "reason": "x"}).status_code == 404, url
    target["session"].refresh_from_db()
    assert target["session"].log_status == "submitted"


def test_writes_are_403_for_readers(client, world, target):
    client.force_login(world["viewer"])
    s = target["session"].pk
    for url in (f"/sessions/{s}/confirm/", f"/sessions/{s}/return/", f"/sessions/{s}/log/"):
        assert client.post(url, {"version": 1, "comment": "x"}).status_code == 403, url
    target["session"].refresh_from_db()
    assert target["session"].log_status == "submitted"


def test_post_without_csrf_token_is_refused(world, target):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["officer"])
    session = target["session"]
    response = client.post(f"/sessions/{session.pk}/confirm/", {"version": session.version})
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.log_status == "submitted"


def test_markup_typed_anywhere_is_shown_as_text(client, world, target):
    session = target["session"]
    world["cell"].name = f"Chi bộ {PAYLOAD}"
    world["cell"].save()
    world["village"].name = f"Thôn {PAYLOAD}"
    world["village"].save()
    LabourSession.objects.filter(pk=session.pk).update(
        partner=PAYLOAD, planned_work=PAYLOAD, notes=PAYLOAD, review_comment=PAYLOAD
    )
    member = factories.member(cell=world["cell"], full_name=f"Nguyễn {PAYLOAD}")
    row = Attendance(session=session, member=member, workdays=Decimal("1"))
    row.copy_from_member()
    row.save()
    household = factories.household(village=world["village"], head_name=f"Hộ {PAYLOAD}")
    WorkOutput.objects.create(
        session=session,
        work_type=WorkType.objects.first(),
        description=PAYLOAD,
        quantity=1,
        unit="m",
        household=household,
    )
    Photo.objects.filter(pk=target["photo"].pk).update(caption=PAYLOAD)
    factories.world_session(
        world,
        date=session.date.replace(day=8),
        status="cancelled",
        status_reason=PAYLOAD,
    )
    client.force_login(world["officer"])
    month = f"{session.date:%Y-%m}"
    pages = [
        "/",
        f"/sessions/{session.pk}/",
        f"/sessions/{session.pk}/return/",
        f"/sessions/?month={month}",
        f"/sessions/calendar/?month={month}",
        f"/compliance/?from={month}&to={month}",
        f"/cells/{world['cell'].pk}/",
        f"/villages/{world['village'].pk}/",
        f"/reports/?period=year&year={session.date.year}",
        f"/reports/print/?period=year&year={session.date.year}",
        "/reviews/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url


SQL = [
    "1' OR '1'='1",
    "1; DROP TABLE programs_laboursession; --",
    "' UNION SELECT password FROM auth_user --",
    "%27",
    "\x00",
    "9" * 40,
]


@pytest.mark.parametrize("value", SQL)
def test_sql_metacharacters_in_every_filter(client, world, target, value):
    client.force_login(world["officer"])
    filters = {
        "/sessions/": ["month", "committee", "cell", "village", "status", "page"],
        "/sessions/calendar/": ["month"],
        "/compliance/": ["committee", "from", "to"],
        "/reports/": [
            "committee",
            "cell",
            "commune",
            "village",
            "directive",
            "period",
            "month",
            "year",
            "from",
            "to",
            "format",
        ],
        "/reports/print/": ["committee", "period", "month"],
        "/reports/sessions.csv": ["committee", "cell", "list", "month"],
        "/sessions/plan/": ["committee", "directive", "month", "preferred_week"],
    }
    for url, names in filters.items():
        for name in names:
            response = client.get(url, {name: value})
            assert response.status_code in (200, 400, 404), (url, name, response.status_code)
            consume(response)
    assert LabourSession.objects.filter(pk=target["session"].pk).exists()

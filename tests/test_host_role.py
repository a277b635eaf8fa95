"""The host commune: the committee of a commune (Đảng ủy xã Bình An) reads the sessions that
other committees' cells hold in its villages, and nothing else of those committees."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from programs import permissions
from programs.models import Attendance, LabourSession, Role
from tests import factories
from tests.queries import pinned_queries


@pytest.fixture
def host_world(world):
    """Đảng ủy xã Bình An hosts: a cell of the district agencies' committee works in Phiêng
    Luông (in Bình An), another cell of the same committee in a village of another commune."""
    host_committee = factories.committee(name="Đảng ủy xã Bình An", commune=world["commune"])
    elsewhere = factories.village(commune=factories.commune(name="Thổ Bình"), name="Nà Tông")
    today = timezone.localdate()
    hosted = factories.world_session(world, date=today)
    away = factories.session(
        cell=world["other_cell"], village=elsewhere, directive=world["directive"], date=today
    )
    member = factories.member(cell=world["cell"], full_name="Hoàng Văn Thắng")
    row = Attendance(session=hosted, member=member)
    row.copy_from_member()
    row.save()
    return {
        **world,
        "host_committee": host_committee,
        "host": factories.user("host", role=Role.Kind.HOST, target=host_committee),
        "hosted": hosted,
        "away": away,
        "elsewhere": elsewhere,
    }


def _get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(f"programs:{name}", args=args), params)


def test_role_kind_value_is_host():
    assert Role.Kind.HOST == "host"


def test_host_reads_a_session_held_in_its_village(client, host_world):
    response = _get(client, host_world["host"], "session-detail", host_world["hosted"].pk)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phiêng Luông" in page
    assert "Hoàng Văn Thắng" in page  # attendance names, read-only, as the page shows them
    # The cell's and the village's pages are not theirs: no links to them.
    assert reverse("programs:cell-detail", args=[host_world["cell"].pk]) not in page
    assert reverse("programs:village-detail", args=[host_world["village"].pk]) not in page
    assert reverse("programs:session-edit", args=[host_world["hosted"].pk]) not in page
    assert reverse("programs:session-log", args=[host_world["hosted"].pk]) not in page


def test_host_gets_404_for_the_same_committees_session_in_another_commune(client, host_world):
    response = _get(client, host_world["host"], "session-detail", host_world["away"].pk)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("cell-detail", "cell"),
        ("village-detail", "village"),
        ("village-detail", "elsewhere"),
    ],
)
def test_host_gets_404_for_the_other_committees_places(client, host_world, name, kwargs):
    response = _get(client, host_world["host"], name, host_world[kwargs].pk)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params",
    [lambda w: {"committee": w["committee"].pk}, lambda w: {"cell": w["cell"].pk}, lambda w: {}],
)
def test_host_gets_404_for_the_other_committees_reports(client, host_world, params):
    response = _get(client, host_world["host"], "reports", **params(host_world))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    ["session-edit", "session-postpone", "session-cancel", "session-log"],
)
def test_host_cannot_open_the_write_pages(client, host_world, name):
    session = host_world["hosted"]
    response = _get(client, host_world["host"], name, session.pk)
    assert response.status_code in (403, 404)


@pytest.mark.parametrize(
    "name",
    [
        "session-edit",
        "session-postpone",
        "session-cancel",
        "session-log",
        "session-log-confirm",
        "session-log-return",
        "session-log-reopen",
    ],
)
def test_host_writes_nothing(client, host_world, name):
    session = host_world["hosted"]
    if name.startswith("session-log-"):
        LabourSession.objects.filter(pk=session.pk).update(status="held", log_status="submitted")
    session.refresh_from_db()
    before = (session.version, session.status, session.log_status, session.notes)
    client.force_login(host_world["host"])
    response = client.post(
        reverse(f"programs:{name}", args=[session.pk]),
        {
            "version": session.version,
            "reason": "Mưa to",
            "comment": "Sửa lại",
            "notes": "Ghi đè",
            "action": "submit",
            "date": (session.date + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code in (403, 404)
    session.refresh_from_db()
    assert (session.version, session.status, session.log_status, session.notes) == before


def test_host_finds_the_session_in_the_list_calendar_and_overview(client, host_world):
    hosted, away = host_world["hosted"], host_world["away"]
    listed = _get(client, host_world["host"], "session-list")
    assert [s.pk for s in listed.context["page_obj"].object_list] == [hosted.pk]
    calendar = _get(client, host_world["host"], "session-calendar")
    shown = [s.pk for day in calendar.context["days"] for s in day.sessions]
    assert shown == [hosted.pk]
    home = _get(client, host_world["host"], "home")
    assert home.context["mode"] == "host"
    assert [s.pk for s in home.context["hosted"]["sessions"]] == [hosted.pk]
    assert home.context["hosted"]["count"] == 1
    assert away.get_absolute_url() not in home.content.decode()


def test_host_menu_offers_sessions_but_not_reports_reviews_or_compliance(client, host_world):
    page = _get(client, host_world["host"], "home").content.decode()
    assert reverse("programs:session-list") in page
    assert reverse("programs:session-calendar") in page
    for name in ("reports", "reviews", "compliance"):
        assert reverse(f"programs:{name}") not in page


def test_host_does_not_review_the_other_committees_logs(client, host_world):
    LabourSession.objects.filter(pk=host_world["hosted"].pk).update(
        status="held", log_status="submitted"
    )
    assert _get(client, host_world["host"], "reviews").status_code == 403
    assert _get(client, host_world["host"], "compliance").status_code == 403
    assert not permissions.sessions_to_review_for(host_world["host"]).exists()


def test_host_who_is_also_an_officer_keeps_their_own_committee(client, host_world):
    host_committee = host_world["host_committee"]
    own_cell = factories.cell(committee=host_committee, name="Chi bộ thôn Phiêng Luông")
    own = factories.session(
        cell=own_cell, village=host_world["elsewhere"], directive=host_world["directive"]
    )
    user = host_world["host"]
    Role.objects.create(user=user, kind=Role.Kind.OFFICER, committee=host_committee)
    assert _get(client, user, "cell-detail", own_cell.pk).status_code == 200
    assert _get(client, user, "session-detail", own.pk).status_code == 200
    assert _get(client, user, "session-edit", own.pk).status_code == 200
    assert _get(client, user, "reports", committee=host_committee.pk).status_code == 200
    # Still only a reader of the other committee's session.
    assert _get(client, user, "session-detail", host_world["hosted"].pk).status_code == 200
    assert _get(client, user, "session-edit", host_world["hosted"].pk).status_code == 403
    assert _get(client, user, "cell-detail", host_world["cell"].pk).status_code == 404
    home = _get(client, user, "home")
    assert home.context["mode"] == "dashboard"
    assert [s.pk for s in home.context["hosted"]["sessions"]] == [host_world["hosted"].pk]


def test_other_users_do_not_see_through_the_host(client, host_world):
    # The outsider secretary and the other committee's officer are unchanged.
    assert (
        _get(
            client, host_world["secretary2"], "session-detail", host_world["hosted"].pk
        ).status_code
        == 404
    )
    officer = host_world["officer"]
    assert _get(client, officer, "session-detail", host_world["away"].pk).status_code == 200


# --- the role itself ---------------------------------------------------------------------------


def test_host_role_needs_a_committee_with_a_commune(world):
    role = Role(user=world["viewer"], kind=Role.Kind.HOST, committee=world["committee"])
    with pytest.raises(ValidationError) as error:
        role.full_clean()
    assert "committee" in error.value.message_dict


def test_host_role_on_a_cell_is_refused_by_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(user=world["viewer"], kind=Role.Kind.HOST, cell=world["cell"])


def test_host_role_validates(world):
    committee = factories.committee(name="Đảng ủy xã Bình An", commune=world["commune"])
    Role(user=world["viewer"], kind=Role.Kind.HOST, committee=committee).full_clean()


def test_host_overview_queries_do_not_grow_with_sessions(client, host_world):
    client.force_login(host_world["host"])
    url = reverse("programs:home")
    client.get(url)  # warm up
    with pinned_queries(6, cold=True):
        assert client.get(url).status_code == 200
    today = timezone.localdate()
    for _n in range(30):
        cell = factories.cell(committee=host_world["committee"])
        factories.session(
            cell=cell,
            village=host_world["other_village"],
            directive=host_world["directive"],
            date=today,
        )
    with pinned_queries(6, cold=True):
        response = client.get(url)
    assert response.context["hosted"]["count"] == 31
    assert len(response.context["hosted"]["sessions"]) == 25  # the rest are in the list

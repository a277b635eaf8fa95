"""The cell page and the village page: who may see them, assignments, names, session history."""

import datetime

import pytest
from django.urls import reverse

from programs import selectors
from programs.models import LabourSession, VillageName
from tests import factories
from tests.http import page_html
from tests.queries import pinned_queries

Status = LabourSession.Status


pytestmark = pytest.mark.usefixtures("english")


def _cell_url(cell):
    return reverse("programs:cell-detail", args=[cell.pk])


def _village_url(village):
    return reverse("programs:village-detail", args=[village.pk])


def _session(world, day, status=Status.HELD, *, cell=None, village=None):
    return factories.world_session(world, date=day, status=status, cell=cell, village=village)


# --- who may see -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "viewer", "secretary", "admin"])
def test_cell_page_visible_in_scope(client, world, who):
    client.force_login(world[who])

    response = client.get(_cell_url(world["cell"]))

    assert response.status_code == 200
    assert response.context["cell"] == world["cell"]
    assert "<h1>Chi bộ Văn phòng</h1>" in page_html(response)


@pytest.mark.parametrize("who", ["officer", "viewer", "secretary", "admin"])
def test_village_page_visible_in_scope(client, world, who):
    client.force_login(world[who])

    response = client.get(_village_url(world["village"]))

    assert response.status_code == 200
    assert "thôn Phiêng Luông" in page_html(response)


def test_outsider_secretary_gets_404_on_the_other_cell_and_its_village(client, world):
    client.force_login(world["secretary2"])

    assert client.get(_cell_url(world["cell"])).status_code == 404
    assert client.get(_village_url(world["village"])).status_code == 404
    # Their own cell and village are fine.
    assert client.get(_cell_url(world["other_cell"])).status_code == 200
    assert client.get(_village_url(world["other_village"])).status_code == 200


def test_officer_of_another_committee_gets_404(client, world):
    stranger = factories.user("stranger", role="officer", target=world["outsider_committee"])
    client.force_login(stranger)

    assert client.get(_cell_url(world["cell"])).status_code == 404
    assert client.get(_village_url(world["village"])).status_code == 404


def test_unknown_ids_are_404_and_login_is_required(client, world):
    assert client.get(_cell_url(world["cell"]))["Location"].startswith(reverse("login"))

    client.force_login(world["officer"])
    assert client.get(reverse("programs:cell-detail", args=[987654])).status_code == 404
    assert client.get(reverse("programs:village-detail", args=[987654])).status_code == 404


# --- the cell page -----------------------------------------------------------------------------


def test_cell_page_shows_current_and_past_assignments(client, world):
    cell = world["cell"]
    old_village = factories.village(commune=world["commune"], name="Bản Cũ")
    old_directive = factories.directive(symbol="02-ĐA/TU")
    past = factories.assignment(
        cell=cell,
        village=old_village,
        directive=old_directive,
        starts_on=datetime.date(2021, 6, 1),
        ends_on=datetime.date(2022, 12, 31),
    )
    client.force_login(world["viewer"])

    response = client.get(_cell_url(cell))

    groups = response.context["assignments"]
    assert [a.village for a in groups.current] == [world["village"]]
    assert groups.past == [past]
    html = page_html(response)
    assert "Current assignments" in html and "Past assignments" in html
    assert "02-ĐA/TU" in html and "54-KH/HU" in html
    assert "01/06/2021" in html and "31/12/2022" in html
    assert f'href="{_village_url(old_village)}"' in html
    assert f'href="{_village_url(world["village"])}"' in html


def test_cell_page_lists_sessions_newest_first_with_badges(client, world):
    held = _session(world, datetime.date(2026, 3, 7))
    cancelled = _session(world, datetime.date(2026, 4, 4), Status.CANCELLED)
    late = _session(world, datetime.date(2026, 5, 2), Status.PLANNED)  # before today: late
    future = _session(world, datetime.date(2031, 3, 8), Status.PLANNED)
    _session(world, datetime.date(2026, 3, 8), cell=world["other_cell"])
    client.force_login(world["officer"])

    response = client.get(_cell_url(world["cell"]))

    page = response.context["sessions_page"]
    assert list(page.object_list) == [future, late, cancelled, held]
    assert [s.badge_status for s in page.object_list] == ["planned", "late", "cancelled", "held"]
    html = page_html(response)
    assert "07/03/2026" in html
    assert f'href="{held.get_absolute_url()}"' in html
    assert 'class="badge badge--late"' in html
    assert "08/03/2026" not in html  # the other cell's session


def test_cell_page_names_the_village_as_it_was_on_the_sessions_day(client, world):
    village = world["village"]
    VillageName.objects.create(
        village=village,
        name="Phiêng Luông Cũ",
        commune=world["commune"],
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2025, 6, 30),
    )
    _session(world, datetime.date(2024, 3, 9))
    _session(world, datetime.date(2026, 3, 7))
    client.force_login(world["officer"])

    rows = client.get(_cell_url(world["cell"])).context["sessions_page"].object_list

    assert [s.village_label for s in rows] == ["thôn Phiêng Luông", "thôn Phiêng Luông Cũ"]


def test_cell_page_paginates_by_fifty(client, world):
    start = datetime.date(2020, 1, 4)
    for n in range(selectors.SESSIONS_PER_PAGE + 3):
        _session(world, start + datetime.timedelta(days=7 * n))
    client.force_login(world["officer"])

    first = client.get(_cell_url(world["cell"]))
    second = client.get(_cell_url(world["cell"]), {"page": 2})
    beyond = client.get(_cell_url(world["cell"]), {"page": "zzz"})

    assert len(first.context["sessions_page"].object_list) == 50
    assert len(second.context["sessions_page"].object_list) == 3
    assert second.context["sessions_page"].object_list[-1].date == start
    assert 'href="?page=2"' in page_html(first)
    assert beyond.status_code == 200  # a bad page number shows the first page


# --- the village page --------------------------------------------------------------------------


def test_village_page_shows_label_commune_households_and_former_names(client, world):
    village = world["village"]
    old_commune = factories.commune(district=world["district"], name="Thổ Bình")
    VillageName.objects.create(
        village=village,
        name="Phiêng Luông Cũ",
        commune=old_commune,
        valid_from=datetime.date(2019, 1, 1),
        valid_until=datetime.date(2025, 6, 30),
    )
    factories.household(village=village)
    factories.household(village=village)
    factories.household(village=world["other_village"])
    client.force_login(world["viewer"])

    response = client.get(_village_url(village))

    assert response.context["household_count"] == 2
    assert [n.name for n in response.context["former_names"]] == ["Phiêng Luông Cũ"]
    html = page_html(response)
    assert "thôn Phiêng Luông, xã Bình An, huyện Lâm Bình, tỉnh Tuyên Quang" in html
    assert "Former names" in html
    assert "Phiêng Luông Cũ" in html
    assert "xã Thổ Bình, huyện Lâm Bình, tỉnh Tuyên Quang" in html
    assert "01/01/2019" in html and "30/06/2025" in html


def test_village_page_shows_assignments_and_sessions_of_visible_cells_only(client, world):
    village = world["village"]
    past = factories.assignment(
        cell=world["other_cell"],
        village=village,
        directive=factories.directive(symbol="02-ĐA/TU"),
        starts_on=datetime.date(2021, 6, 1),
        ends_on=datetime.date(2023, 5, 31),
    )
    outsider_cell = factories.cell(committee=world["outsider_committee"], name="Chi bộ Xã khác")
    factories.assignment(cell=outsider_cell, village=village, directive=world["directive"])
    mine = _session(world, datetime.date(2026, 3, 7))
    theirs = _session(world, datetime.date(2026, 3, 8), cell=outsider_cell)
    client.force_login(world["officer"])

    response = client.get(_village_url(village))

    groups = response.context["assignments"]
    assert [a.cell for a in groups.current] == [world["cell"]]
    assert groups.past == [past]
    assert list(response.context["sessions_page"].object_list) == [mine]
    html = page_html(response)
    assert "Chi bộ Xã khác" not in html
    assert theirs.get_absolute_url() not in html
    assert f'href="{_cell_url(world["cell"])}"' in html
    assert "31/05/2023" in html


# --- speed -------------------------------------------------------------------------------------


def test_cell_page_queries_do_not_grow(client, world):
    url = _cell_url(world["cell"])
    _session(world, datetime.date(2026, 3, 7))
    client.force_login(world["officer"])
    client.get(url)  # warm up the session and user loading

    with pinned_queries(10):
        client.get(url)

    start = datetime.date(2020, 1, 4)
    for n in range(49):
        cell = factories.cell(committee=world["committee"])
        village = factories.village(commune=world["commune"])
        factories.assignment(cell=cell, village=village, directive=world["directive"])
        _session(world, start, cell=cell, village=village)
        # The page's own cell: many sessions in many villages, and past assignments.
        _session(world, start + datetime.timedelta(days=7 * n), village=village)
        # One month each: a cell's assignments under one directive never overlap.
        factories.assignment(
            cell=world["cell"],
            village=village,
            directive=world["directive"],
            starts_on=datetime.date(2010 + n // 12, n % 12 + 1, 1),
            ends_on=datetime.date(2010 + n // 12, n % 12 + 1, 28),
        )

    with pinned_queries(10):
        response = client.get(url)
    assert len(response.context["sessions_page"].object_list) == 50
    assert len(response.context["assignments"].past) == 49


def test_village_page_queries_do_not_grow(client, world):
    village = world["village"]
    url = _village_url(village)
    _session(world, datetime.date(2026, 3, 7))
    client.force_login(world["officer"])
    client.get(url)  # warm up the session and user loading

    with pinned_queries(11):
        client.get(url)

    for n in range(49):
        cell = factories.cell(committee=world["committee"])
        factories.assignment(cell=cell, village=village, directive=world["directive"])
        _session(world, datetime.date(2026, 3, 7), cell=cell, village=village)
        VillageName.objects.create(
            village=village,
            name=f"Tên cũ {n}",
            commune=world["commune"],
            valid_from=datetime.date(1970 + n, 1, 1),
            valid_until=datetime.date(1970 + n, 12, 31),
        )
        factories.household(village=village)

    with pinned_queries(11):
        response = client.get(url)
    assert len(response.context["sessions_page"].object_list) == 50
    assert len(response.context["assignments"].current) == 50
    assert len(response.context["former_names"]) == 49

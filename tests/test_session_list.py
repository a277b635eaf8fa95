"""The filterable, paginated session list: scope, each filter, pagination, bad input, queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import LabourSession
from tests import factories
from tests.queries import pinned_queries

URL = reverse("programs:session-list")
MARCH = datetime.date(2031, 3, 8)
APRIL = datetime.date(2031, 4, 12)


@pytest.fixture
def sessions(world):
    """Three sessions of the committee's two cells, in two months and two statuses."""
    return {
        "march": factories.world_session(world, date=MARCH),
        "april": factories.world_session(world, date=APRIL),
        "other": factories.session(
            cell=world["other_cell"],
            village=world["other_village"],
            directive=world["directive"],
            date=MARCH,
            status=LabourSession.Status.HELD,
        ),
    }


def _get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def _listed(response) -> list[LabourSession]:
    return list(response.context["page_obj"])


def test_lists_visible_sessions_newest_first_with_their_columns(client_en, world, sessions):
    response = _get(client_en, world["officer"])
    assert response.status_code == 200
    listed = _listed(response)
    assert listed[0] == sessions["april"]
    assert set(listed) == set(sessions.values())
    assert [s.date for s in listed] == sorted((s.date for s in listed), reverse=True)
    html = response.content.decode()
    assert "12/04/2031" in html and "07:30" in html
    assert "Chi bộ Văn phòng" in html and "thôn Phiêng Luông" in html
    assert "Kế hoạch 54-KH/HU" in html
    assert '<span class="badge badge--held">held</span>' in html
    assert sessions["april"].get_absolute_url() in html
    assert "3 sessions" in html


def test_every_row_says_its_status_in_words(client_en, world, sessions):
    """On a phone the rows become cards (app.css) with the status on their first line: the
    status is in each row as a word, not a colour alone."""
    html = _get(client_en, world["officer"]).content.decode()

    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
    shown = {}
    for row in rows:
        url = re.search(r'href="([^"]+)"', row).group(1)
        badge = re.search(r'<span class="badge badge--(\w+)">(\w+)</span>', row)
        shown[url] = (badge.group(1), badge.group(2))
    assert shown == {
        sessions["march"].get_absolute_url(): ("planned", "planned"),
        sessions["april"].get_absolute_url(): ("planned", "planned"),
        sessions["other"].get_absolute_url(): ("held", "held"),
    }
    assert 'class="sessions-table stack-table"' in html


def test_outsider_sees_only_their_own_cells_sessions(client_en, world, sessions):
    response = _get(client_en, world["secretary2"])
    assert _listed(response) == [sessions["other"]]
    html = response.content.decode()
    assert sessions["march"].get_absolute_url() not in html
    assert "Chi bộ Văn phòng" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"month": "2031-03"}, {"march", "other"}),
        ({"month": "2031-04"}, {"april"}),
        ({"status": "held"}, {"other"}),
        ({"status": "planned"}, {"march", "april"}),
        ({"month": "2031-03", "status": "planned"}, {"march"}),
    ],
)
def test_month_and_status_filters_narrow_the_list(client_en, world, sessions, params, expected):
    response = _get(client_en, world["officer"], **params)
    assert response.context["form"].errors == {}
    assert set(_listed(response)) == {sessions[name] for name in expected}


def test_cell_and_village_filters_narrow_the_list(client_en, world, sessions):
    by_cell = _listed(_get(client_en, world["officer"], cell=world["other_cell"].pk))
    assert by_cell == [sessions["other"]]
    by_village = _listed(_get(client_en, world["officer"], village=world["village"].pk))
    assert set(by_village) == {sessions["march"], sessions["april"]}


def test_committee_filter_includes_the_committees_below(client_en, world, sessions):
    below = factories.committee(name="Đảng ủy cấp dưới", parent=world["committee"])
    below_cell = factories.cell(committee=below)
    below_session = factories.session(
        cell=below_cell, village=world["village"], directive=world["directive"], date=MARCH
    )
    response = _get(client_en, world["officer"], committee=world["committee"].pk)
    assert set(_listed(response)) == {*sessions.values(), below_session}
    response = _get(client_en, world["officer"], committee=below.pk)
    assert _listed(response) == [below_session]


def test_late_filter_and_badge(client_en, world):
    past = timezone.localdate() - datetime.timedelta(days=10)
    late = factories.world_session(world, date=past)
    factories.session(
        cell=world["other_cell"],
        village=world["other_village"],
        directive=world["directive"],
        date=past,
        status=LabourSession.Status.HELD,
    )
    response = _get(client_en, world["officer"], status="late")
    assert _listed(response) == [late]
    assert '<span class="badge badge--late">late</span>' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"committee": "abc"}, "committee"),
        ({"cell": "1 OR 1=1"}, "cell"),
        ({"village": "'; DROP TABLE programs_laboursession; --"}, "village"),
        ({"status": "bogus"}, "status"),
        ({"month": "2027-13"}, "month"),
        ({"month": "2027-02' OR '1'='1"}, "month"),
        ({"cell": "99999999999999999999999"}, "cell"),
        ({"committee": "-1"}, "committee"),
    ],
)
def test_invalid_filters_show_the_error_and_no_sessions(client_en, world, sessions, params, field):
    response = _get(client_en, world["officer"], **params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _listed(response) == []
    html = response.content.decode()
    assert "Correct the filters above" in html
    assert 'aria-invalid="true"' in html
    assert LabourSession.objects.count() == 3


def test_a_cell_outside_the_users_scope_is_refused(client_en, world, sessions):
    foreign_cell = factories.cell(committee=world["outsider_committee"])
    factories.session(
        cell=foreign_cell, village=world["village"], directive=world["directive"], date=MARCH
    )
    response = _get(client_en, world["officer"], cell=foreign_cell.pk)
    assert "cell" in response.context["form"].errors
    assert _listed(response) == []
    # A secretary cannot pick another cell of the same committee either.
    response = _get(client_en, world["secretary2"], cell=world["cell"].pk)
    assert "cell" in response.context["form"].errors
    assert _listed(response) == []


def test_a_cell_of_another_committee_than_the_chosen_one_is_refused(client_en, world, sessions):
    below = factories.committee(name="Đảng ủy cấp dưới", parent=world["committee"])
    response = _get(client_en, world["officer"], committee=below.pk, cell=world["cell"].pk)
    assert response.context["form"].errors["cell"] == [
        "This party cell does not belong to the chosen party committee."
    ]
    assert _listed(response) == []


def test_filter_choices_are_limited_to_the_scope(client_en, world):
    factories.cell(committee=world["outsider_committee"], name="Chi bộ ngoài")
    form = _get(client_en, world["secretary"]).context["form"]
    assert list(form.fields["cell"].queryset) == [world["cell"]]
    assert list(form.fields["committee"].queryset) == []
    assert list(form.fields["village"].queryset) == [world["village"]]


def test_pagination_keeps_the_filters(client_en, world):
    start = datetime.date(2031, 1, 1)
    for n in range(51):
        factories.world_session(
            world,
            date=start + datetime.timedelta(days=n),
        )
    factories.session(
        cell=world["other_cell"],
        village=world["other_village"],
        directive=world["directive"],
        date=start,
    )
    first = _get(client_en, world["officer"], cell=world["cell"].pk)
    assert len(_listed(first)) == 50
    assert first.context["page_obj"].paginator.count == 51
    html = first.content.decode()
    assert f'href="?cell={world["cell"].pk}&amp;page=2"' in html
    assert "Page 1 of 2" in html
    second = _get(client_en, world["officer"], cell=world["cell"].pk, page=2)
    assert [s.date for s in _listed(second)] == [start]
    assert f'href="?cell={world["cell"].pk}&amp;page=1"' in second.content.decode()
    # A page number out of range shows the last page rather than an error.
    assert _listed(_get(client_en, world["officer"], cell=world["cell"].pk, page=99)) == _listed(
        second
    )


def test_new_session_and_plan_links_only_for_officers(client_en, world):
    create, plan = reverse("programs:session-create"), reverse("programs:session-plan")
    html = _get(client_en, world["officer"]).content.decode()
    assert create in html and plan in html
    for who in ("viewer", "secretary"):
        html = _get(client_en, world[who]).content.decode()
        assert create not in html and plan not in html


def test_list_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_query_count_is_the_same_for_one_and_fifty_cells(client_en, world):
    factories.world_session(world, date=MARCH)
    client_en.force_login(world["officer"])
    params = {"committee": world["committee"].pk, "status": "planned"}
    client_en.get(URL, params)  # warm up
    with pinned_queries(14):
        response = client_en.get(URL, params)
    assert len(_listed(response)) == 1
    for _n in range(50):
        cell = factories.cell(committee=world["committee"])
        village = factories.village(commune=world["commune"])
        directive = factories.directive()
        factories.session(cell=cell, village=village, directive=directive, date=MARCH)
    client_en.force_login(world["officer"])
    with pinned_queries(14):
        response = client_en.get(URL, params)
    assert len(_listed(response)) == 50


def test_long_cell_and_village_lists_wait_for_a_committee(client, world, monkeypatch):
    from programs.forms.filters import SessionFilterForm

    monkeypatch.setattr(SessionFilterForm, "OPTION_LIMIT", 1)
    other = factories.cell(committee=world["outsider_committee"])
    client.force_login(world["admin"])
    url = reverse("programs:session-list")
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["cell"].widget.choices] == [""]
    form = client.get(url, {"committee": world["committee"].pk}).context["form"]
    offered = {value for value, _label in form.fields["cell"].widget.choices}
    assert offered == {"", world["cell"].pk, world["other_cell"].pk}
    assert other.pk not in offered
    # An id in scope is still accepted when given without a committee.
    response = client.get(url, {"cell": world["cell"].pk})
    assert response.context["form"].is_valid()

"""The month planner: preview, create all-or-nothing, idempotent re-runs, permissions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import LabourSession, SessionChange
from programs.planning import Month
from programs.services import planner
from tests import factories
from tests.queries import pinned_queries

PLAN_URL = reverse("programs:session-plan")


def _params(world, month, **extra):
    params = {
        "committee": world["committee"].pk,
        "directive": world["directive"].pk,
        "month": str(month),
        "preferred_week": 1,
        "start_time": "07:30",
        "planned_work": "Phát quang đường thôn",
    }
    params.update(extra)
    return params


def test_preview_proposes_one_weekend_day_per_cell_and_creates_nothing(client, world, next_month):
    client.force_login(world["officer"])
    response = client.get(PLAN_URL, _params(world, next_month))
    preview = response.context["preview"]
    assert [row.cell for row in preview.rows] == sorted(
        [world["cell"], world["other_cell"]], key=lambda c: c.name
    )
    for row in preview.rows:
        assert len(row.dates) == 1
        assert row.dates[0].weekday() in (5, 6)
        assert next_month.first <= row.dates[0] <= next_month.last
    assert preview.to_create == 2
    assert not LabourSession.objects.exists()


def test_confirm_creates_all_then_rerun_creates_nothing(client, world, next_month):
    client.force_login(world["officer"])
    response = client.post(PLAN_URL, _params(world, next_month))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('programs:session-calendar')}?month={next_month}"
    sessions = list(LabourSession.objects.order_by("cell__name"))
    assert len(sessions) == 2
    assert {s.village for s in sessions} == {world["village"], world["other_village"]}
    assert all(
        s.status == "planned" and s.planned_work == "Phát quang đường thôn" for s in sessions
    )
    assert all(s.created_by == world["officer"] for s in sessions)
    assert SessionChange.objects.filter(action="created").count() == 2

    again = client.post(PLAN_URL, _params(world, next_month), follow=True)
    assert LabourSession.objects.count() == 2
    assert "Nothing new to plan" in again.content.decode() or "Không có" in again.content.decode()


def test_two_sessions_a_month_gives_two_per_cell(client, world, next_month):
    directive = world["directive"]
    directive.sessions_per_month = 2
    directive.save()
    client.force_login(world["officer"])
    client.post(PLAN_URL, _params(world, next_month))
    for cell in (world["cell"], world["other_cell"]):
        dates = sorted(LabourSession.objects.filter(cell=cell).values_list("date", flat=True))
        assert len(dates) == 2
        assert dates[0].isocalendar()[1] != dates[1].isocalendar()[1]


def test_cell_override_date_and_work(client, world, next_month):
    sunday = next(d for d in next_month.days() if d.weekday() == 6 and d.day > 14)
    client.force_login(world["officer"])
    params = _params(
        world,
        next_month,
        **{
            f"date_{world['cell'].pk}": sunday.isoformat(),
            f"work_{world['cell'].pk}": "Đổ nền nhà",
        },
    )
    client.post(PLAN_URL, params)
    session = LabourSession.objects.get(cell=world["cell"])
    assert (session.date, session.planned_work) == (sunday, "Đổ nền nhà")
    assert (
        LabourSession.objects.get(cell=world["other_cell"]).planned_work == "Phát quang đường thôn"
    )


def test_override_on_weekday_is_reported_and_skipped(client, world, next_month):
    wednesday = next(d for d in next_month.days() if d.weekday() == 2)
    client.force_login(world["officer"])
    response = client.get(
        PLAN_URL, _params(world, next_month, **{f"date_{world['cell'].pk}": wednesday.isoformat()})
    )
    row = next(r for r in response.context["preview"].rows if r.cell == world["cell"])
    assert row.dates == []
    assert row.problem


def test_existing_session_counts_toward_cadence(client, world, next_month):
    saturday = next(d for d in next_month.days() if d.weekday() == 5)
    factories.world_session(world, date=saturday)
    client.force_login(world["officer"])
    client.post(PLAN_URL, _params(world, next_month))
    assert LabourSession.objects.filter(cell=world["cell"]).count() == 1
    assert LabourSession.objects.filter(cell=world["other_cell"]).count() == 1


def test_past_month_is_refused(client, world):
    past = Month.of(timezone.localdate()).previous()
    client.force_login(world["officer"])
    response = client.post(PLAN_URL, _params(world, past))
    assert response.status_code == 200
    assert "month" in response.context["form"].errors
    assert not LabourSession.objects.exists()


def test_malformed_month_is_a_form_error(client, world):
    client.force_login(world["officer"])
    response = client.get(PLAN_URL, _params(world, "2027-13"))
    assert response.status_code == 200
    assert "month" in response.context["form"].errors


def test_committee_outside_scope_is_rejected(client, world, next_month):
    client.force_login(world["officer"])
    response = client.post(
        PLAN_URL, _params(world, next_month, committee=world["outsider_committee"].pk)
    )
    assert "committee" in response.context["form"].errors
    assert not LabourSession.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "secretary", "secretary2"])
def test_read_only_users_cannot_plan(client, world, next_month, who):
    client.force_login(world[who])
    assert client.get(PLAN_URL).status_code == 403
    assert client.post(PLAN_URL, _params(world, next_month)).status_code == 403
    assert not LabourSession.objects.exists()


def test_failure_creates_nothing(world, next_month, monkeypatch):
    """A failure half-way (here: the history insert) rolls the whole plan back."""
    from django.db import IntegrityError

    def broken(*args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(SessionChange.objects, "bulk_create", broken)
    with pytest.raises(planner.PlanError):
        planner.month_plan_create(
            user=world["officer"],
            committee=world["committee"],
            directive=world["directive"],
            month=next_month,
        )
    assert not LabourSession.objects.exists()


def test_directive_not_in_force_is_refused(world, next_month):
    directive = world["directive"]
    directive.effective_until = timezone.localdate() - datetime.timedelta(days=1)
    directive.save()
    with pytest.raises(planner.PlanError):
        planner.month_plan_preview(
            committee=world["committee"], directive=directive, month=next_month
        )


def test_closed_assignment_is_not_planned(world, next_month):
    from programs.models import Assignment

    Assignment.objects.filter(cell=world["other_cell"]).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=400)
    )
    preview = planner.month_plan_preview(
        committee=world["committee"], directive=world["directive"], month=next_month
    )
    assert [row.cell for row in preview.rows] == [world["cell"]]


def test_planner_query_count_independent_of_cells(client, world, next_month):
    client.force_login(world["officer"])
    client.get(PLAN_URL, _params(world, next_month))  # warm up
    with pinned_queries(12):
        assert client.get(PLAN_URL, _params(world, next_month)).status_code == 200
    for _ in range(48):
        cell = factories.cell(committee=world["committee"])
        factories.assignment(cell=cell, directive=world["directive"])
    with pinned_queries(12):
        response = client.get(PLAN_URL, _params(world, next_month))
    assert len(response.context["preview"].rows) == 50
    with CaptureQueriesContext(connection) as many_post:
        client.post(PLAN_URL, _params(world, next_month))
    assert LabourSession.objects.count() == 50
    # Creating 50 sessions is a fixed handful of statements, not one per cell.
    assert len(many_post) < 25


def test_ids_past_a_thousand_are_written_without_separators(client, world, next_month):
    """Vietnamese number formatting writes 1521 as "1.521"; ids in names and values must not
    be formatted, or a province's cells (ids in the thousands) lose their chosen dates."""
    cell = factories.cell(pk=12345, committee=world["committee"], name="Chi bộ Kho bạc")
    factories.assignment(cell=cell, village=world["village"], directive=world["directive"])
    client.force_login(world["officer"])
    preview = client.get(PLAN_URL, _params(world, next_month)).content.decode()
    assert 'name="date_12345"' in preview
    assert "12.345" not in preview

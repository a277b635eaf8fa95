"""generate_scale_data: the counts asked for, rows that obey the rules, the same data for the
same seed, a bounded number of queries, and an officer who sees the whole province."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext

from programs.models import (
    Assignment,
    Attendance,
    Commune,
    Directive,
    Household,
    LabourSession,
    Member,
    PartyCell,
    PartyCommittee,
    Province,
    Role,
    SessionChange,
    Village,
    WorkOutput,
)
from programs.models.base import FoldedNameModel
from programs.planning import Month, public_holidays
from programs.text import fold
from sample_data.scale import PRESETS, scale_config

SMALL = ["--committees", "2", "--cells-per-committee", "3", "--members-per-cell", "4"]


def generate(*args, seed=7, months=4) -> str:
    out = StringIO()
    call_command(
        "generate_scale_data",
        *args,
        "--months",
        str(months),
        "--seed",
        str(seed),
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


def top_committee(seed=7) -> PartyCommittee:
    return PartyCommittee.objects.get(parent=None, name=f"Tỉnh ủy Mẫu {seed}")


def scale_sessions(seed=7):
    return LabourSession.objects.filter(cell__committee__parent__name=f"Tỉnh ủy Mẫu {seed}")


def digest(seed=7) -> dict[str, list]:
    """What the data says, without ids or creation times."""
    sessions = scale_sessions(seed).annotate(
        people=Count("attendances", distinct=True), works=Count("outputs", distinct=True)
    )
    return {
        "sessions": sorted(
            sessions.values_list(
                "cell__committee__name",
                "cell__name",
                "village__name",
                "date",
                "start_time",
                "status",
                "status_reason",
                "log_status",
                "log_confirmed_at",
                "unlisted_villagers",
                "people",
                "works",
            )
        ),
        "members": sorted(
            Member.objects.filter(cell__committee__parent__name=f"Tỉnh ủy Mẫu {seed}").values_list(
                "cell__committee__name", "cell__name", "full_name", "category", "level", "active"
            )
        ),
        "attendance": sorted(
            Attendance.objects.filter(session__in=scale_sessions(seed)).values_list(
                "session__cell__name", "session__date", "member__full_name", "workdays"
            )
        ),
        "outputs": sorted(
            WorkOutput.objects.filter(session__in=scale_sessions(seed)).values_list(
                "session__cell__name",
                "session__date",
                "work_type__name",
                "quantity",
                "unit",
                "household__head_name",
                "value_vnd",
                "funding_source",
            )
        ),
        "households": sorted(
            Household.objects.filter(village__commune__province__name=f"Mẫu {seed}").values_list(
                "village__commune__name", "village__name", "head_name", "status"
            )
        ),
    }


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("programs").get_models()
    }


@pytest.fixture
def small(db):
    return generate(*SMALL)


def test_small_run_creates_the_numbers_asked_for(small):
    top = top_committee()
    assert "Scale data for seed 7" in small and small.count("\n") == 1
    assert PartyCommittee.objects.filter(parent=top).count() == 2
    cells = PartyCell.objects.filter(committee__parent=top)
    assert cells.count() == 6
    assert Member.objects.filter(cell__in=cells).count() == 24
    assert Province.objects.filter(name="Mẫu 7").count() == 1
    # One open assignment per cell, to a village of the scale province, under the scale plan.
    plan = Directive.objects.get(symbol="21-KH/TU")
    assignments = Assignment.objects.filter(cell__in=cells)
    assert assignments.open().count() == 6
    assert set(assignments.values_list("cell", flat=True)) == set(
        cells.values_list("pk", flat=True)
    )
    assert not assignments.exclude(directive=plan).exists()
    assert not assignments.exclude(village__commune__province__name="Mẫu 7").exists()
    assert Role.objects.filter(kind=Role.Kind.OFFICER, committee=top).count() == 1


def test_one_session_per_cell_per_month_ending_with_next_month(small):
    sessions = scale_sessions()
    months = {Month.of(day) for day in sessions.values_list("date", flat=True)}
    this_month = Month.of(datetime.date.today())
    assert max(months) == this_month.next()
    assert len(months) == 4
    # Each cell-month: one session that stands (planned or held), or one cancelled; postponed
    # ones are replaced by a session that stands.
    per_cell_month = {}
    for cell_id, day, status in sessions.values_list("cell_id", "date", "status"):
        if status != LabourSession.Status.POSTPONED:
            key = (cell_id, Month.of(day))
            per_cell_month[key] = per_cell_month.get(key, 0) + 1
    assert len(per_cell_month) == 6 * 4
    assert set(per_cell_month.values()) == {1}
    assert not sessions.filter(date__gte=this_month.next().first).exclude(status="planned").exists()
    assert sessions.filter(log_status="confirmed").exists()
    assert not sessions.filter(log_status="confirmed", log_confirmed_at=None).exists()
    assert not sessions.filter(Q(status__in=["postponed", "cancelled"]), status_reason="").exists()
    for replacement in sessions.exclude(rescheduled_from=None).select_related("rescheduled_from"):
        assert replacement.rescheduled_from.status == LabourSession.Status.POSTPONED
        assert replacement.changes.filter(action=SessionChange.Action.RESCHEDULED).exists()


def test_sessions_fall_on_weekends_and_never_on_public_holidays(small):
    for day in scale_sessions().values_list("date", flat=True):
        assert day.weekday() in (5, 6)
        assert day not in public_holidays(Month.of(day))


def test_attendance_lists_members_of_the_sessions_cell_as_they_were(small):
    rows = Attendance.objects.filter(session__in=scale_sessions())
    assert rows.exists()
    assert not rows.exclude(member__cell=F("session__cell")).exists()
    assert not rows.exclude(session__status="held").exists()
    assert not rows.exclude(
        category=F("member__category"),
        level=F("member__level"),
        is_party_member=F("member__is_party_member"),
    ).exists()
    assert not rows.filter(Q(workdays__lt=0.5) | Q(workdays__gt=2)).exists()
    outputs = WorkOutput.objects.filter(session__in=scale_sessions())
    assert outputs.exists()
    assert not outputs.filter(quantity__lte=0).exists()
    assert (
        not outputs.exclude(household=None)
        .exclude(household__village=F("session__village"))
        .exists()
    )
    # Every logged session did 1–3 pieces of work.
    counts = scale_sessions().exclude(log_status="").annotate(n=Count("outputs"))
    assert set(counts.values_list("n", flat=True)) <= {1, 2, 3}


def test_search_names_are_filled(small):
    folded_models = [
        model
        for model in apps.get_app_config("programs").get_models()
        if issubclass(model, FoldedNameModel)
    ]
    assert Village in folded_models and Member in folded_models
    for model in folded_models:
        assert not model.objects.filter(search_name="").exists(), model
        sample = model.objects.order_by("-pk").first()
        if sample is not None:
            assert sample.search_name == fold(sample.folded_source())[:255]


def test_a_sample_of_rows_passes_full_clean(small):
    sessions = list(scale_sessions().order_by("pk"))
    samples = [
        *sessions[:: max(1, len(sessions) // 6)],
        *Attendance.objects.filter(session__in=sessions).order_by("pk")[:5],
        *WorkOutput.objects.filter(session__in=sessions).order_by("pk")[:5],
        *Member.objects.filter(cell__committee__parent=top_committee()).order_by("pk")[:3],
        *Household.objects.filter(village__commune__province__name="Mẫu 7")[:3],
        *Village.objects.filter(commune__province__name="Mẫu 7")[:3],
        *Commune.objects.filter(province__name="Mẫu 7")[:2],
        *PartyCell.objects.filter(committee__parent=top_committee())[:2],
        *PartyCommittee.objects.filter(parent=top_committee())[:2],
        *Assignment.objects.filter(cell__committee__parent=top_committee())[:2],
    ]
    for obj in samples:
        obj.full_clean()


def test_the_same_seed_gives_the_same_data(small):
    first, counts = digest(), row_counts()
    out = generate(*SMALL, "--replace")
    assert "replaced" in out
    assert digest() == first
    # Nothing is left over from the first run.
    assert row_counts() == counts


def test_another_seed_gives_other_data_beside_the_first(small):
    first, counts = digest(7), row_counts()
    generate(*SMALL, seed=8)
    assert digest(8) != first
    assert digest(8)["members"] != first["members"]
    # Seed 7 is untouched, and its --replace leaves seed 8 alone.
    assert digest(7) == first
    eight = digest(8)
    generate(*SMALL, "--replace")
    assert digest(8) == eight
    assert row_counts()["programs.LabourSession"] > counts["programs.LabourSession"]


def test_refuses_to_generate_a_seed_twice_without_replace(small):
    counts = row_counts()
    with pytest.raises(CommandError, match="already exists"):
        generate(*SMALL)
    assert row_counts() == counts


@pytest.mark.parametrize(
    "args",
    [["--months", "0"], ["--committees", "0"], ["--communes", "5", "--villages", "3"]],
)
def test_refuses_impossible_numbers(db, args):
    with pytest.raises(CommandError):
        call_command("generate_scale_data", *args, stdout=StringIO(), stderr=StringIO())


def test_refuses_months_before_the_plan_took_effect(db):
    with pytest.raises(CommandError, match="before 21-KH/TU"):
        generate(*SMALL, months=150)
    assert not PartyCommittee.objects.exists()


def test_the_officer_logs_in_with_the_given_password(db, client):
    generate(*SMALL, "--officer-username", "bench-officer", "--officer-password", "s3cret")
    role = Role.objects.get(user__username="bench-officer")
    assert (role.kind, role.committee) == (Role.Kind.OFFICER, top_committee())
    assert client.login(username="bench-officer", password="s3cret")


def test_the_province_preset_has_fifteen_hundred_cells():
    config = scale_config(preset="province", seed=1)
    assert config.cells == 1500
    assert (config.communes, config.villages) == (124, 1800)
    assert (config.members_per_cell, config.months) == (30, 36)
    assert PRESETS["province"]["committees"] == 100
    # An explicit number wins over the preset's.
    assert scale_config(preset="province", months=2).months == 2


def test_queries_do_not_grow_with_the_number_of_cells(db):
    generate(*SMALL, seed=1)  # creates the shared directives

    def queries(cells_per_committee, seed):
        args = ["--committees", "2", "--cells-per-committee", str(cells_per_committee)]
        with CaptureQueriesContext(connection) as context:
            generate(*args, "--members-per-cell", "4", seed=seed)
        return len(context.captured_queries)

    few, many = queries(3, seed=2), queries(6, seed=3)
    assert many < 1.3 * few + 5, (few, many)

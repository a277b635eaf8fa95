"""The report's figures equal totals computed independently, row by row, in the test."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest

from programs.models import LabourSession, Member
from programs.reports.figures import CATEGORY_GROUPS, build_report
from programs.reports.periods import Period, PeriodError, parse_period
from programs.reports.scopes import resolve_scope
from tests import factories
from tests.queries import pinned_queries

D = datetime.date
TODAY = D(2026, 11, 27)


def expected_figures(sessions):
    """Plain loops over the rows: what every figure must be (shared with the export tests)."""
    result = defaultdict(int)
    result["workdays"] = Decimal("0")
    outputs = defaultdict(Decimal)
    by_source = defaultdict(int)
    categories = defaultdict(int)
    levels = defaultdict(int)
    for session in sessions:
        if session.status == "held":
            result["held" if session.log_status == "confirmed" else "held_unconfirmed"] += 1
        else:
            result[session.status] += 1
        if session.status != "held" or session.log_status != "confirmed":
            continue
        result["visits"] += (
            session.unlisted_commune_cadres
            + session.unlisted_armed_forces
            + session.unlisted_villagers
        )
        for row in session.attendances.all():
            result["visits"] += 1
            result["named"] += 1
            result["workdays"] += row.workdays
            if row.is_party_member:
                result["party"] += 1
            levels[row.level] += 1
            for key, cats in CATEGORY_GROUPS:
                if row.category in cats:
                    categories[key] += 1
        for output in session.outputs.all():
            outputs[(output.work_type_id, output.unit)] += output.quantity
            if output.value_vnd is not None:
                by_source[output.funding_source] += output.value_vnd
    return result, outputs, by_source, categories, levels


@pytest.mark.parametrize(
    "params",
    [
        {"period": "year", "year": "2026"},
        {"period": "quarter", "month": "2026-02"},
        {"period": "half", "month": "2025-09"},
        {"period": "month", "month": "2026-03"},
        {"period": "custom", "from": "2025-11-15", "to": "2026-02-10"},
    ],
)
def test_figures_match_row_by_row_totals(report_dataset, params):
    dataset = report_dataset
    period = parse_period(params, TODAY)
    scope = resolve_scope(dataset["officer"], {"committee": str(dataset["committee"].pk)})
    report = build_report(scope, period, today=TODAY)
    sessions = LabourSession.objects.filter(
        date__gte=period.start, date__lte=period.end
    ).prefetch_related("attendances", "outputs")
    expected, outputs, by_source, categories, levels = expected_figures(sessions)
    # The generated rows really cover the period: nothing here is vacuously zero.
    assert expected["held"] and expected["visits"] and outputs

    totals = report.totals
    assert (
        totals.planned,
        totals.held,
        totals.held_unconfirmed,
        totals.postponed,
        totals.cancelled,
    ) == (
        expected["planned"],
        expected["held"],
        expected["held_unconfirmed"],
        expected["postponed"],
        expected["cancelled"],
    )
    assert totals.visits == expected["visits"]
    assert totals.named_visits == expected["named"]
    assert totals.party_member_visits == expected["party"]
    assert totals.workdays == expected["workdays"]
    assert {(o["work_type"].pk, o["unit"]): o["quantity"] for o in report.outputs} == dict(outputs)
    assert {code: value for code, _, value in report.value_by_source} == dict(by_source)
    assert {key: n for key, _, n, _ in report.by_category} == {
        key: categories[key] for key, _ in CATEGORY_GROUPS
    }
    assert {key: n for key, _, n, _ in report.by_level} == {
        lvl: levels[lvl] for lvl in Member.Level.values
    }
    assert sum(row.visits for row in report.cells) == expected["visits"]
    assert sum(row.visits for row in report.villages) == expected["visits"]
    assert sum(row.visits for row in report.months) == expected["visits"]
    assert sum(row.held for row in report.cells) == expected["held"]


def test_metres_are_never_added_to_square_metres(report_dataset):
    dataset = report_dataset
    report = build_report(
        resolve_scope(dataset["officer"], {}),
        parse_period({"period": "year", "year": "2026"}, TODAY),
        today=TODAY,
    )
    keys = [(o["work_type"].pk, o["unit"]) for o in report.outputs]
    assert len(keys) == len(set(keys))


def test_same_query_count_for_one_and_fifty_cells(world):
    period = parse_period({"period": "year", "year": "2026"}, TODAY)
    factories.world_session(
        world,
        date=D(2026, 3, 7),
        status="held",
        log_status="confirmed",
        log_confirmed_at=datetime.datetime(2026, 3, 8, tzinfo=datetime.UTC),
    )
    scope = resolve_scope(world["officer"], {"committee": str(world["committee"].pk)})
    with pinned_queries(14, cold=True):
        build_report(scope, period, today=TODAY)
    for n in range(49):
        cell = factories.cell(committee=world["committee"])
        village = factories.village(commune=world["commune"])
        session = factories.session(
            cell=cell,
            village=village,
            directive=world["directive"],
            date=D(2026, 1 + n % 12, 3 + n % 20),
            other_village_reason="x",
        )
        LabourSession.objects.filter(pk=session.pk).update(
            status="held",
            log_status="confirmed",
            log_confirmed_at=datetime.datetime(2026, 3, 8, tzinfo=datetime.UTC),
        )
        factories.member(cell=cell)
    scope = resolve_scope(world["officer"], {"committee": str(world["committee"].pk)})
    with pinned_queries(14, cold=True):
        report = build_report(scope, period, today=TODAY)
    assert len(report.cells) == 51


def test_session_on_new_years_eve_belongs_to_december(world):
    # 31/12/2026 is a Thursday; allow every day for this directive.
    directive = factories.directive(allowed_weekdays=127)
    factories.session(
        cell=world["cell"],
        village=world["village"],
        directive=directive,
        date=D(2026, 12, 31),
        start_time=datetime.time(23, 30),
        status="held",
        log_status="confirmed",
        log_confirmed_at=datetime.datetime(2026, 12, 31, 17, 0, tzinfo=datetime.UTC),
        other_village_reason="x",
    )
    scope = resolve_scope(world["officer"], {})
    december = build_report(scope, parse_period({"month": "2026-12"}, TODAY), today=TODAY)
    january = build_report(scope, parse_period({"month": "2027-01"}, TODAY), today=TODAY)
    assert (december.totals.held, january.totals.held) == (1, 0)
    assert (
        build_report(
            scope, parse_period({"period": "quarter", "month": "2026-12"}, TODAY), today=TODAY
        ).totals.held
        == 1
    )
    assert (
        build_report(
            scope, parse_period({"period": "year", "year": "2027"}, TODAY), today=TODAY
        ).totals.held
        == 0
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"period": "quarter", "month": "2026-05"}, (D(2026, 4, 1), D(2026, 6, 30))),
        ({"period": "half", "month": "2026-07"}, (D(2026, 7, 1), D(2026, 12, 31))),
        ({"period": "half", "month": "2026-06"}, (D(2026, 1, 1), D(2026, 6, 30))),
        ({"period": "year", "year": "2024"}, (D(2024, 1, 1), D(2024, 12, 31))),
        ({"period": "month", "month": "2024-02"}, (D(2024, 2, 1), D(2024, 2, 29))),
        ({"period": "custom", "from": "2025-03", "to": "2025-05"}, (D(2025, 3, 1), D(2025, 5, 31))),
        ({}, (D(2026, 11, 1), D(2026, 11, 30))),
    ],
)
def test_period_edges(params, expected):
    period = parse_period(params, TODAY)
    assert (period.start, period.end) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"period": "week"},
        {"month": "2026-13"},
        {"month": "abc"},
        {"period": "year", "year": "20x6"},
        {"period": "custom", "from": "2026-05", "to": "2026-01"},
        {"period": "custom", "from": "2020-01", "to": "2026-01"},
        {"period": "custom", "from": "2026-02-30", "to": "2026-03-01"},
        {"period": "custom", "from": "2026-01"},
        {"period": "custom", "from": "'; DROP TABLE x; --", "to": "2026-01"},
    ],
)
def test_bad_periods_are_explained(params):
    with pytest.raises(PeriodError) as caught:
        parse_period(params, TODAY)
    assert str(caught.value)


def test_previous_year_comparison(report_dataset):
    dataset = report_dataset
    scope = resolve_scope(dataset["officer"], {})
    report = build_report(
        scope, parse_period({"period": "year", "year": "2026"}, TODAY), today=TODAY
    )
    last_year = build_report(
        scope, Period("year", D(2025, 1, 1), D(2025, 12, 31)), today=TODAY, with_previous=False
    )
    assert report.previous.totals.held == last_year.totals.held
    assert report.previous.totals.visits == last_year.totals.visits


def test_cadence_counts_finished_months_only(world):
    """A cell with a confirmed session in every finished month meets the cadence even though
    the month under way has none yet; a cell that missed one finished month does not."""
    directive, today = world["directive"], D(2026, 11, 27)
    for day in (D(2026, 9, 5), D(2026, 10, 3)):
        factories.session(
            cell=world["cell"],
            village=world["village"],
            directive=directive,
            date=day,
            status="held",
            log_status="confirmed",
            log_confirmed_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
        )
    factories.session(
        cell=world["other_cell"],
        village=world["other_village"],
        directive=directive,
        date=D(2026, 10, 3),
        status="held",
        log_status="confirmed",
        log_confirmed_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )
    scope = resolve_scope(world["officer"], {"committee": str(world["committee"].pk)})
    report = build_report(
        scope,
        parse_period({"period": "custom", "from": "2026-09", "to": "2026-11"}, today),
        today=today,
    )
    met = {row.label: (row.months_met, row.months_counted) for row in report.cells}
    assert met == {world["cell"].name: (2, 2), world["other_cell"].name: (1, 2)}
    assert (report.cells_meeting_cadence, report.cells_counted) == (1, 2)
    assert report.cadence_rate == 50.0


def test_both_years_come_from_one_set_of_grouped_queries(
    report_dataset, django_assert_max_num_queries
):
    scope = resolve_scope(report_dataset["officer"], {})
    period = parse_period({"period": "year", "year": "2026"}, TODAY)
    with django_assert_max_num_queries(15):
        report = build_report(scope, period, today=TODAY)
    alone = build_report(scope, period.previous_year(), today=TODAY, with_previous=False)
    assert report.previous.totals == alone.totals
    assert report.previous.outputs == alone.outputs
    assert report.previous.households == alone.households
    assert [(r.label, r.held, r.visits) for r in report.previous.cells] == [
        (r.label, r.held, r.visits) for r in alone.cells
    ]


def test_a_custom_period_longer_than_a_year_still_compares(report_dataset):
    scope = resolve_scope(report_dataset["officer"], {})
    period = parse_period({"period": "custom", "from": "2025-03", "to": "2026-06"}, TODAY)
    report = build_report(scope, period, today=TODAY)
    alone = build_report(scope, period.previous_year(), today=TODAY, with_previous=False)
    assert report.previous.totals == alone.totals

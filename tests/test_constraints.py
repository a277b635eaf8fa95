"""Every data rule the database holds is a named constraint; each refuses a bad row on both
SQLite and PostgreSQL. The rows are written with ``objects.create`` / ``save`` on purpose, so
the database (not ``clean()``) is what refuses them."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from programs.models import (
    Assignment,
    Attendance,
    Directive,
    LabourSession,
    Role,
    WorkOutput,
)
from tests import factories


def _assert_refused(make_row):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_row()


@pytest.fixture
def parts(world):
    member = factories.member(cell=world["cell"])
    session = factories.world_session(world)
    return {**world, "member": member, "session": session}


def test_attendance_unique_per_session(parts):
    Attendance.objects.create(
        session=parts["session"], member=parts["member"], category="worker", level="district"
    )
    _assert_refused(
        lambda: Attendance.objects.create(
            session=parts["session"], member=parts["member"], category="worker", level="district"
        )
    )
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize("workdays", [Decimal("0"), Decimal("-1"), Decimal("3.5")])
def test_attendance_workdays_range(parts, workdays):
    _assert_refused(
        lambda: Attendance.objects.create(
            session=parts["session"],
            member=parts["member"],
            workdays=workdays,
            category="worker",
            level="district",
        )
    )
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("quantity", [Decimal("0"), Decimal("-40")])
def test_output_quantity_positive(parts, quantity):
    work_type = factories.work_type()
    _assert_refused(
        lambda: WorkOutput.objects.create(
            session=parts["session"], work_type=work_type, quantity=quantity, unit="m"
        )
    )
    assert not WorkOutput.objects.exists()


def test_output_value_needs_funding_source(parts):
    work_type = factories.work_type()
    _assert_refused(
        lambda: WorkOutput.objects.create(
            session=parts["session"],
            work_type=work_type,
            quantity=1,
            unit="m",
            value_vnd=1_500_000,
        )
    )
    WorkOutput.objects.create(
        session=parts["session"],
        work_type=work_type,
        quantity=1,
        unit="m",
        value_vnd=1_500_000,
        funding_source="villagers",
    )
    assert WorkOutput.objects.count() == 1


def test_one_open_assignment_per_cell_and_directive(world):
    cell, directive = world["cell"], world["directive"]
    _assert_refused(
        lambda: Assignment.objects.create(
            cell=cell,
            village=world["other_village"],
            directive=directive,
            starts_on=datetime.date(2024, 1, 1),
        )
    )
    # Closing the open one keeps it as history and allows a new open assignment.
    Assignment.objects.filter(cell=cell, directive=directive).update(
        ends_on=datetime.date(2023, 12, 31)
    )
    Assignment.objects.create(
        cell=cell,
        village=world["other_village"],
        directive=directive,
        starts_on=datetime.date(2024, 1, 1),
    )
    assert Assignment.objects.filter(cell=cell, directive=directive).count() == 2
    assert Assignment.objects.filter(cell=cell, directive=directive).open().count() == 1


def test_assignment_period_not_reversed(world):
    _assert_refused(
        lambda: Assignment.objects.create(
            cell=world["cell"],
            village=world["village"],
            directive=factories.directive(),
            starts_on=datetime.date(2024, 5, 1),
            ends_on=datetime.date(2024, 4, 30),
        )
    )


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("postponed", ""),
        ("cancelled", ""),
        ("planned", "rain"),
        ("held", "rain"),
    ],
)
def test_session_reason_matches_status(world, status, reason):
    _assert_refused(
        lambda: factories.world_session(
            world,
            status=status,
            status_reason=reason,
        )
    )
    assert not LabourSession.objects.exists()


def test_session_one_per_cell_per_day_ignores_cancelled(world):
    kw = {"cell": world["cell"], "village": world["village"], "directive": world["directive"]}
    factories.session(**kw, status="cancelled", status_reason="Mưa lũ")
    factories.session(**kw)
    _assert_refused(lambda: factories.session(**kw))
    assert LabourSession.objects.count() == 2


@pytest.mark.parametrize(
    "overrides",
    [
        {"sessions_per_month": 0},
        {"allowed_weekdays": 0},
        {"allowed_weekdays": 128},
        {"effective_from": datetime.date(2022, 1, 1), "effective_until": datetime.date(2021, 1, 1)},
    ],
)
def test_directive_rules(db, overrides):
    _assert_refused(lambda: factories.directive(**overrides))
    assert not Directive.objects.exists()


def test_role_target_matches_kind(world):
    user = factories.user()
    _assert_refused(lambda: Role.objects.create(user=user, kind="officer", cell=world["cell"]))
    _assert_refused(
        lambda: Role.objects.create(user=user, kind="secretary", committee=world["committee"])
    )
    _assert_refused(
        lambda: Role.objects.create(
            user=user, kind="viewer", committee=world["committee"], cell=world["cell"]
        )
    )
    assert not Role.objects.filter(user=user).exists()


def test_role_unique_per_target(world):
    _assert_refused(
        lambda: Role.objects.create(
            user=world["officer"], kind="officer", committee=world["committee"]
        )
    )


def test_cell_kind_village_needs_home_village(world):
    _assert_refused(lambda: factories.cell(committee=world["committee"], kind="village"))


def test_commune_code_reused_across_reform_but_unique_per_period(world):
    province = world["province"]
    factories.commune(
        province=province, name="Bình An cũ", code="02086", valid_until=datetime.date(2025, 6, 30)
    )
    factories.commune(
        province=province, name="Bình An mới", code="02086", valid_from=datetime.date(2025, 7, 1)
    )
    _assert_refused(
        lambda: factories.commune(
            province=province, name="Thổ Bình", code="02086", valid_from=datetime.date(2025, 7, 1)
        )
    )


def test_self_references_refused(world):
    committee = world["committee"]
    committee.parent_id = committee.pk
    _assert_refused(committee.save)

"""Check constraints validated in one query (``ChecksInOneQuery`` in programs/models/base.py):
the same errors as Django's one query per check, in one statement."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from programs.models import LabourSession, WorkOutput
from tests import factories


def _errors(validate, instance, **options) -> dict | None:
    try:
        validate(instance, **options)
    except ValidationError as error:
        return error.message_dict
    return None


def _djangos(instance, **options):
    return models.Model.validate_constraints(instance, **options)


def _ours(instance, **options):
    return instance.validate_constraints(**options)


@pytest.fixture
def broken_session(session):
    """A planned session with a reason (a postponed one's) and a confirmed log without a time:
    it breaks its three checks."""
    session.status_reason = "Mưa lớn"
    session.log_status = LabourSession.LogStatus.CONFIRMED
    session.log_confirmed_at = None
    return session


def test_the_errors_are_djangos_in_djangos_order(broken_session):
    ours = _errors(_ours, broken_session)
    assert ours == _errors(_djangos, broken_session)
    assert len(ours["__all__"]) == 3


def test_the_checks_are_one_query(broken_session):
    with CaptureQueriesContext(connection) as queries:
        _errors(_ours, broken_session)
    checks = [q["sql"] for q in queries if "_check_" in q["sql"]]
    assert len(checks) == 1
    assert checks[0].count("_check_") == 3  # the session's three checks, one column each
    # Django asks each of the three checks in a savepoint of its own; the unique constraints
    # ask as in Django.
    with CaptureQueriesContext(connection) as djangos:
        _errors(_djangos, broken_session)
    assert len(queries) == len(djangos) - 2 * 3


def test_a_valid_row_passes(world, session):
    assert _errors(_ours, session) is None
    output = WorkOutput(
        session=session, work_type=factories.work_type(), quantity=Decimal("40"), unit="m"
    )
    assert _errors(_ours, output) is None


def test_a_check_naming_a_field_left_out_is_skipped_as_django_skips_it(broken_session):
    # Only the confirmed log's time check names log_confirmed_at: the other two still fail.
    ours = _errors(_ours, broken_session, exclude={"log_confirmed_at"})
    assert ours == _errors(_djangos, broken_session, exclude={"log_confirmed_at"})
    assert len(ours["__all__"]) == 2
    assert _errors(_ours, broken_session, exclude={"log_confirmed_at", "status"}) is None


def test_each_output_check_gives_its_own_message(session):
    output = WorkOutput(
        session=session,
        work_type=factories.work_type(),
        quantity=Decimal("0"),
        unit="m",
        value_vnd=1_000_000,
        funding_source="",
    )
    with translation.override("en"):
        ours = _errors(_ours, output)
        assert ours == _errors(_djangos, output)
    assert "The quantity must be greater than zero." in ours["__all__"]
    assert len(ours["__all__"]) == 2


def test_a_database_error_falls_back_to_one_query_per_check(broken_session):
    real = SQLCompiler.execute_sql
    calls = []

    def failing_first(compiler, *args, **kwargs):
        calls.append(compiler)
        if len(calls) == 1:
            raise DatabaseError("as if the combined query failed")
        return real(compiler, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "execute_sql", failing_first):
        ours = _errors(_ours, broken_session)
    failed = len(calls)
    with mock.patch.object(SQLCompiler, "execute_sql", failing_first):
        djangos = _errors(_djangos, broken_session)
    assert ours == djangos
    assert failed == 1 + (len(calls) - failed)  # the combined query, then Django's queries


def test_full_clean_uses_it(broken_session):
    broken_session.date = datetime.date(2026, 3, 7)
    with (
        translation.override("en"),
        CaptureQueriesContext(connection) as queries,
        pytest.raises(ValidationError) as raised,
    ):
        broken_session.full_clean()
    assert sum("_check_" in q["sql"] for q in queries) == 1
    messages = raised.value.messages
    assert "Only a session that was held can have a submitted or confirmed log." in messages

"""The PostgreSQL backend of the test suite (civic_labour/test_postgresql) drops a test database
that a connection still holds, as a live server's kept connections may at the end of a run."""

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL refuses to drop a database in use"
    ),
    pytest.mark.django_db,
]


def _exists(name) -> bool:
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def test_a_test_database_still_connected_to_is_dropped():
    name = f"{connection.settings_dict['NAME']}_held"
    quoted = connection.ops.quote_name(name)
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    held = psycopg.connect(**{**connection.get_connection_params(), "dbname": name})
    try:
        assert _exists(name)
        connection.creation._destroy_test_db(name, verbosity=0)
        assert not _exists(name)
    finally:
        held.close()

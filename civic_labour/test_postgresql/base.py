"""PostgreSQL for the test suite (civic_labour/test_settings.py): Django's backend, except that
the flush ending each transactional test deletes the rows instead of truncating the tables.

TRUNCATE gives each of the 48 tables and their indexes new files, which took 0.3-0.8 s a flush
(against 0.02 s for the DELETEs) with some forty browser and concurrency tests flushing. The
DELETEs run with ``session_replication_role = replica`` for their transaction only, so that no
trigger fires (the roll-up triggers would write rows again, and the foreign keys' triggers
would want an order); only a superuser may set it, so for anyone else, and to reset
sequences, the flush stays Django's TRUNCATE.

The live server's request threads keep their database connections between requests
(CONN_MAX_AGE), and a thread whose browser still holds its socket open at the end of the run
would still hold one; Django's DROP DATABASE would then fail ("being accessed by other
users"). The test database is dropped WITH (FORCE), which ends those connections first
(PostgreSQL 13 and later; Django 5.2 needs 14)."""

from django.db.backends.postgresql import base, creation, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or not self._may_skip_triggers():
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # SET LOCAL: the flush runs in a transaction of its own (execute_sql_flush).
        return [
            "SET LOCAL session_replication_role = replica;",
            *(f"DELETE FROM {self.quote_name(table)};" for table in tables),
        ]

    def _may_skip_triggers(self) -> bool:
        if not hasattr(self.connection, "_civic_is_superuser"):
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                row = cursor.fetchone()
            self.connection._civic_is_superuser = bool(row and row[0])
        return self.connection._civic_is_superuser


class DatabaseCreation(creation.DatabaseCreation):
    def _destroy_test_db(self, test_database_name, verbosity):
        with self._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE {self._quote_name(test_database_name)} WITH (FORCE)")


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    creation_class = DatabaseCreation

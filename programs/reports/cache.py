"""Finished reports kept in the cache until the data they are read from changes.

A province's year report sums ~20,000 monthly roll-ups and ~40,000 grouped session rows: about
a second of work that leaders ask for again and again (the page, its next table page, the
print page, the spreadsheet) while the logs behind it change a few times a day. So a built
``Report`` is kept in the cache (the database cache table: shared by every worker process and
every server) under a key made of what it was built from — the scope's filters, the period,
the directive, the day (the cadence of the month under way depends on it), the language of
its labels — and of the **data version**.

The data version is made of one random token per database connection (``DataVersion``). The
first statement of a transaction that writes to a table a report reads (``REPORT_TABLES``)
replaces its connection's token, in that transaction: a reader sees the new version exactly
when it sees the write, a rolled-back write takes its token back with it, and writers never
wait for each other on a shared row. Every write Django sends is seen, whatever the path — a
service, the admin site, an import, a migration's data step, ``flush`` — because the check sits
on the database connection (``watch_writes``), not on models or services. The version is read
before the report's own snapshot, so a report can only be newer than the version it is kept
under, never older. Writes that do not go through Django (psql by hand, a restored dump) are
not seen: cached reports also expire after ``REPORT_CACHE_SECONDS``, and ``migrate`` starts a
new version. Keys also carry a digest of the code and templates (``code_version``): a new
release never reads back objects or HTML an older one stored.

Issued reports never come from here: issuing freezes what the page showed, and the register
keeps it (``issued``).
"""

import datetime
import functools
import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

VERSION_TABLE = "programs_dataversion"

# The tables a report, the compliance grid or the dashboard reads. A model added to the domain
# app is in this list or in ``OTHER_TABLES`` (a test checks): a table left out would let a
# cached report go stale.
REPORT_TABLES = frozenset(
    {
        "programs_directive",
        "programs_province",
        "programs_district",
        "programs_commune",
        "programs_village",
        "programs_villagename",
        "programs_household",
        "programs_partycommittee",
        "programs_partycell",
        "programs_member",
        "programs_role",
        "programs_assignment",
        "programs_laboursession",
        "programs_attendance",
        "programs_worktype",
        "programs_workoutput",
        "programs_villageropinion",
        "programs_cellmonthrollup",
        "programs_rollupdirty",
    }
)
# Written without changing any figure: history, notifications, settings, drafts, photos.
OTHER_TABLES = frozenset(
    {
        "programs_demorecord",
        "programs_calendarfeed",
        "programs_photo",
        "programs_sessionchange",
        "programs_formsubmission",
        "programs_newsdraft",
        "programs_notification",
        "programs_notificationpreference",
        "programs_userprofile",
        "programs_notificationrules",
        "programs_pushsubscription",
        "programs_reportsettings",
        "programs_reporttext",
        "programs_issuedreport",
        "programs_dataversion",
    }
)

# The statements that change rows, and the table they name first (quoted by Django).
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)"?',
    re.IGNORECASE,
)


def writes_report_table(sql: str) -> bool:
    """Whether ``sql`` writes to a table reports read (a ``TRUNCATE`` of several counts when
    any of them is)."""
    match = _WRITE.match(sql)
    if match is None:
        return False
    if match.group(1).lower() in REPORT_TABLES:
        return True
    if sql.lstrip()[:8].upper() == "TRUNCATE":
        return any(table in sql for table in REPORT_TABLES)
    return False


def erases_versions(sql: str) -> bool:
    """Whether ``sql`` deletes or truncates the data versions (a ``flush``)."""
    head = sql.lstrip()[:11].upper()
    return head.startswith(("DELETE", "TRUNCATE")) and VERSION_TABLE in sql


def data_version() -> str:
    """The current data version (every connection's token); read it before building what is
    cached under it, outside the snapshot the building reads. Read once per request (a
    request's own writes read it again): the pieces of one page share one version."""
    from programs.models import DataVersion

    watcher = _watcher(connections[DEFAULT_DB_ALIAS])
    if watcher is not None and watcher.version is not None:
        return watcher.version
    rows = DataVersion.objects.order_by("connection_key").values_list("connection_key", "token")
    version = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    if watcher is not None:
        watcher.read_since_replaced = True
        if watcher.in_request:
            watcher.version = version
    return version


class _WriteWatcher:
    """A connection's execute wrapper: the first statement of a transaction that writes to a
    report table replaces the connection's token in ``DataVersion``, in the same transaction —
    the new version is seen exactly when the write is, and is undone with it. Once per
    transaction, unless the version was read since or a rolled-back savepoint took the
    replacement back (a marker in the connection's commit hooks tells)."""

    def __init__(self, connection):
        self.connection = connection
        self.connection_key = uuid.uuid4().hex
        self.table_ready = False
        self.pruned = False
        # The version read during the current request (``data_version``), if any.
        self.in_request = False
        self.version = None
        self.read_since_replaced = False
        # The commit hook of the latest replacement (``_replaced``).
        self.marker = None
        # Set while the watcher runs its own statements.
        self.busy = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if self.busy or not isinstance(sql, str):
            return result
        if erases_versions(sql):
            # The versions emptied (``flush``): an empty table is how the database began, a
            # version that may already key cached pages. A token of ours sets it apart.
            self.version = None
            self.replace_token()
        elif writes_report_table(sql):
            self.version = None
            # Again after a read of the version in this transaction: what this connection
            # reads next must not match what it cached before its own write.
            if self.read_since_replaced or not self._replaced():
                self.replace_token()
        return result

    def _replaced(self) -> bool:
        """Whether this transaction's latest replacement of the token still holds: its marker
        is still among the commit hooks, which a rolled-back savepoint drops with it."""
        connection = self.connection
        if not connection.in_atomic_block or self.marker is None:
            return False
        return any(func is self.marker for _ids, func, _robust in connection.run_on_commit)

    def replace_token(self) -> None:
        connection = self.connection
        if not self._table_ready():
            return  # migrating, before the table exists: nothing can have been cached
        token = uuid.uuid4().hex
        self.busy = True  # our own statements are not watched
        try:
            with connection.cursor() as cursor:
                # An upsert both databases understand; the row is this connection's alone.
                cursor.execute(
                    f"INSERT INTO {VERSION_TABLE} (connection_key, token, changed_at) "
                    "VALUES (%s, %s, %s) ON CONFLICT (connection_key) "
                    "DO UPDATE SET token = excluded.token, changed_at = excluded.changed_at",
                    [self.connection_key, token, timezone.now()],
                )
                if not self.pruned:
                    # Rows of connections gone for a week: dropping one changes the version.
                    self.pruned = True
                    cursor.execute(
                        f"DELETE FROM {VERSION_TABLE} WHERE changed_at < %s",
                        [timezone.now() - datetime.timedelta(days=7)],
                    )
        finally:
            self.busy = False
        self.read_since_replaced = False
        if connection.in_atomic_block:
            # Run at commit, it does nothing: its presence in the hooks is what counts.
            self.marker = lambda: None
            transaction.on_commit(self.marker, using=connection.alias)

    def _table_ready(self) -> bool:
        if not self.table_ready:
            self.table_ready = VERSION_TABLE in self.connection.introspection.table_names()
        return self.table_ready


def forget_cached(using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """``post_migrate``: a new data version, so reports cached by the code before a
    deployment (whose objects may differ) are not read back by the new code."""
    watcher = _watcher(connections[using])
    if watcher is not None:
        watcher.replace_token()


def request_edge(**kwargs) -> None:
    """``request_started`` and ``request_finished``: the version read by the request before
    is forgotten; only inside a request is it kept."""
    from django.core.signals import request_started

    watcher = _watcher(connections[DEFAULT_DB_ALIAS])
    if watcher is not None:
        watcher.version = None
        watcher.in_request = kwargs.get("signal") is request_started


def _watcher(connection):
    return next((w for w in connection.execute_wrappers if isinstance(w, _WriteWatcher)), None)


def watch_writes(sender=None, connection=None, **kwargs) -> None:
    """``connection_created``: watch the new connection's writes (once per connection
    object, which reconnects keep)."""
    if connection is None or connection.alias != DEFAULT_DB_ALIAS:
        return
    if _watcher(connection) is None:
        connection.execute_wrappers.append(_WriteWatcher(connection))


@functools.cache
def code_version() -> str:
    """A digest of the code and templates that build and render what is cached: a new release
    never reads back what an older one stored (its objects and HTML may differ), even if it is
    deployed without ``migrate``."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for path in sorted([*root.glob("programs/**/*.py"), *root.glob("templates/**/*.html")]):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(kind: str, *parts) -> str:
    """A cache key for ``kind`` built from ``parts`` (their reprs), the data version and the
    active language."""
    text = repr((code_version(), data_version(), translation.get_language(), parts))
    return f"reports:{kind}:{hashlib.sha256(text.encode()).hexdigest()}"


def cached(kind: str, parts: tuple, build):
    """The value cached under ``kind`` and ``parts``, or ``build()`` kept for next time."""
    seconds = settings.REPORT_CACHE_SECONDS
    if seconds <= 0:  # the cache turned off
        return build()
    cache_key = key(kind, *parts)
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, timeout=seconds)
    return value


def html(kind: str, parts: tuple, render) -> str:
    """HTML rendered by ``render()`` for ``parts``, kept while the data is unchanged."""
    # Safe: HTML our templates rendered, escaped as they rendered it.
    return mark_safe(cached(kind, parts, render))


def _sql(queryset) -> tuple:
    """A queryset's SQL and parameters: what a filter selects, written out in full."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that can select nothing, as Q(pk__in=[])
        return ("EMPTY",)
    return sql, tuple(map(repr, params))


def sql_of(*querysets) -> tuple:
    """The SQL of each queryset, as a part of a key: what they select, written out in full."""
    return tuple(_sql(queryset) for queryset in querysets)


@dataclass
class ReportQuery:
    """What a report is asked for — scope, period, directive, on ``today`` — and its report and
    pages, from the cache while the data is unchanged. The scope is keyed by the SQL of its
    filters, so two users whose scopes select the same rows share a report, and any difference
    in what they may see tells them apart."""

    scope: object
    period: object
    directive: object | None
    today: datetime.date

    def _parts(self) -> tuple:
        from programs.models import CellMonthRollup, LabourSession, PartyCell

        scope = self.scope
        rollups = scope.rollup_filter
        return (
            scope.kind,
            getattr(scope.obj, "pk", None),
            scope.label,
            getattr(scope.committee, "pk", None),
            _sql(LabourSession.objects.filter(scope.session_filter)),
            _sql(PartyCell.objects.filter(scope.listed_cells)),
            None if rollups is None else _sql(CellMonthRollup.objects.filter(rollups)),
            sorted((pk, sorted(tree)) for pk, tree in scope.subordinates.items()),
            self.period,
            getattr(self.directive, "pk", None),
            self.today,
        )

    def report(self):
        """``figures.build_report`` for this query (in the active language)."""
        from .figures import build_report

        return cached(
            "report",
            self._parts(),
            lambda: build_report(self.scope, self.period, self.directive, today=self.today),
        )

    def page(self, kind: str, parts: tuple, render) -> str:
        """HTML made from this query's report and ``parts`` (the query string, the links the
        user may follow): ``render()``, kept while the data is unchanged."""
        return html(kind, (self._parts(), parts), render)

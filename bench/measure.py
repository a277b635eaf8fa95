"""In-process measurements for ``make bench`` (run by bench/run.py, not by hand as a rule).

With the bench database in ``DATABASE_URL`` and ``DJANGO_SETTINGS_MODULE`` set, this script:

- picks the pages to load-test: a typical held session with a confirmed log, attendance and
  outputs; a session the province officer may still log; the year report of this year;
- counts each page's SQL queries (``CaptureQueriesContext`` around a ``django.test.Client``
  GET, logged in with ``force_login``) and its response size, after one warm-up GET;
- times ``build_report`` for the top committee and this year (with the previous year, as the
  page builds it) against hand-written SQL computing the same figures, median of N runs each,
  and checks that both give the same figures;
- counts the rows of the main tables.

It writes everything as JSON to ``--output``. Usage::

    DATABASE_URL=postgres://… DJANGO_SETTINGS_MODULE=civic_labour.settings \\
        .venv/bin/python bench/measure.py --output /tmp/measure.json
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The pages, in the order they are load-tested, with the share of /healthz's throughput each
# should reach (None for the reference itself).
PAGE_TARGETS = {
    "healthz": None,
    "dashboard": 0.10,
    "calendar": 0.10,
    "session list": 0.10,
    "session page": 0.30,
    "log form": 0.30,
    "compliance grid": 0.10,
    "year report": 0.10,
}


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_labour.settings")
    import django

    django.setup()


# --- Picking the pages -----------------------------------------------------------------------


def pick_sessions(officer, today):
    """(typical confirmed session id, loggable session id) among what ``officer`` may see."""
    from django.db.models import Count, Q

    from programs import permissions
    from programs.models import LabourSession

    Status, LogStatus = LabourSession.Status, LabourSession.LogStatus
    visible = permissions.sessions_visible_to(officer)
    # A typical confirmed session: of the last three months' confirmed sessions with work done,
    # the one with the median number of named participants.
    recent = list(
        visible.filter(
            status=Status.HELD,
            log_status=LogStatus.CONFIRMED,
            date__gte=today - datetime.timedelta(days=92),
            date__lt=today,
        )
        .annotate(
            people=Count("attendances", distinct=True),
            works=Count("outputs", distinct=True),
        )
        .filter(people__gt=0, works__gt=0)
        .order_by("people", "-date", "pk")
        .values_list("pk", flat=True)
    )
    if not recent:
        raise SystemExit("no confirmed session with attendance and outputs in the last 3 months")
    detail = recent[len(recent) // 2]
    # A session the officer may log: a held one with an open log (draft first, then returned,
    # then submitted), else a planned one whose day has passed; the most recent one.
    log = None
    for wanted in (
        Q(status=Status.HELD, log_status=LogStatus.DRAFT),
        Q(status=Status.HELD, log_status=LogStatus.RETURNED),
        Q(status=Status.HELD, log_status=LogStatus.SUBMITTED),
        Q(status=Status.PLANNED, date__lt=today),
    ):
        for session in visible.filter(wanted).select_related("cell").order_by("-date", "pk")[:20]:
            if session.can_be_logged and permissions.can_log_session(officer, session):
                log = session.pk
                break
        if log:
            break
    if log is None:
        raise SystemExit("no session the officer may log")
    return detail, log


def page_paths(detail_id: int, log_id: int, today: datetime.date) -> dict[str, str]:
    return {
        "healthz": "/healthz",
        "dashboard": "/",
        "calendar": "/sessions/calendar/",
        "session list": "/sessions/",
        "session page": f"/sessions/{detail_id}/",
        "log form": f"/sessions/{log_id}/log/",
        "compliance grid": "/compliance/",
        "year report": f"/reports/?period=year&year={today.year}",
    }


def measure_pages(officer, paths: dict[str, str], repeat: int) -> dict:
    """Queries, response bytes, status and in-process time of each page for ``officer``."""
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    client.force_login(officer)
    results = {}
    for name, path in paths.items():
        client.get(path)  # warm-up: connection, caches, templates
        # Each request starts by clearing the query log (request_started → reset_queries), so
        # the context must start from an empty log to see the request's queries.
        reset_queries()
        with CaptureQueriesContext(connection) as context:
            response = client.get(path)
        queries = list(context.captured_queries)  # read now: the next request clears the log
        times = []
        for _run in range(repeat):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        # The same request with the cache emptied first: what the first reader after a change
        # waits for (reports, grids and calendar months are kept until the data changes).
        cold = []
        for _run in range(repeat):
            cache.clear()
            started = time.perf_counter()
            client.get(path)
            cold.append(time.perf_counter() - started)
        results[name] = {
            "path": path,
            "status": response.status_code,
            "queries": len(queries),
            "bytes": len(response.content),
            "inprocess_ms": round(1000 * statistics.median(times), 1),
            "cold_ms": round(1000 * statistics.median(cold), 1),
            "slowest_queries": sorted(
                ({"ms": round(1000 * float(q["time"]), 1), "sql": q["sql"][:300]} for q in queries),
                key=lambda q: -q["ms"],
            )[:3],
        }
    return results


# --- The year report: build_report against hand-written SQL ----------------------------------

# One statement each for sessions, attendance, outputs and names, both periods at once (``p``:
# 0 for the period, 1 for the same period a year earlier). GROUPING SETS read the attendance
# and the outputs once for all their groupings.
_PERIODS = """
    (s.date BETWEEN %(cur_start)s AND %(cur_end)s OR s.date BETWEEN %(prev_start)s AND %(prev_end)s)
"""


# The former name a village bore on a session's date (NULL: today's name): the report gives a
# village a row for each name and commune it had (programs/reports/places.py).
def _place(village: str, day: str = "s.date") -> str:
    return f"""(
        SELECT n.id FROM programs_villagename n
        WHERE n.village_id = {village} AND (n.valid_from IS NULL OR n.valid_from <= {day})
          AND n.valid_until >= {day}
        ORDER BY n.valid_from LIMIT 1
    )"""


_IN_SCOPE = "s.cell_id IN (SELECT id FROM programs_partycell WHERE committee_id = ANY(%(ids)s))"
_CONFIRMED = f"""
    confirmed AS (
        SELECT s.id, CASE WHEN s.date >= %(cur_start)s THEN 0 ELSE 1 END AS p,
               s.cell_id, s.village_id, {_place("s.village_id")} AS place, s.date,
               EXTRACT(YEAR FROM s.date)::int AS y, EXTRACT(MONTH FROM s.date)::int AS m
        FROM programs_laboursession s
        WHERE {_IN_SCOPE} AND {_PERIODS} AND s.status = 'held' AND s.log_status = 'confirmed'
    )
"""
SESSIONS_SQL = f"""
    SELECT CASE WHEN s.date >= %(cur_start)s THEN 0 ELSE 1 END AS p, s.cell_id, s.village_id,
           {_place("s.village_id")} AS place,
           EXTRACT(YEAR FROM s.date)::int AS y, EXTRACT(MONTH FROM s.date)::int AS m,
           s.status, s.log_status, count(*),
           sum(s.unlisted_commune_cadres), sum(s.unlisted_armed_forces),
           sum(s.unlisted_villagers)
    FROM programs_laboursession s
    WHERE {_IN_SCOPE} AND {_PERIODS}
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
"""
ATTENDANCE_SQL = f"""
    WITH {_CONFIRMED}
    SELECT GROUPING(a.category) AS by_place, c.p, a.category, a.level, a.is_party_member,
           c.cell_id, c.village_id, c.place, c.y, c.m, count(*), sum(a.workdays)
    FROM programs_attendance a JOIN confirmed c ON c.id = a.session_id
    GROUP BY GROUPING SETS (
        (c.p, a.category, a.level, a.is_party_member),
        (c.p, c.cell_id, c.village_id, c.place, c.y, c.m)
    )
"""
OUTPUTS_SQL = f"""
    WITH {_CONFIRMED}
    SELECT CASE WHEN GROUPING(o.work_type_id) = 0 THEN 'type'
                WHEN GROUPING(o.funding_source) = 0 THEN 'source' ELSE 'household' END,
           c.p, o.work_type_id, o.unit, o.funding_source,
           o.household_id, h.head_name, h.status, h.village_id,
           {_place("h.village_id", "c.date")} AS household_place,
           count(*), sum(o.quantity), sum(o.value_vnd), count(o.value_vnd)
    FROM programs_workoutput o JOIN confirmed c ON c.id = o.session_id
    LEFT JOIN programs_household h ON h.id = o.household_id
    GROUP BY GROUPING SETS (
        (c.p, o.work_type_id, o.unit), (c.p, o.funding_source),
        (c.p, o.household_id, h.head_name, h.status, h.village_id, household_place)
    )
"""
CELLS_SQL = """
    SELECT id, name, active FROM programs_partycell
    WHERE committee_id = ANY(%(ids)s) OR id = ANY(%(cells)s)
"""
# What each cell's assignments obliged it to: the days both the assignment and its directive
# were in force (NULL: open-ended), and the sessions per month.
ASSIGNMENTS_SQL = """
    SELECT a.cell_id, GREATEST(a.starts_on, d.effective_from),
           LEAST(a.ends_on, d.effective_until), d.sessions_per_month
    FROM programs_assignment a JOIN programs_directive d ON d.id = a.directive_id
    WHERE a.cell_id = ANY(%(cells)s)
"""
# Each village under each name and commune it bore (NULL: today's), with the commune's district
# while it had one: the label of a row of the per-village table, "thôn X, xã Y, huyện Z".
VILLAGES_SQL = """
    SELECT v.id, NULL::bigint, v.kind, v.name, c.kind, c.name, d.kind, d.name
    FROM programs_village v JOIN programs_commune c ON c.id = v.commune_id
    LEFT JOIN programs_district d ON d.id = c.district_id
    WHERE v.id = ANY(%(villages)s)
    UNION ALL
    SELECT v.id, n.id, v.kind, n.name, c.kind, c.name, d.kind, d.name
    FROM programs_villagename n JOIN programs_village v ON v.id = n.village_id
    JOIN programs_commune c ON c.id = n.commune_id
    LEFT JOIN programs_district d ON d.id = c.district_id
    WHERE v.id = ANY(%(villages)s)
"""


def _whole_month_required(spans, year: int, month: int) -> int:
    """The sessions a cell owed in a month its spans cover day after day, else 0 (not judged)."""
    first = datetime.date(year, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    overlapping = sorted(s for s in spans if s[0] <= last and (s[1] is None or s[1] >= first))
    day = first
    for start, end, _per_month in overlapping:
        if start > day:
            return 0
        if end is None or end >= last:
            return max(per_month for _s, _e, per_month in overlapping)
        day = max(day, end + datetime.timedelta(days=1))
    return 0


def _row():
    return {
        "planned": 0,
        "held": 0,
        "held_unconfirmed": 0,
        "postponed": 0,
        "cancelled": 0,
        "visits": 0,
        "workdays": Decimal(0),
    }


# Long: the independent check of build_report is meant to read as one piece of SQL and its
# sums, with nothing shared with the code it checks.
def hand_report(committee_ids, period, previous, *, today) -> dict:  # noqa: C901
    """The report's figures for ``period`` and ``previous`` from five SQL statements, from the
    raw rows (not the monthly roll-ups the report reads), villages split by the name and
    commune they bore on the session's date as the report splits them, summed in Python into
    the shape ``report_summary`` gives a ``Report``: {0: figures, 1: figures}."""
    from django.db import connection

    from programs.models import Commune, District, Village

    params = {
        "ids": list(committee_ids),
        "cur_start": period.start,
        "cur_end": period.end,
        "prev_start": previous.start,
        "prev_end": previous.end,
    }
    figures = {}
    for p, per in ((0, period), (1, previous)):
        figures[p] = {
            "totals": defaultdict(int),
            "by_category": defaultdict(lambda: [0, Decimal(0)]),
            "by_level": defaultdict(lambda: [0, Decimal(0)]),
            "outputs": {},
            "value_by_source": {},
            "households": [],
            "cells": defaultdict(_row),
            "villages": defaultdict(_row),
            "months": {(m.year, m.month): _row() for m in per.months},
            "held_by_cell_month": defaultdict(int),
            # Year periods are whole months: those over by today are judged.
            "counted_months": [(m.year, m.month) for m in per.months if m.last < today],
        }
    with connection.cursor() as cursor:
        cursor.execute(SESSIONS_SQL, params)
        for (
            p,
            cell,
            village,
            place,
            y,
            m,
            status,
            log_status,
            n,
            cadres,
            armed,
            villagers,
        ) in cursor:
            f = figures[p]
            village = (village, place)
            if status == "held":
                field = "held" if log_status == "confirmed" else "held_unconfirmed"
            else:
                field = status
            targets = (f["totals"], f["cells"][cell], f["villages"][village], f["months"][(y, m)])
            for target in targets:
                target[field] += n
            if field == "held":
                f["held_by_cell_month"][(cell, (y, m))] += n
                f["totals"]["unlisted_commune_cadres"] += cadres
                f["totals"]["unlisted_armed_forces"] += armed
                f["totals"]["unlisted_villagers"] += villagers
                for target in targets[1:]:
                    target["visits"] += cadres + armed + villagers
        cursor.execute(ATTENDANCE_SQL, params)
        for by_place, p, cat, level, party, cell, village, place, y, m, n, workdays in cursor:
            f = figures[p]
            if by_place:
                rows = (f["cells"][cell], f["villages"][(village, place)], f["months"][(y, m)])
                for target in rows:
                    target["visits"] += n
                    target["workdays"] += workdays
                continue
            f["totals"]["named_visits"] += n
            f["totals"]["workdays"] += workdays
            group = CATEGORY_OF[cat]
            f["by_category"][group][0] += n
            f["by_category"][group][1] += workdays
            f["by_level"][level][0] += n
            f["by_level"][level][1] += workdays
            if party:
                f["totals"]["party_member_visits"] += n
        cursor.execute(OUTPUTS_SQL, params)
        for kind, p, wt, unit, source, hh, head, status, hv, hp, n, qty, value, valued in cursor:
            f = figures[p]
            if kind == "type":
                f["outputs"][(wt, unit)] = (qty, n, value or 0)
            elif kind == "source":
                if valued:
                    f["value_by_source"][source] = value or 0
            elif hh is not None:
                f["households"].append(((hv, hp), head, status, n, value or 0))
        cell_ids = sorted({c for f in figures.values() for c in f["cells"]})
        cursor.execute(CELLS_SQL, {**params, "cells": cell_ids})
        cells = {pk: (name, active) for pk, name, active in cursor}
        cursor.execute(ASSIGNMENTS_SQL, {"cells": sorted(cells)})
        spans = defaultdict(list)
        for cell, start, end, per_month in cursor:
            spans[cell].append((start, end, per_month))
        village_ids = {v for f in figures.values() for v, _place in f["villages"]}
        village_ids |= {h[0][0] for f in figures.values() for h in f["households"]}
        cursor.execute(VILLAGES_SQL, {**params, "villages": sorted(village_ids)})
        village_words = {str(k): w for k, w in Village.KIND_WORDS.items()}
        commune_words = {str(k): w for k, w in Commune.KIND_WORDS.items()}
        district_words = {str(k): w for k, w in District.KIND_WORDS.items()}
        labels = {}
        for pk, place, kind, name, ckind, cname, dkind, dname in cursor:
            label = f"{village_words.get(kind, kind)} {name}, {commune_words[ckind]} {cname}"
            if dname is not None:
                label += f", {district_words[dkind]} {dname}"
            labels[(pk, place)] = label
    for f in figures.values():
        for pk, (_name, active) in cells.items():
            if active:  # listed cells get a row even without sessions
                _ = f["cells"][pk]
        for key in f["villages"]:
            f["villages"][key]["label"] = labels.get(key, str(key))
        f["households"] = [(labels[place], *rest) for place, *rest in f["households"]]
        counted = [pk for pk in f["cells"] if pk in cells and cells[pk][1]]
        # A cell is judged on the months its assignments cover whole (issue 12).
        meeting = judged_cells = 0
        for pk in counted:
            owed = [(mo, _whole_month_required(spans[pk], *mo)) for mo in f["counted_months"]]
            owed = [(mo, required) for mo, required in owed if required]
            if owed:
                judged_cells += 1
                meeting += all(
                    f["held_by_cell_month"][(pk, mo)] >= max(required, 1) for mo, required in owed
                )
        f["cells_meeting_cadence"] = meeting
        f["cells_counted"] = judged_cells
        f["villages_with_sessions"] = sum(1 for row in f["villages"].values() if row["held"])
    return figures


CATEGORY_OF: dict[str, str] = {}


def _category_groups():
    from programs.reports.figures import CATEGORY_GROUPS

    for key, categories in CATEGORY_GROUPS:
        for category in categories:
            CATEGORY_OF[str(category)] = key


_ROW_FIELDS = ("planned", "held", "held_unconfirmed", "postponed", "cancelled", "visits")


def summary_of_report(report) -> dict:
    """The figures of a ``Report`` as plain, comparable values."""
    t = report.totals
    return {
        "totals": {
            "planned": t.planned,
            "held": t.held,
            "held_unconfirmed": t.held_unconfirmed,
            "postponed": t.postponed,
            "cancelled": t.cancelled,
            "named_visits": t.named_visits,
            "party_member_visits": t.party_member_visits,
            "unlisted": (t.unlisted_commune_cadres, t.unlisted_armed_forces, t.unlisted_villagers),
            "workdays": t.workdays,
        },
        "by_category": {k: (n, w) for k, _label, n, w in report.by_category if n},
        "by_level": {k: (n, w) for k, _label, n, w in report.by_level if n},
        "outputs": {
            (o["work_type"].pk, o["unit"]): (o["quantity"], o["count"], o["value"])
            for o in report.outputs
        },
        "value_by_source": {code: value for code, _label, value in report.value_by_source},
        "households": sorted(
            (h["village"], h["name"], h["status"], h["outputs"], h["value"])
            for h in report.households
        ),
        "cells": {r.key: (*(getattr(r, f) for f in _ROW_FIELDS), r.workdays) for r in report.cells},
        "villages": {
            r.key: (*(getattr(r, f) for f in _ROW_FIELDS), r.workdays, r.label)
            for r in report.villages
        },
        "months": {
            (r.key.year, r.key.month): (*(getattr(r, f) for f in _ROW_FIELDS), r.workdays)
            for r in report.months
        },
        "cells_meeting_cadence": report.cells_meeting_cadence,
        "cells_counted": report.cells_counted,
        "villages_with_sessions": report.villages_with_sessions,
    }


def summary_of_hand(f: dict) -> dict:
    t = f["totals"]
    return {
        "totals": {
            "planned": t["planned"],
            "held": t["held"],
            "held_unconfirmed": t["held_unconfirmed"],
            "postponed": t["postponed"],
            "cancelled": t["cancelled"],
            "named_visits": t["named_visits"],
            "party_member_visits": t["party_member_visits"],
            "unlisted": (
                t["unlisted_commune_cadres"],
                t["unlisted_armed_forces"],
                t["unlisted_villagers"],
            ),
            "workdays": t["workdays"],
        },
        "by_category": {k: tuple(v) for k, v in f["by_category"].items() if v[0]},
        "by_level": {k: tuple(v) for k, v in f["by_level"].items() if v[0]},
        "outputs": f["outputs"],
        "value_by_source": f["value_by_source"],
        "households": sorted(f["households"]),
        "cells": {
            pk: (*(row[k] for k in _ROW_FIELDS), row["workdays"]) for pk, row in f["cells"].items()
        },
        "villages": {
            pk: (*(row[k] for k in _ROW_FIELDS), row["workdays"], row["label"])
            for pk, row in f["villages"].items()
        },
        "months": {
            key: (*(row[k] for k in _ROW_FIELDS), row["workdays"])
            for key, row in f["months"].items()
        },
        "cells_meeting_cadence": f["cells_meeting_cadence"],
        "cells_counted": f["cells_counted"],
        "villages_with_sessions": f["villages_with_sessions"],
    }


def _differences(a: dict, b: dict, prefix: str) -> list[str]:
    return [f"{prefix}{key}" for key in a if a[key] != b.get(key)]


def time_report(officer, today, repeat: int) -> dict:
    """build_report (with the previous year) against hand_report, median of ``repeat`` each."""
    from programs.permissions import committee_subtree_ids
    from programs.reports.figures import build_report
    from programs.reports.periods import parse_period
    from programs.reports.scopes import resolve_scope

    _category_groups()
    scope = resolve_scope(officer, {})
    period = parse_period({"period": "year", "year": str(today.year)}, today)
    ids = committee_subtree_ids(scope.obj.pk)

    def orm():
        return build_report(scope, period, None, today=today)

    def hand():
        return hand_report(ids, period, period.previous_year(), today=today)

    report, figures = orm(), hand()  # warm-up, and the figures to compare
    orm_times, hand_times = [], []
    for _run in range(repeat):  # alternate, so both see the same cache state
        started = time.perf_counter()
        orm()
        orm_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        hand()
        hand_times.append(time.perf_counter() - started)
    differences = []
    for p, rep in ((0, report), (1, report.previous)):
        mine, theirs = summary_of_report(rep), summary_of_hand(figures[p])
        differences += _differences(mine, theirs, "previous year: " if p else "")
    orm_ms = 1000 * statistics.median(orm_times)
    hand_ms = 1000 * statistics.median(hand_times)
    return {
        "committee": str(scope.obj),
        "committees": len(ids),
        "period": f"{period.start:%d/%m/%Y}–{period.end:%d/%m/%Y} (+ previous year)",
        "repeat": repeat,
        "orm_ms": round(orm_ms, 1),
        "orm_runs_ms": [round(1000 * t, 1) for t in orm_times],
        "hand_ms": round(hand_ms, 1),
        "hand_runs_ms": [round(1000 * t, 1) for t in hand_times],
        "ratio": round(orm_ms / hand_ms, 2),
        "same_figures": not differences,
        "differences": differences,
        "held": report.totals.held,
        "visits": report.totals.visits,
    }


def volumes() -> dict[str, int]:
    from django.db import connection

    tables = {
        "communes": "programs_commune",
        "villages": "programs_village",
        "households": "programs_household",
        "committees": "programs_partycommittee",
        "cells": "programs_partycell",
        "members": "programs_member",
        "sessions": "programs_laboursession",
        "attendance rows": "programs_attendance",
        "work outputs": "programs_workoutput",
        "session changes": "programs_sessionchange",
    }
    with connection.cursor() as cursor:
        counts = {}
        for label, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # fixed table names
            counts[label] = cursor.fetchone()[0]
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", required=True, help="Where to write the JSON results.")
    parser.add_argument("--username", default="province-officer")
    parser.add_argument("--repeat", type=int, default=5, help="Runs timed (median).")
    parser.add_argument("--pages-only", action="store_true", help="Skip the report timing.")
    args = parser.parse_args(argv)
    _setup_django()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    today = timezone.localdate()
    officer = get_user_model().objects.get(username=args.username)
    detail, log = pick_sessions(officer, today)
    paths = page_paths(detail, log, today)
    result = {
        "today": today.isoformat(),
        "paths": paths,
        "targets": PAGE_TARGETS,
        "volumes": volumes(),
        "pages": measure_pages(officer, paths, repeat=3),
    }
    if not args.pages_only:
        result["report"] = time_report(officer, today, args.repeat)
        from imports import measure_imports  # bench/imports.py, next to this script

        result["imports"] = measure_imports(officer)
    Path(args.output).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

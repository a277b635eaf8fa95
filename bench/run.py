"""``make bench``: load-test the production set-up on the province-scale data.

Steps (bench/README.md says more):

1. the database ``BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/civic_bench)
   is created when missing, migrated, filled with ``generate_scale_data --preset province
   --seed BENCH_SEED`` unless that seed's data is already there, then ``VACUUM ANALYZE``d;
2. bench/measure.py counts each page's SQL queries and bytes in-process and times the year
   report against hand-written SQL;
3. gunicorn starts as ``make serve`` starts it (gunicorn.conf.py, DEBUG off, collectstatic to a
   temporary STATIC_ROOT) on a free port, the province officer logs in through the login form,
   and wrk (installed with apt when missing; a Python load generator otherwise) loads each
   page for BENCH_SECONDS with BENCH_CONNECTIONS connections on BENCH_THREADS threads;
4. the results go to bench/results.md and stdout.

Exits non-zero only when the run itself breaks; missed targets are reported, not failed.
"""

import datetime
import http.client
import json
import os
import platform
import re
import runpy
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

from imports import result_lines  # bench/imports.py, next to this script

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
PYTHON = sys.executable
BIN = Path(PYTHON).parent

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/civic_bench"
)
SEED = int(os.environ.get("BENCH_SEED", "1"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "10"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
# wrk's default 2 s timeout would drop (not measure) the slowest pages' requests.
TIMEOUT = os.environ.get("BENCH_TIMEOUT", "30s")
USERNAME = "province-officer"  # sample_data.scale.DEFAULT_OFFICER_USERNAME / _PASSWORD
PASSWORD = "bench"

MAX_P99_MS = 500
# Issue 12: the compliance grid and the calendar answer faster, at p99, than the other pages.
P99_MS = {"compliance grid": 300, "calendar": 300, "year report": 500}
# Issue 12: a province's year report (drill-down and pages of 50 rows) — and every page — under
# 300 KB of HTML. The printed document may be longer: it lists every row, and says so.
MAX_PAGE_BYTES = 300_000
MAX_QUERIES = 20
MAX_REPORT_RATIO = 2.0


class BenchError(Exception):
    """The run itself broke (as opposed to a page missing its target)."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(args, env, *, capture=False, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.STDOUT if capture else None,
    )
    if check and result.returncode != 0:
        output = f"\n{result.stdout[-3000:]}" if capture and result.stdout else ""
        raise BenchError(f"{' '.join(map(str, args))} exited with {result.returncode}{output}")
    return result


# --- 1. The database -------------------------------------------------------------------------


def _connect(url: str, **kwargs):
    import psycopg

    return psycopg.connect(url, **kwargs)


def prepare_database(env) -> str:
    """Create, migrate and fill the bench database; return PostgreSQL's version."""
    from psycopg import sql

    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    if not name:
        raise BenchError(f"BENCH_DATABASE_URL names no database: {DATABASE_URL}")
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with _connect(maintenance, autocommit=True) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    log("migrate")
    run([PYTHON, "manage.py", "migrate", "--no-input", "--verbosity", "0"], env)
    state = scale_data_state()
    if state != "complete":
        log(
            f"generating the province preset, seed {SEED} ({state}; about 1.5 minutes)"
            if state == "missing"
            else f"regenerating the province preset, seed {SEED} ({state})"
        )
        args = [PYTHON, "manage.py", "generate_scale_data", "--preset", "province"]
        args += ["--seed", SEED, "--no-progress"]
        if state != "missing":
            args.append("--replace")
        run(args, env)
    else:
        log(f"scale data for seed {SEED} already there")
    log("VACUUM ANALYZE")
    with _connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return version


def scale_data_state() -> str:
    """ "complete", "missing", or why the data there will not do (cheap checks only).

    The generator writes months ending with next month's plan, dates relative to the day it
    ran, so data without next month's sessions is stale or was cut short."""
    top = f"Tỉnh ủy Mẫu {SEED}"  # sample_data.scale.top_committee_name(seed)
    today = datetime.date.today()
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    with _connect(DATABASE_URL) as conn:
        row = conn.execute(
            "SELECT id FROM programs_partycommittee WHERE parent_id IS NULL AND name = %s",
            [top],
        ).fetchone()
        if row is None:
            return "missing"
        planned_ahead = conn.execute(
            """SELECT EXISTS (
                   SELECT 1 FROM programs_laboursession s
                   JOIN programs_partycell c ON c.id = s.cell_id
                   JOIN programs_partycommittee k ON k.id = c.committee_id
                   WHERE k.parent_id = %s AND s.date >= %s)""",
            [row[0], next_month],
        ).fetchone()[0]
        officer = conn.execute("SELECT 1 FROM auth_user WHERE username = %s", [USERNAME]).fetchone()
    if not planned_ahead:
        return "no sessions planned for next month: stale or incomplete"
    if not officer:
        return f"no user {USERNAME}"
    return "complete"


# --- 2. The server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(port, path, cookie=None, timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read(), response
    finally:
        conn.close()


def wait_for_health(port, process, seconds=60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with {process.returncode} while starting")
        try:
            status, _body, _resp = http_get(port, "/healthz", timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise BenchError(f"/healthz did not answer 200 within {seconds} s")


def stop(process) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def _group_cpu_ticks(pgid: int) -> int | None:
    """CPU ticks used so far by the processes of group ``pgid`` (None off Linux)."""
    total, seen = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, …
            total += int(fields[11]) + int(fields[12])  # utime, stime
            seen = True
    return total if seen else None


def wait_until_idle(server, seconds=120) -> None:
    """Let the requests a load run left queued finish before the next page is loaded: wait
    until gunicorn's processes stop using CPU and no query of the bench database runs."""
    name = urllib.parse.unquote(urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/"))
    deadline, quiet = time.monotonic() + seconds, 0
    before = _group_cpu_ticks(server.pid)
    if before is None:
        time.sleep(5)
        return
    with _connect(DATABASE_URL, autocommit=True) as conn:
        while time.monotonic() < deadline and quiet < 2:
            time.sleep(0.5)
            after = _group_cpu_ticks(server.pid) or 0
            active = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                "AND pid <> pg_backend_pid()",
                [name],
            ).fetchone()[0]
            quiet = quiet + 1 if after - before <= 2 and not active else 0
            before = after


def login(port) -> str:
    """The sessionid cookie of the province officer, through the login form."""
    status, body, response = http_get(port, "/accounts/login/")
    if status != 200:
        raise BenchError(f"GET /accounts/login/ answered {status}")
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    if "csrftoken" not in cookies:
        raise BenchError("the login page set no csrftoken cookie")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    token = match.group(1).decode() if match else cookies["csrftoken"].value
    form = urllib.parse.urlencode(
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken'].value}",
                "Referer": f"http://127.0.0.1:{port}/accounts/login/",
            },
        )
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    answer = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        answer.load(header)
    if response.status != 302 or "sessionid" not in answer:
        raise BenchError(
            f"logging in as {USERNAME} failed (status {response.status}); "
            "is the password the generator's default?"
        )
    return f"sessionid={answer['sessionid'].value}"


# --- 3. Load -------------------------------------------------------------------------------


def ensure_wrk() -> str | None:
    """wrk's path, installing it with apt when missing and possible; None for the fallback."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt:
        prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
        if prefix is not None:
            log("installing wrk with apt-get")
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
            subprocess.run([*prefix, apt, "update", "-qq"], check=False, **quiet)
            subprocess.run([*prefix, apt, "install", "-y", "-qq", "wrk"], check=False, **quiet)
            found = shutil.which("wrk")
    if not found:
        log("wrk unavailable: using the Python load generator (lower ceiling, see results)")
    return found


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS_MS[unit]


def parse_wrk(output: str) -> dict:
    def find(pattern, default=None):
        match = re.search(pattern, output)
        return match.group(1) if match else default

    rps = find(r"Requests/sec:\s+([\d.]+)")
    if rps is None:
        raise BenchError(f"could not read wrk's output:\n{output}")
    socket_errors = 0
    if line := find(r"Socket errors: ([^\n]+)"):
        socket_errors = sum(int(n) for n in re.findall(r"\d+", line))
    return {
        "rps": float(rps),
        "p50_ms": _ms(find(r"\n\s+50%\s+(\S+)", "0us")),
        "p99_ms": _ms(find(r"\n\s+99%\s+(\S+)", "0us")),
        "requests": int(find(r"(\d+) requests in", "0")),
        "socket_errors": socket_errors,
        "non_2xx_3xx": int(find(r"Non-2xx or 3xx responses: (\d+)", "0")),
    }


def load_wrk(wrk, port, path, cookie) -> dict:
    args = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    args += ["--timeout", TIMEOUT, "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{port}{path}"]
    result = subprocess.run(args, text=True, capture_output=True)
    if result.returncode != 0:
        raise BenchError(f"wrk failed on {path}: {result.stderr or result.stdout}")
    return parse_wrk(result.stdout)


def load_python(port, path, cookie) -> dict:
    """CONNECTIONS threads on keep-alive connections for SECONDS: a stand-in for wrk."""
    deadline = time.monotonic() + SECONDS
    latencies, errors, bad = [], [0], [0]
    lock = threading.Lock()
    timeout = _ms(TIMEOUT) / 1000

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        mine, my_errors, my_bad = [], 0, 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                mine.append(1000 * (time.perf_counter() - started))
                my_bad += not 200 <= response.status < 400
            except (OSError, http.client.HTTPException):
                my_errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += my_errors
            bad[0] += my_bad

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "requests": len(latencies),
        "socket_errors": errors[0],
        "non_2xx_3xx": bad[0],
    }


# --- 4. Results ------------------------------------------------------------------------------


def machine() -> dict:
    memory = cpu = "?"
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
        memory = f"{kib / 1024 / 1024:.1f} GiB"
        cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    return {
        "nproc": os.cpu_count(),
        "memory": memory,
        "cpu": cpu.strip(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "load": ", ".join(f"{n:.2f}" for n in os.getloadavg()),
    }


def _num(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def evaluate(name, load, page, share, target_share) -> tuple[str, str]:
    """(target text, met text) of one page."""
    misses = []
    if target_share is not None and share < target_share:
        misses.append(f"throughput {share:.0%} < {target_share:.0%}")
    p99_limit = P99_MS.get(name, MAX_P99_MS)
    if load["p99_ms"] >= p99_limit:
        misses.append(f"p99 ≥ {p99_limit} ms")
    if page["bytes"] >= MAX_PAGE_BYTES:
        misses.append(f"{page['bytes']:,} bytes ≥ {MAX_PAGE_BYTES:,}")
    if page["queries"] > MAX_QUERIES:
        misses.append(f"{page['queries']} queries > {MAX_QUERIES}")
    errors = load["socket_errors"] + load["non_2xx_3xx"]
    if errors or page["status"] != 200:
        misses.append("errors")
    target = (f"≥ {target_share:.0%} of /healthz" if target_share is not None else "reference") + (
        f", p99 < {p99_limit} ms, < {MAX_PAGE_BYTES // 1000} KB, ≤ {MAX_QUERIES} queries, 0 errors"
    )
    return target, ("yes" if not misses else "**no**: " + "; ".join(misses))


def _setup_lines(info: dict) -> list[str]:
    m, measured = info["machine"], info["measured"]
    healthz = info["healthz_rps"]
    return [
        "# Benchmark results",
        "",
        f"Written by `make bench` (bench/run.py) on {info['date']}. Re-run to refresh; "
        "bench/README.md explains the set-up.",
        "",
        "## Set-up",
        "",
        f"- Machine: {m['nproc']} cores ({m['cpu']}), {m['memory']} memory; {m['os']}; "
        f"Python {m['python']}; PostgreSQL {info['postgres']}. Load average when the "
        f"loading started: {info['load_before']} (anything else running skews the numbers).",
        f"- Database: `{info['database']}` (province preset, seed {SEED}); data dated around "
        f"{measured['today']}.",
        "- Data: " + ", ".join(f"{n:,} {label}" for label, n in measured["volumes"].items()) + ".",
        f"- Server: gunicorn with gunicorn.conf.py: {info['workers']} sync workers × "
        f"{info['threads']} thread, DEBUG off, whitenoise, CONN_MAX_AGE=60, on 127.0.0.1 (no "
        "TLS, no proxy) — on the same machine as the load generator.",
        f"- Load: {info['tool']}, {THREADS} threads, {CONNECTIONS} connections, {SECONDS} s per "
        f"page, timeout {TIMEOUT}, logged in as `{USERNAME}` (officer of the whole province: "
        "the heaviest scope). Pages were loaded one after another, each after one warm-up GET "
        "(which fills the cache of reports, grids and calendar months: the load reads them back, "
        "as readers do until the data changes; cold timings are in the last table).",
        f"- /healthz (the reference): {_num(info['healthz_runs'][0])} req/s first, "
        f"{_num(info['healthz_runs'][1])} req/s last; the share uses their mean, "
        f"{_num(healthz)} req/s.",
        "- SQL queries and response bytes: in-process (bench/measure.py), one GET after a "
        "warm-up, counted with `CaptureQueriesContext` (including the session and user look-ups).",
    ]


def _page_lines(info: dict) -> list[str]:
    measured, loads, healthz = info["measured"], info["loads"], info["healthz_rps"]
    lines = [
        "",
        "## Pages",
        "",
        "| page | req/s | % of /healthz | p50 ms | p99 ms | errors | SQL queries | "
        "response bytes | target | met? |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for name, path in measured["paths"].items():
        load, page = loads[name], measured["pages"][name]
        share = load["rps"] / healthz if healthz else 0.0
        target, met = evaluate(name, load, page, share, measured["targets"][name])
        errors = load["socket_errors"] + load["non_2xx_3xx"]
        lines.append(
            f"| {name} `{path}` | {_num(load['rps'])} | {share:.0%} | {load['p50_ms']:.1f} | "
            f"{load['p99_ms']:.1f} | {errors} | {page['queries']} | {page['bytes']:,} | "
            f"{target} | {met} |"
        )
    return lines


def _report_lines(report: dict | None) -> list[str]:
    if not report:
        return []
    met = "yes" if report["ratio"] <= MAX_REPORT_RATIO else "**no**"
    return [
        "",
        "## Year report: `build_report` against hand-written SQL",
        "",
        f"{report['committee']} ({report['committees']} committees), "
        f"{report['period']}; median of {report['repeat']} runs each, alternating, in one "
        "process without load. The hand-written version (bench/measure.py, `hand_report`) "
        "reads sessions, attendance and outputs once each with GROUPING SETS for both "
        "years, plus the cell and village names, and sums in Python.",
        "",
        "| | median ms | runs (ms) |",
        "|---|---:|---|",
        f"| `build_report(…, with_previous=True)` | {report['orm_ms']:,.1f} | "
        f"{', '.join(f'{t:,.0f}' for t in report['orm_runs_ms'])} |",
        f"| hand-written SQL (5 statements) | {report['hand_ms']:,.1f} | "
        f"{', '.join(f'{t:,.0f}' for t in report['hand_runs_ms'])} |",
        "",
        f"Ratio: **{report['ratio']:.2f}×** (target ≤ {MAX_REPORT_RATIO:g}×: {met}). "
        + (
            "Both give the same figures (totals, categories, levels, outputs, value by "
            "source, households, every cell, village and month row, the cadence)."
            if report["same_figures"]
            else "**The figures differ**: " + ", ".join(report["differences"])
        ),
    ]


def write_results(info: dict) -> str:
    measured = info["measured"]
    lines = _setup_lines(info) + _page_lines(info) + _report_lines(measured.get("report"))
    lines += result_lines(measured.get("imports"))
    lines += [
        "",
        "## Single requests, in-process, without load",
        "",
        "Warm: as under load, after the warm-up GET filled the cache (reports, compliance grids",
        'and calendar months are kept until the data they read changes, README "Built once,',
        'read many times"). Cold: the cache emptied before each request, as for the first',
        "reader after a change.",
        "",
        "| page | warm ms (median of 3) | cold ms (median of 3) | slowest query ms |",
        "|---|---:|---:|---:|",
    ]
    for name, page in measured["pages"].items():
        slowest = page["slowest_queries"][0]["ms"] if page["slowest_queries"] else 0
        lines.append(
            f"| {name} | {page['inprocess_ms']:,.1f} | {page['cold_ms']:,.1f} | {slowest:,.1f} |"
        )
    text = "\n".join(lines) + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    return text


# --- The run -------------------------------------------------------------------------------


def _environment(workdir: Path) -> dict[str, str]:
    """The settings of `make serve` in production, on the bench database, over plain HTTP."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civic_labour.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": DATABASE_URL,
        "CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "WARNING",
    }


def _start_server(env: dict, server_log: Path) -> tuple[subprocess.Popen, int, dict]:
    port = free_port()
    env["BIND"] = f"127.0.0.1:{port}"
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    log(f"starting gunicorn on 127.0.0.1:{port} ({config['workers']} workers)")
    with server_log.open("w") as output:
        server = subprocess.Popen(
            [BIN / "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    wait_for_health(port, server)
    return server, port, config


def _load_pages(server, port: int, paths: dict, wrk) -> tuple[dict, list[float]]:
    """Load every page, then /healthz a second time (before and after: the reference)."""
    cookie = login(port)
    for name, path in paths.items():  # warm-up: every worker's first requests
        status, _body, _resp = http_get(port, path, cookie)
        if status != 200:
            log(f"warning: {name} ({path}) answered {status}")
    loads, healthz_runs = {}, []
    for name, path in [*paths.items(), ("healthz", paths["healthz"])]:
        wait_until_idle(server)
        log(f"loading {name} ({path}) for {SECONDS} s")
        result = load_wrk(wrk, port, path, cookie) if wrk else load_python(port, path, cookie)
        if name == "healthz":
            healthz_runs.append(result["rps"])
            if name in loads:  # the second run: keep the worse latencies and all errors
                first = loads[name]
                result = {
                    "rps": statistics.mean(healthz_runs),
                    "p50_ms": max(first["p50_ms"], result["p50_ms"]),
                    "p99_ms": max(first["p99_ms"], result["p99_ms"]),
                    "requests": first["requests"] + result["requests"],
                    "socket_errors": first["socket_errors"] + result["socket_errors"],
                    "non_2xx_3xx": first["non_2xx_3xx"] + result["non_2xx_3xx"],
                }
        loads[name] = result
    if server.poll() is not None:
        raise BenchError(f"gunicorn died during the run (exit {server.returncode})")
    return loads, healthz_runs


def main() -> int:
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="civic-bench-"))
    env = _environment(workdir)
    server = None
    server_log = workdir / "gunicorn.log"
    try:
        postgres = prepare_database(env)
        wrk = ensure_wrk()
        log("check --deploy and collectstatic (as make serve)")
        run([PYTHON, "manage.py", "check", "--deploy"], env, capture=True)
        run([PYTHON, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"], env)
        log("in-process measurements (queries, bytes, report against hand-written SQL)")
        measure_json = workdir / "measure.json"
        run([PYTHON, "bench/measure.py", "--output", measure_json, "--username", USERNAME], env)
        measured = json.loads(measure_json.read_text(encoding="utf-8"))

        server, port, config = _start_server(env, server_log)
        load_before = machine()["load"]
        loads, healthz_runs = _load_pages(server, port, measured["paths"], wrk)
        text = write_results(
            {
                "date": time.strftime("%Y-%m-%d %H:%M %Z"),
                "machine": machine(),
                "load_before": load_before,
                "postgres": postgres,
                "database": urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/"),
                "workers": config["workers"],
                "threads": config["threads"],
                "tool": "wrk" if wrk else "Python load generator (bench/run.py)",
                "measured": measured,
                "loads": loads,
                "healthz_runs": healthz_runs,
                "healthz_rps": statistics.mean(healthz_runs),
            }
        )
        print()
        print(text)
        log(f"done in {time.monotonic() - started:.0f} s; written to {RESULTS.relative_to(ROOT)}")
        return 0
    except (BenchError, OSError, subprocess.SubprocessError) as error:
        log(f"the run broke: {error}")
        if server_log.exists() and server_log.stat().st_size:
            tail = server_log.read_text(errors="replace").splitlines()[-30:]
            print("\n".join(["--- gunicorn log (last lines) ---", *tail]), file=sys.stderr)
        return 1
    except Exception as error:  # psycopg errors and the like: still a broken run
        log(f"the run broke: {type(error).__name__}: {error}")
        return 1
    finally:
        stop(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

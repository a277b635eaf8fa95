"""The import's share of ``make bench`` (called by bench/measure.py): the province's members
imported with the command, and an office's 5,000-row file previewed and imported through the
page.

- **Command**: every member of the scale data is exported, renamed (so each row is a new
  member) and imported with ``manage.py import_sheet --dry-run`` in a child process, timed
  with its peak memory (the child's maximum resident set). A dry run carries out every write
  of the import and rolls them back at the end, so it costs what the import costs and leaves
  the bench database as it was.
- **Page**: 5,000 of those rows uploaded to /imports/ (preview), then confirmed (import),
  timed together; the new members and their history rows are deleted afterwards.
"""

import io
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_ROWS = 5000
TARGET_COMMAND_SECONDS = 60
TARGET_PAGE_SECONDS = 15


def _renamed_export(officer, path: Path) -> int:
    """The members export with codes removed and names changed: every row a new member."""
    from openpyxl import Workbook, load_workbook

    from programs.imports.writer import write_export

    raw = io.BytesIO()
    write_export("members", raw, user=officer)
    raw.seek(0)
    source = load_workbook(raw, read_only=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("members")
    count = 0
    for number, row in enumerate(source.active.iter_rows(values_only=True)):
        row = list(row)
        if number:
            row[0], row[1] = "", f"{row[1]} Bench {number}"
            count += 1
        sheet.append(row)
    book.save(path)
    return count


def _first_rows(path: Path, out: Path, rows: int) -> None:
    from openpyxl import Workbook, load_workbook

    source = load_workbook(path, read_only=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("members")
    for number, row in enumerate(source.active.iter_rows(values_only=True)):
        if number > rows:
            break
        sheet.append(list(row))
    book.save(out)


def _command(path: Path, username: str) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_sheet",
            str(path),
            "--kind",
            "members",
            "--dry-run",
            "--user",
            username,
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": round(seconds, 1),
        "peak_mb": round(peak_kb / 1024, 1),
        "ok": done.returncode == 0,
        "summary": (done.stdout.strip().splitlines() or [done.stderr.strip()[-300:]])[0],
    }


def _page(officer, path: Path) -> dict:
    from django.contrib.admin.models import LogEntry
    from django.test import Client

    from programs.models import Member

    client = Client(HTTP_HOST="127.0.0.1")  # run.py's ALLOWED_HOSTS
    client.force_login(officer)
    started = time.perf_counter()
    with path.open("rb") as upload:
        preview = client.post("/imports/", {"kind": "members", "file": upload}, secure=True)
    html = preview.content.decode()
    fields = dict(re.findall(r'name="(upload|token)" value="([^"]+)"', html))
    ok = preview.status_code == 200 and len(fields) == 2
    if ok:
        done = client.post("/imports/confirm/", fields, secure=True)
        ok = done.status_code == 302
    seconds = time.perf_counter() - started
    created = Member.objects.filter(full_name__contains=" Bench ")
    LogEntry.objects.filter(
        content_type__model="member",
        object_id__in=[str(pk) for pk in created.values_list("pk", flat=True)],
    ).delete()
    created.delete()
    return {"seconds": round(seconds, 1), "ok": ok}


def measure_imports(officer) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        full = Path(folder) / "members.xlsx"
        rows = _renamed_export(officer, full)
        command = _command(full, officer.get_username())
        office = Path(folder) / "office.xlsx"
        _first_rows(full, office, PAGE_ROWS)
        page = _page(officer, office)
    return {
        "rows": rows,
        "command": command,
        "page_rows": PAGE_ROWS,
        "page": page,
        "targets": {"command": TARGET_COMMAND_SECONDS, "page": TARGET_PAGE_SECONDS},
    }


def result_lines(imports: dict | None) -> list[str]:
    """The import section of bench/results.md."""
    if not imports:
        return []
    command, page, targets = imports["command"], imports["page"], imports["targets"]
    return [
        "",
        "## Spreadsheet import",
        "",
        f"- {imports['rows']:,} members, `import_sheet --dry-run` (every write, rolled back): "
        f"{command['seconds']} s (target < {targets['command']} s), peak memory "
        f"{command['peak_mb']} MB; {command['summary']}",
        f"- {imports['page_rows']:,} rows through /imports/ (preview, then confirm): "
        f"{page['seconds']} s (target < {targets['page']} s){'' if page['ok'] else ', FAILED'}",
    ]

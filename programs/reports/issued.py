"""What an issued report keeps of its figures: the tables of the downloads, in Vietnamese, as
plain JSON values, so the register shows them as they were on the day of issue."""

import datetime

from django.utils import translation

from programs.models import IssuedReport

from .figures import Report
from .tables import preamble, report_tables


def _json_value(value):
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)  # Decimals keep their digits; lazy labels become text


def _row(row) -> list:
    return [_json_value(value) for value in row]


def frozen_figures(report: Report) -> dict:
    """The report's tables (and the lines above them) as JSON-ready lists."""
    with translation.override("vi"):
        tables = report_tables(report)
        lines = preamble(report)
        return {
            "preamble": [_row(line) for line in lines],
            "tables": [
                {
                    "title": str(table.title),
                    "headers": [str(header) for header in table.headers],
                    "rows": [_row(row) for row in table.rows],
                }
                for table in tables
            ],
        }


def issued_filename(issued) -> str:
    """ "bao-cao-16-2026.pdf": ASCII, by number and year."""
    return f"bao-cao-{issued.number}-{issued.year}.pdf"


def issued_for(committee, query: str, *, limit: int = 5) -> list:
    """The committee's latest issued reports of this very report (same scope, directive and
    period), newest first: the print page names them before someone issues it again."""
    return list(
        IssuedReport.objects.filter(committee=committee, query=query)
        .only("id", "committee_id", "year", "number", "abbreviation", "issued_on")
        .order_by("-year", "-number")[:limit]
    )

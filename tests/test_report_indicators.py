"""One list of indicators (programs.reports.indicators) names the figures on the report page,
in the exports' summary sheet and in the printed document, each in its language."""

import datetime
import re

from django.urls import reverse
from django.utils import translation

from programs.reports import indicators
from programs.reports.figures import CATEGORY_GROUPS, build_report
from programs.reports.periods import parse_period
from programs.reports.scopes import resolve_scope
from programs.reports.tables import report_tables

TODAY = datetime.date(2026, 11, 27)
PARAMS = {"period": "year", "year": "2026"}


def _labels(language, keys) -> list[str]:
    with translation.override(language):
        return [str(indicators.BY_KEY[key].label) for key in keys]


def _row_headers(page: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', page)


def test_the_page_and_the_document_compare_the_listed_indicators(client, settings, world):
    client.force_login(world["officer"])
    params = {"committee": world["committee"].pk, **PARAMS}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("programs:reports"), params).content.decode()
    comparison = page.split('<table class="report-comparison">')[1].split("</table>")[0]
    assert _row_headers(comparison) == _labels("en", indicators.COMPARED)
    # The document is Vietnamese whatever the language of the screen.
    document = client.get(reverse("programs:report-print"), params).content.decode()
    assert all(label in document for label in _labels("vi", indicators.COMPARED))


def test_the_summary_sheet_lists_every_indicator(world):
    scope = resolve_scope(world["officer"], {"committee": str(world["committee"].pk)})
    report = build_report(scope, parse_period(PARAMS, TODAY), today=TODAY)
    with translation.override("vi"):
        summary, categories, *_rest = report_tables(report)
        names = [str(indicators.category_label(key)) for key, _cats in CATEGORY_GROUPS]
    labels = [row[0] for row in summary.rows]
    assert labels[: len(indicators.INDICATORS)] == _labels(
        "vi", [i.key for i in indicators.INDICATORS]
    )
    assert [row[0] for row in categories.rows[: len(CATEGORY_GROUPS)]] == names
    # The report's own category labels (in the language it was built in) come from there too.
    assert [label for _key, label, _n, _w in report.by_category] == [
        indicators.category_label(key) for key, _cats in CATEGORY_GROUPS
    ]

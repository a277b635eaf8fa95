"""The report page: its figures, who may see which report, bad parameters, the query count,
the chart and the export links."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from programs.models import LabourSession
from programs.planning import Month
from programs.reports import cadence
from programs.reports.chart import month_chart
from programs.reports.document import vn_number, vnd
from programs.reports.figures import Row
from tests import factories
from tests.queries import pinned_queries
from tests.test_report_figures import expected_figures

URL = reverse("programs:reports")
D = datetime.date


pytestmark = pytest.mark.usefixtures("english")


def _page(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def _text(response) -> str:
    return response.content.decode()


def _dd(page: str, term: str) -> str:
    """The number under a heading of the status counts."""
    match = re.search(rf"<dt>{re.escape(term)}</dt>\s*<dd>([^<]*)</dd>", page)
    assert match, f"no count for {term!r}"
    return match.group(1).strip()


def _row(page: str, header: str) -> list[str]:
    """The cells of the table row whose header is ``header``."""
    match = re.search(
        rf"<th scope=\"row\"[^>]*>\s*{re.escape(html.escape(header))}\s*</th>(.*?)</tr>",
        page,
        re.S,
    )
    assert match, f"no row {header!r}"
    return [
        re.sub(r"<[^>]+>|—", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    ]


def _errors(page: str) -> str:
    match = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', page, re.S)
    return match.group(1) if match else ""


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


# --- the figures --------------------------------------------------------------------------


def test_page_shows_the_figures_of_the_year(client, report_dataset):
    dataset = report_dataset
    response = _page(
        client, dataset["officer"], committee=dataset["committee"].pk, period="year", year="2026"
    )
    assert response.status_code == 200
    page = _text(response)
    sessions = LabourSession.objects.filter(
        date__gte=D(2026, 1, 1), date__lte=D(2026, 12, 31)
    ).prefetch_related("attendances", "outputs")
    expected, outputs, by_source, categories, levels = expected_figures(sessions)
    assert expected["held"] and expected["visits"] and by_source

    assert _dd(page, "Planned") == _dotted(expected["planned"])
    assert _dd(page, "Held (confirmed)") == _dotted(expected["held"])
    assert _dd(page, "Held, awaiting confirmation") == _dotted(expected["held_unconfirmed"])
    assert _dd(page, "Postponed") == _dotted(expected["postponed"])
    assert _dd(page, "Cancelled") == _dotted(expected["cancelled"])
    assert _row(page, "All person-visits") == [
        _dotted(expected["visits"]),
        vn_number(expected["workdays"]),
    ]
    assert _row(page, "Party members (also counted in their category below)")[0] == _dotted(
        expected["party"]
    )
    assert _row(page, "Officials, civil servants, public employees, workers")[0] == _dotted(
        categories["cadres"]
    )
    assert _row(page, "Armed forces, named")[0] == _dotted(categories["armed_forces"])
    assert _row(page, "Front and mass-organisation cadres")[0] == _dotted(categories["front"])
    assert _row(page, "Province level")[0] == _dotted(levels["province"])
    assert _row(page, "Commune level")[0] == _dotted(levels["commune"])
    # Money: Vietnamese grouping with dots, then "đ".
    assert _row(page, "State budget") == [vnd(by_source["state"])]
    assert vnd(sum(by_source.values())) in page
    assert "1.250.000\N{NO-BREAK SPACE}đ" in vnd(1_250_000)
    # Outputs: one row per work type and unit, never summed across units.
    shown = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td class="num">([^<]+)</td>\s*<td>([^<]+)</td>', page
    )
    assert len(shown) == len(outputs)
    total_quantity = sum(outputs.values())
    assert sum(
        float(quantity.replace(".", "").replace(",", ".")) for _wt, quantity, _unit in shown
    ) == pytest.approx(float(total_quantity))


def test_page_shows_the_trend_chart_with_its_table(client, report_dataset):
    dataset = report_dataset
    page = _text(
        _page(
            client,
            dataset["officer"],
            committee=dataset["committee"].pk,
            period="year",
            year="2026",
        )
    )
    assert '<svg class="chart"' in page and 'role="img"' in page
    assert "<title id=" in page and "<desc id=" in page
    assert "style=" not in page.split('<svg class="chart"')[1].split("</svg>")[0]
    # The month table carries the same figures for screen readers: twelve months.
    table = page.split("Sessions and person-visits per month</caption>")[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 12
    assert "01/2026" in table and "12/2026" in table


def test_comparison_with_the_previous_year(client, report_dataset):
    dataset = report_dataset
    page = _text(
        _page(
            client,
            dataset["officer"],
            committee=dataset["committee"].pk,
            period="year",
            year="2026",
        )
    )
    held = LabourSession.objects.filter(status="held", log_status="confirmed")
    now = held.filter(date__year=2026).count()
    before = held.filter(date__year=2025).count()
    assert before  # the dataset covers 2025 too
    difference = now - before
    sign = "+" if difference > 0 else ("\N{MINUS SIGN}" if difference < 0 else "")
    assert _row(page, "Sessions held (log confirmed)") == [
        str(now),
        str(before),
        f"{sign}{abs(difference)}",
    ]


def test_export_links_carry_the_same_query(client, world):
    committee = world["committee"]
    page = _text(
        _page(client, world["officer"], committee=committee.pk, period="quarter", month="2026-02")
    )
    query = f"committee={committee.pk}&amp;period=quarter&amp;month=2026-01"
    assert f'href="/reports/print/?{query}"' in page
    assert f'href="/reports/?{query}&amp;format=xlsx"' in page
    assert f'href="/reports/?{query}&amp;format=csv"' in page
    assert f'href="/reports/sessions.csv?{query}"' in page
    assert f'href="/reports/sessions.xlsx?{query}"' in page


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv"),
    ],
)
def test_format_parameter_downloads_the_report(client, report_dataset, fmt, content_type):
    dataset = report_dataset
    response = _page(
        client,
        dataset["officer"],
        committee=dataset["committee"].pk,
        period="year",
        year="2026",
        format=fmt,
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body


def test_unknown_format_is_a_message(client, world):
    response = _page(client, world["officer"], format="docx")
    assert response.status_code == 200
    assert "Unknown format “docx”" in _errors(_text(response))
    # The report asked for is still shown under the message.
    assert '<h2 class="report__title">Đảng ủy Cơ quan Chính quyền huyện</h2>' in _text(response)


# --- who sees what ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "viewer"])
def test_committee_roles_see_their_committee(client, world, who):
    response = _page(client, world[who], committee=world["committee"].pk)
    assert response.status_code == 200
    assert '<h2 class="report__title">Đảng ủy Cơ quan Chính quyền huyện</h2>' in _text(response)


def test_secretary_sees_their_cell_but_not_the_committee(client, world):
    secretary = world["secretary"]
    response = _page(client, secretary, cell=world["cell"].pk)
    assert response.status_code == 200
    assert '<h2 class="report__title">Chi bộ Văn phòng</h2>' in _text(response)
    # Without parameters: their own cell.
    assert '<h2 class="report__title">Chi bộ Văn phòng</h2>' in _text(_page(client, secretary))
    assert _page(client, secretary, committee=world["committee"].pk).status_code == 404


def test_other_secretary_gets_404_for_the_cell(client, world):
    assert _page(client, world["secretary2"], cell=world["cell"].pk).status_code == 404


def test_outsider_committee_is_404(client, world):
    response = _page(client, world["officer"], committee=world["outsider_committee"].pk)
    assert response.status_code == 404


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_nav_link_for_anyone_with_a_scope(client, world):
    client.force_login(world["secretary"])
    assert f'href="{URL}"' in _text(client.get(reverse("programs:home")))
    nobody = factories.user("nobody")
    client.force_login(nobody)
    assert f'href="{URL}"' not in _text(client.get(reverse("programs:home")))


# --- bad parameters: a message, never a 500 -----------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"month": "2026-13"}, "is not a month"),
        ({"month": "abc"}, "is not a month"),
        ({"period": "week"}, "Unknown period"),
        ({"period": "year", "year": "20x6"}, "is not a year"),
        ({"period": "custom", "from": "2026-05", "to": "2026-01"}, "before it starts"),
        ({"period": "custom", "from": "2019-01-01", "to": "2026-01-01"}, "at most 5 years"),
        ({"period": "custom", "from": "2026-01"}, "Give both ends"),
        ({"committee": "abc"}, "is not a valid committee"),
        ({"directive": "abc"}, "is not a valid directive"),
        ({"directive": "999999"}, "There is no directive"),
    ],
)
def test_bad_parameters_are_explained(client, world, params, message):
    response = _page(client, world["officer"], **params)
    assert response.status_code == 200
    page = _text(response)
    assert message in html.unescape(_errors(page))
    assert 'class="report__head"' not in page
    assert '<form method="get"' in page  # the form stays, to correct the value


def test_unknown_committee_is_404(client, world):
    assert _page(client, world["officer"], committee="999999").status_code == 404


def test_the_cadence_rule_is_written_under_the_figure(client, world):
    # No cell is assigned under this directive: nothing to judge, and the page says why.
    directive = factories.directive(symbol="99-KH/HU", number="99", sessions_per_month=2)
    page = html.unescape(
        _text(_page(client, world["officer"], directive=directive.pk, period="year", year="2025"))
    )
    assert "No cadence to judge" in page
    assert str(cadence.RULE) in page


# --- the query count ----------------------------------------------------------------------


def _held(cell, village, directive, day):
    session = factories.session(
        cell=cell, village=village, directive=directive, date=day, other_village_reason="x"
    )
    LabourSession.objects.filter(pk=session.pk).update(
        status="held",
        log_status="confirmed",
        log_confirmed_at=datetime.datetime(2026, 3, 8, tzinfo=datetime.UTC),
    )
    return session


def test_same_queries_for_one_and_fifty_cells(client, world):
    params = {"committee": world["committee"].pk, "period": "year", "year": "2026"}
    _held(world["cell"], world["village"], world["directive"], D(2026, 3, 7))
    client.force_login(world["officer"])
    client.get(URL, params)  # warm the session and caches
    with pinned_queries(49, cold=True):
        assert client.get(URL, params).status_code == 200
    for n in range(49):
        cell = factories.cell(committee=world["committee"])
        village = factories.village(commune=world["commune"])
        _held(cell, village, world["directive"], D(2026, 1 + n % 12, 3 + n % 20))
        factories.member(cell=cell)
    with pinned_queries(49, cold=True):
        response = client.get(URL, params)
    assert _text(response).count('<th scope="row">Chi bộ') >= 50


# --- escaping -----------------------------------------------------------------------------


def test_names_are_escaped(client, world):
    committee = world["committee"]
    committee.name = "<script>alert(1)</script>"
    committee.save()
    page = _text(_page(client, world["officer"], committee=committee.pk))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_chart_escapes_its_text_and_draws_one_bar_per_month():
    rows = [Row(Month(2026, m), f"<b>{m:02d}</b>", held=m, visits=10 * m) for m in (1, 2, 3)]
    svg = str(month_chart(rows))
    assert "<b>" not in svg and "&lt;b&gt;01&lt;/b&gt;" in svg
    assert svg.count('<rect class="chart__bar"') == 3 + 1  # one per month, one in the legend
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "style=" not in svg

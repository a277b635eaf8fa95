"""Villagers' opinions: the model's rules, the log form's rows, the follow-up of a confirmed
log's opinion, the list of opinions, and their counts in reports (against plain loops)."""

import datetime
import io
import random
import unicodedata

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from programs.forms.opinions import OPINION_ROWS_MAX
from programs.models import LabourSession, SessionChange, VillagerOpinion
from programs.reports.figures import build_report
from programs.reports.periods import parse_period
from programs.reports.scopes import resolve_scope
from programs.services import opinions as opinion_services
from programs.services import sessions as session_services
from tests import factories
from tests.http import consume
from tests.queries import pinned_queries
from tests.test_log_form import browser_data

D = datetime.date
TODAY = D(2026, 11, 27)
SATURDAY = D(2026, 3, 7)
CONFIRMED_AT = datetime.datetime(2026, 3, 9, tzinfo=datetime.UTC)
LIST = reverse("programs:opinion-list")


def confirmed_session(world, day=SATURDAY, **kwargs):
    kwargs.setdefault("cell", world["cell"])
    kwargs.setdefault("village", world["village"])
    return factories.session(
        directive=world["directive"],
        date=day,
        status="held",
        log_status="confirmed",
        log_confirmed_at=CONFIRMED_AT,
        other_village_reason="x",
        **kwargs,
    )


def follow_up_url(opinion):
    return reverse("programs:opinion-follow-up", args=[opinion.pk])


def log_url(session):
    return reverse("programs:session-log", args=[session.pk])


# --- The model's rules, in the database ---------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"status": "resolved", "resolved_on": None},  # resolved needs a date
        {"status": "received", "resolved_on": D(2026, 3, 20)},  # only resolved has one
        {"status": "forwarded", "resolved_on": D(2026, 3, 20)},
        {"status": "resolved", "resolved_on": D(2026, 3, 6)},  # before it was heard
        {"text": ""},
        {"field": "weather"},
        {"status": "lost"},
    ],
)
def test_database_refuses_broken_opinions(world, values):
    session = confirmed_session(world)
    row = {
        "session": session,
        "village": session.village,
        "heard_on": session.date,
        "text": "Đề nghị sửa đường",
        "field": "roads",
        "status": "received",
        **values,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        VillagerOpinion.objects.create(**row)


def test_database_takes_a_resolution_on_the_session_day(world):
    session = confirmed_session(world)
    opinion = factories.opinion(session, status="resolved", resolved_on=session.date)
    assert opinion.is_resolved


# --- The log form ------------------------------------------------------------------------------


def _opinion_rows(data, rows, start=0):
    for n, row in enumerate(rows, start=start):
        for name, value in row.items():
            data[f"opinions-{n}-{name}"] = value
    return data


@pytest.fixture
def log_page(client, world, session):
    client.force_login(world["secretary"])
    page = client.get(log_url(session))
    assert page.status_code == 200
    return browser_data(page)


def test_log_form_offers_a_few_empty_rows_and_the_session_village(client, world, session):
    client.force_login(world["secretary"])
    page = client.get(log_url(session))
    data = browser_data(page)
    assert data["opinions-TOTAL_FORMS"] == "3"
    assert data["opinions-MAX_NUM_FORMS"] == str(OPINION_ROWS_MAX)
    assert data["opinions-0-village"] == str(world["village"].pk)
    # The village's neighbours in its commune may be chosen; the blank row for the script too.
    html = page.content.decode()
    assert "Nà Coóc" in html and "data-opinion-template" in html


def test_log_saves_two_opinions_in_nfc_with_history(client, world, session, log_page):
    data = _opinion_rows(
        log_page,
        [
            {"text": unicodedata.normalize("NFD", "Đề nghị sửa đường"), "field": "roads"},
            {
                "text": "Đề nghị kéo điện",
                "field": "electricity",
                "village": str(world["other_village"].pk),
                "status": "resolved",
                "resolver": "UBND xã Bình An",
                "resolved_on": "2026-03-20",
            },
        ],
    )
    data["action"] = "draft"
    response = client.post(log_url(session), data)
    assert response.status_code == 302
    rows = list(session.opinions.order_by("pk"))
    assert [(o.text, o.field, o.status) for o in rows] == [
        ("Đề nghị sửa đường", "roads", "received"),
        ("Đề nghị kéo điện", "electricity", "resolved"),
    ]
    assert rows[0].village == world["village"] and rows[1].village == world["other_village"]
    assert rows[1].resolved_on == D(2026, 3, 20) and rows[1].heard_on == session.date
    change = session.changes.get(action="log_saved")
    assert "Đề nghị kéo điện" in change.changes["opinions"][1]

    # Edit one, remove the other, in a second save.
    data = browser_data(client.get(log_url(session)))
    data.update(
        {
            "opinions-0-status": "forwarded",
            "opinions-0-resolver": "Phòng Kinh tế huyện",
            "opinions-1-DELETE": "on",
            "action": "draft",
        }
    )
    assert client.post(log_url(session), data).status_code == 302
    rows = list(session.opinions.all())
    assert [(o.status, o.resolver) for o in rows] == [("forwarded", "Phòng Kinh tế huyện")]
    last = session.changes.filter(action="log_saved").last()
    assert "Đề nghị kéo điện" in last.changes["opinions"][0]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"text": "Sửa đường", "field": "roads", "status": "resolved"}, "resolved_on"),
        (
            {"text": "Sửa đường", "field": "roads", "resolved_on": "2026-03-20"},
            "resolved_on",
        ),
        (
            {
                "text": "Sửa đường",
                "field": "roads",
                "status": "resolved",
                "resolved_on": "2026-03-01",
            },
            "resolved_on",
        ),
        (
            {
                "text": "Sửa đường",
                "field": "roads",
                "status": "resolved",
                "resolved_on": "2999-01-01",
            },
            "resolved_on",
        ),
        ({"text": "Sửa đường", "field": "weather"}, "field"),
        ({"text": "Sửa đường", "field": ""}, "field"),
        ({"field": "roads", "resolver": "UBND xã"}, "text"),
        ({"text": "Sửa đường", "field": "roads", "village": "999999"}, "village"),
        ({"text": "Sửa đường", "field": "roads", "village": "abc"}, "village"),
    ],
)
def test_bad_rows_are_refused_on_their_field(client, world, session, log_page, row, field):
    data = _opinion_rows(log_page, [row])
    data["action"] = "draft"
    response = client.post(log_url(session), data)
    assert response.status_code == 200
    form = response.context["opinions"].forms[0]
    assert field in form.errors
    assert not session.opinions.exists()
    session.refresh_from_db()
    assert session.version == 1


def test_a_forged_opinion_id_saves_nothing(client, world, session, log_page):
    other = factories.opinion(confirmed_session(world, cell=world["other_cell"]))
    data = _opinion_rows(log_page, [{"text": "Sửa đường", "field": "roads"}])
    data.update({"opinions-0-id": str(other.pk), "action": "draft"})
    response = client.post(log_url(session), data)
    assert response.status_code == 200
    assert response.context["log_form"].non_field_errors()
    other.refresh_from_db()
    assert other.session_id != session.pk and other.text.startswith("Đề nghị")
    assert not session.opinions.exists()


def test_more_rows_than_the_cap_are_refused(client, world, session, log_page):
    data = _opinion_rows(
        log_page, [{"text": f"Ý kiến {n}", "field": "other"} for n in range(OPINION_ROWS_MAX + 1)]
    )
    data.update({"opinions-TOTAL_FORMS": str(OPINION_ROWS_MAX + 1), "action": "draft"})
    response = client.post(log_url(session), data)
    assert response.status_code == 200
    assert response.context["opinions"].non_form_errors()
    assert not session.opinions.exists()


def test_add_an_opinion_without_the_script(client, world, session, log_page):
    data = _opinion_rows(log_page, [{"text": "Sửa đường", "field": "roads"}])
    data["action"] = "add_opinion"
    response = client.post(log_url(session), data)
    assert response.status_code == 200
    again = browser_data(response)
    assert again["opinions-TOTAL_FORMS"] == "4"
    assert again["opinions-0-text"] == "Sửa đường"
    assert not session.opinions.exists()


def test_a_log_kept_from_before_opinions_leaves_them_alone(client, world, session, log_page):
    """A phone that queued the log before the form had opinion rows sends none: the stored
    opinions stay as they are."""
    kept = factories.opinion(session)
    data = {k: v for k, v in log_page.items() if not k.startswith("opinions-")}
    data["action"] = "draft"
    assert client.post(log_url(session), data).status_code == 302
    assert list(session.opinions.all()) == [kept]


# --- Following up a confirmed log's opinion ---------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "secretary", "admin"])
def test_follow_up_without_reopening_the_log(client, world, who):
    session = confirmed_session(world)
    opinion = factories.opinion(session)
    client.force_login(world[who])
    form = client.get(follow_up_url(opinion)).context["form"]
    page = {
        "version": form["version"].value(),
        "token": str(form["token"].value()),
        "status": "resolved",
        "resolver": "UBND xã Bình An",
        "resolved_on": "2026-05-02",
    }
    response = client.post(follow_up_url(opinion), page)
    assert response.status_code == 302
    opinion.refresh_from_db()
    session.refresh_from_db()
    assert (opinion.status, opinion.resolver, opinion.resolved_on) == (
        "resolved",
        "UBND xã Bình An",
        D(2026, 5, 2),
    )
    assert opinion.version == 2
    assert session.log_status == "confirmed" and session.version == 1
    change = session.changes.get(action=SessionChange.Action.OPINION_FOLLOWED_UP)
    assert change.user == world[who]
    assert "UBND xã Bình An" in change.changes["opinions"][1]
    # The same form sent again changes nothing twice.
    assert client.post(follow_up_url(opinion), page).status_code == 302
    assert session.changes.filter(action="opinion_followed_up").count() == 1


def test_follow_up_outsider_404_reader_403(client, world):
    opinion = factories.opinion(confirmed_session(world))
    client.force_login(world["secretary2"])
    assert client.get(follow_up_url(opinion)).status_code == 404
    client.force_login(world["viewer"])
    assert client.get(follow_up_url(opinion)).status_code == 403
    response = client.post(follow_up_url(opinion), {"version": 1, "status": "forwarded"})
    assert response.status_code == 403
    assert client.get(reverse("programs:opinion-follow-up", args=[999999])).status_code == 404
    opinion.refresh_from_db()
    assert opinion.status == "received"


def test_follow_up_of_an_unconfirmed_log_goes_to_the_log(client, world, session):
    opinion = factories.opinion(session)
    client.force_login(world["officer"])
    response = client.post(follow_up_url(opinion), {"version": 1, "status": "forwarded"})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "received"


def test_follow_up_invalid_and_stale(client, world):
    session = confirmed_session(world)
    opinion = factories.opinion(session)
    client.force_login(world["officer"])
    response = client.post(follow_up_url(opinion), {"version": 1, "status": "resolved"})
    assert response.status_code == 200 and "resolved_on" in response.context["form"].errors
    response = client.post(
        follow_up_url(opinion),
        {"version": 1, "status": "resolved", "resolved_on": "2026-03-01"},  # before the session
    )
    assert "resolved_on" in response.context["form"].errors
    # Someone saved meanwhile: the older form is refused and what was typed stays.
    opinion_services.opinion_follow_up(
        opinion=opinion, user=world["secretary"], version=1, status="forwarded"
    )
    response = client.post(
        follow_up_url(opinion), {"version": 1, "status": "received", "resolver": "Xã"}
    )
    assert response.status_code == 200
    assert response.context["form"]["version"].value() == 2
    opinion.refresh_from_db()
    assert (opinion.status, opinion.version) == ("forwarded", 2)


def test_follow_up_service_refuses_a_stale_version_and_an_open_log(world, session):
    confirmed = factories.opinion(confirmed_session(world, day=D(2026, 3, 14)))
    with pytest.raises(opinion_services.StaleEditError):
        opinion_services.opinion_follow_up(
            opinion=confirmed, user=world["officer"], version=7, status="forwarded"
        )
    draft = factories.opinion(session)
    with pytest.raises(opinion_services.ValidationError):
        opinion_services.opinion_follow_up(
            opinion=draft, user=world["officer"], version=1, status="forwarded"
        )
    assert not SessionChange.objects.filter(action="opinion_followed_up").exists()


def test_session_page_shows_opinions_and_the_follow_up_link(client, world):
    session = confirmed_session(world)
    opinion = factories.opinion(session, text="Đề nghị làm cầu tràn")
    client.force_login(world["officer"])
    html = client.get(session.get_absolute_url()).content.decode()
    assert "Đề nghị làm cầu tràn" in html and follow_up_url(opinion) in html
    client.force_login(world["viewer"])
    html = client.get(session.get_absolute_url()).content.decode()
    assert "Đề nghị làm cầu tràn" in html and follow_up_url(opinion) not in html


def test_a_new_session_date_moves_its_opinions(world, session):
    opinion = factories.opinion(session)
    saved = session_services.session_update(
        session=session, user=world["officer"], version=1, date=D(2026, 3, 14)
    )
    opinion.refresh_from_db()
    assert opinion.heard_on == saved.date == D(2026, 3, 14)


# --- The list of opinions ---------------------------------------------------------------------


def test_list_shows_open_opinions_of_the_scope_and_filters(client, world):
    mine = confirmed_session(world)
    open_one = factories.opinion(mine, text="Mở: sửa đường")
    factories.opinion(mine, text="Xong: điện", field="electricity", status="resolved")
    factories.opinion(factories.world_session(world, date=D(2026, 3, 14)), text="Nháp: chưa")
    other = confirmed_session(world, cell=world["other_cell"], village=world["other_village"])
    factories.opinion(other, text="Chi bộ khác", village=world["other_village"])
    client.force_login(world["secretary"])
    page = client.get(LIST)
    assert [o.pk for o in page.context["page_obj"]] == [open_one.pk]
    client.force_login(world["officer"])
    texts = {o.text for o in client.get(LIST).context["page_obj"]}
    assert texts == {"Mở: sửa đường", "Chi bộ khác"}
    texts = {o.text for o in client.get(LIST, {"status": "resolved"}).context["page_obj"]}
    assert texts == {"Xong: điện"}
    texts = {
        o.text for o in client.get(LIST, {"status": "all", "field": "roads"}).context["page_obj"]
    }
    assert texts == {"Mở: sửa đường", "Chi bộ khác"}
    village = {"village": str(world["other_village"].pk), "status": "all"}
    assert {o.text for o in client.get(LIST, village).context["page_obj"]} == {"Chi bộ khác"}
    # Nonsense filters fall back to their defaults; never a server error.
    response = client.get(LIST, {"status": "x\x00", "field": "'", "village": "1e9", "page": "-3"})
    assert response.status_code == 200


def test_list_is_closed_to_a_host_and_to_strangers(client, world):
    stranger = factories.user("stranger")
    client.force_login(stranger)
    assert client.get(LIST).status_code == 403
    client.logout()
    assert client.get(LIST).status_code == 302


def test_list_query_count_does_not_grow(client, world):
    session = confirmed_session(world)
    factories.opinion(session)
    client.force_login(world["officer"])
    client.get(LIST)  # warm up
    # Session and user, roles, committee tree, villages for the filter, count, the page.
    with pinned_queries(8, cold=True):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 1
    for n in range(40):
        other = confirmed_session(
            world, day=D(2026, 4, 4) + datetime.timedelta(days=7 * n), cell=world["other_cell"]
        )
        factories.opinion(other, village=factories.village(commune=world["commune"]))
    with pinned_queries(8, cold=True):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 41


# --- Counted in reports -----------------------------------------------------------------------


@pytest.fixture
def opinions_dataset(report_dataset):
    """Opinions of every status on the dataset's sessions, some resolved after the period."""
    rng = random.Random(20261204)
    for session in LabourSession.objects.order_by("pk"):
        for _ in range(rng.randint(0, 3)):
            status = rng.choice(["received", "forwarded", "resolved", "resolved"])
            factories.opinion(
                session,
                field=rng.choice(["roads", "irrigation", "housing", "water", "other"]),
                status=status,
                resolved_on=session.date + datetime.timedelta(days=rng.choice([0, 20, 200]))
                if status == "resolved"
                else None,
            )
    return report_dataset


def _expected_by_sql(committee_ids, period, directive_id=None):
    """Received and resolved-by-the-end per field, from the raw tables."""
    marks = ", ".join(["%s"] * len(committee_ids))
    sql = f"""
        SELECT o.field, COUNT(*),
               SUM(CASE WHEN o.status = 'resolved' AND o.resolved_on <= %s THEN 1 ELSE 0 END)
        FROM programs_villageropinion o
        JOIN programs_laboursession s ON s.id = o.session_id
        JOIN programs_partycell c ON c.id = s.cell_id
        WHERE c.committee_id IN ({marks})
          AND s.status = 'held' AND s.log_status = 'confirmed'
          AND s.date >= %s AND s.date <= %s
        GROUP BY o.field
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [period.end, *committee_ids, period.start, period.end])
        return {field: (int(n), int(done)) for field, n, done in cursor.fetchall()}


@pytest.mark.parametrize(
    "params",
    [
        {"period": "year", "year": "2026"},
        {"period": "quarter", "month": "2026-02"},
        {"period": "month", "month": "2025-06"},
    ],
)
def test_report_counts_equal_plain_sql(opinions_dataset, params):
    dataset = opinions_dataset
    committee_ids = [dataset["committee"].pk, dataset["sub"].pk]
    scope = resolve_scope(dataset["officer"], {"committee": str(dataset["committee"].pk)})
    period = parse_period(params, TODAY)
    report = build_report(scope, period, today=TODAY)
    for each in (report, report.previous):
        expected = _expected_by_sql(committee_ids, each.period)
        got = {row.field: (row.received, row.resolved) for row in each.opinions.by_field}
        assert got == expected
        assert each.opinions.received == sum(n for n, _done in expected.values())
        assert each.opinions.resolved == sum(done for _n, done in expected.values())
    if params["period"] == "year":
        assert report.opinions.received and report.opinions.resolved


def test_report_counts_equal_a_loop_over_rows(opinions_dataset):
    """The same, by a Python loop and for one cell."""
    dataset = opinions_dataset
    cell = dataset["cell"]
    scope = resolve_scope(dataset["secretary"], {})
    period = parse_period({"period": "year", "year": "2026"}, TODAY)
    report = build_report(scope, period, today=TODAY)
    received = resolved = 0
    for opinion in VillagerOpinion.objects.select_related("session"):
        s = opinion.session
        if s.cell_id != cell.pk or not (period.start <= s.date <= period.end):
            continue
        if (s.status, s.log_status) != ("held", "confirmed"):
            continue
        received += 1
        resolved += opinion.status == "resolved" and opinion.resolved_on <= period.end
    assert (report.opinions.received, report.opinions.resolved) == (received, resolved)


def test_report_page_document_and_files_show_the_counts(client, world):
    session = confirmed_session(world, day=D(2026, 2, 7))
    factories.opinion(session, status="resolved", resolved_on=D(2026, 2, 20))
    factories.opinion(session, field="irrigation", status="forwarded")
    factories.opinion(session, field="irrigation", status="resolved", resolved_on=D(2026, 5, 1))
    factories.opinion(factories.world_session(world, date=D(2026, 2, 14)))  # not confirmed
    client.force_login(world["officer"])
    params = {"period": "quarter", "month": "2026-02", "committee": world["committee"].pk}
    report = client.get(reverse("programs:reports"), params).context["report"]
    assert (report.opinions.received, report.opinions.resolved) == (3, 1)
    html = client.get(reverse("programs:report-print"), params).content.decode()
    assert "Tiếp nhận 3 ý kiến, kiến nghị của Nhân dân; đến ngày 31/03/2026 đã giải quyết 1" in html
    book = load_workbook(
        io.BytesIO(consume(client.get(reverse("programs:reports"), {**params, "format": "xlsx"})))
    )
    sheet = book["Ý kiến, kiến nghị"]
    rows = [[c.value for c in row] for row in sheet.iter_rows() if row[0].value]
    assert ["Thủy lợi", 2, 0, 2] in rows and ["Tổng cộng", 3, 1, 2] in rows
    csv_text = consume(
        client.get(reverse("programs:reports"), {**params, "format": "csv"})
    ).decode()
    assert '"Ý kiến, kiến nghị của Nhân dân được tiếp nhận",3,' in csv_text
    assert "trong đó đã giải quyết đến hết kỳ,1," in csv_text


# --- The admin site ----------------------------------------------------------------------------


def test_admin_shows_opinions_read_only(client, world):
    session = confirmed_session(world)
    factories.opinion(session, text="Đề nghị nạo vét mương")
    client.force_login(world["admin"])
    url = reverse("admin:programs_laboursession_change", args=[session.pk])
    html = client.get(url).content.decode()
    assert "Đề nghị nạo vét mương" in html
    assert 'name="opinions-0-text"' not in html


def test_a_stale_log_save_shows_both_versions_opinions(client, world, session, log_page):
    theirs = _opinion_rows(dict(log_page), [{"text": "Đề nghị làm cầu", "field": "roads"}])
    theirs["action"] = "draft"
    client.force_login(world["officer"])
    assert client.post(log_url(session), theirs).status_code == 302
    client.force_login(world["secretary"])
    mine = _opinion_rows(dict(log_page), [{"text": "Đề nghị nước sạch", "field": "water"}])
    mine.update({"action": "draft", "token": "00000000-0000-4000-8000-000000000001"})
    response = client.post(log_url(session), mine)
    assert response.status_code == 200
    conflict = response.context["conflict"]
    assert [text for _field, text, _status in conflict["yours"].opinions] == ["Đề nghị nước sạch"]
    assert [text for _field, text, _status in conflict["saved"].opinions] == ["Đề nghị làm cầu"]
    assert [o.text for o in session.opinions.all()] == ["Đề nghị làm cầu"]


def test_resolving_after_the_period_leaves_its_report_unchanged(world):
    """Resolved means resolved by the period's last day: an opinion of March resolved in May
    still counts as open in the first quarter's report, which therefore never changes."""
    session = confirmed_session(world)
    opinion = factories.opinion(session)
    scope = resolve_scope(world["officer"], {"committee": str(world["committee"].pk)})
    period = parse_period({"period": "quarter", "month": "2026-03"}, TODAY)
    before = build_report(scope, period, today=TODAY).opinions
    opinion_services.opinion_follow_up(
        opinion=opinion,
        user=world["officer"],
        version=1,
        status="resolved",
        resolved_on=D(2026, 5, 4),
    )
    after = build_report(scope, period, today=TODAY).opinions
    assert (before.received, before.resolved) == (after.received, after.resolved) == (1, 0)
    year = build_report(scope, parse_period({"period": "year", "year": "2026"}, TODAY), today=TODAY)
    assert (year.opinions.received, year.opinions.resolved) == (1, 1)


def test_a_log_that_changes_an_opinion_bumps_its_version(world, session):
    """A follow-up form opened before the log changed the opinion carries the old version and
    is refused, instead of overwriting the change."""
    changed = factories.opinion(session, text="Đề nghị sửa cống")
    kept = factories.opinion(session, text="Đề nghị làm đèn")
    rows = [
        opinion_services.OpinionInput(
            text="Đề nghị sửa cống và mương",
            field=changed.field,
            village=changed.village,
            id=changed.pk,
        ),
        opinion_services.OpinionInput(
            text=kept.text, field=kept.field, village=kept.village, id=kept.pk
        ),
    ]
    opinion_services.apply_opinions(session, rows)
    changed.refresh_from_db()
    kept.refresh_from_db()
    assert (changed.text, changed.version) == ("Đề nghị sửa cống và mương", 2)
    assert kept.version == 1
    LabourSession.objects.filter(pk=session.pk).update(
        status="held", log_status="confirmed", log_confirmed_at=CONFIRMED_AT
    )
    with pytest.raises(opinion_services.StaleEditError):
        opinion_services.opinion_follow_up(
            opinion=changed, user=world["officer"], version=1, status="forwarded"
        )


def test_report_periods_follow_the_session_date_not_heard_on(world):
    """Sessions are picked by their date: an opinion whose heard_on disagrees still counts in
    that period (it used to fall in none: a None index, a 500)."""
    session = confirmed_session(world, day=D(2026, 3, 7))
    factories.opinion(session)
    VillagerOpinion.objects.filter(session=session).update(heard_on=D(2026, 2, 28))
    scope = resolve_scope(world["officer"], {"committee": str(world["committee"].pk)})
    period = parse_period({"period": "month", "month": "2026-03"}, TODAY)
    report = build_report(scope, period, today=TODAY)
    assert report.opinions.received == 1
    assert report.previous.opinions.received == 0

"""The session page shows the log: its sign-off status, who came (counted by category and level),
the work done, the photos and the history — in a fixed number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from programs import selectors, text
from programs.models import Attendance, LabourSession, Member, Photo, SessionChange, WorkOutput
from programs.services import logbook
from tests import factories
from tests.http import page_html
from tests.queries import pinned_queries

SATURDAY = datetime.date(2026, 3, 7)
Category, Level = Member.Category, Member.Level


pytestmark = pytest.mark.usefixtures("english")


def add_photo(session, caption="") -> Photo:
    photo = Photo(session=session, caption=caption)
    photo.image.save("p.jpg", ContentFile(factories.jpeg((40, 30), (180, 40, 40))), save=False)
    photo.thumbnail.save(
        "p-thumb.jpg", ContentFile(factories.jpeg((20, 15), (180, 40, 40))), save=False
    )
    photo.save()
    return photo


def attend(session, member, workdays="1") -> Attendance:
    row = Attendance(session=session, member=member, workdays=Decimal(workdays))
    row.copy_from_member()
    row.save()
    return row


def held_session(world, **kw) -> LabourSession:
    kw.setdefault("status", LabourSession.Status.HELD)
    kw.setdefault("cell", world["cell"])
    kw.setdefault("village", world["village"])
    kw.setdefault("directive", world["directive"])
    kw.setdefault("date", SATURDAY)
    return factories.session(**kw)


def submitted(session, user) -> LabourSession:
    session.log_status = LabourSession.LogStatus.SUBMITTED
    session.log_submitted_at = timezone.now()
    session.log_submitted_by = user
    session.save()
    return session


def _row(html, label) -> list[str]:
    """The numbers in the table row whose header cell reads ``label``."""
    match = re.search(
        rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", html, flags=re.DOTALL
    )
    assert match, label
    return re.findall(r'<td class="num">\s*([^<\s]*)', match.group(1))


@pytest.fixture
def logged(world):
    """A held session logged by hand: four named people and 6 + 4 + 45 counted without names."""
    session = held_session(
        world, unlisted_commune_cadres=6, unlisted_armed_forces=4, unlisted_villagers=45
    )
    cell = world["cell"]
    people = [
        ("Hoàng Văn Thắng", Category.CIVIL_SERVANT, Level.DISTRICT, True, "1"),
        ("Ma Thị Hạnh", Category.CIVIL_SERVANT, Level.COMMUNE, True, "0.5"),
        ("Quan Văn Lực", Category.ARMED_FORCES, Level.DISTRICT, False, "1"),
        ("Nông Thị Mai", Category.FRONT_CADRE, Level.PROVINCE, True, "1.5"),
    ]
    for name, category, level, party, workdays in people:
        member = factories.member(
            cell=cell, full_name=name, category=category, level=level, is_party_member=party
        )
        attend(session, member, workdays)
    # Changing the member afterwards does not change how the past session counts them.
    Member.objects.filter(full_name="Ma Thị Hạnh").update(level=Level.PROVINCE)
    household = factories.household(
        village=world["village"], head_name="Quan Văn Thính", status="poor"
    )
    WorkOutput.objects.create(
        session=session,
        work_type=factories.work_type(name="Thủy lợi", name_en="Irrigation canals"),
        description="Lắp đặt cấu kiện kênh mương",
        quantity=Decimal("1250.50"),
        unit="m",
        value_vnd=1_500_000,
        funding_source="state",
    )
    WorkOutput.objects.create(
        session=session,
        work_type=factories.work_type(name="Nhà ở", name_en="Housing"),
        quantity=Decimal("1.00"),
        unit="house",
        household=household,
    )
    return session


# --- what the page shows -----------------------------------------------------------------------


def test_counts_match_a_hand_count(client, world, logged):
    client.force_login(world["officer"])

    response = client.get(logged.get_absolute_url())

    log = response.context["log"]
    by_category = {row.label: (row.people, row.workdays) for row in log.by_category}
    assert by_category == {
        "official": (0, 0),
        "civil servant": (2, Decimal("1.5")),
        "public employee": (0, 0),
        "worker": (0, 0),
        "armed forces": (1, 1),
        "Front / mass-organisation cadre": (1, Decimal("1.5")),
    }
    by_level = {row.label: (row.people, row.workdays) for row in log.by_level}
    assert by_level == {
        "province level": (1, Decimal("1.5")),
        "district level": (2, 2),
        "commune level": (1, Decimal("0.5")),  # as copied on the day, not the member's level now
    }
    assert (log.named, log.party_members, log.workdays) == (4, 3, Decimal("4"))
    assert [row.people for row in log.unlisted] == [6, 4, 45]
    assert log.person_visits == 4 + 6 + 4 + 45

    html = page_html(response)
    assert _row(html, "Civil servant") == ["2", "1,5"]
    assert _row(html, "Front / mass-organisation cadre") == ["1", "1,5"]
    assert _row(html, "Commune level") == ["1", "0,5"]
    assert _row(html, "Villagers") == ["45", ""]  # workdays not recorded: "—"
    assert _row(html, "Total person-visits") == ["59", "4"]
    assert _row(html, "Party members") == ["3"]
    # The named participants, by name, with what was copied onto their row.
    assert html.index("Hoàng Văn Thắng") < html.index("Ma Thị Hạnh") < html.index("Quan Văn Lực")
    assert "0,5 workday(s)" in html


def test_work_done_in_vietnamese_number_format(client, world, logged):
    client.force_login(world["secretary"])

    html = page_html(client.get(logged.get_absolute_url()))

    assert "1.250,5 m" in html
    assert "1.500.000\u00a0đ" in html
    assert "State budget" in html
    assert "Irrigation canals" in html
    assert "Quan Văn Thính" in html
    assert "(poor household)" in html
    assert "1 house" in html  # 1.00 reads "1"


def test_photo_gallery_uses_the_protected_view(client, world, logged):
    first = add_photo(logged, caption="Lắp đặt kênh mương thôn Phiêng Luông")
    second = add_photo(logged)
    client.force_login(world["secretary"])

    html = page_html(client.get(logged.get_absolute_url()))

    for photo in (first, second):
        url = reverse("programs:session-photo", args=[logged.pk, photo.pk])
        assert f'href="{url}"' in html
        assert f'src="{url}?size=thumb"' in html
        assert "/media/" not in html
        assert photo.image.name not in html
    assert 'alt="Lắp đặt kênh mương thôn Phiêng Luông"' in html
    assert 'alt="Photo 2 of the session"' in html
    assert html.count('loading="lazy"') == 2


def test_user_text_is_escaped(client, world, logged):
    add_photo(logged, caption='<script>alert("x")</script>')
    LabourSession.objects.filter(pk=logged.pk).update(
        log_status="returned", review_comment="<b>sai</b> số liệu"
    )
    client.force_login(world["secretary"])

    html = page_html(client.get(logged.get_absolute_url()))

    assert "<script>alert" not in html
    assert "&lt;b&gt;sai&lt;/b&gt; số liệu" in html


# --- status and actions --------------------------------------------------------------------------


def test_not_logged_planned_session(client, world):
    session = held_session(world, status=LabourSession.Status.PLANNED)
    client.force_login(world["secretary"])

    html = page_html(client.get(session.get_absolute_url()))

    assert "Not logged yet" in html
    assert reverse("programs:session-log", args=[session.pk]) in html
    assert "No work is recorded yet." in html


def test_submitted_log_shows_who_and_offers_the_officer_confirm_and_return(client, world, logged):
    submitted(logged, world["secretary"])
    world["secretary"].last_name, world["secretary"].first_name = "Hoàng Văn", "Thắng"
    world["secretary"].save()
    confirm = reverse("programs:session-log-confirm", args=[logged.pk])
    give_back = reverse("programs:session-log-return", args=[logged.pk])
    client.force_login(world["officer"])

    html = page_html(client.get(logged.get_absolute_url()))

    assert "Waiting for confirmation" in html
    assert "Submitted by Hoàng Văn Thắng" in html
    assert f'action="{confirm}"' in html
    assert f'name="version" value="{logged.version}"' in html
    assert give_back in html
    # The officer may also log (correct) a log that is not locked.
    assert reverse("programs:session-log", args=[logged.pk]) in html


@pytest.mark.parametrize("who", ["viewer", "secretary"])
def test_read_only_users_get_no_review_buttons(client, world, logged, who):
    submitted(logged, world["secretary"])
    client.force_login(world[who])

    html = page_html(client.get(logged.get_absolute_url()))

    assert reverse("programs:session-log-confirm", args=[logged.pk]) not in html
    assert reverse("programs:session-log-return", args=[logged.pk]) not in html
    log_url = reverse("programs:session-log", args=[logged.pk])
    assert (log_url in html) == (who == "secretary")


def test_returned_log_shows_the_officers_comment(client, world, logged):
    submitted(logged, world["secretary"])
    logbook.session_log_return(
        session=logged,
        user=world["officer"],
        version=logged.version,
        comment="Thiếu ảnh phần việc nhà ông Thính",
    )
    client.force_login(world["secretary"])

    html = page_html(client.get(logged.get_absolute_url()))

    assert "Returned for correction" in html
    assert "Officer&#x27;s comment" in html or "Officer's comment" in html
    assert "Thiếu ảnh phần việc nhà ông Thính" in html
    assert reverse("programs:session-log", args=[logged.pk]) in html


def test_confirmed_log_is_locked_and_only_officers_may_reopen(client, world, logged):
    submitted(logged, world["secretary"])
    logbook.session_log_confirm(session=logged, user=world["officer"], version=logged.version)
    reopen = reverse("programs:session-log-reopen", args=[logged.pk])
    log_url = reverse("programs:session-log", args=[logged.pk])

    client.force_login(world["officer"])
    html = page_html(client.get(logged.get_absolute_url()))
    assert "Confirmed by officer on" in html
    assert reopen in html
    assert log_url not in html

    client.force_login(world["secretary"])
    html = page_html(client.get(logged.get_absolute_url()))
    assert reopen not in html
    assert log_url not in html


def test_cancelled_session_has_no_log_link(client, world):
    session = held_session(
        world, status=LabourSession.Status.CANCELLED, status_reason="Mưa lũ, đường sạt lở"
    )
    client.force_login(world["officer"])

    html = page_html(client.get(session.get_absolute_url()))

    assert reverse("programs:session-log", args=[session.pk]) not in html
    assert "A postponed or cancelled session has no log." in html


# --- history ----------------------------------------------------------------------------------


def test_history_shows_the_log_actions_with_readable_field_names(client, world, logged):
    SessionChange.objects.create(
        session=logged,
        user=world["secretary"],
        action=SessionChange.Action.LOG_SUBMITTED,
        changes={
            "attendances": ["", "Hoàng Văn Thắng (1)"],
            "outputs": ["", "Thủy lợi: 1.250,5 m"],
            "photos": ["", "Lắp đặt kênh mương"],
            "unlisted_villagers": ["0", "45"],
        },
    )
    submitted(logged, world["secretary"])
    logbook.session_log_return(
        session=logged, user=world["officer"], version=logged.version, comment="Thiếu ảnh"
    )
    client.force_login(world["viewer"])

    html = page_html(client.get(logged.get_absolute_url()))

    assert "log submitted for confirmation" in html
    assert "log returned for correction" in html
    assert "Comment:" in html
    for label in ("Participants:", "Work done:", "Photos:", "Villagers:", "Log status:"):
        assert label in html
    assert "attendances:" not in html


# --- speed ------------------------------------------------------------------------------------


def test_page_queries_do_not_grow_with_the_log(client, world):
    session = held_session(world, unlisted_villagers=10)
    submitted(session, world["secretary"])
    work_type = factories.work_type()
    members = [factories.member(cell=world["cell"]) for _ in range(3)]
    for member in members:
        attend(session, member)
    household = factories.household(village=world["village"])
    WorkOutput.objects.create(
        session=session, work_type=work_type, quantity=1, unit="m", household=household
    )
    add_photo(session, "một")
    factories.opinion(session)
    SessionChange.objects.create(session=session, action="log_submitted", changes={})
    url = session.get_absolute_url()
    client.force_login(world["officer"])
    client.get(url)  # warm up the session and user loading

    with pinned_queries(13):
        assert client.get(url).status_code == 200

    for n in range(60):
        attend(session, factories.member(cell=world["cell"] if n % 2 else None), "0.5")
    for n in range(19):
        WorkOutput.objects.create(
            session=session,
            work_type=factories.work_type(),
            quantity=n + 1,
            unit="m",
            household=factories.household(village=world["village"]),
            value_vnd=1000 * n,
            funding_source="villagers",
        )
        add_photo(session, f"ảnh {n}")
        factories.opinion(session, village=factories.village(commune=world["village"].commune))

    with pinned_queries(13):
        response = client.get(url)
    log = response.context["log"]
    assert (log.named, len(log.outputs), len(log.photos)) == (63, 20, 20)
    assert len(log.opinions) == 20


def test_summary_runs_no_query_of_its_own(world, logged, django_assert_num_queries):
    session = selectors.session_detail_queryset().get(pk=logged.pk)
    with django_assert_num_queries(0):
        summary = selectors.session_log_summary(session)
    assert summary.person_visits == 59


def test_number_formats():
    assert text.vn_number(Decimal("1250.50")) == "1.250,5"
    assert text.vn_number(Decimal("250.00")) == "250"
    assert text.vn_number(Decimal("0.5")) == "0,5"
    assert text.vnd(1_500_000) == "1.500.000\u00a0đ"
    assert text.vnd(None) == ""

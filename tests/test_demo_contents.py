"""What the demo loads (``load_demo``): true to the source article, with the users, roles and
sign-off states a visitor needs, and a news item of the article's session that reads like the
article (issue 15). These tests only read the demo: it is loaded once for the module (the
``demo`` fixture)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from programs.models import (
    Assignment,
    Directive,
    Household,
    LabourSession,
    PartyCell,
    Photo,
    Role,
    Village,
    Weekday,
    WorkOutput,
)
from tests.demo import DEMO_USERS
from tests.http import consume, signed_in


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True  # as the demo is served: `make run` turns DEBUG on


def test_the_article_session_in_phieng_luong(demo):
    village = Village.objects.get(name="Phiêng Luông")
    canal = WorkOutput.objects.get(
        work_type__name="Thủy lợi, kênh mương",
        quantity=Decimal("250"),
        unit="m",
        session__village=village,
        session__status=LabourSession.Status.HELD,
    )
    session = canal.session
    assert session.date.weekday() == Weekday.SATURDAY
    assert session.date < timezone.localdate()
    assert canal.description == "Vận chuyển, lắp đặt cấu kiện kênh mương bê tông đúc sẵn"
    assert session.partner == "Chi bộ thôn Phiêng Luông, Đảng ủy xã Bình An"
    assert session.cell.committee.name == "Đảng ủy Cơ quan Chính quyền huyện"
    assert session.attendances.exists()
    assert session.unlisted_villagers > 0
    assert session.photos.count() == 2

    house = session.outputs.get(household__isnull=False)
    assert house.household.head_name == "Quan Văn Thính"
    assert house.value_vnd and house.funding_source
    # The other cells worked the same Saturday in Nà Coóc and Chẩu Quân.
    joint_villages = set(
        LabourSession.objects.held()
        .filter(date=session.date)
        .values_list("village__name", flat=True)
    )
    assert joint_villages == {"Phiêng Luông", "Nà Coóc", "Chẩu Quân"}


def test_the_household_of_ong_quan_van_thinh(demo):
    household = Household.objects.get(head_name="Quan Văn Thính")
    assert household.village.name == "Phiêng Luông"
    assert household.status in (Household.Status.POOR, Household.Status.POLICY)


def test_the_district_plan_implements_the_provincial_scheme(demo):
    plan = Directive.objects.get(symbol="54-KH/HU")
    assert plan.kind == Directive.Kind.PLAN
    assert plan.number == "54"
    assert plan.parent.symbol == "02-ĐA/TU"
    assert plan.parent.issued_on == datetime.date(2021, 5, 23)
    assert plan.sessions_per_month == 1
    assert plan.weekdays == [Weekday.SATURDAY, Weekday.SUNDAY]


def test_village_labels_keep_the_district_for_past_dates(demo):
    village = Village.objects.get(name="Phiêng Luông")
    assert village.label_on(datetime.date(2022, 5, 1)) == (
        "thôn Phiêng Luông, xã Bình An, huyện Lâm Bình, tỉnh Tuyên Quang"
    )
    assert village.label_on(timezone.localdate()) == (
        "thôn Phiêng Luông, xã Bình An, tỉnh Tuyên Quang"
    )


def test_each_agency_cell_has_exactly_one_open_assignment(demo):
    cells = PartyCell.objects.filter(kind=PartyCell.Kind.AGENCY)
    assert 4 <= cells.count() <= 6
    for cell in cells:
        assert Assignment.objects.open().filter(cell=cell).count() == 1, cell
    first = Role.objects.get(user__username="secretary").cell
    assert Assignment.objects.open().get(cell=first).village.name == "Phiêng Luông"


def test_every_session_is_on_a_weekend_and_valid(demo):
    sessions = LabourSession.objects.select_related("directive", "cell", "village")
    statuses = set()
    for session in sessions:
        assert session.date.weekday() in (Weekday.SATURDAY, Weekday.SUNDAY), session
        session.full_clean()
        statuses.add(session.status)
    assert statuses >= {"held", "planned", "postponed", "cancelled"}
    assert sessions.filter(status__in=["postponed", "cancelled"]).exclude(status_reason="").count()
    for session in LabourSession.objects.held().prefetch_related("attendances__member"):
        for attendance in session.attendances.all():
            member = attendance.member
            assert (attendance.category, attendance.level, attendance.is_party_member) == (
                member.category,
                member.level,
                member.is_party_member,
            )


def test_the_secretary_has_a_next_session_within_about_a_month(demo):
    today = timezone.localdate()
    cell = Role.objects.get(user__username="secretary").cell
    upcoming = LabourSession.objects.planned().filter(cell=cell, date__gt=today).order_by("date")
    assert upcoming.exists()
    # One session a month on the cell's usual weekend; a Tết holiday can push it a week later.
    assert upcoming.first().date <= today + datetime.timedelta(days=40)


def test_users_have_their_roles_and_the_officer_can_use_the_admin(demo):
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    officer = User.objects.get(username="officer")
    assert officer.is_staff and not officer.is_superuser
    assert officer.has_perm("programs.change_village")
    assert officer.has_perm("programs.add_household")
    assert officer.has_perm("programs.view_laboursession")
    assert not officer.has_perm("programs.change_laboursession")
    assert not officer.has_perm("programs.delete_village")
    for username in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.first_name and user.last_name
    roles = {
        role.user.username: (role.kind, str(role.committee or role.cell))
        for role in Role.objects.select_related("user", "committee", "cell")
    }
    assert roles["officer"] == ("officer", "Đảng ủy Cơ quan Chính quyền huyện")
    assert roles["viewer"] == ("viewer", "Đảng ủy Cơ quan Chính quyền huyện")
    assert roles["secretary"][0] == roles["secretary2"][0] == "secretary"
    assert roles["secretary"][1] != roles["secretary2"][1]
    assert roles["host"] == ("host", "Đảng ủy xã Bình An")


def test_the_host_reads_the_sessions_held_in_its_villages_and_nothing_else(demo, client):
    """The article's partner committee reads the other committee's sessions in xã Bình An
    (with who came) but not that committee's cells or reports."""
    assert client.login(username="host", password="demo")
    session = LabourSession.objects.filter(status="held").select_related("cell").first()
    response = client.get(f"/sessions/{session.pk}/")
    assert response.status_code == 200
    assert session.village.name in response.content.decode()
    assert client.get(f"/cells/{session.cell_id}/").status_code == 404
    assert client.get(f"/sessions/{session.pk}/log/").status_code in (403, 404)


def test_the_officer_can_search_villages_in_the_admin_site(demo, client):
    assert client.login(username="officer", password="demo")
    response = client.get("/admin/programs/village/", {"q": "phieng luong"})
    assert response.status_code == 200
    assert [str(v) for v in response.context["cl"].result_list] == ["thôn Phiêng Luông"]
    assert client.get("/admin/programs/village/add/").status_code == 200
    assert client.get("/admin/programs/laboursession/add/").status_code == 403


def test_logs_are_in_every_sign_off_state(demo):
    held = LabourSession.objects.filter(status="held")
    counts = {
        state: held.filter(log_status=state).count()
        for state in ("confirmed", "submitted", "returned")
    }
    assert counts["confirmed"] > counts["submitted"] >= 1
    assert counts["returned"] == 1
    assert not held.filter(log_status="").exists()
    returned = held.get(log_status="returned")
    assert returned.review_comment
    for session in held.filter(log_status="confirmed"):
        assert session.log_confirmed_at > session.log_submitted_at
        session.full_clean()


def test_villagers_opinions_of_every_status_count_in_the_report(demo):
    """Held sessions carry villagers' requests: some resolved by the commune, some forwarded,
    the newest just received; the year's report counts them."""
    from programs.models import PartyCommittee, VillagerOpinion
    from programs.reports.figures import build_report
    from programs.reports.periods import parse_period
    from programs.reports.scopes import resolve_scope

    statuses = set(VillagerOpinion.objects.values_list("status", flat=True))
    assert statuses == {"received", "forwarded", "resolved"}
    assert VillagerOpinion.objects.filter(text__contains="cấu kiện kênh mương").exists()
    officer = get_user_model().objects.get(username="officer")
    committee = PartyCommittee.objects.get(name="Đảng ủy Cơ quan Chính quyền huyện")
    scope = resolve_scope(officer, {"committee": str(committee.pk)})
    today = timezone.localdate()
    # The last twelve months, so the test holds in January too.
    start = (today - datetime.timedelta(days=365)).isoformat()
    period = parse_period({"period": "custom", "from": start, "to": today.isoformat()}, today)
    report = build_report(scope, period, today=today, with_previous=False)
    assert report.opinions.received > report.opinions.resolved > 0


# --- The news item of the article session (issue 15) ----------------------------------------


def _article_session():
    return Photo.objects.filter(caption__startswith="Cán bộ, đảng viên").latest("pk").session


def test_the_demo_marks_only_ong_thinhs_household_publishable(demo):
    assert list(Household.objects.filter(publishable=True).values_list("head_name", flat=True)) == [
        "Quan Văn Thính"
    ]


def test_the_draft_of_the_article_session_names_what_the_article_names(client, demo):
    session = _article_session()
    signed_in(client, get_user_model().objects.get(username="officer"))
    response = client.get(reverse("programs:session-news", args=[session.pk]))
    shown = response.context["page"].shown
    text = "\n".join([shown["headline"], shown["lead"], shown["body"]])
    assert "Đảng ủy Cơ quan Chính quyền huyện" in shown["headline"]
    assert "các thôn Phiêng Luông, Nà Coóc và Chẩu Quân" in shown["headline"]
    assert "Đảng ủy xã Bình An" in shown["lead"]
    assert "Đề án số 02-ĐA/TU ngày 23/05/2021" in shown["lead"]
    assert "Kế hoạch số 54-KH/HU" in shown["lead"]
    assert "kênh mương bê tông đúc sẵn (250 m)" in text
    assert "đổ bê tông nền nhà" in text
    assert "Quan Văn Thính" in text
    # Three cells' confirmed logs of the same Saturday, the article's session first.
    assert len(response.context["page"].coverage.sessions) == 3
    assert response.context["page"].coverage.sessions[0] == session.pk
    # The two article photos, captions as figure captions.
    captions = [figure.caption for figure in response.context["page"].facts.figures]
    assert any("kênh mương" in caption for caption in captions)
    docx = consume(client.get(reverse("programs:session-news", args=[session.pk]) + "?format=docx"))
    assert docx[:2] == b"PK"
    assert not re.search("Hoàng Văn Thắng", text)  # the first cell's secretary is not named

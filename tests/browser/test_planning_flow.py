"""End to end: the officer plans next month, sees it on the calendar and postpones a session;
a cell secretary cannot open the planner."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import LabourSession, PartyCommittee
from programs.planning import Month

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _plannable_month() -> Month:
    """The first month after today in which the demo's cells have no session yet."""
    month = Month.of(timezone.localdate()).next()
    while LabourSession.objects.filter(date__gte=month.first, date__lte=month.last).exists():
        month = month.next()
    return month


def test_officer_plans_a_month_and_postpones_a_session(page, live_server, log_in, demo_site):
    month = _plannable_month()
    committee = PartyCommittee.objects.get(name="Đảng ủy Cơ quan Chính quyền huyện")
    cells = committee.cells.filter(active=True, assignments__ends_on__isnull=True).distinct()

    log_in(page, "officer", "demo")
    page.goto(f"{live_server.url}/sessions/plan/")
    page.select_option("#id_committee", str(committee.pk))
    page.select_option("#id_directive", label="Kế hoạch 54-KH/HU")
    page.fill("#id_month", str(month))
    page.fill("#id_planned_work", "Làm đường bê tông")
    page.locator("#plan-form button[type=submit]").click()

    preview = page.locator("#plan-form table tbody tr")
    expect(preview).to_have_count(cells.count())
    page.locator("main form[method=post] button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/sessions/calendar/?month={month}")
    planned = LabourSession.objects.filter(date__gte=month.first, date__lte=month.last)
    assert planned.count() == cells.count()
    assert all(s.date.weekday() in (5, 6) for s in planned)
    for cell in cells:
        expect(page.locator("main")).to_contain_text(cell.name)

    session = planned.order_by("date", "cell__name").first()
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    page.locator(f'a[href="/sessions/{session.pk}/postpone/"]').click()
    page.fill("#id_reason", "Mưa lớn, đường trơn trượt")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/sessions/{session.pk}/")
    expect(page.locator("main")).to_contain_text("Mưa lớn, đường trơn trượt")
    session.refresh_from_db()
    assert (session.status, session.status_reason) == ("postponed", "Mưa lớn, đường trơn trượt")


def test_secretary_cannot_open_the_planner(page, live_server, log_in, demo_site):
    log_in(page, "secretary", "demo")
    expect(page.locator('a[href="/sessions/plan/"]')).to_have_count(0)
    response = page.goto(f"{live_server.url}/sessions/plan/")
    assert response.status == 403
    assert not LabourSession.objects.filter(created_by__username="secretary").exists()

"""End to end on a phone (360×740): the secretary logs the demo's next session with three
attendees, 40 m of canal and a photo, and submits; the officer confirms it; after that the
secretary can no longer edit it, and another cell's secretary cannot even see it."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from programs.models import LabourSession, WorkType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def _photo(tmp_path):
    path = tmp_path / "kenh-muong.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (90, 140, 60)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _the_day_after(session):
    """The demo's next session lies ahead; the secretary logs it right after the work, so the
    test moves it to the latest weekend day that has passed and is free for the cell."""
    day = timezone.localdate() - datetime.timedelta(days=1)
    taken = set(session.cell.sessions.values_list("date", flat=True))
    while day.weekday() not in (5, 6) or day in taken or not session.directive.is_effective_on(day):
        day -= datetime.timedelta(days=1)
    LabourSession.objects.filter(pk=session.pk).update(date=day)


def test_secretary_logs_on_a_phone_and_the_officer_confirms(
    page, new_page, live_server, log_in, tmp_path, demo_site
):
    session = (
        LabourSession.objects.filter(
            cell__roles__user__username="secretary", status="planned", date__gt=timezone.localdate()
        )
        .order_by("date")
        .first()
    )
    _the_day_after(session)
    canal = WorkType.objects.get(name="Thủy lợi, kênh mương")
    page.set_viewport_size(PHONE)

    log_in(page, "secretary", "demo")
    page.locator(f'a[href="/sessions/{session.pk}/log/"]').first.click()
    expect(page).to_have_url(f"{live_server.url}/sessions/{session.pk}/log/")
    members = list(session.cell.members.filter(active=True).order_by("full_name")[:3])
    for member in members:
        page.check(f"#id_came_{member.pk}")
    page.select_option("#id_outputs-0-work_type", str(canal.pk))
    page.fill("#id_outputs-0-quantity", "40")
    page.fill("#id_outputs-0-description", "Lắp cấu kiện kênh mương bê tông đúc sẵn")
    page.set_input_files("#id_photos-0-image", str(_photo(tmp_path)))
    page.fill("#id_photos-0-caption", "Lắp kênh mương thôn Phiêng Luông")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= PHONE["width"], f"the log form scrolls sideways: {scroll}px"
    page.locator("button[name=action][value=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/sessions/{session.pk}/")
    session.refresh_from_db()
    assert (session.status, session.log_status) == ("held", "submitted")
    assert sorted(session.attendances.values_list("member_id", flat=True)) == sorted(
        m.pk for m in members
    )
    output = session.outputs.get()
    assert (output.work_type, output.quantity, output.unit) == (canal, 40, "m")
    assert session.photos.get().caption == "Lắp kênh mương thôn Phiêng Luông"

    # The officer, at the district office's computer.
    desk = new_page()
    log_in(desk, "officer", "demo")
    desk.goto(f"{live_server.url}/sessions/{session.pk}/")
    expect(desk.locator("main")).to_contain_text("Lắp kênh mương thôn Phiêng Luông")
    desk.locator(f'form[action="/sessions/{session.pk}/confirm/"] button[type=submit]').click()
    expect(desk).to_have_url(f"{live_server.url}/sessions/{session.pk}/")
    session.refresh_from_db()
    assert session.log_status == "confirmed"

    # The secretary, still signed in on her phone, opens the log again.
    page.goto(f"{live_server.url}/sessions/{session.pk}/log/")
    expect(page.locator("button[name=action][value=submit]")).to_have_count(0)
    expect(page.locator(f"#id_came_{members[0].pk}")).to_have_count(0)

    # Another cell's secretary, on her own phone.
    other = new_page(PHONE)
    log_in(other, "secretary2", "demo")
    response = other.goto(f"{live_server.url}/sessions/{session.pk}/log/")
    assert response.status == 404
    response = other.goto(f"{live_server.url}/sessions/{session.pk}/")
    assert response.status == 404

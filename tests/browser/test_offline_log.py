"""The log form without signal (issue 10), in Chromium at 360 × 740 with a persistent profile, so
that the browser's storage survives closing it: what is typed is kept on the phone, a log saved
without a connection is sent by itself exactly once when the network returns, an expired
sign-in loses nothing, a log saved by someone else meanwhile shows both versions, a slow upload
shows its progress, Enter sends nothing, and signing out leaves nothing of the person behind."""

import io
import os
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.sessions.models import Session
from PIL import Image
from playwright.sync_api import expect

from programs.models import Attendance, FormSubmission, LabourSession, Photo, WorkOutput
from programs.services import logbook
from tests import factories
from tests.browser.conftest import CHROMIUM_ARGS, WCAG_AA, chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def _jpeg(size=(1200, 900), noise=False) -> bytes:
    image = Image.new("RGB", size, (120, 160, 90))
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


@pytest.fixture
def world(db):
    cell = factories.cell(name="Chi bộ Văn phòng")
    secretary = factories.user("secretary", password="pw", role="secretary", target=cell)
    officer = factories.user("officer", password="pw", role="officer", target=cell.committee)
    members = [
        factories.member(cell=cell, full_name=name)
        for name in ("Hoàng Văn Thắng", "Ma Thị Hoa", "Lý Văn Hùng")
    ]
    session = factories.session(cell=cell, other_village_reason="Thôn kết nghĩa")
    canal = factories.work_type(name="Kênh mương (thử)", default_unit="m")
    yard = factories.work_type(name="Sân bê tông (thử)", default_unit="m2")
    return {
        "cell": cell,
        "secretary": secretary,
        "officer": officer,
        "members": members,
        "session": session,
        "canal": canal,
        "yard": yard,
    }


class Phone:
    """A phone's browser. With a profile on disk (``profile``), closing and opening it again
    keeps its storage, its service worker and its kept pages, as a real phone does; without
    one it is a fresh context of the shared browser, which has the same storage, service
    worker and kept pages while it is open, and starts in a fraction of the time."""

    def __init__(self, browser, profile=None):
        self.browser = browser
        self.profile = str(profile) if profile else None
        self.context = None
        self.errors = []

    def open(self, offline=False):
        """Start the browser. Offline, every request fails as on a phone without signal: the
        browser goes through a proxy that is not there (loopback included), which holds for
        the service worker too, where Chromium's offline emulation may not reach it."""
        options = {
            "viewport": PHONE,
            "locale": "vi-VN",
            "offline": offline,
            # axe-core is injected as a script, which the pages' CSP would refuse.
            "bypass_csp": True,
        }
        if self.profile is None:
            assert not offline, "a phone that starts without signal needs a profile on disk"
            self.context = self.browser.new_context(**options)
        else:
            args = list(CHROMIUM_ARGS)
            if offline:
                args += ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]
            self.context = self.browser.browser_type.launch_persistent_context(
                self.profile,
                executable_path=chromium_path(),
                args=args,
                headless=True,
                **options,
            )
        self.context.set_default_timeout(15_000)
        page = self.context.pages[0] if self.context.pages else self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        return page

    def offline(self, offline: bool):
        """Signal lost or back while the browser runs: the pages see it (navigator.onLine, the
        "online" event) and requests fail, the running service worker's included."""
        if offline:
            self.context.set_offline(True)
            self.context.route("**/*", lambda route: route.abort("internetdisconnected"))
        else:
            # Requests go through again before the pages hear the "online" event, as on a phone;
            # the other way round, what the event starts could still be refused.
            self.context.unroute("**/*")
            self.context.set_offline(False)

    def close(self):
        if self.context is not None:
            self.context.close()
            self.context = None


@pytest.fixture
def phone(browser):
    """A phone whose browser stays open for the whole test."""
    device = Phone(browser)
    yield device
    device.close()
    assert device.errors == [], device.errors


@pytest.fixture
def phone_with_profile(browser, tmp_path):
    """A phone whose browser is closed and opened again: its profile is kept on disk."""
    device = Phone(browser, tmp_path / "profile")
    yield device
    device.close()
    assert device.errors == [], device.errors


def _log_url(live_server, session):
    return f"{live_server.url}/sessions/{session.pk}/log/"


def _wait_until_kept(page, url):
    """The service worker runs and the log form is kept on the phone."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for _attempt in range(100):
        kept = page.evaluate(
            """(url) => caches.open('civic-pages-' + document.body.dataset.user)
                .then((cache) => cache.match(url)).then(Boolean)""",
            url,
        )
        if kept:
            return
        time.sleep(0.1)
    raise AssertionError(f"{url} was not kept on the phone")


def _wait_for(page, expression, seconds=20):
    # page.wait_for_function evaluates a string, which the pages' CSP forbids.
    for _attempt in range(seconds * 20):
        if page.evaluate(expression):
            return
        time.sleep(0.05)
    raise AssertionError(f"never true: {expression}")


def _accessible(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    violations = Axe().run(page, options=WCAG_AA).response["violations"]
    assert [v["id"] for v in violations] == []


def _drafts(page, user_id) -> int:
    return page.evaluate(f"CivicSync.drafts('{user_id}').then((list) => list.length)")


def _fill(page, world, photo: bytes):
    members = world["members"]
    page.check(f"#id_came_{members[0].pk}")
    page.check(f"#id_came_{members[1].pk}")
    page.fill(f"#id_workdays_{members[1].pk}", "0.5")
    page.fill("#id_unlisted_villagers", "12")
    page.select_option("#id_outputs-0-work_type", str(world["canal"].pk))
    page.fill("#id_outputs-0-quantity", "40")
    page.get_by_role("button", name="Thêm dòng").click()
    page.select_option("#id_outputs-1-work_type", str(world["yard"].pk))
    page.fill("#id_outputs-1-quantity", "25")
    page.set_input_files(
        "#id_photos-0-image", {"name": "kenh.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    page.fill("#id_photos-0-caption", "Đổ bê tông kênh")
    page.fill("#id_notes", "Bà con đề nghị làm tiếp đoạn kênh còn lại.")
    expect(page.locator("[data-photo-preview]")).to_have_count(1)
    expect(page.locator("[data-log-status]")).to_contain_text("Đã lưu trên máy lúc")


def _assert_restored(page, world):
    members = world["members"]
    expect(page.locator(f"#id_came_{members[0].pk}")).to_be_checked()
    expect(page.locator(f"#id_came_{members[1].pk}")).to_be_checked()
    expect(page.locator(f"#id_came_{members[2].pk}")).not_to_be_checked()
    expect(page.locator(f"#id_workdays_{members[1].pk}")).to_have_value("0.5")
    expect(page.locator("#id_unlisted_villagers")).to_have_value("12")
    expect(page.locator("#id_outputs-1-quantity")).to_have_value("25")
    expect(page.locator("#id_photos-0-caption")).to_have_value("Đổ bê tông kênh")
    expect(page.locator("#id_notes")).to_have_value("Bà con đề nghị làm tiếp đoạn kênh còn lại.")
    assert page.evaluate("document.getElementById('id_photos-0-image').files.length") == 1


def _assert_submitted_once(world):
    session = LabourSession.objects.get(pk=world["session"].pk)
    assert session.log_status == LabourSession.LogStatus.SUBMITTED
    assert session.unlisted_villagers == 12
    assert Attendance.objects.filter(session=session).count() == 2
    assert WorkOutput.objects.filter(session=session).count() == 2
    photo = Photo.objects.get(session=session)
    assert photo.caption == "Đổ bê tông kênh"
    assert session.version == 2  # one save, not two
    assert FormSubmission.objects.filter(session=session).count() == 1


def test_a_log_sent_without_signal_survives_closing_and_goes_once_when_online(
    phone_with_profile, live_server, log_in, world
):
    phone = phone_with_profile
    url = _log_url(live_server, world["session"])
    page = phone.open()
    log_in(page, "secretary", "pw")
    page.goto(url)
    _wait_until_kept(page, url)
    _fill(page, world, _jpeg())

    phone.offline(True)
    page.get_by_role("button", name="Gửi xác nhận").click()
    expect(page.locator("[data-log-status]")).to_contain_text("sẽ gửi khi có mạng")
    assert not Attendance.objects.exists()
    phone.close()

    # The browser was closed; it opens again in the village, still without signal.
    page = phone.open(offline=True)
    page.goto(url)
    expect(page.locator("[data-offline-banner]")).to_contain_text("bản lưu trên máy")
    _assert_restored(page, world)
    _accessible(page)
    phone.close()
    assert not Attendance.objects.exists()

    # Back in signal: the app opens at its start page and sends the waiting log by itself.
    page = phone.open()
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-offline-banner]")).to_contain_text("Đã gửi nhật ký")
    _assert_submitted_once(world)
    assert _drafts(page, world["secretary"].pk) == 0


def test_the_waiting_log_goes_when_the_signal_returns(phone, live_server, log_in, world):
    url = _log_url(live_server, world["session"])
    page = phone.open()
    log_in(page, "secretary", "pw")
    page.goto(url)
    # The reload below, without signal, needs the form kept on the phone; on a busy machine the
    # service worker may not have kept it by the time the form is filled.
    _wait_until_kept(page, url)
    _fill(page, world, _jpeg())
    phone.offline(True)
    page.get_by_role("button", name="Gửi xác nhận").click()
    expect(page.locator("[data-log-status]")).to_contain_text("sẽ gửi khi có mạng")
    page.reload()  # a page opened without signal keeps the log waiting
    _assert_restored(page, world)
    assert not Attendance.objects.exists()

    with page.expect_navigation(url=f"{live_server.url}/sessions/{world['session'].pk}/"):
        phone.offline(False)
    _assert_submitted_once(world)
    assert _drafts(page, world["secretary"].pk) == 0


def test_a_page_opened_with_nothing_waiting_asks_the_server_nothing_more(
    phone, live_server, log_in, world
):
    """Each page sends what waits on the phone as it opens. With nothing waiting it does not
    ask the server who is signed in: on a weak signal a page costs one request, not two."""
    page = phone.open()
    log_in(page, "secretary", "pw")
    url = _log_url(live_server, world["session"])
    page.goto(url)
    # The first page keeps the person's pages, which asks the server once; later pages leave
    # that alone for an hour.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    _wait_for(page, "CivicSync.getMeta().then((meta) => Boolean(meta.keptAt))")
    asked = []
    phone.context.on(
        "request",
        lambda request: asked.append(request.url) if "/offline/state/" in request.url else None,
    )
    page.goto(f"{live_server.url}/sessions/{world['session'].pk}/")
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert asked == []


def test_other_pages_show_the_offline_page_in_the_users_language(phone, live_server, log_in, world):
    page = phone.open()
    log_in(page, "secretary", "pw")
    page.goto(_log_url(live_server, world["session"]))
    _wait_until_kept(page, _log_url(live_server, world["session"]))
    _wait_until_kept(page, f"{live_server.url}/")
    phone.offline(True)
    page.goto(f"{live_server.url}/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không có mạng")
    _accessible(page)
    # The start page (the secretary's overview) was kept too.
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-offline-banner]")).to_contain_text("bản lưu trên máy")


def test_an_expired_sign_in_loses_nothing(phone, live_server, log_in, world):
    url = _log_url(live_server, world["session"])
    page = phone.open()
    log_in(page, "secretary", "pw")
    page.goto(url)
    _fill(page, world, _jpeg())

    Session.objects.all().delete()  # the sign-in expires while the form is open
    page.get_by_role("button", name="Gửi xác nhận").click()
    status = page.locator("[data-log-status]")
    expect(status).to_contain_text("đăng nhập")
    _accessible(page)
    assert not Attendance.objects.exists()

    with page.expect_navigation():
        status.get_by_role("link").click()
    form = page.locator("#login-form")
    form.locator("#id_username").fill("secretary")
    form.locator("#id_password").fill("pw")
    form.locator("button[type=submit]").click()
    # Back on the log form, which sends the waiting log and opens the session page.
    page.wait_for_url(f"{live_server.url}/sessions/{world['session'].pk}/")
    _assert_submitted_once(world)
    assert _drafts(page, world["secretary"].pk) == 0


def test_a_log_saved_meanwhile_shows_both_versions_and_the_choice_is_kept(
    phone, live_server, log_in, world
):
    session = world["session"]
    page = phone.open()
    log_in(page, "secretary", "pw")
    page.goto(_log_url(live_server, session))
    _fill(page, world, _jpeg())
    # An officer saves the log from another device.
    logbook.session_log_save(
        session=session,
        user=world["officer"],
        version=1,
        data=logbook.LogInput(notes="Ghi chú của cán bộ", unlisted_villagers=3),
    )

    page.get_by_role("button", name="Lưu nháp").click()
    conflict = page.locator("#log-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Ghi chú của cán bộ")
    expect(conflict).to_contain_text("Bà con đề nghị làm tiếp đoạn kênh còn lại.")
    session.refresh_from_db()
    assert session.notes == "Ghi chú của cán bộ"  # nothing overwritten silently
    _accessible(page)
    # The photo is still chosen after the server's answer.
    assert page.evaluate("document.getElementById('id_photos-0-image').files.length") == 1

    with page.expect_navigation(url=f"{live_server.url}/sessions/{session.pk}/"):
        conflict.get_by_role("button", name="Giữ bản của tôi").click()
    session.refresh_from_db()
    assert session.notes == "Bà con đề nghị làm tiếp đoạn kênh còn lại."
    assert session.unlisted_villagers == 12
    assert Photo.objects.filter(session=session).count() == 1
    assert _drafts(page, world["secretary"].pk) == 0


def test_a_slow_upload_shows_progress_with_the_buttons_disabled(phone, live_server, log_in, world):
    session = world["session"]
    page = phone.open()
    log_in(page, "secretary", "pw")
    page.goto(_log_url(live_server, session))
    # A photo that stays large: its location is kept, so it is sent as taken.
    page.check("#id_photos-0-keep_location")
    page.set_input_files(
        "#id_photos-0-image",
        {"name": "lon.jpg", "mimeType": "image/jpeg", "buffer": _jpeg((450, 320), noise=True)},
    )
    expect(page.locator("[data-photo-preview]")).to_have_count(1)
    cdp = phone.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 100,
            "downloadThroughput": 200_000,
            # The photo (about 180 KB) takes most of a second to go: long enough to watch.
            "uploadThroughput": 200_000,
        },
    )
    page.get_by_role("button", name="Lưu nháp").click()
    progress = page.locator("[data-log-progress]")
    expect(progress).to_be_visible()
    expect(page.get_by_role("button", name="Lưu nháp")).to_be_disabled()
    _wait_for(page, "document.querySelector('[data-log-progress-bar]').value > 0")
    page.wait_for_url(f"{live_server.url}/sessions/{session.pk}/", timeout=60_000)
    assert Photo.objects.filter(session=session).count() == 1


def test_a_chosen_photo_is_made_smaller_on_the_phone(phone, live_server, log_in, world, settings):
    page = phone.open()
    log_in(page, "secretary", "pw")
    page.goto(_log_url(live_server, world["session"]))
    big = _jpeg((2000, 1500), noise=True)  # larger than PHOTO_MAX_SIDE either way
    page.set_input_files(
        "#id_photos-0-image", {"name": "to.jpg", "mimeType": "image/jpeg", "buffer": big}
    )
    expect(page.locator("[data-photo-preview]")).to_contain_text("thu nhỏ")
    sent = page.evaluate(
        """() => {
            const file = document.getElementById('id_photos-0-image').files[0];
            return createImageBitmap(file).then((image) =>
                [file.type, file.size, Math.max(image.width, image.height)]);
        }"""
    )
    assert sent[0] == "image/jpeg"
    assert sent[1] < len(big)
    assert sent[2] == settings.PHOTO_MAX_SIDE


def test_enter_in_the_quantity_changes_nothing_and_keeps_the_photo(
    phone, live_server, log_in, world
):
    session = world["session"]
    url = _log_url(live_server, session)
    page = phone.open()
    log_in(page, "secretary", "pw")
    page.goto(url)
    page.evaluate("window.notReloaded = true")
    page.set_input_files(
        "#id_photos-0-image", {"name": "kenh.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}
    )
    page.fill("#id_outputs-0-quantity", "40")
    page.press("#id_outputs-0-quantity", "Enter")
    page.fill("#id_search", "Hùng")
    page.press("#id_search", "Enter")
    expect(page.locator("[data-search-result]")).to_contain_text("Không tìm thấy")
    assert page.evaluate("window.notReloaded === true")
    assert page.url == url
    assert page.evaluate("document.getElementById('id_photos-0-image').files.length") == 1
    session.refresh_from_db()
    assert session.version == 1
    assert not FormSubmission.objects.exists()


def test_find_and_add_a_row_work_in_place(phone, live_server, log_in, world):
    other = factories.member(full_name="Nông Thị Duyên")
    page = phone.open()
    log_in(page, "secretary", "pw")
    page.goto(_log_url(live_server, world["session"]))
    page.evaluate("window.notReloaded = true")
    page.fill("#id_search", "nong thi")
    page.get_by_role("button", name="Tìm").click()
    expect(page.locator(f"#id_came_{other.pk}")).to_be_visible()
    page.get_by_role("button", name="Thêm dòng").click()
    expect(page.locator("#id_outputs-1-quantity")).to_be_visible()
    assert page.evaluate("window.notReloaded === true")
    page.check(f"#id_came_{other.pk}")
    _wait_for(
        page,
        f"CivicSync.getDraft('{world['secretary'].pk}', '{world['session'].pk}')"
        f".then((draft) => draft && CivicSync.fieldValue(draft, 'came_{other.pk}') === 'on')",
    )
    page.reload()
    # The person found is still listed and ticked after a reload.
    expect(page.locator(f"#id_came_{other.pk}")).to_be_checked()


def _a_draft_and_kept_pages(phone, live_server, log_in, world):
    """The secretary's phone, signed in, with the log form kept and a draft typed in it."""
    url = _log_url(live_server, world["session"])
    page = phone.open()
    log_in(page, "secretary", "pw")
    page.goto(url)
    _wait_until_kept(page, url)
    page.fill("#id_notes", "Chưa gửi")
    expect(page.locator("[data-log-status]")).to_contain_text("Đã lưu trên máy lúc")
    assert _drafts(page, world["secretary"].pk) == 1
    return page


def test_signing_out_removes_the_persons_drafts_and_kept_pages(phone, live_server, log_in, world):
    user_id = world["secretary"].pk
    page = _a_draft_and_kept_pages(phone, live_server, log_in, world)

    page.get_by_text("Trình đơn").click()  # the header's menu, on a phone
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    assert _drafts(page, user_id) == 0
    caches = page.evaluate("caches.keys()")
    assert f"civic-pages-{user_id}" not in caches
    # Only the static files and the offline page, the same for everyone, stay.
    assert all(name.startswith("civic-static-") for name in caches)


def test_signing_out_of_the_admin_site_removes_them_too(phone, live_server, log_in, world):
    """An officer or administrator who logged on this browser and leaves from the admin site
    leaves nothing behind either (static/js/admin-sign-out.js)."""
    secretary = world["secretary"]
    secretary.is_staff = True  # may open the admin site (its index, with nothing to change)
    secretary.save(update_fields=["is_staff"])
    page = _a_draft_and_kept_pages(phone, live_server, log_in, world)

    page.goto(f"{live_server.url}/{settings.ADMIN_URL}")
    with page.expect_navigation():
        page.locator("#logout-form button[type=submit]").click()
    assert not Session.objects.exists()
    # The admin's "logged out" page loads none of the app's scripts: look from the sign-in page.
    page.goto(f"{live_server.url}/accounts/login/")
    assert _drafts(page, secretary.pk) == 0
    assert f"civic-pages-{secretary.pk}" not in page.evaluate("caches.keys()")


def test_an_opinion_row_added_in_place_survives_a_reload(phone, live_server, log_in, world):
    page = phone.open()
    log_in(page, "secretary", "pw")
    page.goto(_log_url(live_server, world["session"]))
    page.get_by_role("button", name="Thêm ý kiến").click()
    page.fill("#id_opinions-3-text", "Đề nghị làm cầu tràn qua suối")
    page.select_option("#id_opinions-3-field", "roads")
    _wait_for(
        page,
        f"CivicSync.getDraft('{world['secretary'].pk}', '{world['session'].pk}')"
        ".then((draft) => draft && CivicSync.fieldValue(draft, 'opinions-3-field') === 'roads')",
    )
    page.reload()
    # The row the script added comes back with what was typed, ready to be sent.
    expect(page.locator("#id_opinions-3-text")).to_have_value("Đề nghị làm cầu tràn qua suối")
    expect(page.locator("#id_opinions-3-field")).to_have_value("roads")
    assert page.locator("#id_opinions-TOTAL_FORMS").input_value() == "4"

"""The news item drafted from confirmed logs, its downloads and its public share card (issue 15).

Figures are checked against the log rows counted here, by the database, not by the composer's
own arithmetic; privacy is checked on every output: the page, the DOCX, the HTML download and
the public card.
"""

import datetime
import io
import re
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageFilter

from programs.models import (
    Attendance,
    FundingSource,
    LabourSession,
    NewsDraft,
    Photo,
    Unit,
    WorkOutput,
    WorkType,
)
from programs.text import vn_number
from tests import factories
from tests.http import consume, page_html, signed_in
from tests.queries import pinned_queries

DAY = datetime.date(2026, 3, 7)  # a Saturday
PRIVATE_HOUSEHOLD = "Ma Thị Kín"
PUBLIC_HOUSEHOLD = "Quan Văn Thính"
PHONE = "0912 345 678"
EMAIL = "ban.an@example.vn"


def _picture(colour="green") -> bytes:
    return factories.jpeg(size=(1600, 1200), colour=colour)


def _textured_picture() -> bytes:
    """A 1600 × 1200 JPEG with grain, about 300 KB: closer to a phone photo than one colour."""
    noise = Image.effect_noise((1600, 1200), 60).convert("RGB")
    gradient = Image.linear_gradient("L").resize((1600, 1200)).convert("RGB")
    picture = Image.blend(gradient, noise, 0.35).filter(ImageFilter.GaussianBlur(1))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _confirm(session):
    session.status = LabourSession.Status.HELD
    session.log_status = LabourSession.LogStatus.CONFIRMED
    session.log_confirmed_at = timezone.now()
    session.save()


def _logged_session(world, cell, village, *, members=3, day=DAY, caption=""):
    """A confirmed session of ``cell`` in ``village`` with people, two works (one for a
    publishable household, one for a household that did not agree) and a photo."""
    session = factories.session(cell=cell, village=village, directive=world["directive"], date=day)
    for n in range(members):
        person = factories.member(
            cell=cell, full_name=f"Đảng Viên Số {session.pk}x{n}", phone=PHONE, email=EMAIL
        )
        Attendance.objects.create(
            session=session,
            member=person,
            workdays=Decimal("1.5") if n % 2 else Decimal("1"),
            category=person.category,
            level=person.level,
            is_party_member=n % 3 != 2,
        )
    session.unlisted_villagers = 12
    session.unlisted_commune_cadres = 2
    canals = WorkType.objects.get(name="Thủy lợi, kênh mương")
    housing = WorkType.objects.get(name="Nhà ở (sửa chữa, làm mới, đổ nền)")
    public = factories.household(village=village, head_name=PUBLIC_HOUSEHOLD, publishable=True)
    private = factories.household(village=village, head_name=PRIVATE_HOUSEHOLD)
    WorkOutput.objects.create(
        session=session,
        work_type=canals,
        description="Lắp đặt cấu kiện kênh mương bê tông đúc sẵn",
        quantity=Decimal("1250.5"),
        unit=Unit.METRE,
    )
    WorkOutput.objects.create(
        session=session,
        work_type=housing,
        description="Đổ bê tông nền nhà",
        quantity=Decimal("1"),
        unit=Unit.HOUSE,
        household=public,
        value_vnd=15_000_000,
        funding_source=FundingSource.CADRES,
    )
    WorkOutput.objects.create(
        session=session,
        work_type=housing,
        description=f"Sửa mái nhà cho bà {PRIVATE_HOUSEHOLD}",
        quantity=Decimal("2"),
        unit=Unit.HOUSE,
        household=private,
    )
    photo = Photo(session=session, caption=caption or "Cán bộ cùng nhân dân lắp kênh mương")
    photo.image.save("p.jpg", ContentFile(_picture()), save=False)
    photo.save()
    _confirm(session)
    return session


@pytest.fixture
def logged(world):
    return _logged_session(world, world["cell"], world["village"])


def _news_url(session, **params):
    url = reverse("programs:session-news", args=[session.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def _save(client, session, **changes):
    page = client.get(_news_url(session))
    form = page.context["edit_form"]
    data = {
        name: form[name].value() for name in ("headline", "lead", "body", "language", "version")
    }
    data["sessions"] = form["sessions"].value()
    data["photos"] = form["photos"].value()
    data["token"] = str(uuid.uuid4())
    data["action"] = "save"
    data.update(changes)
    return client.post(_news_url(session), data)


def _publish(client, session, action="publish"):
    draft = NewsDraft.objects.get(session=session)
    return client.post(
        _news_url(session),
        {"action": action, "version": draft.version, "token": str(uuid.uuid4())},
    )


def _share_path(session) -> str:
    draft = NewsDraft.objects.get(session=session)
    return reverse("programs:share-card", args=[draft.share_token])


def _text(response) -> str:
    page = response.context["page"]
    shown = page.shown
    return "\n".join([shown["headline"], shown["lead"], shown["body"]])


# --- What the draft says ---------------------------------------------------------------------


def test_every_number_in_the_draft_is_the_confirmed_logs(client, world, logged):
    signed_in(client, world["officer"])
    text = _text(client.get(_news_url(logged)))
    people = Attendance.objects.filter(session=logged).aggregate(n=Count("id"), d=Sum("workdays"))
    party = Attendance.objects.filter(session=logged, is_party_member=True).count()
    unlisted = logged.unlisted_villagers + logged.unlisted_commune_cadres
    values = WorkOutput.objects.filter(session=logged).aggregate(v=Sum("value_vnd"))
    expected = {
        f"{vn_number(people['n'] + unlisted)} lượt người",
        f"{vn_number(party)} lượt đảng viên",
        f"{vn_number(logged.unlisted_villagers)} lượt Nhân dân",
        f"{vn_number(people['d'])} ngày công",
        "(1.250,5 m)",
        f"{vn_number(values['v'])}\N{NO-BREAK SPACE}đ",
    }
    for phrase in expected:
        assert phrase in text, phrase
    # And no other figure: every number in the body is one of the log's (or a date's part).
    quantities = WorkOutput.objects.filter(session=logged).values_list("quantity", flat=True)
    unnamed = WorkOutput.objects.filter(session=logged, household__publishable=False)
    figures = {
        vn_number(people["n"] + unlisted),
        vn_number(party),
        vn_number(logged.unlisted_villagers),
        vn_number(people["d"]),
        vn_number(values["v"]),
        # the household not named is counted: "1 hộ gia đình khác"
        vn_number(unnamed.values("household").distinct().count()),
        *(vn_number(q) for q in quantities),
    }
    body = text.split("\n", 2)[2]
    assert set(re.findall(r"\d[\d.,]*\d|\d", body)) <= figures, body


def test_the_draft_names_only_publishable_households_and_never_members(client, world, logged):
    signed_in(client, world["officer"])
    response = client.get(_news_url(logged))
    text = _text(response)
    assert PUBLIC_HOUSEHOLD in text
    assert PRIVATE_HOUSEHOLD not in text
    assert "Đảng Viên Số" not in text
    # The work whose description named the private household keeps its type's name.
    assert "nhà ở (sửa chữa, làm mới, đổ nền) (2 căn nhà)" in text
    assert "1 hộ gia đình khác" in text
    assert PRIVATE_HOUSEHOLD not in page_html(response)


def test_directives_are_named_with_number_and_date(client, world, logged):
    scheme = factories.directive(
        kind="DA",
        number="02",
        symbol="02-ĐA/TU",
        issued_on=datetime.date(2021, 5, 23),
        issuing_body="Ban Thường vụ Tỉnh ủy",
    )
    world["directive"].parent = scheme
    world["directive"].save()
    signed_in(client, world["officer"])
    lead = client.get(_news_url(logged)).context["page"].shown["lead"]
    assert lead.startswith("Thực hiện Đề án số 02-ĐA/TU ngày 23/05/2021 của Ban Thường vụ")
    assert "Kế hoạch số 54-KH/HU" in lead


def test_the_default_covers_the_committees_confirmed_sessions_of_the_same_day(
    client, world, logged
):
    other = _logged_session(world, world["other_cell"], world["other_village"])
    later = _logged_session(
        world, world["other_cell"], world["other_village"], day=DAY + datetime.timedelta(days=7)
    )
    signed_in(client, world["officer"])
    page = client.get(_news_url(logged)).context["page"]
    assert page.coverage.sessions == [logged.pk, other.pk] or set(page.coverage.sessions) == {
        logged.pk,
        other.pk,
    }
    assert {c.pk for c in page.candidates} == {logged.pk, other.pk, later.pk}
    assert "thôn Phiêng Luông và Nà Coóc" in page.shown["headline"]
    # Combining the later one too adds its figures.
    url = _news_url(logged) + f"?sessions={logged.pk}&sessions={later.pk}&language=vi"
    combined = client.get(url).context["page"]
    assert combined.coverage.sessions == [logged.pk, later.pk]
    assert "(2.501 m)" in combined.shown["body"]
    assert "các ngày 07/03/2026 và 14/03/2026" in combined.shown["lead"]


def test_english_is_available(client_en, world, logged):
    signed_in(client_en, world["officer"])
    response = client_en.get(_news_url(logged, sessions=logged.pk, language="en"))
    assert "News item" in page_html(response)
    shown = response.context["page"].shown
    assert "works with the people of" in shown["headline"]
    assert "person-visits" in shown["body"]


# --- Editing and saving ------------------------------------------------------------------------


def test_the_edited_text_is_kept_with_its_author(client, world, logged):
    signed_in(client, world["secretary"])
    response = _save(client, logged, headline="Chi bộ Văn phòng lao động cùng Nhân dân")
    assert response.status_code == 302
    draft = NewsDraft.objects.get(session=logged)
    assert draft.headline == "Chi bộ Văn phòng lao động cùng Nhân dân"
    assert draft.edited_by == world["secretary"]
    assert draft.version == 1
    assert list(draft.sessions.values_list("pk", flat=True)) == [logged.pk]
    # The page shows the saved text from now on.
    again = client.get(_news_url(logged))
    assert again.context["page"].shown["headline"] == draft.headline


def test_a_resent_save_is_carried_out_once_and_a_stale_one_is_refused(client, world, logged):
    signed_in(client, world["officer"])
    token = str(uuid.uuid4())
    _save(client, logged, headline="Một", token=token)
    draft = NewsDraft.objects.get(session=logged)
    # The same form again (the phone re-sent it): nothing changes.
    page = client.get(_news_url(logged))
    data = {
        "headline": "Một",
        "lead": page.context["page"].shown["lead"],
        "body": page.context["page"].shown["body"],
        "language": "vi",
        "sessions": [logged.pk],
        "photos": [],
        "version": 0,
        "token": token,
        "action": "save",
    }
    client.post(_news_url(logged), data)
    draft.refresh_from_db()
    assert draft.version == 1
    # Another form opened before the first save: refused, the saved text stays.
    stale = client.post(_news_url(logged), {**data, "headline": "Hai", "token": str(uuid.uuid4())})
    assert stale.status_code == 409
    draft.refresh_from_db()
    assert (draft.headline, draft.version) == ("Một", 1)


def test_an_invalid_form_saves_nothing(client, world, logged):
    signed_in(client, world["officer"])
    response = _save(client, logged, headline="", sessions=["999999"])
    assert response.status_code == 200
    assert response.context["edit_form"].errors
    assert not NewsDraft.objects.filter(session=logged).exists()


def test_an_unknown_action_is_a_message_not_an_error(client, world, logged):
    signed_in(client, world["officer"])
    response = client.post(_news_url(logged), {"action": "explode"})
    assert response.status_code == 400


# --- Who may ----------------------------------------------------------------------------------


def test_outsiders_get_404_and_read_only_users_403(client, world, logged):
    url = _news_url(logged)
    signed_in(client, world["secretary2"])
    assert client.get(url).status_code == 404
    signed_in(client, world["viewer"])
    assert client.get(url).status_code == 200
    assert client.get(url).context["edit_form"] is None
    assert client.post(url, {"action": "save"}).status_code == 403
    # The cell's secretary edits but does not publish.
    signed_in(client, world["secretary"])
    _save(client, logged)
    assert _publish(client, logged).status_code == 403
    assert NewsDraft.objects.get(session=logged).share_token is None
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_host_commune_reads_the_session_but_not_its_news(client, world, logged):
    host_committee = factories.committee(name="Đảng ủy xã Bình An", commune=world["commune"])
    host = factories.user("host", role="host", target=host_committee)
    signed_in(client, host)
    assert client.get(logged.get_absolute_url()).status_code == 200
    assert client.get(_news_url(logged)).status_code == 404
    assert client.post(_news_url(logged), {"action": "save"}).status_code == 404


def test_the_session_page_links_the_news_page_once_confirmed(client, world, logged):
    session = factories.world_session(world, date=DAY + datetime.timedelta(days=7))
    signed_in(client, world["officer"])
    link = reverse("programs:session-news", args=[logged.pk])
    assert link in page_html(client.get(logged.get_absolute_url()))
    assert "/news/" not in page_html(client.get(session.get_absolute_url()))
    signed_in(client, world["viewer"])
    assert link not in page_html(client.get(logged.get_absolute_url()))


def test_an_unconfirmed_session_has_no_draft(client, world, session):
    signed_in(client, world["officer"])
    response = client.get(_news_url(session))
    assert response.context["not_confirmed"]
    assert client.post(_news_url(session), {"action": "save"}).status_code == 200
    assert not NewsDraft.objects.exists()


# --- Downloads ----------------------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode()


def test_the_docx_holds_the_text_and_photos_and_no_private_name(client, world, logged):
    signed_in(client, world["officer"])
    response = client.get(_news_url(logged, format="docx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = consume(response)
    xml = _docx_text(content)
    assert "lượt người" in xml and PUBLIC_HOUSEHOLD in xml
    assert PRIVATE_HOUSEHOLD not in xml and "Đảng Viên Số" not in xml
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert any(name.startswith("word/media/") for name in archive.namelist())


def test_the_html_download_is_plain_html(client, world, logged):
    signed_in(client, world["officer"])
    _save(client, logged, body="Đoạn một.\n\nĐoạn hai.")
    html = consume(client.get(_news_url(logged, format="html"))).decode()
    assert "<p>Đoạn một.</p>" in html and "<p>Đoạn hai.</p>" in html
    assert "<script" not in html and "<figcaption>" in html


# --- The share card --------------------------------------------------------------------------


def test_the_share_card_is_off_until_published_and_gone_once_revoked(client, world, logged):
    signed_in(client, world["officer"])
    _save(client, logged)
    assert NewsDraft.objects.get(session=logged).share_token is None
    assert client.get("/share/anything/").status_code == 404
    _publish(client, logged)
    path = _share_path(logged)
    client.logout()
    assert client.get(path).status_code == 200
    signed_in(client, world["officer"])
    _publish(client, logged, "revoke")
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get(path + "photos/1.jpg").status_code == 404
    # Published again: a new address; the old one stays dead.
    signed_in(client, world["officer"])
    _publish(client, logged)
    assert _share_path(logged) != path
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get(_share_path(logged)).status_code == 200


def test_the_share_card_shows_nothing_private(client, world):
    logged = _logged_session(
        world,
        world["cell"],
        world["village"],
        caption=f"Giúp bà {PRIVATE_HOUSEHOLD}, gọi {PHONE}",
    )
    signed_in(client, world["officer"])
    _save(client, logged, headline=f"Tin về {PRIVATE_HOUSEHOLD}")
    _publish(client, logged)
    client.logout()
    html = page_html(client.get(_share_path(logged)))
    for private in (PRIVATE_HOUSEHOLD, "Đảng Viên Số", PHONE, EMAIL, "0912"):
        assert private not in html, private
    assert "tổ chức lao động cùng Nhân dân" in html
    assert 'property="og:title"' in html
    image = re.search(r'property="og:image" content="([^"]+)"', html).group(1)
    assert image.startswith("http://testserver/share/")
    assert '<meta name="robots" content="noindex">' in html


def test_the_share_card_is_under_200_kb_with_two_photos(client, world, logged):
    for photo in logged.photos.all():
        photo.image.save("p.jpg", ContentFile(_textured_picture()))
    second = Photo(session=logged, caption="Đổ bê tông nền nhà")
    second.image.save("q.jpg", ContentFile(_textured_picture()), save=False)
    second.save()
    assert second.image.size > 250 * 1024
    signed_in(client, world["officer"])
    _save(client, logged, photos=[p.pk for p in logged.photos.all()])
    _publish(client, logged)
    client.logout()
    response = client.get(_share_path(logged))
    html = page_html(response)
    total = len(response.content)
    for href in re.findall(r'href="(/static/[^"]+)"', html):
        total += Path(finders.find(href.removeprefix("/static/"))).stat().st_size
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) == 2
    for src in images:
        photo = client.get(src)
        assert photo["Content-Type"] == "image/jpeg"
        total += len(consume(photo))
    assert total < 200 * 1024, total


def test_a_reopened_log_takes_its_card_down(client, world, logged):
    signed_in(client, world["officer"])
    _save(client, logged)
    _publish(client, logged)
    path = _share_path(logged)
    LabourSession.objects.filter(pk=logged.pk).update(log_status="returned")
    assert client.get(path).status_code == 404


# --- Query counts -------------------------------------------------------------------------


def test_the_news_page_reads_a_fixed_number_of_queries(client, world, logged):
    signed_in(client, world["officer"])
    _save(client, logged)
    client.get(_news_url(logged))  # warm-up
    with pinned_queries(20):
        client.get(_news_url(logged))
    cells = [factories.cell(committee=world["committee"]) for _ in range(4)]
    for cell in cells:
        _logged_session(world, cell, world["other_village"], members=5)
    _save(client, logged, sessions=[s.pk for s in LabourSession.objects.all()])
    with pinned_queries(20):
        response = client.get(_news_url(logged))
    assert len(response.context["page"].coverage.sessions) == 5


def test_the_share_card_reads_a_fixed_number_of_queries(client, world, logged):
    signed_in(client, world["officer"])
    _save(client, logged)
    _publish(client, logged)
    client.logout()
    path = _share_path(logged)
    client.get(path)
    with pinned_queries(12):
        client.get(path)


# --- Review fixes (issue 15 review) ----------------------------------------------------------


def test_a_secretary_saves_an_item_an_officer_extended_to_other_cells(client, world, logged):
    other = _logged_session(world, world["other_cell"], world["other_village"])
    signed_in(client, world["officer"])
    _save(client, logged)
    draft = NewsDraft.objects.get(session=logged)
    assert {s.pk for s in draft.sessions.all()} == {logged.pk, other.pk}
    photos = {p.pk for p in draft.photos.all()}
    assert other.photos.get().pk in photos
    signed_in(client, world["secretary"])
    page = client.get(_news_url(logged)).context["page"]
    # The page reads and offers only the secretary's own cell's session.
    assert page.coverage.sessions == [logged.pk]
    assert page.facts.cells == [world["cell"].name]
    assert [name for _kind, name in page.facts.villages] == ["Phiêng Luông"]
    assert all(f.photo.session_id == logged.pk for f in page.facts.figures)
    response = _save(client, logged, headline="Tin sửa bởi bí thư chi bộ")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Tin sửa bởi bí thư chi bộ"
    assert draft.edited_by == world["secretary"]
    # The officer's extension survives the secretary's save.
    assert {s.pk for s in draft.sessions.all()} == {logged.pk, other.pk}
    assert {p.pk for p in draft.photos.all()} == photos


def test_the_share_card_hides_a_cell_member_who_did_not_come(client, world, logged):
    absent = factories.member(cell=world["cell"], full_name="Hoàng Văn Vắng")
    signed_in(client, world["officer"])
    _save(
        client,
        logged,
        headline=f"Đồng chí {absent.full_name} chỉ đạo",
        lead=f"Bí thư {absent.full_name} cùng Nhân dân",
    )
    _publish(client, logged)
    client.logout()
    html = page_html(client.get(_share_path(logged)))
    assert "Hoàng Văn Vắng" not in html
    assert "tổ chức lao động cùng Nhân dân" in html
    assert re.search(r'property="og:title" content="[^"]+"', html)


def test_a_free_text_partner_naming_someone_private_is_left_out(world, logged):
    from programs.reports import news as composer
    from programs.selectors import news as news_selectors

    logged.partner = f"Gia đình bà {PRIVATE_HOUSEHOLD}"
    logged.save()
    facts = composer.news_facts(news_selectors.news_sources([logged.pk]))
    assert facts.partners == []
    text = composer.compose(facts)
    assert PRIVATE_HOUSEHOLD not in "\n".join([text.headline, text.lead, text.body])
    logged.partner = "Đoàn Thanh niên xã Bình An"
    logged.save()
    facts = composer.news_facts(news_selectors.news_sources([logged.pk]))
    assert facts.partners == ["Đoàn Thanh niên xã Bình An"]


def test_a_secretarys_save_withdraws_a_published_card(client, world, logged):
    signed_in(client, world["officer"])
    _save(client, logged)
    _publish(client, logged)
    path = _share_path(logged)
    # The officer's own save keeps the card public.
    _save(client, logged, headline="Tin do cán bộ sửa")
    assert NewsDraft.objects.get(session=logged).share_token
    signed_in(client, world["secretary"])
    response = _save(client, logged, headline="Tin do bí thư sửa")
    assert response.status_code == 302
    draft = NewsDraft.objects.get(session=logged)
    assert draft.headline == "Tin do bí thư sửa"
    assert draft.share_token is None and draft.published_at is None
    notice = page_html(client.get(_news_url(logged)))
    assert "thu hồi" in notice
    client.logout()
    assert client.get(path).status_code == 404


def test_control_characters_do_not_break_the_docx(client, world, logged):
    signed_in(client, world["officer"])
    response = _save(
        client, logged, headline="Tin\x0b mới\x1b", lead="Mở\x0c đầu", body="Đoạn\x1b một.\tHết."
    )
    assert response.status_code == 302
    response = client.get(_news_url(logged, format="docx"))
    assert response.status_code == 200
    xml = _docx_text(consume(response))
    assert "Tin mới" in xml and "Đoạn một." in xml


def test_the_html_download_links_each_photo_to_its_own_share_address(client, world, logged):
    first = logged.photos.get()
    second = Photo(session=logged, caption="Đổ bê tông nền nhà")
    second.image.save("q.jpg", ContentFile(_picture("red")), save=False)
    second.save()
    signed_in(client, world["officer"])
    _save(client, logged, photos=[second.pk])
    _publish(client, logged)
    token = NewsDraft.objects.get(session=logged).share_token
    # Composed again with both photos: the first is not on the card, the second is its no. 1.
    url = (
        _news_url(logged, sessions=logged.pk, photos=first.pk, language="vi", format="html")
        + f"&photos={second.pk}"
    )
    html = consume(client.get(url)).decode()
    links = re.findall(r'src="([^"]+/photos/\d+\.jpg)"', html)
    assert links == [f"http://testserver/share/{token}/photos/1.jpg"]
    client.logout()
    served = consume(client.get(links[0].removeprefix("http://testserver")))
    assert served == consume(client.get(f"/share/{token}/photos/1.jpg"))
    assert client.get(f"/share/{token}/photos/2.jpg").status_code == 404


def test_the_share_card_is_not_kept_in_shared_caches(client, world, logged):
    signed_in(client, world["officer"])
    _save(client, logged)
    _publish(client, logged)
    client.logout()
    path = _share_path(logged)
    for response in (client.get(path), client.get(path + "photos/1.jpg")):
        assert response.status_code == 200
        assert "public" not in response["Cache-Control"]
        assert "private" in response["Cache-Control"]

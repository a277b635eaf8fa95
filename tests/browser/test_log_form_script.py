"""static/js/log-form.js in a browser: on the session log page, a person's workdays box follows
their "came" box, choosing a work type fills in its usual unit until the person picks a unit,
and "Add another photo" adds an upload slot without reloading the page — a slot the server
then reads like the others."""

import pytest
from playwright.sync_api import expect

from programs.models import Photo
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def log_page(page, live_server, log_in, tmp_path):
    """The secretary on the log page of a past session of their cell, which has two members;
    two work types whose usual units differ; a photo to upload."""
    cell = factories.cell(name="Chi bộ Văn phòng")
    factories.user("secretary", password="pw", role="secretary", target=cell)
    members = [
        factories.member(cell=cell, full_name=name) for name in ("Hoàng Văn Thắng", "Ma Thị Hoa")
    ]
    session = factories.session(cell=cell, other_village_reason="Thôn kết nghĩa")
    canal = factories.work_type(name="Kênh mương (thử)", default_unit="m")
    yard = factories.work_type(name="Sân bê tông (thử)", default_unit="m2")
    photo = tmp_path / "kenh.jpg"
    photo.write_bytes(factories.jpeg((64, 48)))

    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, "secretary", "pw")
    page.goto(f"{live_server.url}/sessions/{session.pk}/log/")
    # Marks this load of the page: a reload or a round trip to the server clears it.
    page.evaluate("window.notReloaded = true")
    yield {
        "session": session,
        "members": members,
        "canal": canal,
        "yard": yard,
        "photo": photo,
    }
    assert errors == [], errors


def _not_reloaded(page) -> bool:
    return page.evaluate("window.notReloaded === true")


def test_workdays_are_enabled_only_while_came_is_ticked(page, log_page):
    first, second = log_page["members"]
    came, workdays = page.locator(f"#id_came_{first.pk}"), page.locator(f"#id_workdays_{first.pk}")
    expect(workdays).to_be_disabled()
    expect(page.locator(f"#id_workdays_{second.pk}")).to_be_disabled()

    came.check()
    expect(workdays).to_be_enabled()
    workdays.fill("1.5")
    expect(page.locator(f"#id_workdays_{second.pk}")).to_be_disabled()

    came.uncheck()
    expect(workdays).to_be_disabled()
    came.check()
    expect(workdays).to_be_enabled()
    expect(workdays).to_have_value("1.5")
    assert _not_reloaded(page)


def test_the_work_type_fills_in_its_unit_until_the_person_chooses_one(page, log_page):
    canal, yard = log_page["canal"], log_page["yard"]
    work_type, unit = page.locator("#id_outputs-0-work_type"), page.locator("#id_outputs-0-unit")
    expect(unit).to_have_value("")

    work_type.select_option(str(canal.pk))
    expect(unit).to_have_value("m")
    # Filled in by the script: another work type replaces it.
    work_type.select_option(str(yard.pk))
    expect(unit).to_have_value("m2")

    # Chosen by the person: the work type leaves it alone from now on.
    unit.select_option("km")
    work_type.select_option(str(canal.pk))
    expect(unit).to_have_value("km")
    assert _not_reloaded(page)


def test_a_unit_chosen_before_the_work_type_is_kept(page, log_page):
    page.locator("#id_outputs-0-unit").select_option("m3")
    page.locator("#id_outputs-0-work_type").select_option(str(log_page["canal"].pk))
    expect(page.locator("#id_outputs-0-unit")).to_have_value("m3")


def test_another_photo_slot_is_added_in_place_and_saved(page, log_page):
    slots = page.locator("[data-photo-slot]")
    total = page.locator("input[name=photos-TOTAL_FORMS]")
    expect(slots).to_have_count(3)
    expect(total).to_have_value("3")
    page.fill("#id_photos-2-caption", "Ảnh thứ ba")

    page.locator("[data-add-photo]").click()

    expect(slots).to_have_count(4)
    expect(total).to_have_value("4")
    assert _not_reloaded(page)
    added = slots.nth(3)
    expect(added.locator("legend")).to_contain_text("4")
    expect(added.locator("#id_photos-3-image")).to_be_focused()
    # Renumbered and emptied: nothing of the slot it was copied from.
    expect(added.locator("#id_photos-3-caption")).to_have_value("")
    expect(added.locator("[name^='photos-2-']")).to_have_count(0)
    expect(page.locator("#id_photos-2-caption")).to_have_value("Ảnh thứ ba")

    page.locator("[data-add-photo]").click()
    expect(slots).to_have_count(5)
    expect(total).to_have_value("5")

    # The new slot is sent like the others: the server saves its photo and caption.
    page.set_input_files("#id_photos-3-image", str(log_page["photo"]))
    page.fill("#id_photos-3-caption", "Lắp kênh mương")
    page.fill("#id_photos-2-caption", "")
    with page.expect_navigation():
        page.locator("button[name=action][value=draft]").click()
    saved = Photo.objects.get(session=log_page["session"])
    assert saved.caption == "Lắp kênh mương"

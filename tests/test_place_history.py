"""Places keep their history and say what tells them apart: renames keep the former name with
its dates, a dissolved commune takes no new village, overlapping assignments are refused, and a
cell moved to another village lists the planned sessions left behind."""

import datetime
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from programs.models import Assignment, Commune, LabourSession, Village, VillageName
from programs.selectors.places import planned_sessions_affected_by_move
from programs.services import places
from tests import factories

REFORM = datetime.date(2025, 7, 1)
OLD_DAY = datetime.date(2022, 5, 14)


def _created_on(village, day):
    Village.objects.filter(pk=village.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    )
    village.refresh_from_db()


# --- Renaming a village ------------------------------------------------------------------------


def test_village_rename_keeps_the_former_name_with_its_dates(world):
    """The village was entered today (as the demo's are), its sessions go back years: the
    former name is open at the start, so every earlier date prints it."""
    village = world["village"]
    places.village_update(
        village=village, user=world["admin"], changed_on=REFORM, name="Phiêng Luông Mới"
    )
    village.refresh_from_db()
    former = village.names.get()
    assert (former.name, former.commune, former.valid_from, former.valid_until) == (
        "Phiêng Luông",
        world["commune"],
        None,
        datetime.date(2025, 6, 30),
    )
    assert village.label_on(OLD_DAY).startswith("thôn Phiêng Luông, xã Bình An")
    assert village.label_on(REFORM).startswith("thôn Phiêng Luông Mới, xã Bình An")


def test_second_rename_starts_the_day_after_the_first_ended(world):
    village = world["village"]
    _created_on(village, datetime.date(2021, 1, 15))
    places.village_update(village=village, user=None, changed_on=REFORM, name="Tên Hai")
    new_commune = factories.commune(province=world["province"], name="Bình An Mới")
    places.village_update(
        village=village,
        user=None,
        changed_on=datetime.date(2026, 1, 1),
        name="Tên Ba",
        commune=new_commune,
    )
    names = list(
        village.names.order_by(F("valid_from").asc(nulls_first=True)).values_list(
            "name", "valid_from"
        )
    )
    assert names == [("Phiêng Luông", None), ("Tên Hai", REFORM)]
    second = village.names.get(name="Tên Hai")
    assert (second.commune, second.valid_until) == (world["commune"], datetime.date(2025, 12, 31))
    village.refresh_from_db()
    assert village.label_on(datetime.date(2025, 8, 1)).startswith("thôn Tên Hai, xã Bình An,")
    assert village.label_on(datetime.date(2026, 2, 1)).startswith("thôn Tên Ba, xã Bình An Mới")


def test_rename_dated_before_the_last_former_name_is_refused(world):
    village = world["village"]
    _created_on(village, datetime.date(2021, 1, 15))
    places.village_update(village=village, user=None, changed_on=REFORM, name="Tên Hai")
    with pytest.raises(ValidationError):
        places.village_update(
            village=village, user=None, changed_on=datetime.date(2024, 1, 1), name="Tên Ba"
        )
    village.refresh_from_db()
    assert village.name == "Tên Hai"
    assert village.names.count() == 1


def test_correction_changes_the_name_in_place(world):
    village = world["village"]
    places.village_update(village=village, user=None, correction=True, name="Phiêng Luông B")
    village.refresh_from_db()
    assert village.name == "Phiêng Luông B"
    assert not village.names.exists()


def test_village_rename_in_the_admin_keeps_the_former_name(client, world):
    village = world["village"]
    _created_on(village, datetime.date(2021, 1, 15))
    client.force_login(world["admin"])
    url = reverse("admin:programs_village_change", args=[village.pk])
    data = {
        "commune": world["commune"].pk,
        "name": "Phiêng Luông Mới",
        "kind": "thon",
        "active": "on",
        "changed_on": "2025-07-01",
        "names-TOTAL_FORMS": 0,
        "names-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    village.refresh_from_db()
    assert village.name == "Phiêng Luông Mới"
    assert village.names.get().valid_until == datetime.date(2025, 6, 30)
    assert village.label_on(OLD_DAY).startswith("thôn Phiêng Luông,")
    # The history lists the name, not the form's date of the change.
    entry = LogEntry.objects.get(object_id=str(village.pk))
    assert json.loads(entry.change_message)[0]["changed"]["fields"] == ["name"]

    # A change dated on or before the end of that former name is refused on the form.
    response = client.post(url, data | {"name": "Tên Khác", "changed_on": "2025-06-30"})
    assert response.status_code == 200
    assert "changed_on" in response.context["adminform"].form.errors
    village.refresh_from_db()
    assert village.name == "Phiêng Luông Mới"


# --- Renaming a commune ------------------------------------------------------------------------


def test_commune_rename_keeps_the_old_name_as_a_record_of_its_own(world):
    commune, village = world["commune"], world["village"]
    _created_on(village, datetime.date(2020, 1, 1))
    places.commune_update(commune=commune, user=None, changed_on=REFORM, name="Bình An Hạ")
    commune.refresh_from_db()
    former = Commune.objects.get(successor=commune)
    assert (former.name, former.district, former.valid_until) == (
        "Bình An",
        world["district"],
        datetime.date(2025, 6, 30),
    )
    assert (commune.name, commune.valid_from) == ("Bình An Hạ", REFORM)
    assert set(commune.villages.all()) == {village, world["other_village"]}
    village.refresh_from_db()
    assert village.label_on(OLD_DAY) == (
        "thôn Phiêng Luông, xã Bình An, huyện Lâm Bình, tỉnh Tuyên Quang"
    )
    assert village.label_on(REFORM).startswith("thôn Phiêng Luông, xã Bình An Hạ,")


def test_commune_rename_moves_older_former_names_to_the_old_record(world):
    commune, village = world["commune"], world["village"]
    VillageName.objects.create(
        village=village,
        name="Bản Cũ",
        commune=commune,
        valid_from=datetime.date(2015, 1, 1),
        valid_until=datetime.date(2019, 12, 31),
    )
    places.commune_update(commune=commune, user=None, changed_on=REFORM, name="Bình An Hạ")
    village.refresh_from_db()
    assert village.label_on(datetime.date(2018, 1, 1)).startswith("thôn Bản Cũ, xã Bình An,")
    assert village.names.get(name="Phiêng Luông").valid_from == datetime.date(2020, 1, 1)


def test_commune_rename_in_the_admin(client, world):
    commune = world["commune"]
    client.force_login(world["admin"])
    data = {
        "province": world["province"].pk,
        "district": world["district"].pk,
        "name": "Bình An Hạ",
        "kind": "xa",
        "code": "",
        "changed_on": "2025-07-01",
        "villages-TOTAL_FORMS": 0,
        "villages-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:programs_commune_change", args=[commune.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    commune.refresh_from_db()
    assert commune.name == "Bình An Hạ"
    assert Commune.objects.get(successor=commune).name == "Bình An"


# --- Labels and dissolved communes -------------------------------------------------------------


@pytest.fixture
def reform(world):
    old = world["commune"]
    Commune.objects.filter(pk=old.pk).update(valid_until=datetime.date(2025, 6, 30))
    new = factories.commune(province=world["province"], name="Bình An", valid_from=REFORM)
    Commune.objects.filter(pk=old.pk).update(successor=new)
    old.refresh_from_db()
    return old, new


def test_communes_of_one_name_are_labelled_apart(reform):
    old, new = reform
    with translation.override("vi"):
        assert old.label_with_context == "xã Bình An (huyện Lâm Bình, đến 30/06/2025)"
        assert new.label_with_context == "xã Bình An (tỉnh Tuyên Quang, từ 01/07/2025)"
        village = factories.village(commune=new, name="Nà Coóc")
        assert village.label_with_context == "thôn Nà Coóc (xã Bình An, từ 01/07/2025)"


def test_admin_commune_autocomplete_tells_the_two_apart(client, world, reform):
    old, new = reform
    client.force_login(world["admin"])
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "programs", "model_name": "village", "field_name": "commune", "term": "binh"},
        headers={"accept-language": "vi"},
    )
    texts = {row["text"] for row in response.json()["results"]}
    assert texts == {old.label_with_context, new.label_with_context}
    assert len(texts) == 2


def test_dissolved_commune_takes_no_new_village(world, reform):
    old, new = reform
    village = Village(commune=old, name="Thôn Mới")
    with translation.override("vi"):
        with pytest.raises(ValidationError) as raised:
            village.full_clean()
        expected = translation.gettext(
            "%(commune)s ended on %(date)s and was merged into %(successor)s: choose that "
            "commune instead."
        ) % {"commune": old, "date": "30/06/2025", "successor": new.label_with_context}
        assert raised.value.message_dict["commune"] == [expected]
    assert "merged into" not in expected
    assert "xã Bình An (tỉnh Tuyên Quang, từ 01/07/2025)" in expected
    # The villages it still holds can be edited; the successor takes new ones.
    world["village"].full_clean()
    places.village_create(user=None, commune=new, name="Thôn Mới")


def test_admin_refuses_a_village_in_a_dissolved_commune(client, world, reform):
    old, _new = reform
    client.force_login(world["admin"])
    data = {"commune": old.pk, "name": "Thôn Mới", "kind": "thon", "active": "on"}
    data |= {"names-TOTAL_FORMS": 0, "names-INITIAL_FORMS": 0}
    response = client.post(reverse("admin:programs_village_add"), data)
    assert response.status_code == 200
    assert "commune" in response.context["adminform"].form.errors
    assert not Village.objects.filter(name="Thôn Mới").exists()


def test_moving_a_village_into_a_dissolved_commune_is_refused(world, reform):
    old, _new = reform
    other = factories.village(commune=factories.commune(province=world["province"]))
    with pytest.raises(ValidationError):
        places.village_update(village=other, user=None, commune=old)


# --- Overlapping assignments -------------------------------------------------------------------


def test_overlapping_assignment_is_refused_with_the_other_ones_village_and_dates(world):
    assignment = Assignment(
        cell=world["cell"],
        village=world["other_village"],
        directive=world["directive"],
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 6, 30),
    )
    with translation.override("vi"), pytest.raises(ValidationError) as raised:
        assignment.full_clean()
    message = raised.value.messages[0]
    assert "thôn Phiêng Luông" in message and "01/06/2021" in message


def test_assignments_under_another_directive_or_after_the_end_are_allowed(world):
    Assignment.objects.filter(cell=world["cell"]).update(ends_on=datetime.date(2023, 12, 31))
    after = Assignment(
        cell=world["cell"],
        village=world["other_village"],
        directive=world["directive"],
        starts_on=datetime.date(2024, 1, 1),
    )
    after.full_clean()
    other_directive = Assignment(
        cell=world["cell"],
        village=world["other_village"],
        directive=factories.directive(),
        starts_on=datetime.date(2022, 1, 1),
    )
    other_directive.full_clean()


def _cell_inline_data(world, cell, rows):
    data = {
        "committee": cell.committee_id,
        "name": cell.name,
        "kind": cell.kind,
        "active": "on",
        "assignments-TOTAL_FORMS": len(rows),
        "assignments-INITIAL_FORMS": sum(1 for row in rows if "id" in row),
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"assignments-{index}-{key}"] = value
    return data


def test_admin_inline_refuses_overlap_but_allows_close_and_replace(client, world):
    cell = world["cell"]
    current = Assignment.objects.get(cell=cell)
    client.force_login(world["admin"])
    url = reverse("admin:programs_partycell_change", args=[cell.pk])
    existing = {
        "id": current.pk,
        "cell": cell.pk,
        "village": current.village_id,
        "directive": current.directive_id,
        "starts_on": "2021-06-01",
    }
    new = {
        "cell": cell.pk,
        "village": world["other_village"].pk,
        "directive": world["directive"].pk,
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    }
    response = client.post(url, _cell_inline_data(world, cell, [existing, new]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert any("thôn Phiêng Luông" in str(e) for e in errors)
    assert Assignment.objects.filter(cell=cell).count() == 1

    closed = existing | {"ends_on": "2025-12-31"}
    response = client.post(url, _cell_inline_data(world, cell, [closed, new]))
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.ends_on == datetime.date(2025, 12, 31)
    assert Assignment.objects.filter(cell=cell).count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Only PostgreSQL has the exclusion constraint; SQLite relies on Assignment.clean().",
)
def test_database_refuses_an_overlapping_assignment(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            cell=world["cell"],
            village=world["other_village"],
            directive=world["directive"],
            starts_on=datetime.date(2020, 1, 1),
            ends_on=datetime.date(2021, 6, 1),
        )
        _check_deferred_constraints()
    # The day before is free, and so is another directive.
    Assignment.objects.create(
        cell=world["cell"],
        village=world["other_village"],
        directive=world["directive"],
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 5, 31),
    )
    _check_deferred_constraints()
    assert Assignment.objects.filter(cell=world["cell"]).count() == 2


# --- Moving a cell -----------------------------------------------------------------------------


def _planned(world, day, village=None, **kw):
    return factories.session(
        cell=world["cell"],
        village=village or world["village"],
        directive=world["directive"],
        date=day,
        **kw,
    )


def test_planned_sessions_affected_by_move(world):
    before = _planned(world, datetime.date(2026, 3, 7))
    left_behind = _planned(world, datetime.date(2026, 4, 4))
    _planned(world, datetime.date(2026, 5, 2), village=world["other_village"])
    _planned(
        world,
        datetime.date(2026, 5, 9),
        status=LabourSession.Status.CANCELLED,
        status_reason="Mưa",
    )
    later = _planned(world, datetime.date(2026, 6, 6))
    affected = planned_sessions_affected_by_move(
        world["cell"], datetime.date(2026, 4, 1), world["other_village"]
    )
    assert affected == [left_behind, later]
    assert before not in affected
    until_may = planned_sessions_affected_by_move(
        world["cell"],
        datetime.date(2026, 4, 1),
        world["other_village"],
        until=datetime.date(2026, 5, 31),
    )
    assert until_may == [left_behind]


def test_admin_warns_about_sessions_left_behind_by_a_move(client, world):
    _planned(world, datetime.date(2026, 4, 4))
    assignment = Assignment.objects.get(cell=world["cell"])
    client.force_login(world["admin"])
    url = reverse("admin:programs_assignment_change", args=[assignment.pk])
    data = {
        "cell": world["cell"].pk,
        "village": world["other_village"].pk,
        "directive": world["directive"].pk,
        "starts_on": "2021-06-01",
        "note": "",
    }
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.village == world["other_village"]
    texts = [str(m) for m in response.context["messages"]]
    assert any("04/04/2026 (thôn Phiêng Luông)" in text for text in texts), texts


def test_page_forms_label_villages_with_their_commune_and_period(world, reform):
    from programs.forms.sessions import SessionForm

    _old, new = reform
    factories.village(commune=new, name="Phiêng Luông")
    form = SessionForm(user=world["officer"])
    with translation.override("vi"):
        labels = [label for _value, label in form.fields["village"].choices]
    assert "thôn Phiêng Luông (xã Bình An, đến 30/06/2025)" in labels
    assert "thôn Phiêng Luông (xã Bình An, từ 01/07/2025)" in labels


def _check_deferred_constraints():
    """Run the checks PostgreSQL defers to COMMIT now (a test's transaction never commits)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Only PostgreSQL has the exclusion constraint; SQLite relies on Assignment.clean().",
)
def test_closing_one_assignment_and_moving_the_next_in_one_save(client, world):
    """The cell page saves its rows newest first: the new row's earlier start is written while
    the old row still reaches past it. Only the committed result is judged."""
    cell = world["cell"]
    old = Assignment.objects.get(cell=cell)
    Assignment.objects.filter(pk=old.pk).update(ends_on=datetime.date(2025, 12, 31))
    new = factories.assignment(
        cell=cell,
        village=world["other_village"],
        directive=world["directive"],
        starts_on=datetime.date(2026, 1, 1),
    )
    client.force_login(world["admin"])
    rows = [
        {
            "id": new.pk,
            "cell": cell.pk,
            "village": new.village_id,
            "directive": new.directive_id,
            "starts_on": "2025-07-01",
        },
        {
            "id": old.pk,
            "cell": cell.pk,
            "village": old.village_id,
            "directive": old.directive_id,
            "starts_on": old.starts_on.isoformat(),
            "ends_on": "2025-06-30",
        },
    ]
    url = reverse("admin:programs_partycell_change", args=[cell.pk])
    response = client.post(url, _cell_inline_data(world, cell, rows))
    assert response.status_code == 302
    _check_deferred_constraints()
    new.refresh_from_db()
    old.refresh_from_db()
    assert (old.ends_on, new.starts_on) == (datetime.date(2025, 6, 30), datetime.date(2025, 7, 1))

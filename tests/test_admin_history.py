"""Admin edits of villages, households, members, cells, committees and assignments leave a
history a person can read: each changed field with its old and new value, in the reader's
language (choices as labels, linked records by name, dates dd/mm/yyyy, booleans Có/Không)."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation

from programs.models import Assignment, Household, Member, PartyCell, PartyCommittee, Village
from tests import factories


def _url(obj, view):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def _value(bound):
    value = bound.value()
    if value is None:
        return None
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def _posted_form(client, obj) -> dict:
    """The change form's data as the browser would send it back unchanged."""
    response = client.get(_url(obj, "change"))
    assert response.status_code == 200
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = _value(form[name])
            if value is not None:
                data[form.add_prefix(name)] = value
    return data


def _history(client, obj) -> str:
    response = client.get(_url(obj, "history"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def admin_client(client, world):
    client.force_login(world["admin"])
    return client


def _change(client, obj, **changes):
    data = _posted_form(client, obj) | changes
    # An unticked box is not sent at all.
    data = {key: value for key, value in data.items() if value is not None}
    response = client.post(_url(obj, "change"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()
    return obj


def _label(text):
    with translation.override("vi"):
        return str(translation.gettext(text))


def test_village_rename_shows_old_and_new_name(admin_client, world):
    village = _change(admin_client, world["village"], name="Phiêng Luông Trên")
    assert village.name == "Phiêng Luông Trên"
    html = _history(admin_client, village)
    assert f"{_label('name').capitalize()}: Phiêng Luông → Phiêng Luông Trên" in html
    # Django's own summary names the field in Vietnamese too.
    assert _label("Changed {fields}.").format(fields=_label("name")) in html


def test_household_status_shows_choice_labels(admin_client, world):
    household = factories.household(village=world["village"], head_name="Quan Văn Thính")
    _change(admin_client, household, status=Household.Status.POOR)
    assert household.status == Household.Status.POOR
    html = _history(admin_client, household)
    assert f"{_label('ordinary')} → {_label('poor household')}" in html


def test_member_boolean_and_cell_show_as_words(admin_client, world):
    member = factories.member(full_name="Ma Văn Lự", cell=world["cell"])
    _change(admin_client, member, is_party_member=None, cell=world["other_cell"].pk)
    assert (member.is_party_member, member.cell) == (False, world["other_cell"])
    html = _history(admin_client, member)
    assert "Có → Không" in html
    assert "Chi bộ Văn phòng → Chi bộ Tư pháp" in html


def test_cell_home_village_shows_names(admin_client, world):
    cell = factories.cell(committee=world["committee"], name="Chi bộ thôn")
    _change(admin_client, cell, kind=PartyCell.Kind.VILLAGE, home_village=world["village"].pk)
    assert cell.home_village == world["village"]
    html = _history(admin_client, cell)
    assert "— → thôn Phiêng Luông" in html
    assert f"{_label('agency cell')} → {_label('village cell')}" in html


def test_committee_field_and_inline_cell_show_old_and_new(admin_client, world):
    committee = world["committee"]
    data = _posted_form(admin_client, committee)
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-name") and value == "Chi bộ Tư pháp"
    )
    data |= {"abbreviation": "ĐUK", f"cells-{index}-name": "Chi bộ Tư pháp - Thi hành án"}
    response = admin_client.post(_url(committee, "change"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    committee.refresh_from_db()
    assert committee.abbreviation == "ĐUK"
    assert PartyCell.objects.filter(name="Chi bộ Tư pháp - Thi hành án").exists()
    html = _history(admin_client, committee)
    assert "ĐU → ĐUK" in html
    assert "Chi bộ Tư pháp → Chi bộ Tư pháp - Thi hành án" in html


def test_assignment_end_date_shows_dd_mm_yyyy(admin_client, world):
    assignment = Assignment.objects.get(cell=world["cell"])
    _change(admin_client, assignment, ends_on="2026-12-31")
    assert assignment.ends_on == datetime.date(2026, 12, 31)
    html = _history(admin_client, assignment)
    assert "— → 31/12/2026" in html


def test_history_is_shown_in_the_readers_language(admin_client, world):
    household = factories.household(village=world["village"])
    _change(admin_client, household, status=Household.Status.POOR)
    admin_client.cookies["django_language"] = "en"
    with translation.override("en"):
        html = admin_client.get(
            _url(household, "history"), headers={"accept-language": "en"}
        ).content.decode()
    assert "Status: ordinary → poor household" in html


def test_stored_entry_keeps_values_not_translated_labels(admin_client, world):
    member = factories.member(cell=world["cell"], level=Member.Level.DISTRICT)
    _change(admin_client, member, level=Member.Level.COMMUNE)
    entry = LogEntry.objects.get(object_id=str(member.pk), action_flag=2)
    assert '"values": [{"field": "level", "old": "district", "new": "commune"}]' in (
        entry.change_message
    )


@pytest.mark.parametrize("model", [Village, PartyCommittee])
def test_unchanged_save_records_no_values(admin_client, world, model):
    obj = world["village"] if model is Village else world["committee"]
    data = _posted_form(admin_client, obj)
    response = admin_client.post(_url(obj, "change"), data)
    assert response.status_code == 302
    assert "→" not in _history(admin_client, obj)

"""The world a module's tests share (``world`` in tests/conftest.py), and the report dataset made
in it: made once per module in a transaction, each test with its own copy of the objects and
its own savepoint, and out of sight of the tests that do not ask for them."""

import pytest
from django.db import connection

from programs.models import PartyCell, PartyCommittee


def _is_untouched_then_change(world):
    cell = world["cell"]
    assert cell.name == "Chi bộ Văn phòng"
    assert PartyCell.objects.get(pk=cell.pk).name == "Chi bộ Văn phòng"
    assert not PartyCommittee.objects.filter(name="Đảng ủy mới").exists()
    cell.name = "Chi bộ đổi tên"
    cell.save()
    PartyCommittee.objects.create(name="Đảng ủy mới")
    world["officer"].first_name = "Changed in memory only"


# Two tests that change the world: whichever runs second finds it as it was made.
def test_what_one_test_changes_in_the_world_is_its_own(world):
    _is_untouched_then_change(world)
    assert world["officer"].first_name == "Changed in memory only"


def test_what_another_test_changes_in_the_world_is_its_own(world):
    assert world["officer"].first_name != "Changed in memory only"
    _is_untouched_then_change(world)


def test_the_world_is_there_for_the_tests_that_ask(world):
    assert PartyCommittee.objects.filter(pk=world["committee"].pk).exists()
    assert PartyCell.objects.filter(committee=world["committee"]).count() == 2


def test_the_report_dataset_is_made_with_the_worlds_objects(world, report_dataset):
    assert report_dataset["cell"] is world["cell"]
    assert report_dataset["cells"][0] is world["cell"]
    assert PartyCell.objects.count() == len(report_dataset["cells"]) == 8


def test_a_test_of_the_module_without_the_world_sees_none_of_it(db):
    assert not PartyCommittee.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_test_that_commits_runs_outside_the_modules_transaction(world):
    # Its own world, committed: the live server's threads would see it.
    assert connection.get_autocommit()
    assert not connection.in_atomic_block
    assert PartyCommittee.objects.count() == 2  # the world's committee and the outsider's

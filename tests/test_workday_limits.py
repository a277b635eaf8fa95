"""The workday limits (0.5 to 3, by half days) have one home beside ``Attendance``: the
database, the model's validators and the log form's field refuse the same values with them."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from programs.forms.logbook import WorkdaysField
from programs.models import Attendance
from programs.models.sessions import (
    WORKDAYS_MAX,
    WORKDAYS_MESSAGES,
    WORKDAYS_MIN,
    WORKDAYS_STEP,
)
from tests import factories

REFUSED = [Decimal("0"), Decimal("0.25"), Decimal("1.3"), Decimal("2.7"), Decimal("3.5")]
ACCEPTED = [Decimal("0.5"), Decimal("1"), Decimal("1.5"), Decimal("2.5"), Decimal("3")]


def test_the_limits():
    assert (Decimal("0.5"), 3, Decimal("0.5")) == (WORKDAYS_MIN, WORKDAYS_MAX, WORKDAYS_STEP)


@pytest.fixture
def attendance(world):
    """An unsaved attendance row of a real member at a real session."""
    member = factories.member(cell=world["cell"])
    session = factories.session(
        cell=world["cell"], village=world["village"], directive=world["directive"]
    )
    return Attendance(session=session, member=member, category="worker", level="district")


@pytest.mark.parametrize("workdays", REFUSED)
def test_database_refuses(attendance, workdays):
    attendance.workdays = workdays
    with pytest.raises(IntegrityError), transaction.atomic():
        attendance.save()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("workdays", ACCEPTED)
def test_database_accepts(attendance, workdays):
    attendance.workdays = workdays
    attendance.save()
    attendance.refresh_from_db()
    assert attendance.workdays == workdays


@pytest.mark.parametrize("workdays", REFUSED)
def test_model_validation_refuses(attendance, workdays):
    attendance.workdays = workdays
    with pytest.raises(ValidationError) as refused:
        attendance.full_clean()
    assert set(refused.value.message_dict) == {"workdays"}


@pytest.mark.parametrize("workdays", REFUSED)
def test_form_refuses_the_same_values(workdays):
    field = WorkdaysField()
    with pytest.raises(ValidationError) as refused:
        field.clean(str(workdays))
    assert refused.value.messages[0] in {str(message) for message in WORKDAYS_MESSAGES.values()}


@pytest.mark.parametrize("workdays", ACCEPTED)
def test_form_accepts_the_same_values(workdays):
    assert WorkdaysField().clean(str(workdays)) == workdays


def test_the_page_input_takes_its_limits_from_the_field(client, world):
    """In Vietnamese too (decimal comma elsewhere), the input says 0.5, 3 and 0.5."""
    session = factories.session(
        cell=world["cell"], village=world["village"], directive=world["directive"]
    )
    member = factories.member(cell=world["cell"])
    client.force_login(world["secretary"])
    page = client.get(reverse("programs:session-log", args=[session.pk])).content.decode()
    box = re.search(rf'<input type="number"[^>]*name="workdays_{member.pk}"[^>]*>', page)
    assert box is not None
    attrs = dict(re.findall(r'(min|max|step)="([^"]*)"', box.group()))
    assert attrs == {"min": "0.5", "max": "3", "step": "0.5"}

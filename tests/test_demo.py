"""The demo loader: idempotent, keeping what people entered, and the logins it prints (what it
loads: tests/test_demo_contents.py; its guard on an empty database:
tests/test_demo_guard.py)."""

import datetime
import itertools
import shutil
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone
from PIL import Image

from programs.models import (
    Assignment,
    Attendance,
    DemoRecord,
    Directive,
    Household,
    LabourSession,
    PartyCell,
    Photo,
    Role,
    Village,
    WorkOutput,
    WorkType,
)
from programs.photos import process_upload
from programs.planning import Month, public_holidays
from programs.services import logbook
from programs.services.sessions import session_create
from tests.conftest import demo_loaded_in_a_transaction
from tests.demo import AGENCY_CELLS, DEMO_USERS, _schedule, demo_load, load


@pytest.fixture(autouse=True)
def demo_settings(settings, tmp_path):
    # pytest-django turns DEBUG off; the loader needs it on (or --force). Photos go to a
    # temporary folder instead of piling up in the shared test media folder.
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


PASSWORD = "s3cret-demo"


@pytest.fixture(scope="module")
def _first_load(django_db_setup, django_db_blocker, tmp_path_factory):
    """The first load, which most tests here start from, with ``--password``: once per module,
    in a transaction rolled back after the module (as the ``demo`` fixture in
    tests/conftest.py). A load takes two seconds; each test then loads again, which is what it
    tests. Yields the media folder and what the command printed."""
    media_root = tmp_path_factory.mktemp("demo-media")
    first = demo_loaded_in_a_transaction(
        django_db_blocker, media_root, "--password", PASSWORD, debug=True
    )
    with first as output:
        yield media_root, output


@pytest.fixture
def loaded(_first_load, db, demo_settings):
    """The demo as a first ``load_demo --password s3cret-demo`` today leaves it: its rows
    (rolled back after the test with its savepoint) and a copy of its photos in the test's own
    media folder. What the command printed."""
    media_root, output = _first_load
    shutil.copytree(media_root, demo_settings.MEDIA_ROOT, dirs_exist_ok=True)
    return output


# --- The logins it prints -------------------------------------------------------------------


def test_prints_a_summary_and_the_logins(loaded):
    lines = loaded.splitlines()
    assert lines[0].startswith("Demo loaded:")
    for username in DEMO_USERS:
        assert any(line.split()[0] == username and PASSWORD in line for line in lines[1:])


@pytest.mark.parametrize("username", DEMO_USERS)
def test_demo_users_can_log_in_with_the_given_password(loaded, client, username):
    assert client.login(username=username, password=PASSWORD)
    assert not client.login(username=username, password="demo")


# --- Loading again --------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("programs").get_models()
    }
    counts["auth.User"] = get_user_model().objects.count()
    counts["auth.Group"] = apps.get_model("auth", "Group").objects.count()
    return counts


def test_loading_twice_leaves_the_same_rows(loaded):
    first = row_counts()
    first_sessions = set(LabourSession.objects.values_list("pk", "cell_id", "date", "status"))
    load()
    assert row_counts() == first
    assert set(LabourSession.objects.values_list("pk", "cell_id", "date", "status")) == (
        first_sessions
    )
    assert first["programs.LabourSession"] > 30
    assert first["programs.Role"] == 5


def test_loading_in_another_month_replaces_sessions_instead_of_adding(loaded):
    today = timezone.localdate()
    first = row_counts()
    demo_load(today=today + datetime.timedelta(days=45))
    later = row_counts()
    # Attendance and outputs depend on how many of the month's sessions have passed.
    for label in ("programs.LabourSession", "programs.Photo", "programs.Member", "auth.User"):
        assert later[label] == first[label], label
    demo_load(today=today)
    assert row_counts() == first
    # The article's photos were regenerated for the new session and the old files removed.
    assert all(photo.image.storage.exists(photo.image.name) for photo in Photo.objects.all())


# --- A re-run keeps what people entered ---------------------------------------------------------


def _state(session: LabourSession) -> dict:
    """A session as people see it: every column, who came, the work done, photos, history."""
    session.refresh_from_db()
    return {
        "fields": {f.attname: getattr(session, f.attname) for f in session._meta.concrete_fields},
        "attendances": sorted(
            session.attendances.values_list("member_id", "workdays", "category", "level")
        ),
        "outputs": sorted(
            session.outputs.values_list(
                "pk", "work_type_id", "description", "quantity", "unit", "value_vnd"
            )
        ),
        "photos": sorted(session.photos.values_list("pk", "image", "thumbnail", "caption")),
        "changes": sorted(session.changes.values_list("pk", "action", "user_id")),
    }


def _timestamps() -> dict:
    """Every row's last change, by model, and the users' password hashes."""
    stamps = {
        model._meta.label: sorted(model.objects.values_list("pk", "updated_at"))
        for model in apps.get_app_config("programs").get_models()
        if any(f.name == "updated_at" for f in model._meta.fields)
    }
    stamps["passwords"] = sorted(get_user_model().objects.values_list("pk", "password"))
    stamps["attendance"] = sorted(Attendance.objects.values_list("pk", "workdays"))
    stamps["outputs"] = sorted(WorkOutput.objects.values_list("pk", "quantity", "value_vnd"))
    stamps["demo"] = sorted(DemoRecord.objects.values_list("pk", "object_id", "fingerprint"))
    return stamps


def _free_weekend_day(cell, month: Month, avoid=()) -> datetime.date:
    """A weekend day of ``month`` without a session of ``cell`` (nor a holiday, nor ``avoid``)."""
    day = month.first
    taken = set(LabourSession.objects.filter(cell=cell).values_list("date", flat=True))
    while day <= month.last:
        if (
            day.weekday() >= 5
            and day not in public_holidays(month)
            and day not in taken
            and day not in avoid
        ):
            return day
        day += datetime.timedelta(days=1)
    raise AssertionError(f"no free weekend day in {month}")


def _a_photo():
    buffer = BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, "JPEG")
    processed = process_upload(SimpleUploadedFile("kenh.jpg", buffer.getvalue()))
    return logbook.PhotoInput(processed=processed, caption="Lắp kênh thôn (tay)")


def _overlaps(assignments) -> list:
    ordered = sorted(assignments, key=lambda a: a.starts_on)
    return [
        (a, b)
        for a, b in itertools.pairwise(ordered)
        if a.ends_on is None or a.ends_on >= b.starts_on
    ]


def test_a_rerun_keeps_everything_people_entered(loaded):
    today = timezone.localdate()
    later = today + datetime.timedelta(days=31)
    User = get_user_model()
    officer = User.objects.get(username="officer")
    secretary = User.objects.get(username="secretary")
    plan = Directive.objects.get(symbol="54-KH/HU")
    cells = [PartyCell.objects.get(name=spec["name"]) for spec in AGENCY_CELLS]
    schedule_later = _schedule(later)

    # A confirmed session entered by hand two months ago, with a photo.
    cell = cells[0]
    village = Assignment.objects.open().get(cell=cell).village
    past_day = _free_weekend_day(cell, Month.of(today).previous().previous())
    confirmed = session_create(
        user=officer, directive=plan, cell=cell, village=village, date=past_day
    )
    canal = WorkType.objects.get(name="Thủy lợi, kênh mương")
    member = cell.members.order_by("full_name").first()
    data = logbook.LogInput(
        attendance={member.pk: Decimal("1")},
        unlisted_villagers=12,
        notes="Nhập tay.",
        outputs=[
            logbook.OutputInput(
                work_type=canal,
                quantity=Decimal("30"),
                unit="m",
                description="Kênh nhập tay",
                value_vnd=3_000_000,
                funding_source="villagers",
            )
        ],
        new_photos=[_a_photo()],
    )
    logbook.session_log_save(
        session=confirmed, user=secretary, version=1, data=data, submit=True, today=today
    )
    confirmed.refresh_from_db()
    logbook.session_log_confirm(session=confirmed, user=officer, version=confirmed.version)
    photo = Photo.objects.get(session=confirmed)
    files = [photo.image.path, photo.thumbnail.path]

    # A planned one this month, and one on the day the demo will want two months from now.
    planned = session_create(
        user=officer,
        directive=plan,
        cell=cell,
        village=village,
        date=_free_weekend_day(cell, Month.of(today), avoid={p.date for p in schedule_later}),
    )
    far = [p for p in schedule_later if p.cell_index == 1 and p.date > later][-1]
    second = Assignment.objects.open().get(cell=cells[1]).village
    clashing = session_create(
        user=officer, directive=plan, cell=cells[1], village=second, date=far.date
    )

    # A demo session people confirmed, and one they added a photo to.
    submitted = LabourSession.objects.filter(cell=cells[3], log_status="submitted").first()
    logbook.session_log_confirm(session=submitted, user=officer, version=submitted.version)
    returned = LabourSession.objects.get(log_status="returned")
    logbook.session_log_save(
        session=returned,
        user=officer,
        version=returned.version,
        data=logbook.LogInput(
            attendance=dict(returned.attendances.values_list("member_id", "workdays")),
            unlisted_commune_cadres=returned.unlisted_commune_cadres,
            unlisted_armed_forces=returned.unlisted_armed_forces,
            unlisted_villagers=returned.unlisted_villagers,
            notes=returned.notes,
            outputs=[
                logbook.OutputInput(
                    work_type=o.work_type,
                    quantity=o.quantity,
                    unit=o.unit,
                    description=o.description,
                    household=o.household,
                    value_vnd=o.value_vnd,
                    funding_source=o.funding_source,
                    id=o.pk,
                )
                for o in returned.outputs.all()
            ],
            new_photos=[_a_photo()],
        ),
        today=today,
    )

    # A renamed village, an edited household, a new assignment, a role given to a demo user.
    renamed = Village.objects.get(name="Nà Coóc")
    renamed.name = "Nà Coóc Mới"
    renamed.save()
    household = Household.objects.get(head_name="Quan Văn Thính")
    household.note = "Đã sửa xong nhà"
    household.save()
    moved = cells[2]
    old_assignment = Assignment.objects.open().get(cell=moved)
    old_assignment.ends_on = today
    old_assignment.save()
    new_assignment = Assignment.objects.create(
        cell=moved,
        directive=plan,
        village=Village.objects.get(name="Nà Muông"),
        starts_on=today + datetime.timedelta(days=1),
        note="Nhập tay",
    )
    extra_role = Role.objects.create(
        user=secretary, kind=Role.Kind.VIEWER, committee=cells[0].committee
    )

    people_sessions = [confirmed, planned, clashing, submitted, returned]
    before = {s.pk: _state(s) for s in people_sessions}
    villages = Village.objects.count()
    assignments = {
        a.pk: (a.cell_id, a.village_id, a.starts_on, a.ends_on) for a in Assignment.objects.all()
    }

    output = load()  # the documented path: `make run` again the same day
    demo_load(today=later)  # and a month on

    for session in people_sessions:
        assert _state(session) == before[session.pk], session
    assert Photo.objects.filter(pk=photo.pk).exists()
    assert all(Path(name).is_file() for name in files)
    assert Photo.objects.filter(session=returned).count() == 1
    assert Village.objects.count() == villages
    renamed.refresh_from_db()
    assert renamed.name == "Nà Coóc Mới"
    assert not Village.objects.filter(name="Nà Coóc").exists()
    household.refresh_from_db()
    assert household.note == "Đã sửa xong nhà"
    for pk, values in assignments.items():
        a = Assignment.objects.get(pk=pk)
        assert (a.cell_id, a.village_id, a.starts_on, a.ends_on) == values
    for each in PartyCell.objects.all():
        assert _overlaps(Assignment.objects.filter(cell=each)) == [], each
    assert Role.objects.filter(pk=extra_role.pk).exists()
    assert "Left as people changed them" in output

    # The demo is still whole: every session of the new schedule is there (people's session
    # stands in on its day), never two of one cell on one day.
    used = {submitted.pk, returned.pk}  # the demo's sessions people used stay on their day
    for p in schedule_later:
        on_day = LabourSession.objects.filter(cell=cells[p.cell_index], date=p.date).exists()
        assert on_day or DemoRecord.objects.get(key=p.key).object_id in used, p
    doubles = LabourSession.objects.values("cell", "date").annotate(n=Count("pk")).filter(n__gt=1)
    assert not doubles.exists()
    assert LabourSession.objects.filter(cell=cells[1], date=far.date).get() == clashing
    # Sessions after the new assignment starts go to the village people chose.
    future = LabourSession.objects.filter(cell=moved, date__gt=today).exclude(pk=planned.pk)
    assert future.exists()
    assert set(future.values_list("village", flat=True)) == {new_assignment.village_id}
    article = Photo.objects.filter(caption__startswith="Cán bộ, đảng viên").latest("pk")
    assert article.session.date < later and article.image.storage.exists(article.image.name)


def test_loading_twice_in_a_row_changes_nothing(loaded):
    today = timezone.localdate()
    later = today + datetime.timedelta(days=40)
    demo_load(today=later)
    counts, stamps = row_counts(), _timestamps()
    demo_load(today=later)
    assert row_counts() == counts
    assert _timestamps() == stamps


def test_a_demo_row_people_deleted_is_made_again(loaded):
    household = Household.objects.get(head_name="Ma Thị Hoa")
    household.delete()
    demo_load()
    assert Household.objects.filter(head_name="Ma Thị Hoa").count() == 1


def test_rows_of_a_loader_without_marks_are_taken_over_not_doubled(loaded):
    today = timezone.localdate()
    counts = row_counts()
    DemoRecord.objects.all().delete()  # as left by the loader before the marks
    demo_load(today=today)
    assert row_counts() == counts
    assert not DemoRecord.objects.filter(fingerprint__isnull=True).exists()
    # Its sessions are the demo's again: a month on they move instead of piling up.
    demo_load(today=today + datetime.timedelta(days=45))
    later = row_counts()
    for label in ("programs.LabourSession", "programs.Photo", "programs.DemoRecord"):
        assert later[label] == counts[label], label


def test_the_demo_gives_way_to_an_assignment_people_made(loaded):
    cell = PartyCell.objects.get(name=AGENCY_CELLS[3]["name"])
    demo_assignment = Assignment.objects.open().get(cell=cell)
    directive = demo_assignment.directive
    # People replaced the demo's assignment with their own: a year in another village.
    demo_assignment.delete()
    theirs = Assignment.objects.create(
        cell=cell,
        directive=directive,
        village=Village.objects.get(name="Nà Muông"),
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    result = demo_load()
    theirs_before = (theirs.village_id, theirs.starts_on, theirs.ends_on)
    theirs.refresh_from_db()
    assert (theirs.village_id, theirs.starts_on, theirs.ends_on) == theirs_before
    # The demo makes its own again, but only up to the day before theirs starts.
    remade = Assignment.objects.exclude(pk=theirs.pk).get(cell=cell, directive=directive)
    assert (remade.starts_on, remade.ends_on) == (
        datetime.date(2021, 7, 1),
        datetime.date(2023, 12, 31),
    )
    assert _overlaps(Assignment.objects.filter(cell=cell)) == []
    assert f"assignment of {cell} ends on 31/12/2023" in result.summary()


def test_the_summary_names_what_people_changed_and_where_the_demo_gave_way(loaded):
    today = timezone.localdate()
    village = Village.objects.get(name="Chẩu Quân")
    village.name = "Chẩu Quân (mới)"
    village.save()
    cell = PartyCell.objects.get(name=AGENCY_CELLS[0]["name"])
    upcoming = [p for p in _schedule(today) if p.cell_index == 0][-1]
    session = LabourSession.objects.get(cell=cell, date=upcoming.date)
    session.delete()  # a person replaces the demo's planned session with their own
    mine = session_create(
        user=get_user_model().objects.get(username="officer"),
        directive=session.directive,
        cell=cell,
        village=session.village,
        date=upcoming.date,
        planned_work="Việc nhập tay",
    )
    summary = demo_load(today=today).summary()
    assert summary.startswith("Demo loaded:")
    assert "Left as people changed them: 1 village." in summary
    assert "Left 1 of the demo's session dates" in summary
    mine.refresh_from_db()
    assert mine.planned_work == "Việc nhập tay"

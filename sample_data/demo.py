"""The demo world: the Lâm Bình article (seeds/000) as rows, loaded by ``manage.py load_demo``.

Tuyên Quang province; Lâm Bình district and the old communes Bình An and Thổ Bình until the
2025 reform, the new xã Bình An after it; Đề án 02-ĐA/TU and Kế hoạch 54-KH/HU; the party
committees, their cells and members; about six months of sessions around today, the article's
Saturday among them (250 m of precast canal, the house of ông Quan Văn Thính); the demo users.

The loader owns only the rows it created: each carries a mark (``DemoRecord``) with a key that
survives a rename ("village:Phiêng Luông") and a fingerprint of what the loader last wrote.
A run finds its rows by their marks, updates in place those nobody has changed since, and
leaves everything else alone: rows people entered, and demo rows people edited or used (a
session they logged, confirmed, postponed or added a photo to). It deletes only its own
sessions that left today's schedule and that nobody touched, and it never deletes a file.
Sessions are dated relative to today (see ``_schedule``).
"""

import datetime
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone, translation

from programs.models.demo import DemoRecord
from programs.models.directives import WEEKEND, Directive
from programs.models.geography import Commune, District, Household, Province, Village, VillageName
from programs.models.opinions import OpinionField, OpinionStatus, VillagerOpinion
from programs.models.organisations import Assignment, Member, PartyCell, PartyCommittee, Role
from programs.models.sessions import (
    Attendance,
    FundingSource,
    LabourSession,
    Photo,
    SessionChange,
    Unit,
    WorkOutput,
    WorkType,
)
from programs.planning import Month, public_holidays
from programs.services.rollups import rollup_rebuild
from programs.text import fold, vn_date

DEFAULT_PASSWORD = "demo"
OFFICE_GROUP = "Văn phòng Đảng ủy"
# The last day of the district tier (the 2025 reform took effect on 1/7/2025).
REFORM_EVE = datetime.date(2025, 6, 30)
REFORM_DAY = datetime.date(2025, 7, 1)
# The office may keep the place lists up to date; everything else it may only look at.
GEOGRAPHY_MODELS = ("province", "district", "commune", "village", "villagename", "household")

# Canal, housing… as seeded by migration 0002 (looked up by their Vietnamese names).
ROADS = "Giao thông nông thôn"
CANALS = "Thủy lợi, kênh mương"
HOUSING = "Nhà ở (sửa chữa, làm mới, đổ nền)"
CULTURAL_HOUSE = "Nhà văn hóa, sân, khuôn viên"
ENVIRONMENT = "Vệ sinh môi trường, phát quang, trồng cây"
LIGHTING = "Thắp sáng đường quê"
PRODUCTION = "Giúp sản xuất, thu hoạch"
INFORMATION = "Tuyên truyền, đối thoại"
GIFTS = "Tặng quà an sinh"

C = Member.Category
L = Member.Level

# (name, kind, commune before the reform)
VILLAGES = [
    ("Phiêng Luông", Village.Kind.THON, "Bình An"),
    ("Nà Coóc", Village.Kind.THON, "Bình An"),
    ("Chẩu Quân", Village.Kind.THON, "Bình An"),
    ("Nà Muông", Village.Kind.BAN, "Bình An"),
    ("Bản Khiển", Village.Kind.THON, "Thổ Bình"),
    ("Khuổi Củng", Village.Kind.BAN, "Thổ Bình"),
]

H = Household.Status
# (village, head of household, status, note)
HOUSEHOLDS = [
    ("Phiêng Luông", "Quan Văn Thính", H.POOR, "Nhà xuống cấp, nền đất; cần sửa nhà, đổ nền"),
    ("Phiêng Luông", "Ma Thị Hoa", H.NEAR_POOR, ""),
    ("Phiêng Luông", "Hoàng Văn Pản", H.POLICY, "Gia đình thương binh"),
    ("Nà Coóc", "Nông Văn Sinh", H.POOR, ""),
    ("Nà Coóc", "Chẩu Thị Lan", H.POLICY, "Gia đình liệt sĩ"),
    ("Chẩu Quân", "Triệu Văn Điển", H.NEAR_POOR, ""),
    ("Chẩu Quân", "Lý Văn Tòng", H.ORDINARY, ""),
    ("Bản Khiển", "Bàn Thị Dịu", H.POOR, "Người cao tuổi sống một mình"),
    ("Khuổi Củng", "Ma Văn Lường", H.NEAR_POOR, ""),
]
# The households that agreed to be named in news items: the article names ông Quan Văn Thính.
PUBLISHABLE_HOUSEHOLDS = {"Quan Văn Thính"}

# The agency cells of Đảng ủy Cơ quan Chính quyền huyện, each with its village and members
# (full name, category, level, party member, position). The first member is the secretary.
AGENCY_CELLS = [
    {
        "name": "Chi bộ Văn phòng HĐND-UBND huyện",
        "organisation": "Văn phòng HĐND và UBND huyện",
        "village": "Phiêng Luông",
        "members": [
            ("Hoàng Văn Thắng", C.OFFICIAL, L.DISTRICT, True, "Chánh Văn phòng, Bí thư chi bộ"),
            ("Ma Thị Hương", C.OFFICIAL, L.DISTRICT, True, "Phó Chánh Văn phòng"),
            ("Nông Văn Quyết", C.CIVIL_SERVANT, L.DISTRICT, True, "Chuyên viên"),
            ("Quan Thị Dung", C.CIVIL_SERVANT, L.DISTRICT, True, "Chuyên viên"),
            ("Lý Thị Nga", C.PUBLIC_EMPLOYEE, L.DISTRICT, False, "Văn thư"),
            ("Triệu Văn Hải", C.WORKER, L.DISTRICT, False, "Lái xe"),
            ("Bàn Văn Long", C.ARMED_FORCES, L.DISTRICT, True, "Tự vệ cơ quan"),
            ("Hoàng Thị Yến", C.FRONT_CADRE, L.DISTRICT, True, "Chủ tịch Công đoàn cơ sở"),
        ],
    },
    {
        "name": "Chi bộ Phòng Nông nghiệp và PTNT",
        "organisation": "Phòng Nông nghiệp và PTNT huyện",
        "village": "Nà Coóc",
        "members": [
            ("Ma Văn Cường", C.OFFICIAL, L.DISTRICT, True, "Trưởng phòng, Bí thư chi bộ"),
            ("Hoàng Thị Lụa", C.OFFICIAL, L.DISTRICT, True, "Phó Trưởng phòng"),
            ("Chẩu Văn Định", C.CIVIL_SERVANT, L.DISTRICT, True, "Chuyên viên"),
            ("Nông Thị Thảo", C.PUBLIC_EMPLOYEE, L.DISTRICT, True, "Viên chức khuyến nông"),
            ("Đặng Văn Phúc", C.PUBLIC_EMPLOYEE, L.DISTRICT, False, "Viên chức thú y"),
            (
                "Lê Minh Tuấn",
                C.CIVIL_SERVANT,
                L.PROVINCE,
                True,
                "Chuyên viên Sở Nông nghiệp và Môi trường, tăng cường cơ sở",
            ),
            ("Quan Văn Khánh", C.ARMED_FORCES, L.DISTRICT, True, "Tự vệ cơ quan"),
        ],
    },
    {
        "name": "Chi bộ Phòng Tài chính - Kế hoạch",
        "organisation": "Phòng Tài chính - Kế hoạch huyện",
        "village": "Chẩu Quân",
        "members": [
            ("Nguyễn Thị Thanh Huyền", C.OFFICIAL, L.DISTRICT, True, "Trưởng phòng, Bí thư chi bộ"),
            ("Hà Văn Toàn", C.OFFICIAL, L.DISTRICT, True, "Phó Trưởng phòng"),
            ("Ma Thị Thu Trang", C.CIVIL_SERVANT, L.DISTRICT, True, "Chuyên viên"),
            ("Phạm Quang Vinh", C.CIVIL_SERVANT, L.DISTRICT, False, "Chuyên viên"),
            ("Triệu Thị Hạnh", C.PUBLIC_EMPLOYEE, L.DISTRICT, True, "Kế toán"),
            ("Lý Văn Sơn", C.WORKER, L.DISTRICT, False, "Nhân viên hợp đồng"),
        ],
    },
    {
        "name": "Chi bộ Phòng Giáo dục và Đào tạo",
        "organisation": "Phòng Giáo dục và Đào tạo huyện",
        "village": "Bản Khiển",
        "members": [
            ("Bàn Thị Liên", C.OFFICIAL, L.DISTRICT, True, "Trưởng phòng, Bí thư chi bộ"),
            ("Nông Văn Hùng", C.OFFICIAL, L.DISTRICT, True, "Phó Trưởng phòng"),
            ("Đỗ Văn Kiên", C.CIVIL_SERVANT, L.DISTRICT, True, "Chuyên viên"),
            ("Ma Thị Phượng", C.PUBLIC_EMPLOYEE, L.DISTRICT, True, "Giáo viên biệt phái"),
            ("Quan Thị Hằng", C.PUBLIC_EMPLOYEE, L.DISTRICT, False, "Giáo viên biệt phái"),
            ("Hoàng Văn Dũng", C.ARMED_FORCES, L.DISTRICT, True, "Tự vệ cơ quan"),
            ("Chẩu Thị Mai", C.FRONT_CADRE, L.DISTRICT, True, "Bí thư Chi đoàn"),
        ],
    },
    {
        "name": "Chi bộ Phòng Lao động - TB&XH",
        "organisation": "Phòng Lao động - Thương binh và Xã hội huyện",
        "village": "Khuổi Củng",
        "members": [
            ("Triệu Văn Bình", C.OFFICIAL, L.DISTRICT, True, "Trưởng phòng, Bí thư chi bộ"),
            ("Ma Thị Loan", C.CIVIL_SERVANT, L.DISTRICT, True, "Chuyên viên"),
            ("Hà Thị Ngọc", C.CIVIL_SERVANT, L.DISTRICT, True, "Chuyên viên"),
            ("Nông Văn Tiến", C.PUBLIC_EMPLOYEE, L.DISTRICT, False, "Viên chức"),
            ("Lương Văn Hòa", C.WORKER, L.DISTRICT, False, "Nhân viên bảo vệ"),
            (
                "Vũ Thị Hồng Nhung",
                C.CIVIL_SERVANT,
                L.PROVINCE,
                True,
                "Chuyên viên Sở Nội vụ, tăng cường cơ sở",
            ),
            ("Hoàng Thị Xuân", C.FRONT_CADRE, L.DISTRICT, True, "Chi hội trưởng Phụ nữ"),
        ],
    },
]

# Commune cadres who belong to the village cells of Đảng ủy xã Bình An; they join the sessions
# held in their village.
VILLAGE_CELL_MEMBERS = {
    "Phiêng Luông": [
        ("Quan Văn Sáng", C.OFFICIAL, L.COMMUNE, True, "Phó Chủ tịch UBND xã"),
        ("Ma Văn Thuận", C.ARMED_FORCES, L.COMMUNE, True, "Chỉ huy trưởng Ban Chỉ huy quân sự xã"),
        ("Hoàng Thị Mến", C.FRONT_CADRE, L.COMMUNE, True, "Chủ tịch Hội LHPN xã"),
    ],
    "Nà Coóc": [
        ("Nông Văn Tuyên", C.CIVIL_SERVANT, L.COMMUNE, True, "Công chức Địa chính - Xây dựng"),
        ("Chẩu Thị Hiền", C.FRONT_CADRE, L.COMMUNE, True, "Phó Chủ tịch Ủy ban MTTQ xã"),
    ],
    "Chẩu Quân": [
        ("Lý Văn Thịnh", C.CIVIL_SERVANT, L.COMMUNE, True, "Công chức Văn hóa - Xã hội"),
        ("Bàn Văn Chiến", C.ARMED_FORCES, L.COMMUNE, False, "Dân quân thường trực"),
    ],
}

# (username, family and middle name, given name, role, index of the agency cell or None)
USERS = [
    ("admin", "Nguyễn Văn", "An", None, None),
    ("officer", "Ma Thị", "Hạnh", Role.Kind.OFFICER, None),
    ("viewer", "Hoàng Văn", "Lợi", Role.Kind.VIEWER, None),
    ("secretary", "Hoàng Văn", "Thắng", Role.Kind.SECRETARY, 0),
    ("secretary2", "Ma Văn", "Cường", Role.Kind.SECRETARY, 1),
    # The article's partner, Đảng ủy xã Bình An: reads the sessions held in its villages.
    ("host", "Quan Thị", "Mai", Role.Kind.HOST, None),
]

# Work done at the ordinary held sessions: (work type, description, quantity, unit, value VND,
# funding source, helps a household of the village). Each held session takes two of them.
WORK_MENU = [
    (ROADS, "Đổ bê tông đường nội thôn", "80", Unit.METRE, 24_000_000, FundingSource.VILLAGERS, 0),
    (ENVIRONMENT, "Phát quang, dọn vệ sinh đường làng", "1500", Unit.SQUARE_METRE, None, "", 0),
    (PRODUCTION, "Giúp gia đình thu hoạch lúa", "12", Unit.WORKDAY, None, "", 1),
    (CANALS, "Nạo vét kênh mương nội đồng", "400", Unit.METRE, None, "", 0),
    (INFORMATION, "Tuyên truyền phòng chống sạt lở, lũ quét", "1", Unit.SESSION, None, "", 0),
    (CULTURAL_HOUSE, "Trồng hoa, dọn khuôn viên nhà văn hóa thôn", "1", Unit.WORKS, None, "", 0),
    (GIFTS, "Tặng quà hộ nghèo, hộ cận nghèo", "10", Unit.GIFT, 5_000_000, FundingSource.CADRES, 0),
    (LIGHTING, "Lắp cột đèn chiếu sáng", "12", Unit.POLE, 18_000_000, FundingSource.DONORS, 0),
]

ARTICLE_CANAL = "Vận chuyển, lắp đặt cấu kiện kênh mương bê tông đúc sẵn"
ARTICLE_HOUSE = "Giúp gia đình ông Quan Văn Thính sửa nhà, đổ bê tông nền nhà (45 m²)"
ARTICLE_PHOTOS = [
    (
        "Cán bộ, đảng viên, công chức, viên chức cùng nhân dân vận chuyển, lắp đặt cấu kiện "
        "kênh mương bê tông đúc sẵn",
        "demo-kenh-muong.jpg",
        (120, 140, 150),
    ),
    (
        "Giúp gia đình ông Quan Văn Thính ở thôn Phiêng Luông đổ bê tông nền nhà",
        "demo-nen-nha.jpg",
        (150, 120, 90),
    ),
]
POSTPONED_REASON = "Mưa lớn kéo dài, đường vào thôn bị sạt lở; lùi sang cuối tuần sau"
CANCELLED_REASON = "Trùng lịch Đại hội Đảng bộ xã; chi bộ thống nhất không tổ chức trong tháng"

# When in the month each agency cell usually works: (which week, weekday; 5 is Saturday).
CELL_SLOTS = [(2, 5), (2, 6), (3, 5), (1, 6), (3, 6)]
PAST_MONTHS = 6


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str


@dataclass(frozen=True)
class DemoResult:
    counts: dict[str, int]
    logins: list[DemoLogin]
    # Rows of the demo that people changed, by model, which this run left as they are.
    kept: dict[type[models.Model], int] = field(default_factory=dict)
    # What the run did not do, and why ("a person's session already takes …").
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        c = self.counts
        text = (
            f"Demo loaded: {c['villages']} villages, {c['households']} households, "
            f"{c['cells']} party cells, {c['members']} members, {c['sessions']} sessions "
            f"({c['held']} held, {c['planned']} planned, {c['postponed']} postponed, "
            f"{c['cancelled']} cancelled), {c['users']} users."
        )
        if self.kept:
            with translation.override("en"):
                kept = ", ".join(
                    f"{n} {model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural}"
                    for model, n in sorted(self.kept.items(), key=lambda item: item[0].__name__)
                )
            text += f" Left as people changed them: {kept}."
        return " ".join([text, *self.notes])


class DemoError(Exception):
    """The database is not ready for the demo (for example, the work types are missing)."""


@dataclass(frozen=True)
class _PlannedSession:
    cell_index: int
    date: datetime.date
    status: str
    reason: str = ""
    article: bool = False
    # The date of the postponed session this one replaces.
    rescheduled_from: datetime.date | None = None
    # Where a held session's log is in its sign-off (confirmed unless said otherwise).
    log_status: str = ""
    # The month of the cell's plan this session belongs to ("2026-11"): with the cell, what
    # names the session in the demo's marks, so it is found again when today moves its date.
    slot: str = ""

    @property
    def key(self) -> str:
        role = ":rescheduled" if self.rescheduled_from else ""
        return f"session:{AGENCY_CELLS[self.cell_index]['name']}:{self.slot}{role}"


@dataclass(frozen=True)
class _Organisations:
    committee: PartyCommittee  # Đảng ủy Cơ quan Chính quyền huyện, of the agency cells
    commune_committee: PartyCommittee  # Đảng ủy xã Bình An, the host
    cells: list[PartyCell]  # the agency cells, in the order of AGENCY_CELLS


@dataclass(frozen=True)
class _Cast:
    """What the sessions are written with: the plan, the agency cells (in the order of
    ``AGENCY_CELLS``), the demo's households by head, the work types by name, the users."""

    plan: Directive
    cells: list[PartyCell]
    households: dict[str, Household]
    work_types: dict[str, WorkType]
    users: dict[str, models.Model]


def demo_load(*, password: str = DEFAULT_PASSWORD, today: datetime.date | None = None):
    """Create or update the demo world, in one transaction, and return what it now holds.

    Side effects: writes the demo's geography, directives, committees, cells, members,
    assignments, sessions (with attendance, outputs, history entries and two generated photos),
    the office group and the five demo users, and marks each with a ``DemoRecord``. A row the
    demo wrote is updated only while nobody has changed it since; other rows are never changed
    or deleted. Demo sessions that left today's schedule are deleted only when nobody used
    them (no edit, log, sign-off or photo). The demo users' passwords are set to ``password``;
    their other roles and groups are kept. The monthly roll-ups are rebuilt. Files are never
    deleted; if anything fails, nothing is kept, not even the picture files written on the way.
    """
    today = today or timezone.localdate()
    new_files = []
    ledger = _Ledger()
    try:
        with transaction.atomic():
            work_types = _work_types()
            villages, households = _load_geography(ledger)
            plan = _load_directives(ledger)
            organisations = _load_organisations(ledger, villages, plan)
            users = _load_users(ledger, password, organisations)
            cast = _Cast(plan, organisations.cells, households, work_types, users)
            _load_sessions(ledger, cast, today=today, new_files=new_files)
            # The demo writes its logs directly: the monthly roll-ups are recomputed after.
            rollup_rebuild()
            return DemoResult(
                counts=_counts(),
                logins=_logins(password, organisations),
                kept=dict(ledger.kept),
                notes=ledger.notes,
            )
    except (ValidationError, IntegrityError) as error:
        for storage, name in new_files:
            storage.delete(name)
        raise DemoError(f"The demo could not be loaded ({ledger.current}): {error}") from error
    except BaseException:
        for storage, name in new_files:
            storage.delete(name)
        raise


def _plain(value):
    """A value as JSON keeps it, the same whether it was just set or read back from the
    database (250 and 250.00 are one quantity; a time is compared in UTC)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def _snapshot(obj: models.Model, names) -> dict:
    """The fields ``names`` of ``obj`` as plain values (foreign keys as ids)."""
    snapshot = {}
    for name in names:
        model_field = obj._meta.get_field(name)
        snapshot[name] = _plain(getattr(obj, model_field.attname))
    return snapshot


def _wanted(model: type[models.Model], values: dict) -> dict:
    """What ``_snapshot`` would give once ``values`` are set."""
    wanted = {}
    for name, value in values.items():
        model_field = model._meta.get_field(name)
        if not model_field.is_relation:
            value = model_field.to_python(value)
        wanted[name] = _plain(value)
    return wanted


def _matches(fingerprint, current: dict) -> bool:
    """Whether a row still holds what the demo last wrote (only the fields both know)."""
    if fingerprint is None:
        return False
    return all(current.get(name) == value for name, value in fingerprint.items() if name in current)


def _save_valid(obj: models.Model):
    """Validate ``obj`` as a form would, then save it.

    Fields, ``clean()`` and the unique and exclusion constraints (which the demo's rows can
    meet people's on) are checked here. Check constraints are left to the database, which
    enforces them on the save below: Django would first ask the database about each one, a
    query per constraint and row, most of a load's time. A row breaking one fails the load
    as a ``DemoError`` all the same (``demo_load``)."""
    # The folded search copy is filled by save(); there is nothing to validate yet.
    exclude = {"search_name"}
    # A foreign key that holds a row this load read or saved points at a row that exists:
    # Django's check of the key would ask the database again, a query per key and row (two
    # per attendance row, a third of a first load's queries). Unique checks still see them.
    held = {
        field.name
        for field in obj._meta.concrete_fields
        if field.many_to_one and field.is_cached(obj) and _in_database(field.get_cached_value(obj))
    }
    obj.full_clean(exclude=exclude | held, validate_unique=False, validate_constraints=False)
    obj.validate_unique(exclude=exclude)
    errors = {}
    for model_class, constraints in obj.get_constraints():
        for constraint in constraints:
            if isinstance(constraint, models.CheckConstraint):
                continue
            try:
                constraint.validate(model_class, obj, exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    obj.save()


def _in_database(related) -> bool:
    return related is not None and related.pk is not None and not related._state.adding


class _Ledger:
    """The demo's marks on its rows, and what this run left alone (for the summary)."""

    def __init__(self):
        self._records: dict[type[models.Model], dict[str, DemoRecord]] = {}
        self.kept: Counter[type[models.Model]] = Counter()
        self.notes: list[str] = []
        # The key being written, named in the error if a row breaks a rule.
        self.current = ""

    def records(self, model) -> dict[str, DemoRecord]:
        if model not in self._records:
            content_type = ContentType.objects.get_for_model(model)
            self._records[model] = {
                record.key: record
                for record in DemoRecord.objects.filter(content_type=content_type)
            }
        return self._records[model]

    def find(self, model, key):
        """The row marked ``key`` and its mark, or (None, None). The mark of a row people
        deleted is dropped, so the row can be made again."""
        self.current = key
        record = self.records(model).get(key)
        if record is None:
            return None, None
        obj = model._base_manager.filter(pk=record.object_id).first()
        if obj is None:
            record.delete()
            del self.records(model)[key]
            return None, None
        return obj, record

    def find_all(self, model) -> dict[str, tuple[models.Model, DemoRecord]]:
        """``find`` for every mark of ``model``, by key, in one query: the marks of rows
        people deleted are dropped."""
        records = self.records(model)
        rows = model._base_manager.in_bulk([record.object_id for record in records.values()])
        found = {}
        for key, record in list(records.items()):
            if record.object_id in rows:
                found[key] = (rows[record.object_id], record)
            else:
                record.delete()
                del records[key]
        return found

    def mark(self, obj, key, fingerprint) -> DemoRecord:
        records = self.records(type(obj))
        record = records.get(key)
        if record is None:
            records[key] = DemoRecord.objects.create(
                content_type=ContentType.objects.get_for_model(type(obj)),
                object_id=obj.pk,
                key=key,
                fingerprint=fingerprint,
            )
        elif (record.object_id, record.fingerprint) != (obj.pk, fingerprint):
            record.object_id, record.fingerprint = obj.pk, fingerprint
            record.save(update_fields=["object_id", "fingerprint"])
        return records[key]

    def release(self, model, key):
        """Give up the mark ``key``: its row is people's from now on."""
        record = self.records(model).pop(key, None)
        if record is not None:
            record.delete()

    def owned_ids(self, model) -> set[int]:
        return {record.object_id for record in self.records(model).values()}

    def own(self, model, key, *, lookup: dict, values: dict | None = None, create=True, new=None):
        """The demo's row ``key``, made to hold ``lookup`` and ``values`` if nobody changed it.

        Returns ``(row, owned)``; ``owned`` is False for a row the demo leaves as it is, and
        the row is None when there was none and ``create`` is False. Without a mark, a row
        that has the natural key ``lookup`` is taken over (the rows of a loader from before
        the marks, which people cannot be told apart from): as the demo's own if it holds
        exactly what the demo would write, otherwise marked but never changed. ``new`` is
        called on a row about to be created (to set a password, say).
        """
        desired = {**lookup, **(values or {})}
        wanted = _wanted(model, desired)
        obj, record = self.find(model, key)
        if obj is None:
            obj = model._base_manager.filter(**lookup).exclude(pk__in=self.owned_ids(model)).first()
            if obj is not None:
                current = _snapshot(obj, desired)
                same = current == wanted
                self.mark(obj, key, current if same else None)
                if not same:
                    self.kept[model] += 1
                return obj, same
            if not create:
                return None, False
            obj = model(**desired)
            if new is not None:
                new(obj)
            _save_valid(obj)
            self.mark(obj, key, _snapshot(obj, desired))
            return obj, True
        current = _snapshot(obj, desired)
        if not _matches(record.fingerprint, current):
            self.kept[model] += 1
            return obj, False
        if current != wanted:
            for name, value in desired.items():
                setattr(obj, name, value)
            _save_valid(obj)
        self.mark(obj, key, _snapshot(obj, desired))
        return obj, True


def _work_types() -> dict[str, WorkType]:
    names = [ROADS, CANALS, HOUSING, CULTURAL_HOUSE, ENVIRONMENT, LIGHTING, PRODUCTION]
    names += [INFORMATION, GIFTS]
    found = {wt.name: wt for wt in WorkType.objects.filter(name__in=names)}
    missing = sorted(set(names) - set(found))
    if missing:
        raise DemoError(
            "Work types missing: " + ", ".join(missing) + ". Run migrate (0002 seeds them)."
        )
    return found


def _load_geography(ledger: _Ledger):
    province, _ = ledger.own(
        Province,
        "province:Tuyên Quang",
        lookup={"name": "Tuyên Quang", "valid_from": None},
        values={"kind": Province.Kind.PROVINCE, "code": "08", "valid_until": None},
    )
    district, _ = ledger.own(
        District,
        "district:Lâm Bình",
        lookup={"province": province, "name": "Lâm Bình", "valid_from": None},
        values={"kind": District.Kind.DISTRICT, "valid_until": REFORM_EVE},
    )
    # Since 1/7/2025 the merged commune sits directly under the province.
    new_binh_an, _ = ledger.own(
        Commune,
        "commune:Bình An (2025)",
        lookup={"province": province, "name": "Bình An", "valid_from": REFORM_DAY},
        values={"district": None, "valid_until": None, "successor": None},
    )
    old_communes = {
        name: ledger.own(
            Commune,
            f"commune:{name}",
            lookup={"province": province, "name": name, "valid_from": None},
            values={"district": district, "valid_until": REFORM_EVE, "successor": new_binh_an},
        )[0]
        for name in ("Bình An", "Thổ Bình")
    }
    villages = {}
    for name, kind, old_commune in VILLAGES:
        village, _ = ledger.own(
            Village,
            f"village:{name}",
            lookup={"commune": new_binh_an, "name": name},
            values={"kind": kind, "active": True},
        )
        # The same name in the old commune, so documents about 2021-2025 print the district.
        ledger.own(
            VillageName,
            f"villagename:{name}",
            lookup={"village": village, "valid_until": REFORM_EVE},
            values={"name": name, "commune": old_communes[old_commune], "valid_from": None},
        )
        villages[name] = village
    households = {}
    for village_name, head_name, status, note in HOUSEHOLDS:
        households[head_name], _ = ledger.own(
            Household,
            f"household:{head_name}",
            lookup={"village": villages[village_name], "head_name": head_name},
            values={
                "status": status,
                "note": note,
                "publishable": head_name in PUBLISHABLE_HOUSEHOLDS,
            },
        )
    return villages, households


def _load_directives(ledger: _Ledger):
    scheme, _ = ledger.own(
        Directive,
        "directive:02-ĐA/TU",
        lookup={"symbol": "02-ĐA/TU", "issued_on": datetime.date(2021, 5, 23)},
        values={
            "kind": Directive.Kind.SCHEME,
            "number": "02",
            "issuing_body": "Ban Thường vụ Tỉnh ủy Tuyên Quang",
            "title": (
                "Đề án vận động cán bộ, đảng viên, công chức, viên chức, chiến sĩ lực lượng vũ "
                "trang, cán bộ Mặt trận và các tổ chức chính trị - xã hội các cấp tham gia các "
                "hoạt động với Nhân dân tại cơ sở"
            ),
            "summary": "Cán bộ các cấp dành ít nhất một ngày mỗi tháng lao động cùng Nhân dân.",
            "parent": None,
            "effective_from": datetime.date(2021, 5, 23),
            "effective_until": None,
        },
    )
    plan, _ = ledger.own(
        Directive,
        "directive:54-KH/HU",
        lookup={"symbol": "54-KH/HU", "issued_on": datetime.date(2021, 6, 15)},
        values={
            "kind": Directive.Kind.PLAN,
            "number": "54",
            "issuing_body": "Ban Thường vụ Huyện ủy Lâm Bình",
            "title": (
                "Kế hoạch thực hiện Đề án 02-ĐA/TU về vận động cán bộ, đảng viên, công chức, "
                "viên chức tham gia các hoạt động với Nhân dân tại cơ sở"
            ),
            "summary": (
                "Mỗi tháng một lần, vào thứ Bảy hoặc Chủ nhật; mỗi chi bộ phụ trách một thôn."
            ),
            "parent": scheme,
            "effective_from": datetime.date(2021, 6, 15),
            "effective_until": None,
            "sessions_per_month": 1,
            "allowed_weekdays": WEEKEND,
        },
    )
    return plan


def _load_organisations(ledger: _Ledger, villages, plan):
    # The district committee outlived the district in this demo: the article's world is kept
    # whole rather than re-drawn after the reform.
    district_committee, _ = ledger.own(
        PartyCommittee,
        "committee:Huyện ủy Lâm Bình",
        lookup={"parent": None, "name": "Huyện ủy Lâm Bình"},
        values={"kind": PartyCommittee.Kind.DISTRICT, "abbreviation": "HU", "active": True},
    )
    committee, _ = ledger.own(
        PartyCommittee,
        "committee:Đảng ủy Cơ quan Chính quyền huyện",
        lookup={"parent": district_committee, "name": "Đảng ủy Cơ quan Chính quyền huyện"},
        values={"kind": PartyCommittee.Kind.GRASSROOTS, "abbreviation": "ĐU", "active": True},
    )
    commune_committee, _ = ledger.own(
        PartyCommittee,
        "committee:Đảng ủy xã Bình An",
        lookup={"parent": district_committee, "name": "Đảng ủy xã Bình An"},
        values={
            "kind": PartyCommittee.Kind.GRASSROOTS,
            "abbreviation": "ĐU",
            "commune": villages["Phiêng Luông"].commune,
            "active": True,
        },
    )
    for name, village in villages.items():
        village_cell, _ = ledger.own(
            PartyCell,
            f"cell:Chi bộ {name}",
            lookup={"committee": commune_committee, "name": f"Chi bộ {village}"},
            values={"kind": PartyCell.Kind.VILLAGE, "home_village": village, "active": True},
        )
        for row in VILLAGE_CELL_MEMBERS.get(name, []):
            _own_member(ledger, f"Chi bộ {name}", village_cell, row, "UBND xã Bình An")

    cells = []
    for spec in AGENCY_CELLS:
        cell, _ = ledger.own(
            PartyCell,
            f"cell:{spec['name']}",
            lookup={"committee": committee, "name": spec["name"]},
            values={"kind": PartyCell.Kind.AGENCY, "home_village": None, "active": True},
        )
        # The first two members of each cell have an e-mail address (the reminders' demo).
        for index, row in enumerate(spec["members"]):
            _own_member(ledger, spec["name"], cell, row, spec["organisation"], with_email=index < 2)
        _own_assignment(ledger, spec["name"], cell, plan, villages[spec["village"]])
        cells.append(cell)
    return _Organisations(committee, commune_committee, cells)


def _demo_email(full_name: str) -> str:
    """ "Hoàng Văn Thắng" → "hoang.van.thang@example.vn": a made-up address for the demo's
    reminders (``manage.py send_notifications`` prints them on the console)."""
    return ".".join(fold(full_name).split()) + "@example.vn"


def _own_member(ledger: _Ledger, cell_key, cell, row, organisation, *, with_email=False):
    full_name, category, level, is_party_member, position = row
    return ledger.own(
        Member,
        f"member:{cell_key}:{full_name}",
        lookup={"cell": cell, "full_name": full_name},
        values={
            "category": category,
            "level": level,
            "is_party_member": is_party_member,
            "organisation": organisation,
            "position": position,
            "active": True,
            "email": _demo_email(full_name) if with_email else "",
        },
    )[0]


def _own_assignment(ledger: _Ledger, cell_key, cell, plan, village):
    """The cell's assignment since 1/7/2021, ended the day before the first assignment people
    made for the cell starts (left out if one starts as early): the demo never makes an
    assignment overlap another of the same cell, and never changes people's."""
    key = f"assignment:{cell_key}"
    start = datetime.date(2021, 7, 1)
    of_cell = Assignment.objects.filter(cell=cell, directive=plan)
    mine, record = ledger.find(Assignment, key)
    if mine is None:
        # An older loader's open assignment, which ``own`` takes over below.
        mine = of_cell.filter(ends_on__isnull=True).exclude(pk__in=ledger.owned_ids(Assignment))
        mine = mine.first()
    others = of_cell.exclude(pk=mine.pk) if mine else of_cell
    clash = (
        others.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start)).order_by("starts_on").first()
    )
    if clash is not None and clash.starts_on <= start:
        if record is not None and _matches(
            record.fingerprint, _snapshot(mine, record.fingerprint or [])
        ):
            ledger.release(Assignment, key)
            mine.delete()
            ledger.notes.append(
                f"Removed the demo's assignment of {cell}: people's assignments cover its time."
            )
        elif mine is None or record is None:
            ledger.notes.append(f"Kept the assignments people made for {cell}; added none.")
        return None
    ends_on = clash.starts_on - datetime.timedelta(days=1) if clash else None
    assignment, owned = ledger.own(
        Assignment,
        key,
        lookup={"cell": cell, "directive": plan, "ends_on": None},
        values={
            "village": village,
            "starts_on": start,
            "note": "Phân công theo Kế hoạch 54-KH/HU",
            "ends_on": ends_on,
        },
    )
    if owned and ends_on:
        ledger.notes.append(
            f"The demo's assignment of {cell} ends on {vn_date(ends_on)}, the day before an "
            f"assignment people made starts."
        )
    return assignment


def _office_group(ledger: _Ledger) -> Group:
    """The office group and its permissions, unless people changed them since."""
    editable = [
        f"{action}_{model}" for action in ("view", "add", "change") for model in GEOGRAPHY_MODELS
    ]
    permissions = Permission.objects.filter(content_type__app_label="programs").filter(
        Q(codename__in=editable) | Q(codename__startswith="view_")
    )
    wanted = {"name": OFFICE_GROUP, "permissions": sorted(p.pk for p in permissions)}
    key = "group:office"
    group, record = ledger.find(Group, key)
    if group is None:
        # An older loader's group (it rewrote the permissions on every run) is taken over.
        group = Group.objects.filter(name=OFFICE_GROUP).first() or Group(name=OFFICE_GROUP)
    current = {"name": group.name, "permissions": []}
    if group.pk:
        current["permissions"] = sorted(group.permissions.values_list("pk", flat=True))
    if record is not None and not _matches(record.fingerprint, current):
        ledger.kept[Group] += 1
        return group
    if current != wanted:
        group.name = OFFICE_GROUP
        group.save()
        group.permissions.set(permissions)
    ledger.mark(group, key, wanted)
    return group


def _load_users(ledger: _Ledger, password, organisations) -> dict[str, models.Model]:
    User = get_user_model()
    office = _office_group(ledger)
    users = {}
    for username, family_name, given_name, kind, cell_index in USERS:
        user, _ = ledger.own(
            User,
            f"user:{username}",
            lookup={"username": username},
            # Django's pair: first_name is the given name, last_name the family and middle names.
            values={
                "first_name": given_name,
                "last_name": family_name,
                "email": f"{username}@example.vn",
                "is_active": True,
                "is_superuser": username == "admin",
                "is_staff": username in ("admin", "officer"),
            },
            new=lambda user: user.set_password(password),
        )
        # Resetting the demo passwords is what the command is for (and documented); nothing
        # is written when the password is already the one given.
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if kind == Role.Kind.OFFICER and not user.groups.filter(pk=office.pk).exists():
            user.groups.add(office)
        if kind is not None:
            if kind == Role.Kind.SECRETARY:
                target = {"cell": organisations.cells[cell_index], "committee": None}
            elif kind == Role.Kind.HOST:
                target = {"committee": organisations.commune_committee, "cell": None}
            else:
                target = {"committee": organisations.committee, "cell": None}
            # Roles people gave a demo user are kept; the demo only sees to its own.
            ledger.own(Role, f"role:{username}", lookup={"user": user, "kind": kind, **target})
        users[username] = user
    return users


def _logins(password, organisations) -> list[DemoLogin]:
    committee, cells = organisations.committee, organisations.cells
    described = {
        "admin": "superuser, admin site",
        "officer": f"officer of {committee}",
        "viewer": f"viewer of {committee}",
        "secretary": f"secretary of {cells[0]}",
        "secretary2": f"secretary of {cells[1]}",
        "host": f"host: {organisations.commune_committee}, reads the sessions held in its villages",
    }
    return [DemoLogin(name, described[name], password) for name, *_ in USERS]


def _slot_date(month: Month, week: int, weekday: int) -> datetime.date:
    """The ``week``-th ``weekday`` of the month (or the next weekend day that is no holiday)."""
    first = month.first
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
    return _free_weekend_day(day)


def _free_weekend_day(day: datetime.date) -> datetime.date:
    # Nobody holds a session on Tết or National Day, and 54-KH/HU allows only weekends.
    while day.weekday() < 5 or day in public_holidays(Month.of(day)):
        day += datetime.timedelta(days=1)
    return day


RETURNED_COMMENT = "Bổ sung số lượng nhân dân tham gia và ảnh chụp phần việc đã hoàn thành."


def _schedule(today: datetime.date) -> list[_PlannedSession]:
    """Each agency cell's sessions from six months back to next month, one a month.

    Each session is named by its cell and the month of the plan it belongs to (``key``), not
    by its date: a run in another month finds the same rows and moves the untouched ones to
    their new dates and states; ``_load_sessions`` deletes the untouched ones that left the
    schedule, so the demo does not pile up and shows the half-year around today.
    Within the current month a session counts as held once its day has passed, except the
    third cell's, which stays planned (not logged yet, so late once its day is past).

    Last month the first three cells worked on the same Saturday in Phiêng Luông, Nà Coóc and
    Chẩu Quân: the article's day; the first cell's session there is the article's session.
    """
    planned = []
    this_month = Month.of(today)
    months = [this_month]
    for _ in range(PAST_MONTHS):
        months.insert(0, months[0].previous())
    months.append(this_month.next())
    for offset, month in enumerate(months, start=-PAST_MONTHS):
        slot = f"{month.year:04d}-{month.month:02d}"
        for index, (week, weekday) in enumerate(CELL_SLOTS):
            joint_day = offset == -1 and index < 3
            day = _slot_date(month, 2, 5) if joint_day else _slot_date(month, week, weekday)
            status = LabourSession.Status.HELD if day < today else LabourSession.Status.PLANNED
            if offset == 0 and index == 2:
                # Not logged yet: once its day has passed it shows as late.
                status = LabourSession.Status.PLANNED
            if offset == -5 and index == 4:
                status, reason = LabourSession.Status.CANCELLED, CANCELLED_REASON
                planned.append(_PlannedSession(index, day, status, reason, slot=slot))
            elif offset == -3 and index == 3:
                status, reason = LabourSession.Status.POSTPONED, POSTPONED_REASON
                planned.append(_PlannedSession(index, day, status, reason, slot=slot))
                later = _free_weekend_day(day + datetime.timedelta(days=7))
                held = LabourSession.Status.HELD
                planned.append(
                    _PlannedSession(
                        index, later, held, rescheduled_from=day, log_status="confirmed", slot=slot
                    )
                )
            else:
                article = joint_day and index == 0
                log = ""
                if status == LabourSession.Status.HELD:
                    log = _demo_log_status(offset, index)
                planned.append(
                    _PlannedSession(index, day, status, article=article, log_status=log, slot=slot)
                )
    return planned


def _demo_log_status(offset: int, index: int) -> str:
    """Past months' logs are confirmed; this month's wait for confirmation; last month one
    log waits and one was returned, so /reviews/ and the secretary's page have something.
    Two months ago the third cell's secretary began a log and never sent it: a late log on
    any day of the month, so ``send_notifications`` has late-log reminders to show (within
    ``NOTIFY_LATE_LOG_LOOKBACK_DAYS``, at most 77 days back)."""
    Log = LabourSession.LogStatus
    if offset == -2 and index == 2:
        return Log.DRAFT
    # Not one of the article's day (cells 0-2): its news item combines three confirmed logs.
    if offset == 0 or (offset == -1 and index == 3):
        return Log.SUBMITTED
    if offset == -1 and index == 4:
        return Log.RETURNED
    return Log.CONFIRMED


def _changeable_fields(model: type[models.Model], *, besides=()) -> list[str]:
    """The columns of ``model`` people can change: all but its id, timestamps and ``besides``."""
    fixed = {"id", "created_at", "updated_at", *besides}
    return [column.name for column in model._meta.concrete_fields if column.name not in fixed]


# What a demo session's mark remembers, besides who came, the work done, photos and history.
SESSION_FIELDS = _changeable_fields(LabourSession)
OUTPUT_FIELDS = _changeable_fields(WorkOutput, besides=["session"])


def _session_print(session: LabourSession) -> dict:
    """Everything about a session people can change: its fields and version, who came, the
    work done, its photos and history entries. A demo session whose print no longer matches
    its mark has been used by people (edited, logged, signed off, given a photo)."""
    return _session_prints([session])[session.pk]


def _session_prints(sessions) -> dict[int, dict]:
    """``_session_print`` of each session, by pk: four queries for them all."""
    ids = [session.pk for session in sessions]
    rows = defaultdict(lambda: {"attendances": [], "outputs": [], "photos": [], "changes": []})
    for row in Attendance.objects.filter(session__in=ids).order_by("pk"):
        rows[row.session_id]["attendances"].append(
            [
                row.pk,
                row.member_id,
                _plain(row.workdays),
                row.category,
                row.level,
                row.is_party_member,
            ]
        )
    for row in WorkOutput.objects.filter(session__in=ids).order_by("pk"):
        rows[row.session_id]["outputs"].append([row.pk, *_snapshot(row, OUTPUT_FIELDS).values()])
    for photo in Photo.objects.filter(session__in=ids).order_by("pk"):
        rows[photo.session_id]["photos"].append(
            [
                photo.pk,
                photo.image.name,
                photo.thumbnail.name,
                photo.caption,
                _plain(photo.taken_on),
                photo.uploaded_by_id,
                photo.keeps_location,
            ]
        )
    for change in SessionChange.objects.filter(session__in=ids).order_by("pk"):
        rows[change.session_id]["changes"].append(
            [change.pk, change.action, change.user_id, change.reason, change.changes]
        )
    return {
        session.pk: {**_snapshot(session, SESSION_FIELDS), **rows[session.pk]}
        for session in sessions
    }


def _load_sessions(ledger: _Ledger, cast: _Cast, *, today, new_files):
    """Bring the demo's sessions in line with today's schedule (``_schedule``).

    Sessions people used stay as they are; where people's session takes a demo date (or the
    cell has no village then), the demo gives way. The article's photos go to the article's
    session, and the demo's unused sessions that left the schedule are deleted.
    """
    schedule = _schedule(today)
    _adopt_older_demo_sessions(ledger, cast)
    run = _SessionRun(ledger, cast)
    run.today = today
    in_schedule = {planned.key for planned in schedule}
    stale = {key: s for key, s in run.demo_sessions.items() if key not in in_schedule}
    _delete_unused(ledger, stale, run.untouched)
    for number, planned in enumerate(schedule):
        run.place(number, planned)

    movable = run.untouched | {session.pk for session in run.synced.values()}
    if run.article is not None:
        _sync_photos(ledger, run.article, cast.users["secretary"], new_files, movable)
    # Left-over sessions go now their photos have moved on (and so do stale ones that kept
    # the article's photos until now).
    _delete_unused(ledger, {**stale, **run.left_over}, run.untouched)
    if run.taken:
        ledger.notes.append(
            f"Left {run.taken} of the demo's session dates to sessions people entered for "
            f"the same cell and day (or to a time the cell has no village)."
        )
    # The marks remember the sessions as this run leaves them (a deleted one has no pk).
    unused = {key: s for key, s in run.demo_sessions.items() if s.pk in run.untouched}
    kept = {**unused, **run.synced}
    there = set(
        LabourSession.objects.filter(pk__in=[s.pk for s in kept.values()]).values_list(
            "pk", flat=True
        )
    )
    prints = _session_prints([session for session in kept.values() if session.pk in there])
    for key, session in kept.items():
        if session.pk in there:
            ledger.mark(session, key, prints[session.pk])


class _SessionRun:
    """One pass over the schedule: the demo's sessions as found, and what the pass did."""

    def __init__(self, ledger: _Ledger, cast: _Cast):
        self.ledger, self.cast = ledger, cast
        # Which demo sessions people have used is judged before this run writes anything.
        self.demo_sessions, self.untouched = {}, set()
        found = ledger.find_all(LabourSession)
        prints = _session_prints([session for session, _record in found.values()])
        for key, (session, record) in found.items():
            self.demo_sessions[key] = session
            if _matches(record.fingerprint, prints[session.pk]):
                self.untouched.add(session.pk)
            else:
                ledger.kept[LabourSession] += 1
        self.assignments = list(
            Assignment.objects.filter(directive=cast.plan, cell__in=cast.cells).select_related(
                "village"
            )
        )
        # The demo's own members attend its sessions; people added to a demo cell are not
        # written into them.
        self.members = Member.objects.filter(pk__in=ledger.owned_ids(Member)).order_by("full_name")
        self.cell_members = {
            cell.pk: list(self.members.filter(cell=cell, active=True)) for cell in cast.cells
        }
        self.village_cell_members = {}
        # Sessions by (cell pk, date), people's and the demo's; the demo's written this run.
        self.saved, self.synced = {}, {}
        # Demo sessions whose date people's sessions took, and how many dates were given way.
        self.left_over, self.taken = {}, 0
        self.article = None

    def place(self, number: int, planned: _PlannedSession):
        """Write the ``number``-th planned session, unless people used it or took its date."""
        cell = self.cast.cells[planned.cell_index]
        session = self.demo_sessions.get(planned.key)
        if session is not None and session.pk not in self.untouched:
            self.saved[cell.pk, planned.date] = session
            return
        village = _assigned_village(self.assignments, cell, planned.date)
        others = LabourSession.objects.filter(cell=cell, date=planned.date)
        if session is not None:
            others = others.exclude(pk=session.pk)
        if village is None or others.exists():
            # People's session that day (or no village assigned then) stands in for the demo's.
            self.taken += 1
            if session is not None:
                self.left_over[planned.key] = session
            return
        self._write(number, planned, session, village)

    def _write(self, number, planned, session, village):
        cell, officer = self.cast.cells[planned.cell_index], self.cast.users["officer"]
        menu = _menu_for(planned, number)
        previous = self._rescheduled_from(planned, cell, session)
        values = _session_values(planned, number, self.cast, village, menu, previous)
        self.ledger.current = planned.key
        if session is None:
            session = LabourSession(**values)
            _save_valid(session)
        elif _snapshot(session, values) != _wanted(LabourSession, values):
            for name, value in values.items():
                setattr(session, name, value)
            # An edit form opened before this run is refused as stale, as after any change.
            session.version += 1
            _save_valid(session)
        self.saved[cell.pk, planned.date] = session
        self.synced[planned.key] = session
        _sync_history(session, officer, rescheduled=previous is not None)
        if planned.status == LabourSession.Status.HELD:
            people = _attendees(planned, number, self.cell_members[cell.pk])
            people += self._village_cell_members(village)
            _sync_attendance(session, people, number)
            outputs = _outputs(planned, menu, village, self.cast.households)
            _sync_outputs(session, outputs, self.cast.work_types)
            _sync_opinions(session, _opinions(planned, number, village, self.today))
        else:
            session.attendances.all().delete()
            session.outputs.all().delete()
            session.opinions.all().delete()
        if planned.article:
            self.article = session

    def _rescheduled_from(self, planned, cell, session):
        """The postponed session ``planned`` replaces, unless a person rescheduled it already."""
        previous = self.saved.get((cell.pk, planned.rescheduled_from))
        replacement = getattr(previous, "rescheduled_as", None) if previous else None
        if replacement is not None and (session is None or replacement.pk != session.pk):
            return None
        return previous

    def _village_cell_members(self, village) -> list:
        if village.pk not in self.village_cell_members:
            self.village_cell_members[village.pk] = list(
                self.members.filter(cell__home_village=village)
            )
        return self.village_cell_members[village.pk]


def _session_values(planned, number, cast: _Cast, village, menu, previous) -> dict:
    """The fields of a demo session as the schedule has it today."""
    held = planned.status == LabourSession.Status.HELD
    return {
        "cell": cast.cells[planned.cell_index],
        "directive": cast.plan,
        "date": planned.date,
        "village": village,
        "start_time": datetime.time(7, 30),
        "partner": f"Chi bộ {village}, Đảng ủy xã Bình An",
        "status": planned.status,
        "status_reason": planned.reason,
        "other_village_reason": "",
        "planned_work": _planned_work(planned, menu),
        "notes": _notes(planned, village) if held else "",
        **_unlisted(planned, number),
        "rescheduled_from": previous,
        "created_by": cast.users["officer"],
        **_log_fields(planned, cast.users),
    }


def _adopt_older_demo_sessions(ledger: _Ledger, cast: _Cast):
    """Mark the sessions an older loader (before the marks) wrote, so they are updated and
    moved like the demo's own instead of piling up next to new ones.

    Only a session nobody used is taken over: created by the demo officer, never edited
    (version 1), with only the history entries the loader writes (no values, no reason but
    the postponement's or cancellation's, all by the officer) and only the article's photos.
    A session people entered always has a history entry with values or a reason.
    """
    Action = SessionChange.Action
    loader_actions = {Action.CREATED, Action.RESCHEDULED, Action.POSTPONED, Action.CANCELLED}
    captions = {caption for caption, *_ in ARTICLE_PHOTOS}
    officer, cells = cast.users["officer"], cast.cells
    marked = ledger.owned_ids(LabourSession)
    candidates = (
        LabourSession.objects.filter(
            cell__in=cells, directive=cast.plan, created_by=officer, version=1
        )
        .exclude(pk__in=marked)
        .prefetch_related("changes", "photos")
        .order_by("date")
    )
    names = {cell.pk: spec["name"] for cell, spec in zip(cells, AGENCY_CELLS, strict=True)}
    for session in candidates:
        changes = list(session.changes.all())
        if not changes or any(
            change.changes
            or change.action not in loader_actions
            or change.user_id != officer.pk
            or change.reason not in ("", session.status_reason)
            for change in changes
        ):
            continue
        if any(photo.caption not in captions for photo in session.photos.all()):
            continue
        role = ":rescheduled" if session.rescheduled_from_id else ""
        key = f"session:{names[session.cell_id]}:{session.date:%Y-%m}{role}"
        if key not in ledger.records(LabourSession):
            ledger.mark(session, key, _session_print(session))


def _assigned_village(assignments, cell, day):
    """The village ``cell`` is assigned to on ``day`` (as ``LabourSession.assigned_village``)."""
    current = [
        a
        for a in assignments
        if a.cell_id == cell.pk and a.starts_on <= day and (a.ends_on is None or day <= a.ends_on)
    ]
    return max(current, key=lambda a: a.starts_on).village if current else None


def _delete_unused(ledger: _Ledger, sessions: dict, untouched: set):
    """Delete the demo's sessions among ``sessions`` that nobody used and nothing points to.

    A session with a photo is kept (the demo deletes no files), and so is one another session
    was rescheduled from, unless that one goes too (it is deleted first).
    """
    doomed = {
        key: session
        for key, session in sessions.items()
        if session.pk in untouched and not session.photos.exists()
    }
    for key, session in sorted(
        doomed.items(), key=lambda item: item[1].rescheduled_from_id is None
    ):
        replacement = LabourSession.objects.filter(rescheduled_from=session).first()
        if replacement is not None:
            continue
        ledger.release(LabourSession, key)
        session.delete()


def _log_fields(planned, users) -> dict:
    """The sign-off fields of a held session's log, at fixed local times after the session."""
    Log = LabourSession.LogStatus
    status = planned.log_status
    submitted = confirmed = None
    if status in (Log.SUBMITTED, Log.RETURNED, Log.CONFIRMED):
        submitted = _local_time(planned.date, 17)
    if status == Log.CONFIRMED:
        confirmed = _local_time(planned.date + datetime.timedelta(days=2), 9)
    return {
        "log_status": status,
        "log_submitted_at": submitted,
        "log_submitted_by": _submitter(planned, users) if submitted else None,
        "log_confirmed_at": confirmed,
        "log_confirmed_by": users["officer"] if confirmed else None,
        "review_comment": RETURNED_COMMENT if status == Log.RETURNED else "",
    }


def _submitter(planned, users):
    # The demo has secretaries for the first two cells; the office logs for the others.
    return {0: users["secretary"], 1: users["secretary2"]}.get(planned.cell_index, users["officer"])


def _local_time(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _sync_history(session, officer, *, rescheduled):
    """The history entries the demo's story implies (the session is the demo's, unused)."""
    Action = SessionChange.Action
    expected = {Action.RESCHEDULED if rescheduled else Action.CREATED: ""}
    if session.status == LabourSession.Status.POSTPONED:
        expected[Action.POSTPONED] = session.status_reason
    elif session.status == LabourSession.Status.CANCELLED:
        expected[Action.CANCELLED] = session.status_reason
    for action, reason in expected.items():
        change = session.changes.filter(action=action).first()
        if change is None:
            SessionChange.objects.create(
                session=session, action=action, user=officer, reason=reason
            )
        elif (change.user_id, change.reason) != (officer.pk, reason):
            change.user, change.reason = officer, reason
            change.save(update_fields=["user", "reason"])
    session.changes.exclude(action__in=list(expected)).delete()


def _sync_attendance(session, members, number):
    existing = {row.member_id: row for row in session.attendances.select_related("member")}
    for position, member in enumerate(members):
        attendance = existing.get(member.pk) or Attendance(session=session, member=member)
        half_day = (position + number) % 5 == 0
        before = (attendance.workdays, attendance.category, attendance.level)
        before += (attendance.is_party_member,)
        attendance.copy_from_member()
        attendance.workdays = Decimal("0.5") if half_day else Decimal("1")
        after = (attendance.workdays, attendance.category, attendance.level)
        after += (attendance.is_party_member,)
        if attendance.pk is None or before != after:
            _save_valid(attendance)
    session.attendances.exclude(member__in=members).delete()


def _unlisted(planned, number) -> dict[str, int]:
    """People counted but not named: commune cadres, soldiers and villagers who came."""
    if planned.status != LabourSession.Status.HELD:
        counts = (0, 0, 0)
    elif planned.article:
        counts = (6, 4, 45)
    else:
        counts = (2 + number % 3, number % 3, 18 + number % 17)
    return dict(
        zip(
            ["unlisted_commune_cadres", "unlisted_armed_forces", "unlisted_villagers"],
            counts,
            strict=True,
        )
    )


def _menu_for(planned, number):
    if planned.article:
        return []
    first = (planned.cell_index + number) % len(WORK_MENU)
    return [WORK_MENU[first], WORK_MENU[(first + 3) % len(WORK_MENU)]]


def _planned_work(planned, menu) -> str:
    if planned.article:
        return f"{ARTICLE_CANAL} (250 m); giúp hộ ông Quan Văn Thính sửa nhà, đổ nền nhà."
    return "; ".join(item[1] for item in menu) + "."


def _notes(planned, village) -> str:
    if planned.article:
        return (
            "Phối hợp với Đảng ủy xã Bình An lao động cùng Nhân dân các thôn Phiêng Luông, "
            "Nà Coóc và Chẩu Quân. Nhân dân đề nghị tiếp tục hỗ trợ cấu kiện kênh mương cho "
            "các đoạn còn lại."
        )
    return f"Nhân dân {village} đề nghị sửa chữa đoạn đường vào thôn bị xuống cấp."


def _attendees(planned, number, members):
    if planned.article or not members:
        return list(members)
    # One person a month is away on duty, a different one each time.
    absent = members[(planned.cell_index + number) % len(members)]
    return [member for member in members if member != absent]


def _outputs(planned, menu, village, households):
    if planned.article:
        thinh = households["Quan Văn Thính"]
        return [
            (CANALS, ARTICLE_CANAL, Decimal("250"), Unit.METRE, None, None, ""),
            (
                HOUSING,
                ARTICLE_HOUSE,
                Decimal("1"),
                Unit.HOUSE,
                # Unless people moved the household or the cell to another village.
                thinh if thinh.village_id == village.pk else None,
                15_000_000,
                FundingSource.CADRES,
            ),
        ]
    # The demo's own households only: people's are not written into the demo's sessions.
    helped = min(
        (
            h
            for h in households.values()
            if h.village_id == village.pk and h.status != Household.Status.ORDINARY
        ),
        key=lambda h: h.head_name,
        default=None,
    )
    return [
        (name, text, Decimal(quantity), unit, helped if for_household else None, value, funding)
        for name, text, quantity, unit, value, funding, for_household in menu
    ]


def _sync_outputs(session, outputs, work_types):
    # A session's demo outputs have one work type each, so (session, work type) is their key.
    existing = {row.work_type_id: row for row in session.outputs.all()}
    for work_type, description, quantity, unit, household, value, funding in outputs:
        values = {
            "work_type": work_types[work_type],
            "description": description,
            "quantity": quantity,
            "unit": unit,
            "household": household,
            "value_vnd": value,
            "funding_source": funding,
        }
        output = existing.get(work_types[work_type].pk) or WorkOutput(session=session)
        if output.pk is None or _snapshot(output, values) != _wanted(WorkOutput, values):
            for name, value in values.items():
                setattr(output, name, value)
            _save_valid(output)
    session.outputs.exclude(work_type__name__in=[row[0] for row in outputs]).delete()


# Who settles what villagers ask for, as a commune's report names them.
COMMUNE_PEOPLES_COMMITTEE = "UBND xã Bình An"
DISTRICT_AGRICULTURE = "Phòng Nông nghiệp và Môi trường"


def _opinions(planned, number, village, today) -> list[dict]:
    """What the villagers asked for at a held session: the article's canal, else the road into
    the village and, every other month, street lighting. Requests heard more than a month ago
    are settled by the commune a fortnight after the session, some are forwarded upwards, the
    recent ones are just received: the report then has each kind to count."""
    Status = OpinionStatus
    if planned.article:
        return [
            {
                "text": "Đề nghị tiếp tục hỗ trợ cấu kiện kênh mương cho các đoạn còn lại.",
                "field": OpinionField.IRRIGATION,
                "status": Status.FORWARDED,
                "resolver": DISTRICT_AGRICULTURE,
            }
        ]
    age = (today - planned.date).days
    road = {
        "text": f"Đề nghị sửa chữa đoạn đường vào {village} bị xuống cấp.",
        "field": OpinionField.ROADS,
        "status": Status.RECEIVED,
    }
    if age > 30 and number % 3 != 1:
        road.update(
            status=Status.RESOLVED,
            resolver=COMMUNE_PEOPLES_COMMITTEE,
            resolved_on=planned.date + datetime.timedelta(days=14),
        )
    elif age > 30:
        road.update(status=Status.FORWARDED, resolver=COMMUNE_PEOPLES_COMMITTEE)
    opinions = [road]
    if number % 2 == 0:
        opinions.append(
            {
                "text": "Đề nghị hỗ trợ kéo điện chiếu sáng đường liên thôn.",
                "field": OpinionField.ELECTRICITY,
                "status": Status.RECEIVED,
            }
        )
    return opinions


def _sync_opinions(session, opinions: list[dict]):
    # A demo session's opinions differ by text, so (session, text) is their key.
    existing = {row.text: row for row in session.opinions.all()}
    for wanted in opinions:
        values = {
            "field": wanted["field"],
            "village": session.village,
            "status": wanted["status"],
            "resolver": wanted.get("resolver", ""),
            "resolved_on": wanted.get("resolved_on"),
            "heard_on": session.date,
        }
        opinion = existing.get(wanted["text"]) or VillagerOpinion(
            session=session, text=wanted["text"]
        )
        if opinion.pk is None or _snapshot(opinion, values) != _wanted(VillagerOpinion, values):
            for name, value in values.items():
                setattr(opinion, name, value)
            _save_valid(opinion)
    session.opinions.exclude(text__in=[row["text"] for row in opinions]).delete()


def _sync_photos(ledger: _Ledger, session, uploader, new_files, movable: set[int]):
    """The article's two photos on its session. A demo photo that stayed with a session people
    have used is theirs from then on; the article's session gets new ones."""
    for index, (caption, filename, colour) in enumerate(ARTICLE_PHOTOS, start=1):
        key = f"photo:article:{index}"
        photo, _record = ledger.find(Photo, key)
        if photo is not None and photo.session_id not in movable:
            ledger.release(Photo, key)
            photo = None
        if photo is None:
            # An older loader's picture, on a session the demo took over.
            photo = (
                Photo.objects.filter(caption=caption, session__in=movable)
                .exclude(pk__in=ledger.owned_ids(Photo))
                .first()
            )
        photo = photo or Photo()
        values = {
            "session": session,
            "caption": caption,
            "taken_on": session.date,
            "uploaded_by": uploader,
        }
        missing = not photo.image or not photo.image.storage.exists(photo.image.name)
        if missing or _snapshot(photo, values) != _wanted(Photo, values):
            for name, value in values.items():
                setattr(photo, name, value)
            if missing:
                photo.image.save(filename, ContentFile(_picture(colour)), save=False)
                new_files.append((photo.image.storage, photo.image.name))
            _save_valid(photo)
        ledger.mark(photo, key, {"session": session.pk})


def _picture(colour) -> bytes:
    """A small placeholder picture: a hillside, a field and a strip of canal."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 420), (170, 200, 225))
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [(0, 230), (200, 120), (420, 210), (640, 140), (640, 420), (0, 420)], (70, 120, 60)
    )
    draw.rectangle([0, 300, 640, 420], fill=(110, 160, 70))
    draw.rectangle([0, 335, 640, 365], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def _counts() -> dict[str, int]:
    """What the database now holds (demo rows and any others)."""
    by_status = dict(
        LabourSession.objects.values_list("status").annotate(n=models.Count("pk")).order_by()
    )
    return {
        "villages": Village.objects.count(),
        "households": Household.objects.count(),
        "cells": PartyCell.objects.count(),
        "members": Member.objects.count(),
        "sessions": sum(by_status.values()),
        **{status: by_status.get(status, 0) for status in LabourSession.Status.values},
        "users": get_user_model().objects.count(),
    }

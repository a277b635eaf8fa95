"""The demo world: the Lâm Bình article (seeds/000) as rows, loaded by ``manage.py load_demo``.

Tuyên Quang province; Lâm Bình district and the old communes Bình An and Thổ Bình until the
2025 reform, the new xã Bình An after it; Đề án 02-ĐA/TU and Kế hoạch 54-KH/HU; the party
committees, their cells and members; about six months of sessions around today, the article's
Saturday among them (250 m of precast canal, the house of ông Quan Văn Thính); the demo users.

Every row is found by its natural key and updated in place, so loading twice leaves the same
rows. Sessions are dated relative to today (see ``_schedule``).
"""

import datetime
import io
import operator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from programs.models import (
    Assignment,
    Attendance,
    Commune,
    Directive,
    District,
    FundingSource,
    Household,
    LabourSession,
    Member,
    PartyCell,
    PartyCommittee,
    Photo,
    Province,
    Role,
    SessionChange,
    Unit,
    Village,
    VillageName,
    WorkOutput,
    WorkType,
)
from programs.models.directives import WEEKEND
from programs.planning import Month, public_holidays

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

    def summary(self) -> str:
        c = self.counts
        return (
            f"Demo loaded: {c['villages']} villages, {c['households']} households, "
            f"{c['cells']} party cells, {c['members']} members, {c['sessions']} sessions "
            f"({c['held']} held, {c['planned']} planned, {c['postponed']} postponed, "
            f"{c['cancelled']} cancelled), {c['users']} users."
        )


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


def demo_load(*, password: str = DEFAULT_PASSWORD, today: datetime.date | None = None):
    """Create or update the demo world, in one transaction, and return what it now holds.

    Side effects: writes geography, directives, committees, cells, members, assignments,
    sessions (with attendance, outputs, history entries and two generated photos), the office
    group and the five demo users, whose passwords are set to ``password``. Sessions of the
    demo's agency cells under Kế hoạch 54-KH/HU that are not in today's schedule are deleted
    (their photo files once the transaction commits). If anything fails, nothing is kept,
    not even the picture files written on the way.
    """
    today = today or timezone.localdate()
    new_files = []
    try:
        with transaction.atomic():
            work_types = _work_types()
            villages, households = _load_geography()
            _scheme, plan = _load_directives()
            committee, cells = _load_organisations(villages, plan)
            users = _load_users(password=password, committee=committee, cells=cells)
            _load_sessions(
                today=today,
                plan=plan,
                cells=cells,
                villages=villages,
                households=households,
                work_types=work_types,
                users=users,
                new_files=new_files,
            )
            return DemoResult(counts=_counts(), logins=_logins(password, committee, cells))
    except BaseException:
        for storage, name in new_files:
            storage.delete(name)
        raise


def _upsert(model: type[models.Model], *, defaults: dict | None = None, **keys):
    """Find the row by its natural key ``keys`` or start one, set ``defaults``, validate, save.

    Unlike ``update_or_create`` this runs ``full_clean()``, so the demo obeys the same rules as
    the forms do.
    """
    obj = model.objects.filter(**keys).first() or model(**keys)
    for field, value in (defaults or {}).items():
        setattr(obj, field, value)
    # The folded search copy is filled by save(); there is nothing to validate yet.
    obj.full_clean(exclude=["search_name"])
    obj.save()
    return obj


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


def _load_geography():
    province = _upsert(
        Province,
        name="Tuyên Quang",
        valid_from=None,
        defaults={"kind": Province.Kind.PROVINCE, "code": "08", "valid_until": None},
    )
    district = _upsert(
        District,
        province=province,
        name="Lâm Bình",
        valid_from=None,
        defaults={"kind": District.Kind.DISTRICT, "valid_until": REFORM_EVE},
    )
    # Since 1/7/2025 the merged commune sits directly under the province.
    new_binh_an = _upsert(
        Commune,
        province=province,
        name="Bình An",
        valid_from=REFORM_DAY,
        defaults={"district": None, "valid_until": None, "successor": None},
    )
    old_communes = {
        name: _upsert(
            Commune,
            province=province,
            name=name,
            valid_from=None,
            defaults={"district": district, "valid_until": REFORM_EVE, "successor": new_binh_an},
        )
        for name in ("Bình An", "Thổ Bình")
    }
    villages = {}
    for name, kind, old_commune in VILLAGES:
        village = _upsert(
            Village, commune=new_binh_an, name=name, defaults={"kind": kind, "active": True}
        )
        # The same name in the old commune, so documents about 2021-2025 print the district.
        _upsert(
            VillageName,
            village=village,
            valid_until=REFORM_EVE,
            defaults={"name": name, "commune": old_communes[old_commune], "valid_from": None},
        )
        villages[name] = village
    households = {}
    for village_name, head_name, status, note in HOUSEHOLDS:
        households[head_name] = _upsert(
            Household,
            village=villages[village_name],
            head_name=head_name,
            defaults={"status": status, "note": note},
        )
    return villages, households


def _load_directives():
    scheme = _upsert(
        Directive,
        symbol="02-ĐA/TU",
        issued_on=datetime.date(2021, 5, 23),
        defaults={
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
    plan = _upsert(
        Directive,
        symbol="54-KH/HU",
        issued_on=datetime.date(2021, 6, 15),
        defaults={
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
    return scheme, plan


def _load_organisations(villages, plan):
    # The district committee outlived the district in this demo: the article's world is kept
    # whole rather than re-drawn after the reform.
    district_committee = _upsert(
        PartyCommittee,
        parent=None,
        name="Huyện ủy Lâm Bình",
        defaults={"kind": PartyCommittee.Kind.DISTRICT, "abbreviation": "HU", "active": True},
    )
    committee = _upsert(
        PartyCommittee,
        parent=district_committee,
        name="Đảng ủy Cơ quan Chính quyền huyện",
        defaults={"kind": PartyCommittee.Kind.GRASSROOTS, "abbreviation": "ĐU", "active": True},
    )
    commune_committee = _upsert(
        PartyCommittee,
        parent=district_committee,
        name="Đảng ủy xã Bình An",
        defaults={
            "kind": PartyCommittee.Kind.GRASSROOTS,
            "abbreviation": "ĐU",
            "commune": villages["Phiêng Luông"].commune,
            "active": True,
        },
    )
    for village in villages.values():
        village_cell = _upsert(
            PartyCell,
            committee=commune_committee,
            name=f"Chi bộ {village}",
            defaults={"kind": PartyCell.Kind.VILLAGE, "home_village": village, "active": True},
        )
        for row in VILLAGE_CELL_MEMBERS.get(village.name, []):
            _upsert_member(village_cell, row, organisation="UBND xã Bình An")

    cells = []
    for spec in AGENCY_CELLS:
        cell = _upsert(
            PartyCell,
            committee=committee,
            name=spec["name"],
            defaults={"kind": PartyCell.Kind.AGENCY, "home_village": None, "active": True},
        )
        for row in spec["members"]:
            _upsert_member(cell, row, organisation=spec["organisation"])
        _upsert(
            Assignment,
            cell=cell,
            directive=plan,
            ends_on=None,
            defaults={
                "village": villages[spec["village"]],
                "starts_on": datetime.date(2021, 7, 1),
                "note": "Phân công theo Kế hoạch 54-KH/HU",
            },
        )
        cells.append(cell)
    return committee, cells


def _upsert_member(cell, row, *, organisation):
    full_name, category, level, is_party_member, position = row
    return _upsert(
        Member,
        cell=cell,
        full_name=full_name,
        defaults={
            "category": category,
            "level": level,
            "is_party_member": is_party_member,
            "organisation": organisation,
            "position": position,
            "active": True,
        },
    )


def _office_group() -> Group:
    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    editable = [
        f"{action}_{model}" for action in ("view", "add", "change") for model in GEOGRAPHY_MODELS
    ]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="programs").filter(
            Q(codename__in=editable) | Q(codename__startswith="view_")
        )
    )
    return group


def _load_users(*, password, committee, cells) -> dict[str, models.Model]:
    User = get_user_model()
    office = _office_group()
    users = {}
    for username, family_name, given_name, kind, cell_index in USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        # Django's pair: first_name is the given name, last_name the family and middle names.
        user.first_name = given_name
        user.last_name = family_name
        user.email = f"{username}@lambinh.example"
        user.is_active = True
        user.is_superuser = username == "admin"
        user.is_staff = username in ("admin", "officer")
        user.set_password(password)
        user.save()
        user.groups.set([office] if kind == Role.Kind.OFFICER else [])
        if kind is None:
            user.civic_roles.all().delete()
        else:
            target = (
                {"cell": cells[cell_index], "committee": None}
                if kind == Role.Kind.SECRETARY
                else {"committee": committee, "cell": None}
            )
            role = _upsert(Role, user=user, kind=kind, **target)
            user.civic_roles.exclude(pk=role.pk).delete()
        users[username] = user
    return users


def _logins(password, committee, cells) -> list[DemoLogin]:
    described = {
        "admin": "superuser, admin site",
        "officer": f"officer of {committee}",
        "viewer": f"viewer of {committee}",
        "secretary": f"secretary of {cells[0]}",
        "secretary2": f"secretary of {cells[1]}",
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

    Sessions are keyed by (cell, directive, date) and the dates depend only on today's month,
    so two runs in the same month find and update the same rows. A run in another month
    computes other dates; ``_load_sessions`` first deletes the demo cells' sessions that left
    the schedule, so the demo never piles up and always shows the half-year around today.
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
        for index, (week, weekday) in enumerate(CELL_SLOTS):
            joint_day = offset == -1 and index < 3
            day = _slot_date(month, 2, 5) if joint_day else _slot_date(month, week, weekday)
            status = LabourSession.Status.HELD if day < today else LabourSession.Status.PLANNED
            if offset == 0 and index == 2:
                # Not logged yet: once its day has passed it shows as late.
                status = LabourSession.Status.PLANNED
            if offset == -5 and index == 4:
                status, reason = LabourSession.Status.CANCELLED, CANCELLED_REASON
                planned.append(_PlannedSession(index, day, status, reason))
            elif offset == -3 and index == 3:
                status, reason = LabourSession.Status.POSTPONED, POSTPONED_REASON
                planned.append(_PlannedSession(index, day, status, reason))
                later = _free_weekend_day(day + datetime.timedelta(days=7))
                held = LabourSession.Status.HELD
                planned.append(
                    _PlannedSession(
                        index, later, held, rescheduled_from=day, log_status="confirmed"
                    )
                )
            else:
                article = joint_day and index == 0
                log = ""
                if status == LabourSession.Status.HELD:
                    log = _demo_log_status(offset, index)
                planned.append(_PlannedSession(index, day, status, article=article, log_status=log))
    return planned


def _demo_log_status(offset: int, index: int) -> str:
    """Past months' logs are confirmed; this month's wait for confirmation; last month one
    log waits and one was returned, so /reviews/ and the secretary's page have something."""
    Log = LabourSession.LogStatus
    if offset == 0 or (offset == -1 and index == 1):
        return Log.SUBMITTED
    if offset == -1 and index == 4:
        return Log.RETURNED
    return Log.CONFIRMED


def _load_sessions(*, today, plan, cells, villages, households, work_types, users, new_files):
    schedule = _schedule(today)
    keys = [Q(cell=cells[p.cell_index], date=p.date) for p in schedule]
    stale = LabourSession.objects.filter(cell__in=cells, directive=plan).exclude(
        reduce(operator.or_, keys)
    )
    LabourSession.objects.filter(rescheduled_from__in=stale).update(rescheduled_from=None)
    _delete_photo_files_on_commit(Photo.objects.filter(session__in=stale))
    stale.delete()

    assigned = {a.cell_id: a.village for a in Assignment.objects.open().filter(directive=plan)}
    village_cell_members = {
        name: list(Member.objects.filter(cell__home_village=village).order_by("full_name"))
        for name, village in villages.items()
    }
    cell_members = {
        cell.pk: list(cell.members.filter(active=True).order_by("full_name")) for cell in cells
    }
    saved = {}
    for number, planned in enumerate(schedule):
        cell = cells[planned.cell_index]
        village = assigned[cell.pk]
        held = planned.status == LabourSession.Status.HELD
        menu = _menu_for(planned, number)
        previous = saved.get((cell.pk, planned.rescheduled_from))
        session = _upsert(
            LabourSession,
            cell=cell,
            directive=plan,
            date=planned.date,
            defaults={
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
                "created_by": users["officer"],
                **_log_fields(planned, users),
            },
        )
        saved[cell.pk, planned.date] = session
        _sync_history(session, users["officer"], rescheduled=previous is not None)
        if held:
            people = _attendees(planned, number, cell_members[cell.pk])
            people += village_cell_members[village.name]
            _sync_attendance(session, people, number)
            _sync_outputs(session, _outputs(planned, menu, village, households), work_types)
        else:
            session.attendances.all().delete()
            session.outputs.all().delete()
        if planned.article:
            _sync_photos(session, users["secretary"], new_files)
        else:
            # The article's day moves with today's month; its pictures go with it.
            demo_photos = session.photos.filter(caption__in=[row[0] for row in ARTICLE_PHOTOS])
            _delete_photo_files_on_commit(demo_photos)
            demo_photos.delete()


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
    """The history entries the demo's story implies; people's own edits are left alone."""
    Action = SessionChange.Action
    expected = {Action.RESCHEDULED if rescheduled else Action.CREATED: ""}
    if session.status == LabourSession.Status.POSTPONED:
        expected[Action.POSTPONED] = session.status_reason
    elif session.status == LabourSession.Status.CANCELLED:
        expected[Action.CANCELLED] = session.status_reason
    for action, reason in expected.items():
        SessionChange.objects.update_or_create(
            session=session, action=action, defaults={"user": officer, "reason": reason}
        )
    session.changes.exclude(action__in=[*expected, Action.UPDATED]).delete()


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


def _sync_attendance(session, members, number):
    for position, member in enumerate(members):
        attendance = Attendance.objects.filter(session=session, member=member).first()
        attendance = attendance or Attendance(session=session, member=member)
        attendance.copy_from_member()
        half_day = (position + number) % 5 == 0
        attendance.workdays = Decimal("0.5") if half_day else Decimal("1")
        attendance.full_clean()
        attendance.save()
    session.attendances.exclude(member__in=members).delete()


def _outputs(planned, menu, village, households):
    if planned.article:
        return [
            (CANALS, ARTICLE_CANAL, Decimal("250"), Unit.METRE, None, None, ""),
            (
                HOUSING,
                ARTICLE_HOUSE,
                Decimal("1"),
                Unit.HOUSE,
                households["Quan Văn Thính"],
                15_000_000,
                FundingSource.CADRES,
            ),
        ]
    helped = (
        village.households.exclude(status=Household.Status.ORDINARY).order_by("head_name").first()
    )
    return [
        (name, text, Decimal(quantity), unit, helped if for_household else None, value, funding)
        for name, text, quantity, unit, value, funding, for_household in menu
    ]


def _sync_outputs(session, outputs, work_types):
    # A session's demo outputs have one work type each, so (session, work type) is their key.
    for work_type, description, quantity, unit, household, value, funding in outputs:
        _upsert(
            WorkOutput,
            session=session,
            work_type=work_types[work_type],
            defaults={
                "description": description,
                "quantity": quantity,
                "unit": unit,
                "household": household,
                "value_vnd": value,
                "funding_source": funding,
            },
        )
    session.outputs.exclude(work_type__name__in=[row[0] for row in outputs]).delete()


def _sync_photos(session, uploader, new_files):
    for caption, filename, colour in ARTICLE_PHOTOS:
        photo = session.photos.filter(caption=caption).first()
        if photo is None or not photo.image.storage.exists(photo.image.name):
            photo = photo or Photo(session=session, caption=caption)
            photo.image.save(filename, ContentFile(_picture(colour)), save=False)
            new_files.append((photo.image.storage, photo.image.name))
        photo.taken_on = session.date
        photo.uploaded_by = uploader
        photo.full_clean()
        photo.save()
    others = session.photos.exclude(caption__in=[caption for caption, *_ in ARTICLE_PHOTOS])
    _delete_photo_files_on_commit(others)
    others.delete()


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


def _delete_photo_files_on_commit(photos):
    names = [(photo.image.storage, photo.image.name) for photo in photos if photo.image]

    def delete_files():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)


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

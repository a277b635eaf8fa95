"""A synthetic province at scale, for load tests and benchmarks: ``manage.py generate_scale_data``.

One province ("tỉnh Mẫu 7" for seed 7) in the post-2025 shape (communes directly under the
province), its villages and households, a provincial committee ("Tỉnh ủy Mẫu 7") with grassroots
and agencies' committees under it, their agency cells (each assigned one village under the scale
plan, 21-KH/TU), the cells' members, and months of one-a-month weekend sessions ending with next
month's plan: held ones with attendance, work outputs and (mostly confirmed) logs, some
postponed and rescheduled, some cancelled, some waiting for review. An officer of the Tỉnh ủy
sees the whole province.

Everything is drawn from ``random.Random`` seeded with the seed, so the same seed on the same
day gives the same rows (ids and creation times aside); dates are relative to today. Rows are
written with ``bulk_create`` a stage at a time, and the months one by one, so memory stays flat
however many attendance rows the run makes. ``bulk_create`` skips ``save()``: the folded search
names are filled here.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone, translation

from programs.models.directives import WEEKEND, Directive
from programs.models.geography import Commune, Household, Province, Village, VillageName
from programs.models.organisations import Assignment, Member, PartyCell, PartyCommittee, Role
from programs.models.sessions import (
    Attendance,
    FormSubmission,
    FundingSource,
    LabourSession,
    Photo,
    SessionChange,
    Unit,
    WorkOutput,
    WorkType,
)
from programs.planning import Month, months_between, public_holidays
from programs.services.rollups import rollup_rebuild
from programs.text import fold, vn_date

DEFAULT_OFFICER_USERNAME = "province-officer"
DEFAULT_OFFICER_PASSWORD = "bench"

# Rows per INSERT. The backend lowers it where it must (SQLite allows 999 parameters).
BATCH_SIZE = 4000
# Sessions have ~30 columns; PostgreSQL allows 65,535 parameters a statement.
SESSION_BATCH_SIZE = 2000

PRESETS = {
    # 1,500 cells × 30 members over 36 months: ~54,000 sessions, ~800,000 attendance rows.
    "province": {
        "committees": 100,
        "cells_per_committee": 15,
        "members_per_cell": 30,
        "months": 36,
        "communes": 124,
        "villages": 1800,
    },
}
DEFAULTS = {"committees": 4, "cells_per_committee": 5, "members_per_cell": 10, "months": 6}

# The scale directives: their own numbers, so they sit beside the demo's 02-ĐA/TU and 54-KH/HU.
# Shared by every seed and kept by --replace (found again by symbol and issue date).
SCHEME = {
    "kind": Directive.Kind.SCHEME,
    "number": "03",
    "symbol": "03-ĐA/TU",
    "issued_on": datetime.date(2021, 1, 15),
    "issuing_body": "Ban Thường vụ Tỉnh ủy Mẫu",
    "title": (
        "Đề án vận động cán bộ, đảng viên, công chức, viên chức, chiến sĩ lực lượng vũ trang "
        "tham gia các hoạt động với Nhân dân tại cơ sở (dữ liệu mẫu quy mô tỉnh)"
    ),
    "summary": "Dữ liệu mẫu để thử tải: mỗi chi bộ lao động cùng Nhân dân mỗi tháng một lần.",
    "effective_from": datetime.date(2021, 1, 15),
}
PLAN = {
    "kind": Directive.Kind.PLAN,
    "number": "21",
    "symbol": "21-KH/TU",
    "issued_on": datetime.date(2021, 2, 1),
    "issuing_body": "Ban Thường vụ Tỉnh ủy Mẫu",
    "title": "Kế hoạch thực hiện Đề án 03-ĐA/TU (dữ liệu mẫu quy mô tỉnh)",
    "summary": "Mỗi tháng một lần, vào thứ Bảy hoặc Chủ nhật; mỗi chi bộ phụ trách một thôn.",
    "effective_from": datetime.date(2021, 2, 1),
    "sessions_per_month": 1,
    "allowed_weekdays": WEEKEND,
}

COMMUNE_FIRST = [
    "Bình", "Thổ", "Hồng", "Thượng", "Lăng", "Khuôn", "Phúc", "Xuân", "Yên", "Minh", "Thái",
    "Kim", "Tân", "Trung", "Hòa", "Phú", "Vĩnh", "Đức", "Thành", "Lâm", "Sơn", "Hùng", "Mỹ",
    "Kiến",
]  # fmt: skip
COMMUNE_SECOND = [
    "An", "Bình", "Quang", "Lâm", "Can", "Hà", "Sơn", "Yên", "Thịnh", "Lợi", "Phong", "Hưng",
    "Tiến", "Thành", "Xuân", "Phúc", "Long", "Đa", "Minh", "Trào",
]  # fmt: skip
VILLAGE_FIRST = [
    "Nà", "Phiêng", "Khuổi", "Bản", "Pác", "Khau", "Cốc", "Lũng", "Nặm", "Thẳm", "Đồng", "Tân",
    "Hòa", "Yên", "Thượng", "Hạ", "Trung", "Phúc", "Xuân", "Tiên", "Vĩnh", "Thanh", "Hồng",
    "Kim",
]  # fmt: skip
VILLAGE_SECOND = [
    "Coóc", "Luông", "Muông", "Khiển", "Củng", "Quân", "Tày", "Lầu", "Pản", "Vài", "Chang",
    "Phầy", "Thác", "Mỏ", "Bó", "Hin", "Lạn", "Lịa", "Tiến", "Thịnh", "Lợi", "Phong", "Sơn",
    "Hà", "Lâm", "Thành", "Hưng", "Quang", "Mới", "Trên", "Dưới", "Giữa",
]  # fmt: skip
FAMILY_NAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Ma", "Nông", "Quan", "Chẩu", "Triệu", "Bàn",
    "Lý", "Hà", "Đặng", "Vũ", "Lương", "Đỗ", "Bùi",
]  # fmt: skip
MIDDLE_NAMES = {"m": ["Văn", "Đức", "Minh", "Quang", "Hữu", "Văn"], "f": ["Thị", "Thị Thu"]}
GIVEN_NAMES = {
    "m": [
        "Thắng", "Quyết", "Hải", "Long", "Cường", "Định", "Phúc", "Tuấn", "Khánh", "Toàn",
        "Vinh", "Sơn", "Hùng", "Kiên", "Dũng", "Bình", "Tiến", "Hòa", "Sáng", "Thuận", "Tuyên",
        "Thịnh", "Chiến", "Lợi", "Thính", "Pản", "Điển", "Tòng", "Lường", "An",
    ],
    "f": [
        "Hương", "Dung", "Nga", "Yến", "Lụa", "Thảo", "Huyền", "Trang", "Hạnh", "Liên",
        "Phượng", "Hằng", "Mai", "Loan", "Ngọc", "Nhung", "Xuân", "Mến", "Hiền", "Hoa", "Lan",
        "Dịu",
    ],
}  # fmt: skip
# Cells of a commune's committee, and of a provincial agency's committee.
COMMUNE_UNITS = [
    "Cơ quan Đảng - Đoàn thể xã", "Cơ quan UBND xã", "Công an xã", "Quân sự xã",
    "Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trạm Y tế xã", "Hợp tác xã",
    "Văn phòng - Thống kê", "Địa chính - Xây dựng", "Văn hóa - Xã hội", "Tư pháp - Hộ tịch",
    "Tài chính - Kế toán", "Mặt trận và các đoàn thể",
]  # fmt: skip
AGENCIES = [
    "Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Sở Y tế", "Sở Giáo dục và Đào tạo",
    "Sở Tài chính", "Sở Nội vụ", "Sở Công Thương", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ", "Sở Tư pháp", "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh",
    "Cơ quan Ủy ban MTTQ tỉnh", "Báo và Phát thanh, Truyền hình tỉnh",
    "Bệnh viện Đa khoa tỉnh", "Trường Chính trị tỉnh",
]  # fmt: skip
AGENCY_UNITS = [
    "Văn phòng", "Phòng Tổ chức - Cán bộ", "Phòng Kế hoạch - Tài chính", "Thanh tra",
    "Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2", "Phòng Nghiệp vụ 3", "Trung tâm Dịch vụ công",
    "Chi cục trực thuộc", "Ban Quản lý dự án", "Phòng Pháp chế", "Phòng Quản lý chuyên ngành",
    "Trung tâm Thông tin", "Đơn vị sự nghiệp", "Công đoàn cơ sở",
]  # fmt: skip

C = Member.Category
L = Member.Level
CATEGORY_WEIGHTS = {
    C.OFFICIAL: 20,
    C.CIVIL_SERVANT: 25,
    C.PUBLIC_EMPLOYEE: 25,
    C.WORKER: 8,
    C.ARMED_FORCES: 10,
    C.FRONT_CADRE: 12,
}
POSITIONS = {
    C.OFFICIAL: ["Trưởng phòng", "Phó Trưởng phòng", "Phó Chủ tịch", "Chánh Văn phòng"],
    C.CIVIL_SERVANT: ["Chuyên viên", "Công chức"],
    C.PUBLIC_EMPLOYEE: ["Viên chức", "Giáo viên", "Y sĩ", "Kế toán"],
    C.WORKER: ["Nhân viên hợp đồng", "Lái xe", "Bảo vệ"],
    C.ARMED_FORCES: ["Chiến sĩ", "Dân quân thường trực", "Tự vệ cơ quan"],
    C.FRONT_CADRE: ["Chủ tịch Công đoàn cơ sở", "Bí thư Chi đoàn", "Chi hội trưởng Phụ nữ"],
}
HOUSEHOLD_STATUS_WEIGHTS = {
    Household.Status.ORDINARY: 50,
    Household.Status.POOR: 20,
    Household.Status.NEAR_POOR: 20,
    Household.Status.POLICY: 10,
}
# Units people write for a work type besides its default one (DOMAIN.md, "Work types and units").
OTHER_UNITS = {
    Unit.METRE: [Unit.SQUARE_METRE, Unit.CUBIC_METRE, Unit.KILOMETRE],
    Unit.HOUSE: [Unit.HOUSEHOLD, Unit.SQUARE_METRE],
    Unit.WORKS: [Unit.SQUARE_METRE],
    Unit.SQUARE_METRE: [Unit.METRE, Unit.TREE],
    Unit.POLE: [Unit.METRE],
    Unit.WORKDAY: [Unit.HECTARE, Unit.HOUSEHOLD],
    Unit.SESSION: [Unit.PERSON, Unit.OPINION],
    Unit.GIFT: [Unit.VND],
}
# Quantities drawn for each unit, in half units: (least, most).
QUANTITY_RANGES = {
    Unit.METRE: (20, 600),
    Unit.KILOMETRE: (0.5, 3),
    Unit.SQUARE_METRE: (20, 2000),
    Unit.CUBIC_METRE: (5, 80),
    Unit.HECTARE: (0.5, 5),
    Unit.HOUSE: (1, 2),
    Unit.HOUSEHOLD: (1, 10),
    Unit.WORKS: (1, 1),
    Unit.TREE: (20, 500),
    Unit.POLE: (2, 30),
    Unit.WORKDAY: (5, 60),
    Unit.SESSION: (1, 1),
    Unit.PERSON: (20, 150),
    Unit.OPINION: (1, 15),
    Unit.GIFT: (5, 50),
    Unit.VND: (1_000_000, 20_000_000),
}
# Work that is done for one family: the output names the household when the village has one.
HOUSEHOLD_UNITS = {Unit.HOUSE, Unit.WORKDAY, Unit.GIFT}
DESCRIPTIONS = {
    "Giao thông nông thôn": ["Đổ bê tông đường nội thôn", "Sửa chữa đường vào thôn"],
    "Thủy lợi, kênh mương": [
        "Vận chuyển, lắp đặt cấu kiện kênh mương bê tông đúc sẵn",
        "Nạo vét kênh mương nội đồng",
    ],
    "Nhà ở (sửa chữa, làm mới, đổ nền)": ["Giúp gia đình sửa nhà", "Đổ bê tông nền nhà"],
    "Nhà văn hóa, sân, khuôn viên": ["Dọn khuôn viên nhà văn hóa thôn", "Láng sân nhà văn hóa"],
    "Vệ sinh môi trường, phát quang, trồng cây": [
        "Phát quang, dọn vệ sinh đường làng",
        "Trồng hàng rào hoa",
    ],
    "Thắp sáng đường quê": ["Lắp cột đèn chiếu sáng", "Kéo dây điện chiếu sáng"],
    "Giúp sản xuất, thu hoạch": ["Giúp gia đình thu hoạch lúa", "Giúp trồng rừng"],
    "Hiến đất": ["Vận động hiến đất làm đường"],
    "Tuyên truyền, đối thoại": [
        "Tuyên truyền phòng chống sạt lở, lũ quét",
        "Đối thoại với Nhân dân",
    ],
    "Tặng quà an sinh": ["Tặng quà hộ nghèo, hộ cận nghèo"],
}
POSTPONED_REASONS = [
    "Mưa lớn kéo dài, đường vào thôn bị sạt lở; lùi sang cuối tuần sau",
    "Trùng lịch hội nghị của cơ quan; lùi sang cuối tuần sau",
]
CANCELLED_REASONS = [
    "Trùng lịch Đại hội Đảng bộ xã; chi bộ thống nhất không tổ chức trong tháng",
    "Thôn đang phòng chống dịch bệnh gia súc; không tập trung đông người",
]
RETURNED_COMMENT = "Bổ sung số lượng nhân dân tham gia và ảnh chụp phần việc đã hoàn thành."
OPINIONS = [
    "Nhân dân đề nghị sửa chữa đoạn đường vào thôn bị xuống cấp.",
    "Nhân dân đề nghị hỗ trợ cấu kiện kênh mương cho các đoạn còn lại.",
    "Nhân dân đề nghị lắp thêm đèn chiếu sáng ở ngã ba vào thôn.",
    "",
]
START_TIMES = [datetime.time(7, 0), datetime.time(7, 30), datetime.time(8, 0)]
# Half days and long days happen; most people give one day.
WORKDAYS = ["1", "1", "1", "0.5", "1.5", "2"]


def province_name(seed: int) -> str:
    """The scale province's name: "Mẫu 7", printed "tỉnh Mẫu 7"."""
    return f"Mẫu {seed}"


def top_committee_name(seed: int) -> str:
    """The name that marks a seed's scale data: everything else hangs below this committee."""
    return f"Tỉnh ủy Mẫu {seed}"


class ScaleError(Exception):
    """The scale data cannot be generated as asked (bad numbers, data already there…)."""


@dataclass(frozen=True)
class ScaleConfig:
    committees: int
    cells_per_committee: int
    members_per_cell: int
    months: int
    seed: int
    communes: int
    villages: int
    officer_username: str = DEFAULT_OFFICER_USERNAME
    officer_password: str = DEFAULT_OFFICER_PASSWORD

    @property
    def cells(self) -> int:
        return self.committees * self.cells_per_committee

    @property
    def province_name(self) -> str:
        return province_name(self.seed)

    @property
    def top_committee_name(self) -> str:
        return top_committee_name(self.seed)

    @property
    def step_count(self) -> int:
        """Steps reported to ``progress``: places, organisations, members, then each month."""
        return 3 + self.months


def scale_config(*, preset: str | None = None, seed: int = 1, **given) -> ScaleConfig:
    """Build a config from the preset's numbers, overridden by the ``given`` ones not None.

    Communes and villages default to about twelve cells' worth of villages a commune and a
    fifth more villages than cells, so some villages have no cell, as in life.
    """
    if preset is not None and preset not in PRESETS:
        raise ScaleError(f"Unknown preset {preset!r}; choose from: {', '.join(PRESETS)}.")
    values = {**DEFAULTS, **PRESETS.get(preset, {})}
    values.update({key: value for key, value in given.items() if value is not None})
    for key in ("committees", "cells_per_committee", "members_per_cell", "months"):
        if values[key] < 1:
            raise ScaleError(f"--{key.replace('_', '-')} must be at least 1.")
    cells = values["committees"] * values["cells_per_committee"]
    values.setdefault("communes", max(1, round(cells / 12)))
    values.setdefault("villages", max(cells + cells // 5, values["communes"]))
    if values["communes"] < 1 or values["villages"] < values["communes"]:
        raise ScaleError("Every commune needs a village: --villages must be ≥ --communes ≥ 1.")
    if not values.get("officer_username", DEFAULT_OFFICER_USERNAME):
        raise ScaleError("The officer's username must not be empty.")
    if not values.get("officer_password", DEFAULT_OFFICER_PASSWORD):
        raise ScaleError("The officer's password must not be empty.")
    return ScaleConfig(seed=seed, **values)


@dataclass
class ScaleResult:
    config: ScaleConfig
    replaced: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number

    def summary(self) -> str:
        c = self.counts
        return (
            f"Scale data for seed {self.config.seed}"
            f"{' (replaced)' if self.replaced else ''}: {c.get('communes', 0):,} communes, "
            f"{c.get('villages', 0):,} villages, {c.get('households', 0):,} households, "
            f"{c.get('committees', 0):,} committees, {c.get('cells', 0):,} cells, "
            f"{c.get('members', 0):,} members, {c.get('sessions', 0):,} sessions "
            f"({c.get('held', 0):,} held, {c.get('planned', 0):,} planned, "
            f"{c.get('postponed', 0):,} postponed, {c.get('cancelled', 0):,} cancelled; "
            f"{c.get('confirmed', 0):,} logs confirmed, {c.get('submitted', 0):,} waiting), "
            f"{c.get('attendance', 0):,} attendance rows, {c.get('outputs', 0):,} work outputs; "
            f"officer login: {self.config.officer_username}."
        )


def scale_generate(
    *,
    config: ScaleConfig,
    replace: bool = False,
    today: datetime.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScaleResult:
    """Write the synthetic province described by ``config`` and return what was written.

    Side effects: with ``replace``, first deletes the scale data of the same seed (see
    ``scale_delete``); creates or reuses the scale directives 03-ĐA/TU and 21-KH/TU; writes
    the province, communes, villages, households, committees, cells, members, assignments,
    sessions with attendance, outputs and history entries; creates the officer user (or resets
    the password of an existing one) with an officer role on the Tỉnh ủy; then rebuilds the
    monthly roll-ups. Each stage and each
    month is its own transaction: a failed run leaves what earlier stages wrote, which
    ``--replace`` clears. Calls ``progress(label)`` after each of ``config.step_count`` steps.

    Raises ``ScaleError`` when data for this seed exists and ``replace`` is off, when the work
    types are missing, or when the months reach back before the plan took effect.
    """
    today = today or timezone.localdate()
    progress = progress or (lambda label: None)
    result = ScaleResult(config=config)
    months = months_between(_first_month(today, config.months), Month.of(today).next())
    if months[0].first < PLAN["effective_from"]:
        raise ScaleError(
            f"{config.months} months reach back to {months[0].label}, before {PLAN['symbol']} "
            f"took effect ({vn_date(PLAN['effective_from'])}); ask for fewer months."
        )
    # Holiday names and history labels in the site's language, whatever the shell's locale.
    with translation.override(settings.LANGUAGE_CODE):
        if _scale_data_exists(config):
            if not replace:
                raise ScaleError(
                    f"Scale data for seed {config.seed} already exists "
                    f"({config.top_committee_name}, tỉnh {config.province_name}). Pass "
                    "--replace to delete and rebuild it, or choose another --seed."
                )
            scale_delete(seed=config.seed)
            result.replaced = True
        work_types = list(WorkType.objects.filter(active=True).order_by("sort_order", "name"))
        if not work_types:
            raise ScaleError("No work types: run migrate first (0002 seeds them).")
        builder = _Builder(config=config, today=today, result=result, work_types=work_types)
        with transaction.atomic():
            builder.build_places()
        progress("places")
        with transaction.atomic():
            builder.build_organisations()
        progress("organisations")
        with transaction.atomic():
            builder.build_members()
        progress("members")
        for month in months:
            with transaction.atomic():
                builder.build_month(month)
            progress(month.label)
        rollup_rebuild()  # the months were written with bulk_create
    return result


def scale_delete(*, seed: int) -> bool:
    """Delete the scale data of ``seed``; return whether there was any.

    Side effects, in one transaction and in dependency order: every session of the cells
    under "Tỉnh ủy Mẫu {seed}" or held in the villages of "tỉnh Mẫu {seed}" (with attendance,
    outputs, photos — their files once the transaction commits —, history and form tokens),
    then assignments, roles, members, cells, committees, households, villages, communes and
    the province. The directives and users are kept. Raises ``ScaleError`` when rows outside
    the scale data still point at it (say, a demo cell assigned to a scale village).
    """
    probe = scale_config(seed=seed, committees=1, cells_per_committee=1, members_per_cell=1)
    tops = list(
        PartyCommittee.objects.filter(parent=None, name=probe.top_committee_name).values_list(
            "pk", flat=True
        )
    )
    committees = _with_descendants(tops)
    provinces = list(Province.objects.filter(name=probe.province_name).values_list("pk", flat=True))
    if not committees and not provinces:
        return False
    cells = PartyCell.objects.filter(committee__in=committees)
    villages = Village.objects.filter(commune__province__in=provinces)
    sessions = LabourSession.objects.filter(Q(cell__in=cells) | Q(village__in=villages))
    try:
        with transaction.atomic():
            files = list(
                Photo.objects.filter(session__in=sessions).values_list("image", "thumbnail")
            )
            _delete_files_on_commit(files)
            for model in (Attendance, WorkOutput, Photo, SessionChange, FormSubmission):
                model.objects.filter(session__in=sessions).delete()
            sessions.exclude(rescheduled_from=None).update(rescheduled_from=None)
            sessions.delete()
            Assignment.objects.filter(Q(cell__in=cells) | Q(village__in=villages)).delete()
            Role.objects.filter(Q(cell__in=cells) | Q(committee__in=committees)).delete()
            Member.objects.filter(cell__in=cells).delete()
            cells.delete()
            # Children before parents: a committee protects the committees under it.
            for pk in reversed(committees):
                PartyCommittee.objects.filter(pk=pk).delete()
            Household.objects.filter(village__in=villages).delete()
            VillageName.objects.filter(village__in=villages).delete()
            villages.delete()
            Commune.objects.filter(province__in=provinces).update(successor=None)
            Commune.objects.filter(province__in=provinces).delete()
            Province.objects.filter(pk__in=provinces).delete()
    except ProtectedError as error:
        names = ", ".join(sorted({str(obj) for obj in list(error.protected_objects)[:5]}))
        raise ScaleError(
            f"Other data still uses the scale data of seed {seed} ({names}); "
            "remove or move it first."
        ) from error
    return True


def _scale_data_exists(config: ScaleConfig) -> bool:
    return (
        PartyCommittee.objects.filter(parent=None, name=config.top_committee_name).exists()
        or Province.objects.filter(name=config.province_name).exists()
    )


def _with_descendants(tops: list[int]) -> list[int]:
    """The committees ``tops`` and every committee under them, parents before children."""
    found, level = list(tops), list(tops)
    while level:
        level = list(PartyCommittee.objects.filter(parent__in=level).values_list("pk", flat=True))
        found.extend(level)
    return found


def _delete_files_on_commit(names) -> None:
    def delete_files():
        for image, thumbnail in names:
            for name in (image, thumbnail):
                if name:
                    Photo._meta.get_field("image").storage.delete(name)

    transaction.on_commit(delete_files)


def _first_month(today: datetime.date, months: int) -> Month:
    month = Month.of(today).next()
    for _ in range(months - 1):
        month = month.previous()
    return month


def _folded(obj):
    """Fill the search copy that ``save()`` would have filled."""
    obj.search_name = fold(obj.folded_source())[:255]
    return obj


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _unique_name(rng: random.Random, firsts, seconds, taken: set[str]) -> str:
    for _ in range(30):
        name = f"{rng.choice(firsts)} {rng.choice(seconds)}"
        if name not in taken:
            break
    else:
        name = f"{rng.choice(firsts)} {rng.choice(seconds)} {len(taken) + 1}"
    taken.add(name)
    return name


def _person_name(rng: random.Random) -> str:
    sex = rng.choice("mf")
    family = rng.choice(FAMILY_NAMES)
    return f"{family} {rng.choice(MIDDLE_NAMES[sex])} {rng.choice(GIVEN_NAMES[sex])}"


def _cycle_name(names: list[str], index: int) -> str:
    """The ``index``-th of ``names``, numbered once the list has been used up."""
    name = names[index % len(names)]
    return name if index < len(names) else f"{name} {index // len(names) + 1}"


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, 0), tzinfo=timezone.get_current_timezone()
    )


@dataclass
class _CellInfo:
    pk: int
    name: str
    village_id: int
    # Which weekend day of the month the cell usually works (an index into the month's days).
    slot: int
    # A commune committee's cell: its members are mostly commune cadres.
    commune_level: bool
    # (pk, category, level, is_party_member) of the cell's active members.
    members: list = field(default_factory=list)


class _Builder:
    """Holds what later stages need (ids, the cells' villages and members) between stages."""

    def __init__(self, *, config, today, result, work_types):
        self.config = config
        self.today = today
        self.result = result
        self.work_types = work_types
        self.seed = config.seed
        self.province = None
        self.communes: list[Commune] = []
        self.villages_by_commune: list[list[int]] = []
        # village pk → (name, commune name); households: village pk → [(pk, status)].
        self.village_labels: dict[int, tuple[str, str]] = {}
        self.households: dict[int, list[tuple[int, str]]] = {}
        self.cells: list[_CellInfo] = []
        self.officer = None
        self.plan = None

    def rng(self, stage: str) -> random.Random:
        # One generator per stage: a month's rows do not depend on how many came before.
        return random.Random(f"civic-scale:{self.seed}:{stage}")

    # Places ------------------------------------------------------------------------------

    def build_places(self):
        config, rng = self.config, self.rng("places")
        self.province = Province(name=config.province_name, kind=Province.Kind.PROVINCE)
        self.province.save()
        taken: set[str] = set()
        communes = [
            _folded(
                Commune(
                    province=self.province,
                    name=_unique_name(rng, COMMUNE_FIRST, COMMUNE_SECOND, taken),
                    kind=Commune.Kind.WARD if rng.random() < 0.1 else Commune.Kind.COMMUNE,
                )
            )
            for _ in range(config.communes)
        ]
        self.communes = Commune.objects.bulk_create(communes, batch_size=BATCH_SIZE)
        villages = []
        for commune, count in zip(self.communes, self._village_counts(rng), strict=True):
            taken = set()
            for _ in range(count):
                if commune.kind == Commune.Kind.WARD:
                    kind = Village.Kind.TO_DAN_PHO
                else:
                    kind = _weighted(
                        rng, {Village.Kind.THON: 65, Village.Kind.BAN: 25, Village.Kind.XOM: 10}
                    )
                name = _unique_name(rng, VILLAGE_FIRST, VILLAGE_SECOND, taken)
                villages.append(_folded(Village(commune=commune, name=name, kind=kind)))
        villages = Village.objects.bulk_create(villages, batch_size=BATCH_SIZE)
        position = {commune.pk: index for index, commune in enumerate(self.communes)}
        self.villages_by_commune = [[] for _ in self.communes]
        households = []
        for village in villages:
            self.villages_by_commune[position[village.commune_id]].append(village.pk)
            self.village_labels[village.pk] = (village.name, village.commune.name)
            for _ in range(rng.randint(2, 5)):
                status = _weighted(rng, HOUSEHOLD_STATUS_WEIGHTS)
                note = "Nhà xuống cấp, cần sửa chữa" if status == Household.Status.POOR else ""
                households.append(
                    _folded(
                        Household(
                            village=village, head_name=_person_name(rng), status=status, note=note
                        )
                    )
                )
        for household in Household.objects.bulk_create(households, batch_size=BATCH_SIZE):
            self.households.setdefault(household.village_id, []).append(
                (household.pk, household.status)
            )
        self.result.add("communes", len(self.communes))
        self.result.add("villages", len(villages))
        self.result.add("households", len(households))

    def _village_counts(self, rng) -> list[int]:
        """Split the villages over the communes: about even, some communes bigger than others."""
        communes, villages = self.config.communes, self.config.villages
        counts = [villages // communes + (index < villages % communes) for index in range(communes)]
        for _ in range(communes):
            giver, taker = rng.randrange(communes), rng.randrange(communes)
            moved = rng.randint(0, counts[giver] // 3)
            if giver != taker and counts[giver] - moved >= 1:
                counts[giver] -= moved
                counts[taker] += moved
        return counts

    # Organisations -----------------------------------------------------------------------

    def build_organisations(self):
        """The directives, the Tỉnh ủy with its committees and their cells, each cell assigned
        a village under the plan, and the officer of the Tỉnh ủy."""
        rng = self.rng("organisations")
        scheme = self._directive(SCHEME, parent=None)
        self.plan = self._directive(PLAN, parent=scheme)
        top = PartyCommittee(
            name=self.config.top_committee_name,
            kind=PartyCommittee.Kind.PROVINCIAL,
            abbreviation="TU",
        )
        top.save()
        committees, commune_of = self._committees(top)
        cells, villages, commune_level = self._cells(committees, commune_of)
        self._assign(cells, villages)
        self.cells = [
            _CellInfo(
                pk=cell.pk,
                name=cell.name,
                village_id=village_id,
                slot=rng.randrange(8),
                commune_level=local,
            )
            for cell, village_id, local in zip(cells, villages, commune_level, strict=True)
        ]
        self.officer = self._officer(top)
        self.result.add("committees", 1 + len(committees))
        self.result.add("cells", len(cells))
        self.result.add("assignments", len(cells))

    def _committees(self, top: PartyCommittee):
        """The committees under the Tỉnh ủy, and the index of the commune each commune
        committee leads (by the committee's index). Four in five lead a commune; the others
        are provincial agencies'."""
        committees, commune_of = [], {}
        for index in range(self.config.committees):
            if index % 5 == 4:
                name = f"Đảng ủy {_cycle_name(AGENCIES, index // 5)}"
                committee = PartyCommittee(name=name, kind=PartyCommittee.Kind.GRASSROOTS)
            else:
                position = (index - index // 5) % len(self.communes)
                commune = self.communes[position]
                lap = (index - index // 5) // len(self.communes)
                name = f"Đảng ủy {commune}" + (f" {lap + 1}" if lap else "")
                committee = PartyCommittee(
                    name=name, kind=PartyCommittee.Kind.GRASSROOTS, commune=commune
                )
                commune_of[index] = position
            committee.parent = top
            committee.abbreviation = "ĐU"
            committees.append(_folded(committee))
        return PartyCommittee.objects.bulk_create(committees, batch_size=BATCH_SIZE), commune_of

    def _cells(self, committees, commune_of):
        """Each committee's cells, with the village each works in and whether it is a commune
        committee's. A commune committee's cells work in the commune's villages; the agencies'
        cells in the villages of communes without a committee of their own (or anywhere, if
        none)."""
        led = set(commune_of.values())
        pool = [pk for i, pks in enumerate(self.villages_by_commune) if i not in led for pk in pks]
        pool = pool or [pk for pks in self.villages_by_commune for pk in pks]
        pool_next = 0
        cells, villages, commune_level = [], [], []
        for index, committee in enumerate(committees):
            units = AGENCY_UNITS if index not in commune_of else COMMUNE_UNITS
            for number in range(self.config.cells_per_committee):
                if index in commune_of:
                    own = self.villages_by_commune[commune_of[index]]
                    villages.append(own[number % len(own)])
                else:
                    villages.append(pool[pool_next % len(pool)])
                    pool_next += 1
                name = f"Chi bộ {_cycle_name(units, number)}"
                commune_level.append(index in commune_of)
                cells.append(_folded(PartyCell(committee=committee, name=name)))
        cells = PartyCell.objects.bulk_create(cells, batch_size=BATCH_SIZE)
        return cells, villages, commune_level

    def _assign(self, cells, villages):
        """Each cell's assignment to its village, from the first month of sessions."""
        starts_on = max(
            self.plan.effective_from, _first_month(self.today, self.config.months).first
        )
        Assignment.objects.bulk_create(
            [
                Assignment(
                    cell=cell,
                    village_id=village_id,
                    directive=self.plan,
                    starts_on=starts_on,
                    note=f"Phân công theo Kế hoạch {self.plan.symbol}",
                )
                for cell, village_id in zip(cells, villages, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )

    def _directive(self, spec: dict, *, parent) -> Directive:
        found = Directive.objects.filter(symbol=spec["symbol"], issued_on=spec["issued_on"]).first()
        if found:
            return found
        directive = Directive(**spec, parent=parent)
        directive.full_clean(exclude=["search_name"])
        directive.save()
        return directive

    def _officer(self, top: PartyCommittee):
        User = get_user_model()
        username = self.config.officer_username
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name = "Cán bộ"
        user.last_name = "Văn phòng Tỉnh ủy"
        user.is_active = True
        user.set_password(self.config.officer_password)
        user.save()
        Role.objects.create(user=user, kind=Role.Kind.OFFICER, committee=top)
        return user

    # Members -----------------------------------------------------------------------------

    def build_members(self):
        config, rng = self.config, self.rng("members")
        chunk: list[Member] = []
        by_pk = {cell.pk: cell for cell in self.cells}
        for cell in self.cells:
            armed = "Công an" in cell.name or "Quân sự" in cell.name
            for number in range(config.members_per_cell):
                if armed and rng.random() < 0.8:
                    category = C.ARMED_FORCES
                else:
                    category = _weighted(rng, CATEGORY_WEIGHTS)
                if cell.commune_level:
                    level = _weighted(rng, {L.COMMUNE: 80, L.DISTRICT: 10, L.PROVINCE: 10})
                else:
                    level = _weighted(rng, {L.PROVINCE: 85, L.COMMUNE: 15})
                position = rng.choice(POSITIONS[category])
                if number == 0:
                    position += ", Bí thư chi bộ"
                chunk.append(
                    _folded(
                        Member(
                            full_name=_person_name(rng),
                            category=category,
                            level=level,
                            is_party_member=number == 0 or rng.random() < 0.75,
                            cell_id=cell.pk,
                            organisation=cell.name.removeprefix("Chi bộ "),
                            position=position,
                            active=number == 0 or rng.random() > 0.02,
                        )
                    )
                )
            if len(chunk) >= BATCH_SIZE:
                self._insert_members(chunk, by_pk)
                chunk = []
        self._insert_members(chunk, by_pk)

    def _insert_members(self, members: list[Member], cells_by_pk: dict[int, _CellInfo]):
        for member in Member.objects.bulk_create(members, batch_size=BATCH_SIZE):
            if member.active:
                cells_by_pk[member.cell_id].members.append(
                    (member.pk, member.category, member.level, member.is_party_member)
                )
        self.result.add("members", len(members))

    # Sessions ----------------------------------------------------------------------------

    def build_month(self, month: Month):
        """One session per cell in ``month``, with its log, attendance, outputs and history.

        Everything is decided before the first insert, so each table gets one bulk insert for
        the month; attendance and outputs point at sessions that get their ids on insert.
        """
        rng = self.rng(str(month))
        holidays = public_holidays(month)
        days = [
            day for day in month.days() if self.plan.allows_weekday(day) and day not in holidays
        ]
        primaries, replacements = [], []
        for cell in self.cells:
            # Cells keep to their usual weekend, most months.
            index = cell.slot if rng.random() < 0.8 else rng.randrange(len(days))
            day = days[index % len(days)]
            session = self._session(rng, cell, day)
            later = [other for other in days if other > day]
            if day < self.today and later:
                draw = rng.random()
                if draw < 0.03:
                    session.status = LabourSession.Status.CANCELLED
                    session.status_reason = rng.choice(CANCELLED_REASONS)
                elif draw < 0.08:
                    session.status = LabourSession.Status.POSTPONED
                    session.status_reason = rng.choice(POSTPONED_REASONS)
                    replacement = self._session(rng, cell, rng.choice(later[:2]))
                    replacement.rescheduled_from = session
                    replacement.planned_work = session.planned_work
                    replacements.append(replacement)
            primaries.append(session)
        attendance, outputs = [], []
        for session in primaries + replacements:
            self._log(rng, session, attendance, outputs)
            self.result.add("sessions", 1)
            self.result.add(session.status, 1)
            if session.log_status:
                self.result.add(session.log_status, 1)
        LabourSession.objects.bulk_create(primaries, batch_size=SESSION_BATCH_SIZE)
        # Inserted after the sessions they replace, whose ids they need.
        LabourSession.objects.bulk_create(replacements, batch_size=SESSION_BATCH_SIZE)
        SessionChange.objects.bulk_create(
            self._history(primaries, replacements), batch_size=BATCH_SIZE
        )
        Attendance.objects.bulk_create(attendance, batch_size=BATCH_SIZE)
        WorkOutput.objects.bulk_create(outputs, batch_size=BATCH_SIZE)
        self.result.add("attendance", len(attendance))
        self.result.add("outputs", len(outputs))

    def _session(self, rng, cell: _CellInfo, day: datetime.date) -> LabourSession:
        village_name, commune_name = self.village_labels[cell.village_id]
        age = (self.today - day).days
        # A few recent sessions are past their day but not recorded yet: late.
        held = age > 60 or (age > 0 and rng.random() > 0.1)
        work_type = rng.choice(self.work_types)
        session = LabourSession(
            directive=self.plan,
            cell_id=cell.pk,
            village_id=cell.village_id,
            date=day,
            start_time=rng.choice(START_TIMES),
            partner=rng.choice([f"Chi bộ thôn {village_name}", f"Đảng ủy xã {commune_name}"]),
            status=LabourSession.Status.HELD if held else LabourSession.Status.PLANNED,
            planned_work=rng.choice(DESCRIPTIONS.get(work_type.name, [work_type.name])) + ".",
            created_by=self.officer,
        )
        session._scale_cell = cell
        return session

    def _log(self, rng, session: LabourSession, attendance: list, outputs: list):
        """Fill a held session's log: its sign-off, head counts, who came, what was done."""
        if session.status != LabourSession.Status.HELD:
            return
        LogStatus = LabourSession.LogStatus
        age = (self.today - session.date).days
        if age < 2:
            session.log_status = rng.choice([LogStatus.NONE, LogStatus.DRAFT])
        elif age <= 30:
            session.log_status = _weighted(
                rng,
                {
                    LogStatus.SUBMITTED: 40,
                    LogStatus.CONFIRMED: 30,
                    LogStatus.DRAFT: 15,
                    LogStatus.NONE: 10,
                    LogStatus.RETURNED: 5,
                },
            )
        else:
            session.log_status = _weighted(
                rng, {LogStatus.CONFIRMED: 96, LogStatus.SUBMITTED: 3, LogStatus.RETURNED: 1}
            )
        if not session.log_status:
            return
        if session.log_status != LogStatus.DRAFT:
            submitted_on = session.date + datetime.timedelta(days=rng.randint(1, min(3, age - 1)))
            session.log_submitted_at = _at(submitted_on, 20)
            session.log_submitted_by = self.officer
            room = (self.today - submitted_on).days - 1
            if session.log_status == LogStatus.CONFIRMED and room < 1:
                # Submitted yesterday: nobody has confirmed it yet.
                session.log_status = LogStatus.SUBMITTED
            if session.log_status == LogStatus.CONFIRMED:
                confirmed_on = submitted_on + datetime.timedelta(days=rng.randint(1, min(7, room)))
                session.log_confirmed_at = _at(confirmed_on, 9)
                session.log_confirmed_by = self.officer
            elif session.log_status == LogStatus.RETURNED:
                session.review_comment = RETURNED_COMMENT
        session.unlisted_commune_cadres = rng.randint(0, 5)
        session.unlisted_armed_forces = rng.randint(0, 3)
        session.unlisted_villagers = rng.randint(5, 60)
        session.notes = rng.choice(OPINIONS)
        members = session._scale_cell.members
        came = rng.sample(members, max(1, round(len(members) * rng.uniform(0.4, 0.85))))
        for pk, category, level, is_party_member in came:
            attendance.append(
                Attendance(
                    session=session,
                    member_id=pk,
                    workdays=Decimal(rng.choice(WORKDAYS)),
                    category=category,
                    level=level,
                    is_party_member=is_party_member,
                )
            )
        done = [self._output(rng, session) for _ in range(rng.randint(1, 3))]
        session.planned_work = "; ".join(output.description for output in done) + "."
        outputs.extend(done)

    def _output(self, rng, session: LabourSession) -> WorkOutput:
        work_type = rng.choice(self.work_types)
        unit = work_type.default_unit
        if rng.random() < 0.3 and unit in OTHER_UNITS:
            unit = rng.choice(OTHER_UNITS[unit])
        least, most = QUANTITY_RANGES.get(unit, (1, 10))
        quantity = Decimal(rng.randint(int(least * 2), int(most * 2))) / 2
        household = None
        if unit in HOUSEHOLD_UNITS or work_type.default_unit in HOUSEHOLD_UNITS:
            helped = [
                pk
                for pk, status in self.households.get(session.village_id, [])
                if status != Household.Status.ORDINARY
            ]
            if helped and rng.random() < 0.7:
                household = rng.choice(helped)
        value, funding = None, ""
        if rng.random() < 0.4:
            value = rng.randint(1, 60) * 500_000
            funding = rng.choice(FundingSource.values)
        return WorkOutput(
            session=session,
            work_type=work_type,
            description=rng.choice(DESCRIPTIONS.get(work_type.name, [work_type.name])),
            quantity=quantity,
            unit=unit,
            household_id=household,
            value_vnd=value,
            funding_source=funding,
        )

    def _history(self, primaries, replacements) -> list[SessionChange]:
        """The entries the services would have written when postponing or cancelling."""
        Action = SessionChange.Action
        planned_label = str(LabourSession.Status.PLANNED.label)
        changes = []
        for session in primaries:
            if session.status == LabourSession.Status.CANCELLED:
                action = Action.CANCELLED
            elif session.status == LabourSession.Status.POSTPONED:
                action = Action.POSTPONED
            else:
                continue
            changes.append(
                SessionChange(
                    session=session,
                    user=self.officer,
                    action=action,
                    changes={"status": [planned_label, session.get_status_display()]},
                    reason=session.status_reason,
                )
            )
        for replacement in replacements:
            postponed = replacement.rescheduled_from
            changes.append(
                SessionChange(
                    session=replacement,
                    user=self.officer,
                    action=Action.RESCHEDULED,
                    changes={
                        "date": [f"{vn_date(postponed.date)}", f"{vn_date(replacement.date)}"]
                    },
                    reason=postponed.status_reason,
                )
            )
        return changes

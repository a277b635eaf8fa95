"""Small builders for test data. Each takes keyword overrides and fills the rest sensibly."""

import datetime
import io
import itertools

from django.contrib.auth import get_user_model
from PIL import Image

from programs.models import (
    Assignment,
    Commune,
    Directive,
    District,
    Household,
    LabourSession,
    Member,
    PartyCell,
    PartyCommittee,
    Province,
    Role,
    Village,
    VillagerOpinion,
    WorkType,
)

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def province(**kw) -> Province:
    kw.setdefault("name", f"Tuyên Quang {_n()}")
    return Province.objects.create(**kw)


def district(**kw) -> District:
    kw.setdefault("province", kw.get("province") or province())
    kw.setdefault("name", f"Lâm Bình {_n()}")
    return District.objects.create(**kw)


def commune(**kw) -> Commune:
    if "province" not in kw:
        kw["province"] = kw["district"].province if kw.get("district") else province()
    kw.setdefault("name", f"Bình An {_n()}")
    return Commune.objects.create(**kw)


def village(**kw) -> Village:
    kw.setdefault("commune", kw.get("commune") or commune())
    kw.setdefault("name", f"Nà Coóc {_n()}")
    return Village.objects.create(**kw)


def household(**kw) -> Household:
    kw.setdefault("village", kw.get("village") or village())
    kw.setdefault("head_name", f"Quan Văn Thính {_n()}")
    return Household.objects.create(**kw)


def directive(**kw) -> Directive:
    n = _n()
    kw.setdefault("kind", Directive.Kind.PLAN)
    kw.setdefault("number", f"{n}")
    kw.setdefault("symbol", f"{n}-KH/HU")
    kw.setdefault("issuing_body", "Ban Thường vụ Huyện ủy")
    kw.setdefault("issued_on", datetime.date(2021, 6, 1))
    kw.setdefault("title", "Kế hoạch vận động cán bộ tham gia hoạt động với nhân dân")
    kw.setdefault("effective_from", datetime.date(2021, 6, 1))
    return Directive.objects.create(**kw)


def committee(**kw) -> PartyCommittee:
    kw.setdefault("name", f"Đảng ủy Cơ quan {_n()}")
    return PartyCommittee.objects.create(**kw)


def cell(**kw) -> PartyCell:
    kw.setdefault("committee", kw.get("committee") or committee())
    kw.setdefault("name", f"Chi bộ {_n()}")
    return PartyCell.objects.create(**kw)


def member(**kw) -> Member:
    kw.setdefault("full_name", f"Nguyễn Văn {_n()}")
    kw.setdefault("category", Member.Category.CIVIL_SERVANT)
    kw.setdefault("level", Member.Level.DISTRICT)
    return Member.objects.create(**kw)


def assignment(**kw) -> Assignment:
    kw.setdefault("cell", kw.get("cell") or cell())
    kw.setdefault("village", kw.get("village") or village())
    kw.setdefault("directive", kw.get("directive") or directive())
    kw.setdefault("starts_on", datetime.date(2021, 6, 1))
    return Assignment.objects.create(**kw)


def session(**kw) -> LabourSession:
    kw.setdefault("cell", kw.get("cell") or cell())
    kw.setdefault("village", kw.get("village") or village())
    kw.setdefault("directive", kw.get("directive") or directive())
    kw.setdefault("date", datetime.date(2026, 3, 7))  # a Saturday
    return LabourSession.objects.create(**kw)


def world_session(world, **kw) -> LabourSession:
    """A session of the ``world`` fixture's first cell, in its village, under its directive
    (unless given); a postponed or cancelled one gets a reason."""
    for name in ("cell", "village", "directive"):
        kw[name] = kw.get(name) or world[name]
    if kw.get("status") in (LabourSession.Status.POSTPONED, LabourSession.Status.CANCELLED):
        kw.setdefault("status_reason", "Mưa lớn")
    return session(**kw)


def session_form(world, day: datetime.date, **overrides) -> dict:
    """What the new-session and edit forms send for a session of the world's first cell on
    ``day``; ``overrides`` replace or add fields."""
    return {
        "cell": world["cell"].pk,
        "directive": world["directive"].pk,
        "village": world["village"].pk,
        "date": day.isoformat(),
        "start_time": "07:30",
        "partner": "",
        "planned_work": "Lắp kênh mương",
        "other_village_reason": "",
        "notes": "",
        **overrides,
    }


def opinion(session, **kw) -> VillagerOpinion:
    """A villagers' opinion heard at ``session`` (in its village, on its date)."""
    kw.setdefault("text", f"Đề nghị sửa đường vào thôn {_n()}")
    kw.setdefault("field", "roads")
    kw.setdefault("village", session.village)
    kw.setdefault("heard_on", session.date)
    if kw.get("status") == "resolved":
        kw.setdefault("resolved_on", session.date + datetime.timedelta(days=10))
    return VillagerOpinion.objects.create(session=session, **kw)


def work_type(**kw) -> WorkType:
    kw.setdefault("name", f"Loại việc {_n()}")
    kw.setdefault("default_unit", "m")
    return WorkType.objects.create(**kw)


def user(username=None, *, password="pw", role=None, target=None, **kw):
    """A user; with ``role`` ("officer", "viewer", "secretary") and ``target`` (a committee or a
    cell) it also gets that role."""
    User = get_user_model()
    account = User.objects.create_user(username or f"user{_n()}", password=password, **kw)
    if role:
        field = "cell" if role == Role.Kind.SECRETARY else "committee"
        Role.objects.create(user=account, kind=role, **{field: target})
    return account


def jpeg(size=(8, 8), colour="green") -> bytes:
    """The bytes of a small JPEG picture of one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()

"""Reads for one session's pages and the month planner."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from programs.models import (
    Attendance,
    LabourSession,
    Member,
    PartyCell,
    Photo,
    SessionChange,
    VillagerOpinion,
    WorkOutput,
)
from programs.text import vn_number, vnd

__all__ = [
    "LogSummary",
    "history_entries",
    "plan_cells",
    "session_detail_queryset",
    "session_log_summary",
]


def session_detail_queryset():
    """A session with everything its page shows, in a fixed number of queries: the log's
    attendance, work done and photos come in one query each, whatever their number."""
    return LabourSession.objects.select_related(
        "cell__committee",
        "directive",
        "village__commune__district__province",
        "village__commune__province",
        "created_by",
        "rescheduled_from",
        "rescheduled_as",
        "log_submitted_by",
        "log_confirmed_by",
    ).prefetch_related(
        "village__names__commune__district__province",
        "village__names__commune__province",
        Prefetch("changes", queryset=SessionChange.objects.select_related("user")),
        Prefetch(
            "attendances",
            queryset=Attendance.objects.select_related("member").order_by(
                "member__full_name", "id"
            ),
        ),
        Prefetch(
            "outputs",
            queryset=WorkOutput.objects.select_related("work_type", "household").order_by("id"),
        ),
        Prefetch("photos", queryset=Photo.objects.order_by("created_at", "id")),
        Prefetch("opinions", queryset=VillagerOpinion.objects.select_related("village")),
    )


# --- The log as the session page shows it ------------------------------------------------------


@dataclass
class CountRow:
    """One line of an attendance table: who (label), how many person-visits, how many
    workdays (None for people counted but not named: their workdays are not recorded)."""

    label: str
    people: int = 0
    workdays: Decimal | None = Decimal("0")
    unlisted: bool = False

    @property
    def workdays_text(self) -> str:
        return "" if self.workdays is None else vn_number(self.workdays)


@dataclass
class LogSummary:
    """A session's log reduced to what its page shows, computed from prefetched rows."""

    attendees: list = field(default_factory=list)
    by_category: list[CountRow] = field(default_factory=list)
    by_level: list[CountRow] = field(default_factory=list)
    unlisted: list[CountRow] = field(default_factory=list)
    party_members: int = 0
    named: int = 0
    workdays: Decimal = Decimal("0")
    outputs: list = field(default_factory=list)
    photos: list = field(default_factory=list)
    opinions: list = field(default_factory=list)

    @property
    def person_visits(self) -> int:
        """Lượt người: the named participants plus the people counted without names."""
        return self.named + sum(row.people for row in self.unlisted)

    @property
    def workdays_text(self) -> str:
        return vn_number(self.workdays)

    @property
    def is_empty(self) -> bool:
        return not (self.person_visits or self.outputs or self.photos or self.opinions)


def session_log_summary(session: LabourSession) -> LogSummary:
    """Count the log of a session fetched with ``session_detail_queryset`` (no query of its own).

    Attendance is counted by the category, level and party membership copied onto each row
    when it was written, so a past session is counted as people were then. Every category and
    level has a row, zeros included, so the tables read the same from one session to the next.
    Outputs get ``quantity_text`` and ``value_text``; photos get ``number`` (1, 2…) and
    ``alt_text`` (the caption, or "Photo 2 of the session").
    """
    summary = LogSummary()
    categories = {code: CountRow(str(label)) for code, label in Member.Category.choices}
    levels = {code: CountRow(str(label)) for code, label in Member.Level.choices}
    for attendance in session.attendances.all():
        summary.attendees.append(attendance)
        summary.named += 1
        summary.workdays += attendance.workdays
        summary.party_members += attendance.is_party_member
        for rows, code in ((categories, attendance.category), (levels, attendance.level)):
            row = rows.get(code)
            if row is None:
                # A code no longer in the choices still counts, under its raw value.
                row = rows[code] = CountRow(code)
            row.people += 1
            row.workdays += attendance.workdays
    summary.by_category = list(categories.values())
    summary.by_level = list(levels.values())
    summary.unlisted = [
        CountRow(_("Commune cadres (not listed)"), session.unlisted_commune_cadres, None, True),
        CountRow(_("Armed forces (not listed)"), session.unlisted_armed_forces, None, True),
        CountRow(_("Villagers"), session.unlisted_villagers, None, True),
    ]
    for output in session.outputs.all():
        output.quantity_text = vn_number(output.quantity)
        output.value_text = vnd(output.value_vnd)
        summary.outputs.append(output)
    for number, photo in enumerate(session.photos.all(), start=1):
        photo.number = number
        photo.alt_text = photo.caption or _("Photo %(number)s of the session") % {"number": number}
        summary.photos.append(photo)
    summary.opinions = list(session.opinions.all())
    return summary


def plan_cells(committee, directive):
    """The cells of ``committee`` that have an assignment under ``directive`` (for the planner's
    per-cell lines)."""
    return list(
        PartyCell.objects.filter(committee=committee, active=True, assignments__directive=directive)
        .distinct()
        .order_by("name")
    )


def history_entries(changes) -> list:
    """Session changes with their field names as people read them ("Ngày", not "date")."""
    labels = {
        f.name: f.verbose_name
        for f in LabourSession._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    labels.update(
        {
            "attendances": _("participants"),
            "outputs": _("work done"),
            "photos": _("photos"),
            "opinions": _("villagers' opinions"),
        }
    )
    entries = list(changes)
    for entry in entries:
        entry.rows = [
            (labels.get(name, name), values[0], values[1]) for name, values in entry.changes.items()
        ]
    return entries

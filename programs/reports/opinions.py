"""Villagers' opinions in a report: "tiếp nhận N ý kiến, kiến nghị; đã giải quyết M".

The rule, written where the figures are shown (``RULE``):

- *received* (N): the opinions recorded on the confirmed logs (``cadence``: only a confirmed
  log counts) of the sessions of the report's scope, period and directive;
- *resolved* (M): those of them resolved **by the period's last day** — the status is
  "resolved" and the resolution date is on or before the end date. An opinion resolved later
  is still open in this report, so a report issued at the end of a quarter says the same thing
  when it is printed again months later, and M ≤ N always.

One grouped query for the report and its year-earlier period together (each row tagged with
its period), two when the periods overlap (a custom range over a year).
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from programs.models import LabourSession, OpinionField, OpinionStatus, VillagerOpinion
from programs.text import vn_date, vn_number

from .periods import Period

RULE = _(
    "Opinions counted: those recorded on the confirmed logs of the period's sessions; resolved: "
    "those of them resolved on or before the period's last day."
)
RULE_VI = (
    "Ý kiến, kiến nghị tiếp nhận: ghi trong biên bản đã xác nhận của các buổi trong kỳ; đã giải "
    "quyết: số ý kiến đó được giải quyết đến hết ngày cuối kỳ."
)


@dataclass
class FieldCount:
    field: str
    received: int = 0
    resolved: int = 0

    @property
    def label(self) -> str:
        """The field's name in the active language (the document and files are in Vietnamese
        whatever the language of the page that built the report)."""
        return str(OpinionField(self.field).label)

    @property
    def pending(self) -> int:
        return self.received - self.resolved


@dataclass
class OpinionCounts:
    """A report's opinions: received and resolved by the end date, and the same by field
    (fields with none left out, in the order of ``OpinionField``)."""

    received: int = 0
    resolved: int = 0
    by_field: list[FieldCount] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return self.received - self.resolved


def _count(sessions, periods: list[Period]) -> list[OpinionCounts]:
    # Grouped by the session's date, the very one ``sessions`` was picked by: an opinion whose
    # ``heard_on`` disagreed would otherwise fall in no period (index None).
    which = Case(
        *[
            When(session__date__gte=p.start, session__date__lte=p.end, then=Value(index))
            for index, p in enumerate(periods)
        ],
        output_field=IntegerField(),
    )
    resolved_by_end = Q(pk__in=[])
    for p in periods:
        resolved_by_end |= Q(
            session__date__gte=p.start, session__date__lte=p.end, resolved_on__lte=p.end
        )
    rows = (
        VillagerOpinion.objects.filter(session__in=sessions.values("id"))
        .annotate(w=which)
        .values("w", "field")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(status=OpinionStatus.RESOLVED) & resolved_by_end),
        )
        .order_by()
    )
    found: list[dict[str, list[int]]] = [{} for _ in periods]
    for row in rows:
        found[row["w"]][row["field"]] = [row["n"], row["done"]]
    counts = []
    for by_field in found:
        result = OpinionCounts()
        for code in OpinionField.values:
            if code in by_field:
                received, resolved = by_field[code]
                result.by_field.append(FieldCount(code, received, resolved))
                result.received += received
                result.resolved += resolved
        counts.append(result)
    return counts


def _sessions(report, periods: list[Period]):
    in_periods = Q(pk__in=[])
    for p in periods:
        in_periods |= Q(date__gte=p.start, date__lte=p.end)
    sessions = LabourSession.objects.filter(report.scope.session_filter).filter(
        in_periods,
        status=LabourSession.Status.HELD,
        log_status=LabourSession.LogStatus.CONFIRMED,
    )
    if report.directive_tree is not None:
        sessions = sessions.filter(directive_id__in=report.directive_tree.ids)
    return sessions


def attach(report) -> None:
    """Give ``report`` (and its year-earlier report) its ``opinions``."""
    reports = [report] + ([report.previous] if report.previous is not None else [])
    periods = [each.period for each in reports]
    if len(periods) == 2 and periods[1].end >= periods[0].start:
        # Overlapping periods (a custom range over a year): an opinion belongs to both.
        counts = [_count(_sessions(each, [each.period]), [each.period])[0] for each in reports]
    else:
        counts = _count(_sessions(report, periods), periods)
    for each, result in zip(reports, counts, strict=True):
        each.opinions = result


def sentence(report) -> str:
    """The printed document's sentence, in Vietnamese: "Tiếp nhận 12 ý kiến, kiến nghị của
    Nhân dân; đến ngày 31/03/2026 đã giải quyết 5, còn 7 ý kiến đang xem xét, giải quyết."."""
    counts = report.opinions
    if counts is None or not counts.received:
        return "Không có ý kiến, kiến nghị của Nhân dân được ghi nhận trong kỳ."
    text = (
        f"Tiếp nhận {vn_number(counts.received)} ý kiến, kiến nghị của Nhân dân; đến ngày "
        f"{vn_date(report.period.end)} đã giải quyết {vn_number(counts.resolved)}"
    )
    if counts.pending:
        text += f", còn {vn_number(counts.pending)} ý kiến đang xem xét, giải quyết"
    return text + "."

"""The report's indicators and the names of its person-visit categories, in one place.

``INDICATORS`` is the one list of the report's named figures — a stable key, the label, how to
read the figure from a ``figures.Report`` and whether it is an amount of money. The summary
sheet of the exports lists them all; the report page and the printed document compare the
``COMPARED`` ones with the same period a year earlier. Labels are translatable: the page shows
them in its language, the files and the document in Vietnamese.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    read: Callable
    kind: str = "number"  # or "money": shown with "đ"


INDICATORS = [
    Indicator("held", gettext_lazy("Sessions held (log confirmed)"), lambda r: r.totals.held),
    Indicator(
        "held_unconfirmed",
        gettext_lazy("Sessions held, log waiting for confirmation"),
        lambda r: r.totals.held_unconfirmed,
    ),
    Indicator(
        "planned", gettext_lazy("Sessions planned, not yet held"), lambda r: r.totals.planned
    ),
    Indicator("postponed", gettext_lazy("Sessions postponed"), lambda r: r.totals.postponed),
    Indicator("cancelled", gettext_lazy("Sessions cancelled"), lambda r: r.totals.cancelled),
    Indicator(
        "villages",
        gettext_lazy("Villages with at least one session held"),
        lambda r: r.villages_with_sessions,
    ),
    Indicator(
        "cells_meeting_cadence",
        gettext_lazy("Cells that met the monthly cadence"),
        lambda r: r.cells_meeting_cadence,
    ),
    Indicator(
        "cells_counted", gettext_lazy("Cells counted for the cadence"), lambda r: r.cells_counted
    ),
    Indicator(
        "cadence_rate",
        gettext_lazy("Cadence met (%)"),
        lambda r: None if r.cadence_rate is None else round(r.cadence_rate, 1),
    ),
    Indicator("visits", gettext_lazy("Person-visits"), lambda r: r.totals.visits),
    Indicator(
        "named_visits",
        gettext_lazy("of which named participants"),
        lambda r: r.totals.named_visits,
    ),
    Indicator(
        "party_member_visits",
        gettext_lazy("of which party members"),
        lambda r: r.totals.party_member_visits,
    ),
    Indicator(
        "unlisted_commune_cadres",
        gettext_lazy("Commune cadres (not listed by name)"),
        lambda r: r.totals.unlisted_commune_cadres,
    ),
    Indicator(
        "unlisted_armed_forces",
        gettext_lazy("Armed forces (not listed by name)"),
        lambda r: r.totals.unlisted_armed_forces,
    ),
    Indicator(
        "unlisted_villagers",
        gettext_lazy("Villagers (not listed by name)"),
        lambda r: r.totals.unlisted_villagers,
    ),
    Indicator("workdays", gettext_lazy("Workdays"), lambda r: r.totals.workdays),
    Indicator(
        "value", gettext_lazy("Money-equivalent value (VND)"), lambda r: r.total_value, "money"
    ),
    Indicator("households", gettext_lazy("Households helped"), lambda r: len(r.households)),
    # The rule (received on confirmed logs, resolved by the period's end) is ``opinions.RULE``.
    Indicator(
        "opinions_received",
        gettext_lazy("Opinions and requests received from villagers"),
        lambda r: r.opinions.received if r.opinions is not None else 0,
    ),
    Indicator(
        "opinions_resolved",
        gettext_lazy("of which resolved by the end of the period"),
        lambda r: r.opinions.resolved if r.opinions is not None else 0,
    ),
]
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}

# The indicators compared with the same period a year earlier, on the page and on paper.
COMPARED = (
    "held",
    "held_unconfirmed",
    "postponed",
    "cancelled",
    "villages",
    "visits",
    "workdays",
    "households",
    "value",
    "opinions_received",
    "opinions_resolved",
)


def comparison_rows(report) -> list[dict]:
    """The ``COMPARED`` figures of ``report`` beside those of the same period a year earlier,
    with the difference, labelled in the active language; none without a previous period."""
    if report.previous is None:
        return []
    rows = []
    for key in COMPARED:
        indicator = BY_KEY[key]
        current, previous = indicator.read(report), indicator.read(report.previous)
        rows.append(
            {
                "key": key,
                "label": str(indicator.label),
                "kind": indicator.kind,
                "current": current,
                "previous": previous,
                "difference": current - previous,
            }
        )
    return rows


def category_label(key: str) -> str:
    """The name of a person-visit category of ``figures.CATEGORY_GROUPS``, in the active
    language."""
    return {
        "cadres": _("officials, civil servants, public employees, workers"),
        "armed_forces": _("armed forces"),
        "front": _("Front and mass-organisation cadres"),
    }[key]

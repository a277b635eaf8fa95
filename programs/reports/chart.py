"""The monthly trend of a report as a server-rendered SVG: bars for the confirmed sessions held,
a line with square markers for the person-visits (on its own scale, at the right).

``MonthChart`` computes the geometry — the axes' ticks, one bar and one point per month, which
months are named — and ``reports/includes/month_chart.svg.html`` draws it, so every piece of
text is escaped by the template. Drawn on the server, it needs no script, prints, and is in the
PDF. Bars and line differ in shape, not only in colour, and each bar carries its number. The
month table next to it is the same data for screen readers; the SVG itself is one image with a
title and a description.
"""

import math
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from programs.text import vn_number

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 64, 48, 56
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
AXIS_Y = TOP + PLOT_HEIGHT  # the baseline of the bars
STEPS = 4  # each scale is cut in four equal, round steps
# Above this many months the bars lose their numbers and only some months are named.
LABEL_ALL_UP_TO = 12


def _nice_max(value: int) -> int:
    """The top of an axis with four whole, round steps: 0→4, 5→8, 23→40, 180→200."""
    quarter = max(value, 1) / 4
    magnitude = 10 ** max(0, math.floor(math.log10(quarter)))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if step >= quarter:
            return int(step * 4)
    return int(10 * magnitude * 4)


@dataclass(frozen=True)
class Tick:
    """A grid line, with the value of each scale written at its ends."""

    y: float
    held: int
    visits: int

    @property
    def text_y(self) -> float:
        return self.y + 4


@dataclass(frozen=True)
class Bar:
    """One month: its bar (sessions held) and its marker on the line (person-visits)."""

    label: str
    held: int
    visits: int
    centre: float
    x: float
    width: float
    height: float
    point_y: float
    show_value: bool
    show_month: bool

    @property
    def y(self) -> float:
        return AXIS_Y - self.height

    @property
    def value_y(self) -> float:
        """The baseline of the number written above the bar."""
        return self.y - 4

    @property
    def point_x(self) -> float:
        """The marker's top-left corner: it is 7 units square, centred on the point."""
        return self.centre - 3.5

    @property
    def point_top(self) -> float:
        return self.point_y - 3.5


@dataclass(frozen=True)
class Legend:
    """Below the months: a filled box for the bars, then a line with a square for the visits."""

    y: int = HEIGHT - 14
    box_x: int = LEFT
    box_text_x: int = LEFT + 20
    line_x1: int = LEFT + 340
    line_x2: int = LEFT + 370
    point_x: float = LEFT + 351.5
    line_text_x: int = LEFT + 378

    @property
    def box_y(self) -> int:
        return self.y - 10

    @property
    def line_y(self) -> int:
        return self.y - 4

    @property
    def point_y(self) -> float:
        return self.y - 7.5


@dataclass(frozen=True)
class MonthChart:
    """Everything ``reports/includes/month_chart.svg.html`` draws, in SVG units."""

    description: str
    ticks: list[Tick]
    bars: list[Bar]
    legend: Legend = Legend()
    # The frame: the plot's left and right edges, its baseline, and where the scales and the
    # month names are written.
    width = WIDTH
    height = HEIGHT
    plot_left = LEFT
    plot_right = WIDTH - RIGHT
    axis_y = AXIS_Y
    left_scale_x = LEFT - 6
    right_scale_x = WIDTH - RIGHT + 6
    scale_title_y = TOP - 10
    month_y = AXIS_Y + 18

    @classmethod
    def of(cls, rows) -> "MonthChart":
        """The chart of ``rows`` (``figures.Row`` items, oldest first; at least one)."""
        held_max = _nice_max(max(row.held for row in rows))
        visits_max = _nice_max(max(row.visits for row in rows))
        slot = PLOT_WIDTH / len(rows)
        bar_width = max(2.0, slot * 0.55)
        every = 1 if len(rows) <= LABEL_ALL_UP_TO else math.ceil(len(rows) / LABEL_ALL_UP_TO)
        bars = []
        for index, row in enumerate(rows):
            centre = LEFT + slot * (index + 0.5)
            bars.append(
                Bar(
                    label=row.label,
                    held=row.held,
                    visits=row.visits,
                    centre=centre,
                    x=centre - bar_width / 2,
                    width=bar_width,
                    height=PLOT_HEIGHT * row.held / held_max,
                    point_y=AXIS_Y - PLOT_HEIGHT * row.visits / visits_max,
                    show_value=len(rows) <= LABEL_ALL_UP_TO and bool(row.held),
                    show_month=index % every == 0,
                )
            )
        ticks = [
            Tick(
                y=AXIS_Y - PLOT_HEIGHT * step / STEPS,
                held=held_max * step // STEPS,
                visits=visits_max * step // STEPS,
            )
            for step in range(STEPS + 1)
        ]
        return cls(description=_description(rows), ticks=ticks, bars=bars)

    @property
    def line_points(self) -> str:
        """The points of the person-visits line, as SVG's ``points`` attribute wants them."""
        return " ".join(f"{coordinate(bar.centre)},{coordinate(bar.point_y)}" for bar in self.bars)


def coordinate(value: float) -> str:
    """A coordinate: short, dot decimal (SVG's own syntax, not a displayed number)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _description(rows) -> str:
    busiest = max(rows, key=lambda row: row.held)
    return _(
        "%(count)s months from %(first)s to %(last)s. Most sessions held: %(held)s in "
        "%(month)s. Person-visits in total: %(visits)s. The table below gives every value."
    ) % {
        "count": len(rows),
        "first": rows[0].label,
        "last": rows[-1].label,
        "held": vn_number(busiest.held),
        "month": busiest.label,
        "visits": vn_number(sum(row.visits for row in rows)),
    }


def month_chart(months) -> SafeString:
    """The SVG markup for ``months`` (``figures.Row`` items, oldest first), or a sentence
    saying there is nothing to draw."""
    rows = list(months)
    chart = MonthChart.of(rows) if rows else None
    html = render_to_string("reports/includes/month_chart.svg.html", {"chart": chart})
    return mark_safe(html.strip())  # rendered by the template, which escaped every text

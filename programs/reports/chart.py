"""The monthly trend of a report as a server-rendered SVG: bars for the confirmed sessions held,
a line with square markers for the person-visits (on its own scale, at the right).

Drawn on the server so it needs no script, prints, and is in the PDF. Bars and line differ in
shape, not only in colour, and each bar carries its number. The month table next to it is the
same data for screen readers; the SVG itself is one image with a title and a description.
Every piece of text goes through ``format_html``; only the assembled markup is marked safe.
"""

import math

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .document import vn_number

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 64, 48, 56
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


def _n(value: float) -> str:
    """A coordinate: short, dot decimal (SVG's own syntax, not a displayed number)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def month_chart(months, *, chart_id: str = "report-chart") -> SafeString:
    """The SVG markup for ``months`` (``figures.Row`` items, oldest first)."""
    rows = list(months)
    title = _("Sessions held and person-visits per month")
    if not rows:
        return format_html(
            '<p class="chart__empty">{}</p>', _("There are no months in this period.")
        )
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_h
    held_max = _nice_max(max(row.held for row in rows))
    visits_max = _nice_max(max(row.visits for row in rows))
    slot = plot_w / len(rows)
    bar_w = max(2.0, slot * 0.55)
    every = 1 if len(rows) <= LABEL_ALL_UP_TO else math.ceil(len(rows) / LABEL_ALL_UP_TO)

    busiest = max(rows, key=lambda row: row.held)
    description = _(
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

    parts = [
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
            'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
            chart_id,
            title,
            chart_id,
            description,
        )
    ]

    # Grid lines and both axes' scales: four steps each.
    for step in range(5):
        y = bottom - plot_h * step / 4
        parts.append(
            format_html(
                '<line class="chart__grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="chart__tick" x="{}" y="{}" text-anchor="end">{}</text>'
                '<text class="chart__tick" x="{}" y="{}" text-anchor="start">{}</text>',
                LEFT,
                _n(y),
                WIDTH - RIGHT,
                _n(y),
                LEFT - 6,
                _n(y + 4),
                vn_number(held_max * step // 4),
                WIDTH - RIGHT + 6,
                _n(y + 4),
                vn_number(visits_max * step // 4),
            )
        )
    parts.append(
        format_html(
            '<text class="chart__axis-title" x="{}" y="{}" text-anchor="start">{}</text>'
            '<text class="chart__axis-title" x="{}" y="{}" text-anchor="end">{}</text>',
            LEFT - 6,
            TOP - 10,
            _("Sessions"),
            WIDTH - RIGHT + 6,
            TOP - 10,
            _("Person-visits"),
        )
    )

    points = []
    for index, row in enumerate(rows):
        centre = LEFT + slot * (index + 0.5)
        height = plot_h * row.held / held_max
        parts.append(
            format_html(
                '<rect class="chart__bar" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}: {}</title></rect>",
                _n(centre - bar_w / 2),
                _n(bottom - height),
                _n(bar_w),
                _n(height),
                row.label,
                vn_number(row.held),
            )
        )
        if len(rows) <= LABEL_ALL_UP_TO and row.held:
            parts.append(
                format_html(
                    '<text class="chart__value" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _n(centre),
                    _n(bottom - height - 4),
                    vn_number(row.held),
                )
            )
        if index % every == 0:
            parts.append(
                format_html(
                    '<text class="chart__month" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _n(centre),
                    bottom + 18,
                    row.label,
                )
            )
        points.append((centre, bottom - plot_h * row.visits / visits_max, row))

    parts.append(
        format_html(
            '<polyline class="chart__line" points="{}"/>',
            " ".join(f"{_n(x)},{_n(y)}" for x, y, _row in points),
        )
    )
    for x, y, row in points:
        parts.append(
            format_html(
                '<rect class="chart__point" x="{}" y="{}" width="7" height="7">'
                "<title>{}: {}</title></rect>",
                _n(x - 3.5),
                _n(y - 3.5),
                row.label,
                vn_number(row.visits),
            )
        )
    parts.append(
        format_html(
            '<line class="chart__axis" x1="{}" y1="{}" x2="{}" y2="{}"/>',
            LEFT,
            bottom,
            WIDTH - RIGHT,
            bottom,
        )
    )

    # The legend, below the months: a filled box for bars, a line with a square for visits.
    legend_y = HEIGHT - 14
    parts.append(
        format_html(
            '<g class="chart__legend">'
            '<rect class="chart__bar" x="{}" y="{}" width="14" height="12"/>'
            '<text x="{}" y="{}">{}</text>'
            '<line class="chart__line" x1="{}" y1="{}" x2="{}" y2="{}"/>'
            '<rect class="chart__point" x="{}" y="{}" width="7" height="7"/>'
            '<text x="{}" y="{}">{}</text></g>',
            LEFT,
            legend_y - 10,
            LEFT + 20,
            legend_y,
            _("Sessions held (confirmed), left scale"),
            LEFT + 340,
            legend_y - 4,
            LEFT + 370,
            legend_y - 4,
            LEFT + 351.5,
            legend_y - 7.5,
            LEFT + 378,
            legend_y,
            _("Person-visits, right scale"),
        )
    )
    parts.append(mark_safe("</svg>"))
    # Every part was built by format_html, which escaped its text.
    return mark_safe("".join(parts))

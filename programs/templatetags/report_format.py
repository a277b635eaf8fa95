"""Numbers as Vietnamese offices write them, for the report pages: 1.250,5 and 1.500.000 đ,
percentages and signed differences; and the chart's SVG coordinates.

The same helpers as the printed document (``programs.reports.document``), so the screen and
the paper never disagree; Decimals lose their trailing zeros ("250", not "250,00").
"""

from django import template

from programs.reports import chart, document

register = template.Library()


@register.filter
def vn_number(value):
    """``{{ report.totals.workdays|vn_number }}`` → "1.250,5"."""
    if value is None or value == "":
        return ""
    return document.vn_number(value)


@register.filter
def vnd(value):
    """``{{ value|vnd }}`` → "1.500.000 đ"."""
    return document.vnd(value)


@register.filter
def vn_percent(value):
    """``{{ report.cadence_rate|vn_percent }}`` → "66,7%"; nothing when there is no rate."""
    if value is None:
        return ""
    return f"{document.vn_number(float(value), 1)}%"


@register.filter
def signed(value):
    """A difference with its sign: "+3", "−2" (a real minus sign), "0"."""
    if value is None:
        return ""
    text = document.vn_number(abs(value))
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"\N{MINUS SIGN}{text}"
    return text


@register.filter
def coordinate(value):
    """An SVG coordinate: ``{{ bar.x|coordinate }}`` → "123.5" (dot decimal, no trailing
    zeros), SVG's own syntax rather than a displayed number."""
    return chart.coordinate(value)

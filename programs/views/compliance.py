"""Compliance: which cells held the sessions their directive asks for, month by month."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from programs import permissions, selectors
from programs.forms.reports import ComplianceFilterForm
from programs.models import Directive
from programs.reports import cache as report_cache

CELLS_PER_PAGE = 50


@login_required
def compliance(request):
    """The compliance grid of one committee (and those below it) over a period of months."""
    user = request.user
    if not permissions.can_see_compliance(user):
        # A secretary asking for a committee learns nothing about it: the same 404 as for an
        # unknown id. Without a committee the page simply is not theirs.
        if request.GET.get("committee"):
            raise Http404
        raise PermissionDenied
    today = timezone.localdate()
    committees = list(permissions.committees_visible_to(user).filter(active=True).order_by("name"))
    directives = list(Directive.objects.order_by("-issued_on", "symbol"))
    form = ComplianceFilterForm(
        request.GET, committees=committees, directives=directives, today=today
    )
    context = {"form": form, "grid_body": ""}
    if form.is_valid():
        options = form.cleaned_data
        if options["committee"]:
            committee = permissions.get_committee_or_404(user, options["committee"])
        else:
            committee = selectors.default_committee(committees)
        if committee is not None:
            if committee not in committees:
                committees.append(committee)  # an inactive one, asked for by its id
            context["grid_body"] = _grid_body(request, committee, options, today)
            # Show the filters as applied, defaults included.
            context["form"] = ComplianceFilterForm(
                initial={
                    "committee": committee.pk,
                    "directive": options["directive"].pk if options["directive"] else "",
                    "from": str(options["from"]),
                    "to": str(options["to"]),
                },
                committees=committees,
                directives=directives,
                today=today,
            )
    return render(request, "compliance/grid.html", context)


def _grid_body(request, committee, options, today) -> str:
    """The grid's HTML: built and rendered once per committee, period, directive, day and page
    (the query string), then kept while the data is unchanged (``reports.cache``)."""
    directive = options["directive"]
    parts = (committee.pk, options["from"], options["to"], today, getattr(directive, "pk", None))

    def build():
        return selectors.compliance_grid(
            committee, options["from"], options["to"], today=today, directive=directive
        )

    def render():
        grid = report_cache.cached("compliance-grid", parts, build)
        context = {
            "grid": grid,
            # A province has 1,500 cells: the totals cover them all, the table shows a page.
            "rows_page": Paginator(grid.rows, CELLS_PER_PAGE).get_page(request.GET.get("page")),
        }
        return render_to_string("compliance/includes/grid_body.html", context, request=request)

    return report_cache.html("compliance-body", (parts, sorted(request.GET.lists())), render)

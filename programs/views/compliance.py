"""Compliance: which cells held the sessions their directive asks for, month by month."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs import permissions, selectors
from programs.forms.fields import MonthField
from programs.planning import Month, months_between

# An unqualified period shows the current month and the five before it: half a year.
DEFAULT_MONTHS = 6


class ComplianceFilterForm(forms.Form):
    """The grid's filters, read from the query string (``committee``, ``from``, ``to``).

    The committee is a plain number here: whether it exists and is the user's to see is the
    view's fetch-and-check (a 404), not a form error. Missing months get the defaults in
    ``clean``, so the period checks see the period actually shown.
    """

    committee = forms.IntegerField(
        label=_("Party committee"),
        required=False,
        widget=forms.Select,
        error_messages={"invalid": _("Choose a party committee from the list.")},
    )

    def __init__(self, *args, committees, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["committee"].widget.choices = [(c.pk, c.name) for c in committees]
        # "from" is a Python keyword, so these two fields are named here rather than above.
        self.fields["from"] = MonthField(label=_("From month"), required=False)
        self.fields["to"] = MonthField(label=_("To month"), required=False)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        end = cleaned.get("to") or Month.of(self.today)
        start = cleaned.get("from")
        if start is None:
            start = end
            for _step in range(DEFAULT_MONTHS - 1):
                start = start.previous()
        if start > end:
            raise forms.ValidationError(
                _("The period ends (%(end)s) before it starts (%(start)s)."),
                params={"start": start.label, "end": end.label},
                code="reversed",
            )
        if len(months_between(start, end)) > selectors.MAX_COMPLIANCE_MONTHS:
            raise forms.ValidationError(
                _("Choose a period of at most %(max)s months."),
                params={"max": selectors.MAX_COMPLIANCE_MONTHS},
                code="too_long",
            )
        cleaned["from"], cleaned["to"] = start, end
        return cleaned


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
    form = ComplianceFilterForm(request.GET, committees=committees, today=today)
    context = {"form": form, "grid": None, "today": today}
    if form.is_valid():
        options = form.cleaned_data
        if options["committee"]:
            committee = permissions.get_committee_or_404(user, options["committee"])
        else:
            committee = selectors.default_committee(committees)
        if committee is not None:
            if committee not in committees:
                committees.append(committee)  # an inactive one, asked for by its id
            grid = selectors.compliance_grid(committee, options["from"], options["to"], today=today)
            context["grid"] = grid
            # A province has 1,500 cells: the totals cover them all, the table shows a page.
            context["rows_page"] = Paginator(grid.rows, CELLS_PER_PAGE).get_page(
                request.GET.get("page")
            )
            # Show the filters as applied, defaults included.
            context["form"] = ComplianceFilterForm(
                initial={
                    "committee": committee.pk,
                    "from": str(options["from"]),
                    "to": str(options["to"]),
                },
                committees=committees,
                today=today,
            )
    return render(request, "compliance/grid.html", context)

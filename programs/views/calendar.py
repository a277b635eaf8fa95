"""Many sessions at once: the month calendar and the filterable list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from programs import permissions, selectors
from programs.forms.filters import SessionFilterForm
from programs.models import LabourSession, Weekday
from programs.planning import Month
from programs.reports import cache as report_cache

SESSIONS_PER_PAGE = 50
SESSIONS_PER_DAY = 12


@login_required
@require_safe
def session_calendar(request):
    """One month, Monday first; a grid on wide screens, a list of busy days on a phone."""
    today = timezone.localdate()
    month = Month.of(today)
    raw = request.GET.get("month", "").strip()
    if raw:
        try:
            month = Month.parse(raw)
        except ValueError:
            messages.warning(
                request,
                _("That month could not be read (write it as YYYY-MM); showing this month."),
            )
    return render(
        request,
        "sessions/calendar.html",
        {
            "month": month,
            "days_html": _days_html(request, month, today),
            "previous_month": month.previous(),
            "next_month": month.next(),
            "is_current_month": month == Month.of(today),
        },
    )


def _days_html(request, month, today) -> str:
    """The month's days as HTML: the same for every user who sees the same sessions, kept
    while the data is unchanged (``reports.cache``)."""

    def render():
        # A province's calendar holds hundreds of sessions a weekend day; each day shows the
        # first few and links to the list for the rest.
        days = selectors.month_calendar(request.user, month, today=today, per_day=SESSIONS_PER_DAY)
        context = {
            "month": month,
            "days": days,
            "has_sessions": any(day.total for day in days),
            "weekdays": Weekday.choices,
        }
        return render_to_string("sessions/includes/calendar_days.html", context, request)

    visible = permissions.sessions_visible_to(request.user)
    parts = (report_cache.sql_of(visible), str(month), today)
    return report_cache.html("calendar-days", parts, render)


@login_required
@require_safe
def session_list(request):
    """Visible sessions, newest first, filtered by GET parameters and paginated.

    Invalid filters show their errors and no sessions (rather than every session, which would
    look like the filter had worked).
    """
    today = timezone.localdate()
    form = SessionFilterForm(request.GET, user=request.user)
    if form.is_valid():
        sessions = selectors.sessions_filtered(
            request.user,
            today=today,
            committee_ids=form.committee_ids,
            **form.cleaned_data,
        )
    else:
        sessions = LabourSession.objects.none()
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.mark_late(page.object_list, today)
    return render(
        request,
        "sessions/list.html",
        {
            "form": form,
            "page_obj": page,
            "can_create": permissions.can_create_sessions(request.user),
            "can_plan": permissions.can_plan(request.user),
        },
    )

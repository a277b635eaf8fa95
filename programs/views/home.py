"""The overview page everyone lands on after signing in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from programs import permissions, selectors
from programs.planning import Month


@login_required
def home(request):
    """The overview: the month at a glance for officers and viewers, the own cell for a cell
    secretary, and a pointer to the administrator for someone without a role. A host commune's
    committee also sees the sessions other committees' cells hold in its villages this month."""
    user = request.user
    today = timezone.localdate()
    if permissions.can_see_dashboard(user):
        context = {
            "mode": "dashboard",
            **selectors.dashboard(user, today),
            "can_plan": permissions.can_plan(user),
            "plan_month": Month.of(today).next(),
        }
    elif permissions.is_cell_secretary(user):
        context = {"mode": "secretary", **selectors.secretary_overview(user, today)}
    elif permissions.is_host(user):
        context = {"mode": "host"}
    else:
        context = {"mode": "no_role"}
    if permissions.is_host(user):
        context["hosted"] = selectors.hosted_sessions(user, today)
    return render(request, "programs/home.html", {"today": today, **context})

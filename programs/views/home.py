from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from programs import permissions, selectors
from programs.planning import Month


@login_required
def home(request):
    """The overview: the month at a glance for officers and viewers, the own cell for a cell
    secretary, and a pointer to the administrator for someone without a role."""
    user = request.user
    scope = permissions.scope_for(user)
    today = timezone.localdate()
    if scope.all or scope.committees:
        context = {
            "mode": "dashboard",
            **selectors.dashboard(user, today),
            "can_plan": permissions.can_plan(user),
            "plan_month": Month.of(today).next(),
        }
    elif scope.secretary_cells:
        context = {"mode": "secretary", **selectors.secretary_overview(user, today)}
    else:
        context = {"mode": "no_role"}
    return render(request, "programs/home.html", {"today": today, **context})

"""The personal iCalendar feed a phone calendar subscribes to, and its settings page."""

import datetime
import re

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from programs import selectors
from programs.forms.tokens import TokenForm, posted_token
from programs.models import CalendarFeed, LabourSession
from programs.services import preferences

FEED_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")

# Sessions have no end time; a morning's work is the usual length.
SESSION_LENGTH = datetime.timedelta(hours=4)

# A postponed session keeps its date for the record, but nothing happens on it: calendars show
# it as cancelled (its replacement, if any, is a separate event).
ICAL_STATUS = {
    LabourSession.Status.PLANNED: "CONFIRMED",
    LabourSession.Status.HELD: "CONFIRMED",
    LabourSession.Status.POSTPONED: "CANCELLED",
}


def _feed_url(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(f"{reverse('programs:calendar-feed')}?token={feed.token}")


@require_safe
def calendar_feed(request):
    """No login: the token in the address stands for the user (a calendar app cannot sign in).

    An unknown token, or one of a deactivated user, is a 404, like any address that does not
    exist.
    """
    token = request.GET.get("token", "")
    # Tokens are URL-safe base64; anything else (a NUL byte breaks a PostgreSQL query) cannot
    # be one, and is the same 404.
    if not FEED_TOKEN_RE.fullmatch(token):
        raise Http404
    try:
        feed = CalendarFeed.objects.select_related("user").get(token=token, user__is_active=True)
    except CalendarFeed.DoesNotExist:
        raise Http404 from None
    sessions = selectors.feed_sessions(feed.user, today=timezone.localdate())
    body = _calendar(request, sessions).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="civic-labour.ics"'
    # The address is a secret: no shared cache may keep a copy.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


def _alarm(session) -> icalendar.Alarm:
    """A reminder on the phone the day before (the same moment of day as the start)."""
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -datetime.timedelta(days=1))
    alarm.add("description", _("Labour session tomorrow: %(cell)s") % {"cell": session.cell})
    return alarm


def _calendar(request, sessions) -> icalendar.Calendar:
    zone = timezone.get_default_timezone()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Civic Labour//Labour sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Labour sessions"))
    calendar.add("x-wr-timezone", str(zone))
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # an X- property is text: write the duration
    for session in sessions:
        start = datetime.datetime.combine(session.date, session.start_time, tzinfo=zone)
        event = icalendar.Event()
        event.add("uid", f"session-{session.pk}@civic-labour")
        # In a published feed DTSTAMP is when the information last changed.
        event.add("dtstamp", session.updated_at)
        event.add("last-modified", session.updated_at)
        event.add("sequence", session.version - 1)
        event.add("dtstart", start)
        event.add("duration", SESSION_LENGTH)
        event.add("summary", f"{session.cell} → {session.village}")
        event.add("location", session.village.label_on(session.date))
        description = [session.planned_work]
        if session.status == LabourSession.Status.POSTPONED:
            description.insert(0, _("Postponed: %(reason)s") % {"reason": session.status_reason})
        if any(description):
            event.add("description", "\n\n".join(part for part in description if part))
        event.add("status", ICAL_STATUS[session.status])
        event.add("url", request.build_absolute_uri(session.get_absolute_url()))
        if session.status == LabourSession.Status.PLANNED:
            event.add_component(_alarm(session))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar


@login_required
@require_safe
def calendar_feed_settings(request):
    """The user's feed address (created on the first visit) and how to subscribe to it."""
    feed = preferences.calendar_feed_for(request.user)
    url = _feed_url(request, feed)
    return render(
        request,
        "feeds/settings.html",
        {
            "feed_url": url,
            # webcal:// makes phones offer "subscribe" instead of downloading the file once.
            "webcal_url": "webcal://" + url.split("://", 1)[1],
            "token_form": TokenForm(),
        },
    )


@login_required
@require_POST
def calendar_feed_reset(request):
    # A second copy of this form (a double tap) changes nothing: the address the first made stays.
    preferences.calendar_feed_reset(user=request.user, token=posted_token(request))
    messages.success(
        request,
        _(
            "Your calendar address was changed. The old address no longer works: subscribe "
            "again with the new one on every device."
        ),
    )
    return redirect("programs:calendar-feed-settings")

from django.urls import path

from programs.views import calendar, compliance, feeds, home, places, sessions

app_name = "programs"

urlpatterns = [
    path("", home.home, name="home"),
    path("sessions/", calendar.session_list, name="session-list"),
    path("sessions/calendar/", calendar.session_calendar, name="session-calendar"),
    path("calendar.ics", feeds.calendar_feed, name="calendar-feed"),
    path("calendar/feed/", feeds.calendar_feed_settings, name="calendar-feed-settings"),
    path("calendar/feed/reset/", feeds.calendar_feed_reset, name="calendar-feed-reset"),
    path("sessions/new/", sessions.session_create, name="session-create"),
    path("sessions/plan/", sessions.month_plan, name="session-plan"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session-edit"),
    path("sessions/<int:pk>/postpone/", sessions.session_postpone, name="session-postpone"),
    path("sessions/<int:pk>/cancel/", sessions.session_cancel, name="session-cancel"),
    path("compliance/", compliance.compliance, name="compliance"),
    path("cells/<int:pk>/", places.cell_detail, name="cell-detail"),
    path("villages/<int:pk>/", places.village_detail, name="village-detail"),
]

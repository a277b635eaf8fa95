"""The pages' addresses. The admin site, login and language switch are in
``civic_labour/urls.py``."""

from django.urls import path

from programs.views import (
    calendar,
    compliance,
    feeds,
    home,
    issued_reports,
    opinions,
    places,
    report_exports,
    sessions,
)
from programs.views import imports as import_views
from programs.views import logbook as log_views
from programs.views import news as news_views
from programs.views import notifications as notification_views
from programs.views import photos as photo_views
from programs.views import reports as report_views
from programs.views import reviews as review_views

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
    path("sessions/<int:pk>/log/", log_views.session_log, name="session-log"),
    path(
        "sessions/<int:pk>/log/people/",
        log_views.session_log_people,
        name="session-log-people",
    ),
    path(
        "sessions/<int:pk>/confirm/",
        review_views.session_log_confirm,
        name="session-log-confirm",
    ),
    path("sessions/<int:pk>/return/", review_views.session_log_return, name="session-log-return"),
    path("sessions/<int:pk>/reopen/", review_views.session_log_reopen, name="session-log-reopen"),
    path(
        "sessions/<int:pk>/photos/<int:photo_id>/",
        photo_views.session_photo,
        name="session-photo",
    ),
    path("sessions/<int:pk>/news/", news_views.session_news, name="session-news"),
    # Public, without sign-in: a published news item's share card and its photos.
    path("share/<str:token>/", news_views.share_card, name="share-card"),
    path(
        "share/<str:token>/photos/<int:number>.jpg",
        news_views.share_photo,
        name="share-photo",
    ),
    path("reviews/", review_views.review_list, name="reviews"),
    path("opinions/", opinions.opinion_list, name="opinion-list"),
    path("opinions/<int:pk>/", opinions.opinion_follow_up, name="opinion-follow-up"),
    path("compliance/", compliance.compliance, name="compliance"),
    path("reports/", report_views.report, name="reports"),
    path("reports/print/", report_views.report_print, name="report-print"),
    path(
        "reports/issued/<int:committee>/",
        issued_reports.issued_reports,
        name="issued-reports",
    ),
    path(
        "reports/issued/<int:committee>/<int:pk>/",
        issued_reports.issued_report,
        name="issued-report",
    ),
    path(
        "reports/issued/<int:committee>/<int:pk>/pdf/",
        issued_reports.issued_report_pdf,
        name="issued-report-pdf",
    ),
    path("reports/sessions.csv", report_exports.report_raw_csv, name="report-raw-csv"),
    path("reports/sessions.xlsx", report_exports.report_raw_xlsx, name="report-raw-xlsx"),
    path("cells/<int:pk>/", places.cell_detail, name="cell-detail"),
    path("villages/<int:pk>/", places.village_detail, name="village-detail"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/read/",
        notification_views.notification_mark_read,
        name="notifications-mark-read",
    ),
    path(
        "notifications/settings/",
        notification_views.notification_settings,
        name="notification-settings",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        notification_views.notification_unsubscribe,
        name="notification-unsubscribe",
    ),
    path(
        "notifications/rules/<int:committee>/",
        notification_views.notification_rules,
        name="notification-rules",
    ),
    path("notifications/push/", notification_views.push_subscribe, name="push-subscribe"),
    path(
        "notifications/push/remove/",
        notification_views.push_unsubscribe,
        name="push-unsubscribe",
    ),
    path("imports/", import_views.import_page, name="imports"),
    path("imports/confirm/", import_views.import_confirm, name="import-confirm"),
    path("imports/template/", import_views.import_template, name="import-template"),
    path("imports/export/", import_views.import_export, name="import-export"),
]

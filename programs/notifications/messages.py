"""The text of a notification in its recipient's language: a subject, a few lines, a link to
the page it is about, and, for e-mail, plain text and HTML with the unsubscribe link.

Every message about a session names its date as dd/mm/yyyy (``vn_date``) and links to its
page; the builders below say what each kind adds.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from programs.models import Notification, NotificationKind
from programs.text import vn_date

from .unsubscribe import make_token

K = NotificationKind


@dataclass
class Message:
    subject: str
    lines: list[str] = field(default_factory=list)
    url: str = ""
    # The same page without the site's address: the in-app list links within the site.
    path: str = ""
    text: str = ""
    html: str = ""
    unsubscribe_url: str = ""

    @property
    def short(self) -> str:
        """The first line, for a phone notification's body."""
        return self.lines[0] if self.lines else ""


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _session_line(session) -> str:
    return _("%(cell)s works with the people of %(village)s on %(date)s at %(time)s.") % {
        "cell": session.cell,
        "village": session.village.label_on(session.date),
        "date": vn_date(session.date),
        "time": session.start_time.strftime("%H:%M"),
    }


def _session_subject(kind: str, session, context: dict) -> tuple[str, list[str]]:
    date = vn_date(session.date)
    subjects = {
        K.SESSION_REMINDER: _("Reminder: labour session on %(date)s"),
        K.SESSION_CREATED: _("New labour session on %(date)s"),
        K.SESSION_MOVED: _("Labour session moved to %(date)s"),
        K.SESSION_POSTPONED: _("Labour session of %(date)s postponed"),
        K.SESSION_CANCELLED: _("Labour session of %(date)s cancelled"),
        K.LOG_LATE: _("The log of the session on %(date)s is late"),
        K.LOG_LATE_ESCALATED: _("%(cell)s: still no log for the session on %(date)s"),
        K.LOG_SUBMITTED: _("Log to confirm: session on %(date)s"),
        K.LOG_RETURNED: _("Log returned for correction: session on %(date)s"),
        K.LOG_CONFIRMED: _("Log confirmed: session on %(date)s"),
    }
    subject = subjects[kind] % {"date": date, "cell": session.cell}
    return subject, [_session_line(session), *_details(kind, session, context)]


def _details(kind: str, session, context: dict) -> list[str]:
    lines = []
    if kind == K.SESSION_MOVED and context.get("old_date"):
        lines.append(_("It was planned for %(date)s.") % {"date": context["old_date"]})
    if kind in (K.SESSION_POSTPONED, K.SESSION_CANCELLED):
        lines.append(_("Reason: %(reason)s") % {"reason": session.status_reason})
    if kind == K.SESSION_POSTPONED and context.get("new_date"):
        lines.append(_("New date: %(date)s.") % {"date": context["new_date"]})
    if kind in (K.LOG_LATE, K.LOG_LATE_ESCALATED):
        lines.append(_("Nobody has submitted who came and what was done yet."))
    if kind == K.LOG_RETURNED:
        comment = context.get("comment", session.review_comment)
        lines.append(_("The officer's comment: %(comment)s") % {"comment": comment})
    if kind in (K.SESSION_REMINDER, K.SESSION_CREATED) and session.planned_work:
        lines.append(_("Planned work: %(work)s") % {"work": session.planned_work})
    return lines


def _session_path(kind: str, session) -> str:
    if kind in (K.LOG_LATE, K.LOG_RETURNED):
        return reverse("programs:session-log", args=[session.pk])
    return session.get_absolute_url()


def _month_digest(notification: Notification) -> tuple[str, list[str], str]:
    context = notification.context
    subject = _("%(committee)s: cells that held no session in %(month)s") % {
        "committee": notification.committee,
        "month": context.get("month_label", ""),
    }
    lines = [
        _("These cells held no labour session in %(month)s:")
        % {"month": context.get("month_label", "")},
        *context.get("cells", []),
    ]
    path = reverse("programs:compliance") + f"?committee={notification.committee_id}"
    return subject, lines, path


def build(notification: Notification) -> Message:
    """The message for ``notification`` in its language, with its link and (e-mail) bodies."""
    with translation.override(notification.language):
        if notification.kind == K.MONTH_IDLE_CELLS:
            subject, lines, path = _month_digest(notification)
        else:
            session = notification.session
            subject, lines = _session_subject(notification.kind, session, notification.context)
            path = _session_path(notification.kind, session)
        message = Message(subject=subject, lines=lines, url=absolute(path), path=path)
        message.unsubscribe_url = absolute(
            reverse("programs:notification-unsubscribe", args=[make_token(notification)])
        )
        context = {
            "message": message,
            "language": notification.language,
            "kind_label": notification.get_kind_display(),
            "channel_label": notification.get_channel_display(),
            "settings_url": absolute(reverse("programs:notification-settings")),
        }
        message.text = render_to_string("notifications/email.txt", context)
        message.html = render_to_string("notifications/email.html", context)
    return message

"""The officers' sign-off of session logs: confirm, return for correction, reopen; and the list
of logs waiting for confirmation."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from programs import permissions, selectors
from programs.forms.logbook import ReopenForm, ReturnForm
from programs.forms.tokens import VersionForm, posted_token, posted_write
from programs.models import LabourSession
from programs.services import logbook, tokens

REVIEWS_PER_PAGE = 50

LogStatus = LabourSession.LogStatus


def _stale_message(request):
    messages.error(
        request,
        _(
            "The log changed after you opened this page, so nothing was done. Check the log as "
            "it is now and try again."
        ),
    )


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def session_log_confirm(request, pk):
    session = permissions.get_session_or_404(request.user, pk, write=True)
    form = VersionForm(request.POST)
    if tokens.form_already_done(posted_token(request), session):
        # A re-sent click: the first one was carried out; answer as it was answered.
        return _confirmed(request, session)
    if session.log_status != LogStatus.SUBMITTED:
        messages.error(request, _("Only a log waiting for confirmation can be confirmed."))
    elif not form.is_valid():
        _stale_message(request)
    else:
        try:
            logbook.session_log_confirm(session=session, **posted_write(request, form))
        except logbook.StaleEditError:
            _stale_message(request)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            return _confirmed(request, session)
    return redirect(session.get_absolute_url())


def _confirmed(request, session):
    messages.success(request, _("The log was confirmed. It now counts in the reports."))
    return redirect(session.get_absolute_url())


@dataclass(frozen=True)
class _ReasonReview:
    """Returning or reopening a log: both take a reason on a small form."""

    form_class: type
    expected: str  # the log status it applies to
    wrong_state: str
    template: str
    success: str
    write: object  # the service
    reason_argument: str  # the service's name for the reason


RETURN = _ReasonReview(
    form_class=ReturnForm,
    expected=LogStatus.SUBMITTED,
    wrong_state=gettext_lazy("Only a log waiting for confirmation can be returned."),
    template="sessions/review_return.html",
    success=gettext_lazy("The log was returned to the cell secretary for correction."),
    write=logbook.session_log_return,
    reason_argument="comment",
)
REOPEN = _ReasonReview(
    form_class=ReopenForm,
    expected=LogStatus.CONFIRMED,
    wrong_state=gettext_lazy("Only a confirmed log can be reopened."),
    template="sessions/review_reopen.html",
    success=gettext_lazy("The log was reopened. It can be corrected and must be confirmed again."),
    write=logbook.session_log_reopen,
    reason_argument="reason",
)


@login_required
@require_http_methods(["GET", "POST"])
def session_log_return(request, pk):
    return _review_with_reason(request, pk, RETURN)


@login_required
@require_http_methods(["GET", "POST"])
def session_log_reopen(request, pk):
    return _review_with_reason(request, pk, REOPEN)


def _done(request, session, review: _ReasonReview):
    messages.success(request, review.success)
    return redirect(session.get_absolute_url())


def _review_with_reason(request, pk, review: _ReasonReview):
    """Return (comment) or reopen (reason): a small form on GET, the service on POST."""
    session = permissions.get_session_or_404(request.user, pk, write=True)
    if request.method == "POST" and tokens.form_already_done(posted_token(request), session):
        # A re-sent form: the first copy was carried out; answer as it was answered.
        return _done(request, session, review)
    if session.log_status != review.expected:
        messages.error(request, review.wrong_state)
        return redirect(session.get_absolute_url())
    form = review.form_class(
        request.POST if request.method == "POST" else None,
        initial={"version": session.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review.write(
                session=session,
                **posted_write(request, form),
                **{review.reason_argument: data["reason"]},
            )
        except logbook.StaleEditError as error:
            _stale_message(request)
            # Keep what was typed; the form now carries the current version, so sending it
            # again acts on the log as it is now (the page shows its link to check it first).
            form = review.form_class(
                initial={"version": error.current.version, "reason": data["reason"]}
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, _error_text(error))
                return redirect(session.get_absolute_url())
            for name, errors in error.error_dict.items():
                form.add_error("reason" if name in ("comment", "reason") else None, errors)
        else:
            return _done(request, session, review)
    return render(request, review.template, {"form": form, "session": session})


@login_required
def review_list(request):
    """Logs waiting for confirmation, oldest first: officers act on them from each session's
    page; viewers follow the list read-only."""
    if not permissions.can_see_reviews(request.user):
        raise PermissionDenied
    page = Paginator(selectors.logs_waiting_for_review(request.user), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reviews/list.html",
        {"page": page, "sessions": list(page.object_list)},
    )

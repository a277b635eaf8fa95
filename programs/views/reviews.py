"""The officers' sign-off of session logs: confirm, return for correction, reopen; and the list
of logs waiting for confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from programs import logbook, permissions, selectors, services
from programs.forms import ReasonForm, VersionForm, posted_token
from programs.models import LabourSession

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
    if services.form_already_done(posted_token(request), session):
        # A re-sent click: the first one was carried out; answer as it was answered.
        return _confirmed(request, session)
    if session.log_status != LogStatus.SUBMITTED:
        messages.error(request, _("Only a log waiting for confirmation can be confirmed."))
    elif not form.is_valid():
        _stale_message(request)
    else:
        try:
            logbook.session_log_confirm(
                session=session,
                user=request.user,
                version=form.cleaned_data["version"],
                token=posted_token(request),
            )
        except services.StaleEditError:
            _stale_message(request)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            return _confirmed(request, session)
    return redirect(session.get_absolute_url())


def _confirmed(request, session):
    messages.success(request, _("The log was confirmed. It now counts in the reports."))
    return redirect(session.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def session_log_return(request, pk):
    session = permissions.get_session_or_404(request.user, pk, write=True)
    return _review_with_reason(
        request,
        session,
        expected=LogStatus.SUBMITTED,
        wrong_state=_("Only a log waiting for confirmation can be returned."),
        label=gettext_lazy("What needs correcting"),
        required=gettext_lazy("Say what needs correcting."),
        template="sessions/review_return.html",
        success=_("The log was returned to the cell secretary for correction."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_log_reopen(request, pk):
    session = permissions.get_session_or_404(request.user, pk, write=True)
    return _review_with_reason(
        request,
        session,
        expected=LogStatus.CONFIRMED,
        wrong_state=_("Only a confirmed log can be reopened."),
        label=gettext_lazy("Reason"),
        required=gettext_lazy("Give the reason for reopening."),
        template="sessions/review_reopen.html",
        success=_("The log was reopened. It can be corrected and must be confirmed again."),
    )


def _reason_form(data=None, *, label, required, **kwargs):
    form = ReasonForm(data, **kwargs)
    form.fields["reason"].label = label
    form.fields["reason"].error_messages["required"] = required
    return form


def _review_with_reason(request, session, *, expected, wrong_state, label, required, **texts):
    """Return (comment) or reopen (reason): a small form on GET, the service on POST."""
    if request.method == "POST" and services.form_already_done(posted_token(request), session):
        # A re-sent form: the first copy was carried out; answer as it was answered.
        messages.success(request, texts["success"])
        return redirect(session.get_absolute_url())
    if session.log_status != expected:
        messages.error(request, wrong_state)
        return redirect(session.get_absolute_url())
    form = _reason_form(
        request.POST if request.method == "POST" else None,
        label=label,
        required=required,
        initial={"version": session.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if expected == LogStatus.SUBMITTED:
                logbook.session_log_return(
                    session=session,
                    user=request.user,
                    version=data["version"],
                    comment=data["reason"],
                    token=posted_token(request),
                )
            else:
                logbook.session_log_reopen(
                    session=session,
                    user=request.user,
                    version=data["version"],
                    reason=data["reason"],
                    token=posted_token(request),
                )
        except services.StaleEditError as error:
            _stale_message(request)
            # Keep what was typed; the form now carries the current version, so sending it
            # again acts on the log as it is now (the page shows its link to check it first).
            form = _reason_form(
                label=label,
                required=required,
                initial={"version": error.current.version, "reason": data["reason"]},
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error("reason" if name in ("comment", "reason") else None, errors)
            else:
                messages.error(request, _error_text(error))
                return redirect(session.get_absolute_url())
        else:
            messages.success(request, texts["success"])
            return redirect(session.get_absolute_url())
    return render(request, texts["template"], {"form": form, "session": session})


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

"""One session: read, create, edit, postpone, cancel; and the month planner."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from programs import permissions, selectors
from programs.forms.planner import PlanForm, cell_overrides
from programs.forms.sessions import PostponeForm, ReasonForm, SessionForm
from programs.forms.tokens import (
    TokenForm,
    VersionForm,
    carry_current_version,
    posted_token,
    posted_write,
)
from programs.services import planner, tokens
from programs.services import sessions as session_services


def _stale(request, form, current):
    """Say that someone saved first, and let the form carry the current version and a fresh
    one-time token: what was typed stays, and a deliberate second save goes through."""
    messages.error(
        request,
        _(
            "Someone else saved this session while you were editing it. Your changes were not "
            "saved; they are still in the form below. Check the current values and save again."
        ),
    )
    carry_current_version(form, current.version)


def _add_errors(form, error: ValidationError) -> None:
    """A service's error on the form: on the field it names when the form has one, else on
    the whole form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
def session_detail(request, pk):
    session = permissions.get_session_or_404(
        request.user, pk, queryset=selectors.session_detail_queryset()
    )
    can_review = permissions.can_review_log(request.user, session)
    return render(
        request,
        "sessions/detail.html",
        {
            "session": session,
            "label": session.village.label_on(session.date),
            "changes": selectors.history_entries(session.changes.all()),
            "sent_notices": selectors.sent_about_session(request.user, session),
            "can_manage": permissions.can_manage_session(request.user, session),
            # A host commune reads the session, not the cell's or the village's pages.
            "reads_as_host": permissions.reads_as_host(request.user, session),
            "log": selectors.session_log_summary(session),
            "can_log": session.can_be_logged and permissions.can_log_session(request.user, session),
            "can_review": can_review,
            # The news item is drafted from a confirmed log (programs.views.news).
            "can_write_news": session.log_status == session.LogStatus.CONFIRMED
            and permissions.can_write_news(request.user, session),
            # Opinions are followed up once the log is confirmed (before, in the log form).
            "can_follow_up": session.log_is_locked
            and permissions.can_follow_up_opinions(request.user, session),
            # Confirming is a one-click POST from this page; it carries the version shown here.
            "confirm_form": VersionForm(initial={"version": session.version})
            if can_review and session.log_status == session.LogStatus.SUBMITTED
            else None,
        },
    )


def _planned(request, session):
    messages.success(request, _("The session was planned."))
    return redirect(session.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request):
    if not permissions.can_create_sessions(request.user):
        raise PermissionDenied
    # Links may prefill the form (?cell=…&date=…); only its visible fields, never the hidden
    # version or one-time token.
    prefill = {k: v for k, v in request.GET.items() if k in SessionForm.Meta.fields}
    form = SessionForm(request.POST or None, user=request.user, initial=prefill)
    if request.method == "POST":
        if form.is_valid():
            try:
                session = session_services.session_create(
                    user=request.user, token=posted_token(request), **form.field_values()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _planned(request, session)
        # A copy of this form sent a moment earlier took the cell's day, so this copy fails
        # validation: answer as that copy did.
        earlier = tokens.form_submission(posted_token(request))
        if earlier is not None and earlier.session is not None:
            return _planned(request, earlier.session)
    return render(request, "sessions/form.html", {"form": form, "session": None})


def _saved(request, session):
    messages.success(request, _("The session was saved."))
    return redirect(session.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = permissions.get_session_or_404(request.user, pk, write=True)
    if request.method == "POST" and tokens.form_already_done(posted_token(request), session):
        return _saved(request, session)
    if not session.is_open:
        messages.error(request, _("Only a planned session can be edited."))
        return redirect(session.get_absolute_url())
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session_services.session_update(
                session=session, **posted_write(request, form), **form.field_values()
            )
        except session_services.StaleEditError as error:
            _stale(request, form, error.current)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, session)
    return render(request, "sessions/form.html", {"form": form, "session": session})


@login_required
@require_http_methods(["GET", "POST"])
def session_postpone(request, pk):
    session = permissions.get_session_or_404(request.user, pk, write=True)
    return _status_change(request, session, PostponeForm, "sessions/postpone.html")


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk):
    session = permissions.get_session_or_404(request.user, pk, write=True)
    return _status_change(request, session, ReasonForm, "sessions/cancel.html")


def _status_changed(request, session, form_class, replacement=None):
    if form_class is PostponeForm:
        messages.success(request, _("The session was postponed."))
    else:
        messages.success(request, _("The session was cancelled."))
    return redirect((replacement or session).get_absolute_url())


def _carry_out(request, session, form):
    """Postpone or cancel ``session`` as ``form`` says; returns the replacement, if any."""
    data = form.cleaned_data
    common = {"session": session, "reason": data["reason"], **posted_write(request, form)}
    if isinstance(form, PostponeForm):
        return session_services.session_postpone(
            **common, new_date=data.get("new_date"), new_start_time=data.get("new_start_time")
        )
    session_services.session_cancel(**common)
    return None


def _status_change(request, session, form_class, template):
    if request.method == "POST" and tokens.form_already_done(posted_token(request), session):
        # The phone re-sent a form that was already carried out: answer as the first time.
        replacement = getattr(session, "rescheduled_as", None)
        return _status_changed(request, session, form_class, replacement)
    if not session.is_open:
        messages.error(request, _("Only a planned session can be postponed or cancelled."))
        return redirect(session.get_absolute_url())
    form = form_class(request.POST or None, initial={"version": session.version})
    if request.method == "POST" and form.is_valid():
        try:
            replacement = _carry_out(request, session, form)
        except session_services.StaleEditError as error:
            _stale(request, form, error.current)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _status_changed(request, session, form_class, replacement)
    return render(request, template, {"form": form, "session": session})


def _plan_created(request, created, month):
    if created:
        messages.success(
            request,
            _("%(count)s sessions were planned for %(month)s.")
            % {"count": len(created), "month": month.label},
        )
    else:
        messages.info(
            request,
            _("Nothing new to plan: every cell already has its sessions for %(month)s.")
            % {"month": month.label},
        )
    return redirect(f"{reverse('programs:session-calendar')}?month={month}")


@login_required
@require_http_methods(["GET", "POST"])
def month_plan(request):
    """Choose committee, directive and month (GET), preview (GET with data), create (POST)."""
    if not permissions.can_plan(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = PlanForm(data, user=request.user)
    preview, cell_errors, plan_error = None, {}, None
    if data is not None and form.is_valid():
        options, plan = form.cleaned_data, form.plan()
        cells = selectors.plan_cells(plan["committee"], plan["directive"])
        dates, works, cell_errors = cell_overrides(data, cells)
        try:
            if request.method == "POST" and not cell_errors:
                created = planner.month_plan_create(
                    user=request.user,
                    start_time=options["start_time"],
                    planned_work=options["planned_work"],
                    planned_work_by_cell=works,
                    overrides=dates,
                    token=posted_token(request),
                    **plan,
                )
                return _plan_created(request, created, plan["month"])
            preview = planner.month_plan_preview(overrides=dates, **plan)
        except planner.PlanError as error:
            plan_error = str(error)
    return render(
        request,
        "sessions/plan.html",
        {
            "form": form,
            "preview": preview,
            "cell_errors": cell_errors,
            "plan_error": plan_error,
            "overrides": data or {},
            # The "create" button's form: a fresh one-time token for each preview shown.
            "token_form": TokenForm(),
        },
    )

"""The cell secretary's log page: who came, what was done, photos, notes — one form.

The page works without JavaScript. Besides "save draft" and "submit", its buttons re-render the
same form with everything typed kept: "find" (add people from other cells by name), "add a
row" and "add a photo". A save that fails (bad data, a bad upload, a stale version) also
re-renders from what was posted, never from the database, so nothing typed is lost; a stale
save shows the two versions side by side.

The page's script (static/js/log-form.js, and sync-core.js for a send queued while offline)
posts the same form to the same view with the header ``X-Civic-Sync: 1`` and reads the outcome
as JSON: saved, refused (the form's body re-rendered with its errors or the two versions),
closed, or "sign in first". The one-time token and the version check are the same for both.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorDict
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from programs import permissions, selectors
from programs.forms.logbook import (
    AttendanceForm,
    LogForm,
    NewPhotoFormSet,
    OutputFormSet,
    PhotoEditForm,
)
from programs.forms.opinions import OpinionFormSet, opinion_initial
from programs.forms.tokens import carry_current_version, posted_token, posted_write
from programs.services import logbook, tokens
from programs.text import plain_decimal

SAVE_ACTIONS = {"draft", "submit"}


def _is_sync(request) -> bool:
    """A post from the page's script, which reads the outcome as JSON."""
    return request.headers.get("X-Civic-Sync") == "1"


def _login_required_or_401(view):
    """``login_required`` for people; the script gets a 401 it can act on (keep the queued log,
    ask to sign in) instead of a login page it cannot read."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if _is_sync(request):
            return JsonResponse({"outcome": "login"}, status=401)
        return redirect_to_login(request.get_full_path())

    return wrapped


def _output_initial(output) -> dict:
    return {
        "id": output.pk,
        "work_type": output.work_type_id,
        "description": output.description,
        "quantity": plain_decimal(output.quantity),
        "unit": output.unit,
        "household": output.household_id,
        "value_vnd": output.value_vnd,
        "funding_source": output.funding_source,
    }


def _build_forms(
    session, log: selectors.LogData, data=None, files=None, found_ids=frozenset()
) -> dict:
    output_kwargs = {"work_types": log.work_types, "households": log.households}
    opinion_kwargs = {"villages": log.villages, "session": session}
    if data is None:
        return {
            "log_form": LogForm(
                initial={
                    "version": session.version,
                    "notes": session.notes,
                    "unlisted_commune_cadres": session.unlisted_commune_cadres,
                    "unlisted_armed_forces": session.unlisted_armed_forces,
                    "unlisted_villagers": session.unlisted_villagers,
                }
            ),
            "attendance_form": AttendanceForm(members=log.members, workdays=log.workdays),
            "outputs": OutputFormSet(
                initial=[_output_initial(o) for o in log.outputs],
                prefix="outputs",
                form_kwargs=output_kwargs,
            ),
            "opinions": OpinionFormSet(
                initial=[opinion_initial(o) for o in log.opinions],
                prefix="opinions",
                form_kwargs=opinion_kwargs,
            ),
            "photo_form": PhotoEditForm(photos=log.photos),
            "new_photos": NewPhotoFormSet(prefix="photos"),
        }
    return {
        "log_form": LogForm(data),
        "attendance_form": AttendanceForm(
            data, members=log.members, workdays=log.workdays, found_ids=found_ids
        ),
        # No ``initial`` here: the rows are what was posted, whatever the database holds now.
        "outputs": OutputFormSet(data, prefix="outputs", form_kwargs=output_kwargs),
        "opinions": _posted_opinions(data, log, opinion_kwargs),
        "photo_form": PhotoEditForm(data, photos=log.photos),
        "new_photos": NewPhotoFormSet(data, files, prefix="photos"),
    }


def _posted_opinions(data, log: selectors.LogData, opinion_kwargs: dict):
    """The opinion rows posted; a form without them (a log kept on a phone from before they
    existed, sent when the network returned) leaves the stored ones alone: they are shown as
    stored, in an unbound formset that the save passes over."""
    if "opinions-TOTAL_FORMS" in data:
        return OpinionFormSet(data, prefix="opinions", form_kwargs=opinion_kwargs)
    return OpinionFormSet(
        initial=[opinion_initial(o) for o in log.opinions],
        prefix="opinions",
        form_kwargs=opinion_kwargs,
    )


def _hold_judgement(forms: dict) -> None:
    """A re-render for "find" or "add a row" is not a save: show what was typed without
    judging it yet (half-filled rows are normal here) and without decoding uploads."""
    for form in forms.values():
        if hasattr(form, "management_form"):
            # Too many rows is still said: the page shows only as many as are allowed.
            form._errors, form._non_form_errors = [], form.size_errors()
            for row in form.forms:
                row._errors = ErrorDict()
        else:
            form._errors = ErrorDict()


def _with_default_workdays(data, log: selectors.LogData):
    """People just found (or whose box a script disabled) sent no workdays: give them the
    stored value or one day, as a first display would."""
    missing = [m.pk for m in log.members if f"workdays_{m.pk}" not in data]
    if not missing:
        return data
    data = data.copy()
    for pk in missing:
        data[f"workdays_{pk}"] = str(log.workdays.get(pk, 1))
    return data


def _has_field_errors(forms: dict) -> bool:
    for form in forms.values():
        if hasattr(form, "management_form"):
            if form.total_error_count():
                return True
        elif any(name != NON_FIELD_ERRORS for name in form.errors):
            return True
    return False


def _one_more(data, prefix: str):
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    if _is_number(data.get(key, "")):
        data[key] = int(data[key]) + 1
    return data


def _is_number(text) -> bool:
    # ASCII only: "²".isdigit() is true but int("²") fails; 18 digits fit any id column.
    text = str(text)
    return text.isascii() and text.isdigit() and len(text) <= 18


def _save(request, session, log, forms: dict, *, submit: bool):
    """Validate every part and call the service. Returns ``(saved session, None)``, or
    ``(None, conflict)`` with the errors attached to the forms; after a stale save ``conflict``
    holds both versions (``selectors.LogVersion``) for the page to show side by side."""
    if not all([form.is_valid() for form in forms.values() if form.is_bound]):
        return None, None
    log_form = forms["log_form"]
    cleaned = log_form.cleaned_data
    data = logbook.LogInput(
        attendance=forms["attendance_form"].attendance(),
        unlisted_commune_cadres=cleaned["unlisted_commune_cadres"],
        unlisted_armed_forces=cleaned["unlisted_armed_forces"],
        unlisted_villagers=cleaned["unlisted_villagers"],
        notes=cleaned["notes"].strip(),
        outputs=forms["outputs"].output_inputs(),
        opinions=forms["opinions"].opinion_inputs() if forms["opinions"].is_bound else None,
        new_photos=forms["new_photos"].photo_inputs(),
        photo_captions=forms["photo_form"].captions(),
        photo_deletes=forms["photo_form"].deletes(),
    )
    try:
        saved = logbook.session_log_save(
            session=session, data=data, submit=submit, **posted_write(request, log_form)
        )
        return saved, None
    except logbook.StaleEditError as error:
        # A fresh token too: this one may have been used already, when the page was sent, then
        # shown again by the browser's Back button.
        carry_current_version(log_form, error.current.version)
        photos = len(log.photos) - len(data.photo_deletes) + len(data.new_photos)
        return None, {
            "yours": selectors.posted_log_version(data, log.members, photos),
            "saved": selectors.saved_log_version(error.current),
        }
    except ValidationError as error:
        log_form.add_error(None, ValidationError(error.messages))
    return None, None


def _saved(request, session, *, submit: bool, already: bool = False):
    if submit:
        messages.success(request, _("The log was submitted for confirmation."))
    else:
        messages.success(request, _("The log was saved as a draft."))
    if _is_sync(request):
        return JsonResponse(
            {
                "outcome": "saved",
                "already": already,
                "url": session.get_absolute_url(),
                "version": session.version,
            }
        )
    return redirect(session.get_absolute_url())


def _closed_page(request, session, status=200):
    return render(request, "sessions/log.html", {"session": session, "closed": True}, status=status)


def _already_saved(request, session, action):
    """The phone re-sent a form that was already carried out: answer as the first time."""
    if action in SAVE_ACTIONS:
        return _saved(request, session, submit=action == "submit", already=True)
    messages.info(request, _("This log was already saved; it was not saved twice."))
    return redirect(session.get_absolute_url())


def _closed(request, session):
    """The page of a log that cannot change now; a post to it saves nothing."""
    if request.method != "POST":
        return _closed_page(request, session)
    if session.log_is_locked:
        message = _("This log is confirmed and locked; your changes were not saved.")
    else:
        message = _("A postponed or cancelled session has no log; nothing was saved.")
    if _is_sync(request):
        return JsonResponse({"outcome": "closed", "message": message}, status=403)
    messages.error(request, message)
    return _closed_page(request, session, status=403)


def _page(request, session, forms: dict, *, action="", files=None, found=(), conflict=None):
    context = {
        "conflict": conflict,
        "session": session,
        # The script puts the chosen photos back itself (it keeps them in the browser).
        "photos_to_choose_again": bool(files) and not _is_sync(request),
        "reshown": request.method == "POST",
        "action": action,
        "searched": action == "find",
        "found": list(found),
        "is_future": session.date > timezone.localdate(),
        "field_errors": _has_field_errors(forms),
        # The script makes photos this small on the phone before sending them.
        "photo_max_side": settings.PHOTO_MAX_SIDE,
        **forms,
    }
    if _is_sync(request):
        # Refused: the script swaps the form's body for this one, errors or versions marked.
        return JsonResponse(
            {
                "outcome": "stale" if conflict else "invalid",
                "form_html": render_to_string(
                    "sessions/includes/log_form_body.html", context, request
                ),
            }
        )
    return render(request, "sessions/log.html", context)


def _posted(request, session, action):
    """A post: save it (draft or submit), or show it again with people found, a row or a
    photo slot added."""
    data, files = request.POST, request.FILES
    listed_ids = [pk for pk in data.getlist("listed") if _is_number(pk)]
    log = selectors.log_data(session, listed_ids=listed_ids)
    found = []
    if action == "find":
        # No name holds a NUL byte, and PostgreSQL refuses one in a query.
        query = data.get("search", "")[:120].replace("\x00", "")
        found = selectors.find_members(session, query, exclude=[m.pk for m in log.members])
        log.members += found
    elif action == "add_output":
        data = _one_more(data, "outputs")
    elif action == "add_opinion":
        data = _one_more(data, "opinions")
    elif action == "add_photo":
        data = _one_more(data, "photos")
    data = _with_default_workdays(data, log)
    forms = _build_forms(session, log, data, files, found_ids={m.pk for m in found})
    conflict = None
    if action not in SAVE_ACTIONS:
        _hold_judgement(forms)
    else:
        saved, conflict = _save(request, session, log, forms, submit=action == "submit")
        if saved is not None:
            return _saved(request, saved, submit=action == "submit")
    return _page(
        request, session, forms, action=action, files=files, found=found, conflict=conflict
    )


@_login_required_or_401
@require_http_methods(["GET", "POST"])
def session_log(request, pk):
    session = permissions.get_session_for_log_or_404(request.user, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and tokens.form_already_done(posted_token(request), session):
        return _already_saved(request, session, action)
    if not session.can_be_logged:
        return _closed(request, session)
    if request.method == "POST":
        return _posted(request, session, action)
    return _page(request, session, _build_forms(session, selectors.log_data(session)))


@login_required
@require_http_methods(["GET"])
def session_log_people(request, pk):
    """The rows of people found by name, for the script that adds them to the log form in
    place (the page without it posts "find" instead). ``listed`` are the people the form shows
    already; the rows come from the same template as the page's."""
    session = permissions.get_session_for_log_or_404(request.user, pk)
    query = request.GET.get("search", "")[:120].replace("\x00", "")
    listed = [pk for pk in request.GET.getlist("listed") if _is_number(pk)]
    found = selectors.find_members(session, query, exclude=listed) if session.can_be_logged else []
    attendance = AttendanceForm(members=found, workdays={}, found_ids={m.pk for m in found})
    return render(
        request,
        "sessions/includes/log_people_found.html",
        {
            "session": session,
            "attendance_form": attendance,
            "query": query,
            "found": found,
        },
    )

"""Writing a session's log — who came, what was done, photos — and its sign-off.

The secretary saves a draft or submits; an officer confirms or returns it; a confirmed log is
locked until an officer reopens it with a reason. Every write is one transaction that checks
the version the form was opened on (no lost updates), skips a form already carried out (phones
re-send), and records a history entry listing old → new values; submitting, returning and
confirming also queue a notice (to the reviewing officers, or to the secretary) in the same
transaction (``programs.notifications.events``).
"""

import datetime
import functools
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.models import (
    Attendance,
    Household,
    LabourSession,
    Member,
    Photo,
    SessionChange,
    WorkOutput,
    WorkType,
)
from programs.photos import ProcessedPhoto
from programs.services._history import StaleEditError, session_write
from programs.services.opinions import OpinionInput, apply_opinions
from programs.services.tokens import FormAlreadyDone
from programs.text import vn_date, vn_number, vnd

__all__ = [
    "LogInput",
    "OpinionInput",
    "OutputInput",
    "PhotoInput",
    "StaleEditError",
    "session_log_confirm",
    "session_log_reopen",
    "session_log_return",
    "session_log_save",
]


@dataclass
class OutputInput:
    """One row of work done, as the form cleaned it. ``id`` is None for a new row."""

    work_type: WorkType
    quantity: Decimal
    unit: str
    description: str = ""
    household: Household | None = None
    new_household_name: str = ""
    new_household_status: str = Household.Status.ORDINARY
    value_vnd: int | None = None
    funding_source: str = ""
    id: int | None = None


@dataclass
class PhotoInput:
    processed: ProcessedPhoto
    caption: str = ""
    keep_location: bool = False


@dataclass
class LogInput:
    attendance: dict[int, Decimal] = field(default_factory=dict)
    unlisted_commune_cadres: int = 0
    unlisted_armed_forces: int = 0
    unlisted_villagers: int = 0
    notes: str = ""
    outputs: list[OutputInput] = field(default_factory=list)
    new_photos: list[PhotoInput] = field(default_factory=list)
    photo_captions: dict[int, str] = field(default_factory=dict)
    photo_deletes: set[int] = field(default_factory=set)
    # None: the form sent no opinion rows (see views.logbook), the stored ones stay.
    opinions: list[OpinionInput] | None = field(default_factory=list)


def _check_loggable(session: LabourSession, *, submit: bool, today: datetime.date):
    if session.log_is_locked:
        raise ValidationError(
            _("This log is confirmed and locked. An officer must reopen it before it changes."),
            code="locked",
        )
    if session.status not in (LabourSession.Status.PLANNED, LabourSession.Status.HELD):
        raise ValidationError(
            _("A postponed or cancelled session has no log."), code="not_loggable"
        )
    if submit and session.date > today:
        raise ValidationError(
            _(
                "This session is on %(date)s, in the future: it cannot be logged as held yet. "
                "Save a draft instead."
            )
            % {"date": vn_date(session.date)},
            code="future",
        )


def _apply_attendance(session, wanted: dict[int, Decimal]) -> tuple[list[str], list[str]]:
    existing = {a.member_id: a for a in session.attendances.select_related("member")}
    members = {m.pk: m for m in Member.objects.filter(pk__in=set(wanted) - set(existing))}
    unknown = set(wanted) - set(existing) - set(members)
    if unknown:
        raise ValidationError(_("A person in the list no longer exists; reload the page."))
    old, new = [], []
    for member_id, row in existing.items():
        if member_id not in wanted:
            old.append(f"{row.member} ({vn_number(row.workdays)})")
            row.delete()
        elif row.workdays != wanted[member_id]:
            old.append(f"{row.member} ({vn_number(row.workdays)})")
            row.workdays = wanted[member_id]
            row.full_clean(exclude=["session", "member"])
            row.save(update_fields=["workdays"])
            new.append(f"{row.member} ({vn_number(row.workdays)})")
    created = []
    for member_id, member in members.items():
        row = Attendance(session=session, member=member, workdays=wanted[member_id])
        row.copy_from_member()
        row.full_clean(exclude=["session"])
        created.append(row)
        new.append(f"{member} ({vn_number(row.workdays)})")
    Attendance.objects.bulk_create(created)
    return old, new


def _output_label(output: WorkOutput) -> str:
    """Every field of a row of work done, as people read it, so any change shows as old → new.

    "Canals: 40 m · Precast canal · household: Quan Văn Thính · value: 1.500.000 đ (Cadres'
    contributions)", in the user's language; empty fields are left out.
    """
    parts = [f"{output.work_type}: {vn_number(output.quantity)} {output.get_unit_display()}"]
    if output.description:
        parts.append(output.description)
    if output.household_id:
        parts.append(_("household: %(name)s") % {"name": output.household})
    if output.value_vnd is not None:
        value = _("value: %(amount)s") % {"amount": vnd(output.value_vnd)}
        if output.funding_source:
            value += f" ({output.get_funding_source_display()})"
        parts.append(value)
    elif output.funding_source:
        parts.append(_("funding: %(source)s") % {"source": output.get_funding_source_display()})
    return " · ".join(parts)


def _apply_outputs(session, rows: list[OutputInput]) -> tuple[list[str], list[str]]:
    existing = {o.pk: o for o in session.outputs.select_related("work_type", "household")}
    kept = {row.id for row in rows if row.id is not None}
    if kept - set(existing):
        raise ValidationError(_("A row of work done no longer exists; reload the page."))
    # Every field the history shows; compared by value, not by label (two households may
    # share a head's name).
    fields = [
        "work_type_id",
        "description",
        "quantity",
        "unit",
        "household_id",
        "value_vnd",
        "funding_source",
    ]
    old, new = [], []
    for pk, output in existing.items():
        if pk not in kept:
            old.append(_output_label(output))
            output.delete()
    for row in rows:
        household = row.household
        if household is None and row.new_household_name.strip():
            household = Household(
                village=session.village,
                head_name=row.new_household_name.strip(),
                status=row.new_household_status,
            )
            household.full_clean()
            household.save()
        output = existing.get(row.id) if row.id is not None else WorkOutput(session=session)
        before = _output_label(output) if row.id is not None else None
        before_values = [getattr(output, name) for name in fields]
        output.work_type = row.work_type
        output.description = row.description
        output.quantity = row.quantity
        output.unit = row.unit or row.work_type.default_unit
        output.household = household
        output.value_vnd = row.value_vnd
        output.funding_source = row.funding_source if row.value_vnd is not None else ""
        output.session = session
        output.full_clean()
        if output.pk is None or before_values != [getattr(output, name) for name in fields]:
            output.save()
            if before:
                old.append(before)
            new.append(_output_label(output))
    return old, new


def _apply_photos(session, user, data: LogInput, saved_files: list) -> tuple[list[str], list[str]]:
    old, new = [], []
    photos = {p.pk: p for p in session.photos.all()}
    if (data.photo_deletes | set(data.photo_captions)) - set(photos):
        raise ValidationError(_("A photo no longer exists; reload the page."))
    for pk in data.photo_deletes:
        photo = photos.pop(pk)
        old.append(photo.caption or _("photo without caption"))
        files = [name for name in (photo.image.name, photo.thumbnail.name) if name]
        photo.delete()
        # The files go only once the deletion is committed; a rollback keeps them.
        transaction.on_commit(functools.partial(_delete_files, files))
    for pk, caption in data.photo_captions.items():
        photo = photos.get(pk)
        if photo and photo.caption != caption:
            old.append(photo.caption or "—")
            new.append(caption or "—")
            photo.caption = caption
            photo.save(update_fields=["caption", "updated_at"])
    for item in data.new_photos:
        photo = Photo(
            session=session,
            caption=item.caption,
            taken_on=item.processed.taken_on,
            keeps_location=item.keep_location,
            uploaded_by=user,
        )
        photo.image.save(item.processed.image.name, item.processed.image, save=False)
        saved_files.append(photo.image.name)
        photo.thumbnail.save(item.processed.thumbnail.name, item.processed.thumbnail, save=False)
        saved_files.append(photo.thumbnail.name)
        photo.save()
        new.append(item.caption or _("photo without caption"))
    return old, new


# The counts of people who came without being listed by name.
UNLISTED_COUNTS = ("unlisted_commune_cadres", "unlisted_armed_forces", "unlisted_villagers")


def _apply_log(current, user, data: LogInput, saved_files: list) -> dict[str, list[str]]:
    """Write the log's rows and set its counts and notes on ``current``; return the changes
    (old → new) for the history."""
    changes: dict[str, list[str]] = {}
    sections = {
        "attendances": _apply_attendance(current, data.attendance),
        "outputs": _apply_outputs(current, data.outputs),
        "opinions": apply_opinions(current, data.opinions)
        if data.opinions is not None
        else ([], []),
        "photos": _apply_photos(current, user, data, saved_files),
    }
    for key, (old, new) in sections.items():
        if old or new:
            changes[key] = ["; ".join(old), "; ".join(new)]
    for name in UNLISTED_COUNTS:
        value = getattr(data, name)
        if getattr(current, name) != value:
            changes[name] = [str(getattr(current, name)), str(value)]
            setattr(current, name, value)
    if current.notes != data.notes:
        changes["notes"] = [current.notes, data.notes]
        current.notes = data.notes
    return changes


def _set_log_status(current, user, changes: dict, *, submit: bool) -> str:
    """Mark the log submitted (the session held) or saved as a draft; return the action."""
    if not submit:
        if current.log_status != LabourSession.LogStatus.RETURNED:
            current.log_status = LabourSession.LogStatus.DRAFT
        return SessionChange.Action.LOG_SAVED
    if current.status != LabourSession.Status.HELD:
        changes["status"] = [current.get_status_display(), str(LabourSession.Status.HELD.label)]
    current.status = LabourSession.Status.HELD
    current.log_status = LabourSession.LogStatus.SUBMITTED
    current.log_submitted_at = timezone.now()
    current.log_submitted_by = user
    return SessionChange.Action.LOG_SUBMITTED


def session_log_save(
    *,
    session: LabourSession,
    user,
    version: int,
    data: LogInput,
    submit: bool = False,
    token: uuid.UUID | None = None,
    today: datetime.date | None = None,
) -> LabourSession:
    """Save the log of ``session`` as a draft, or submit it for confirmation.

    Side effects: attendance, outputs, villagers' opinions, photos and new households written;
    with ``submit`` the session becomes held and its log "waiting for confirmation"; version + 1;
    one history entry.
    Raises StaleEditError when someone saved since ``version`` (nothing written), and
    ValidationError for bad data or a locked log (nothing written). A ``token`` already carried
    out returns the session unchanged.
    """
    today = today or timezone.localdate()
    saved_files: list[str] = []
    try:
        with session_write(session, version, user=user, token=token) as write:
            current = write.session
            _check_loggable(current, submit=submit, today=today)
            changes = _apply_log(current, user, data, saved_files)
            action = _set_log_status(current, user, changes, submit=submit)
            write.save(action, changes)
    except FormAlreadyDone:
        # The token is claimed before any photo is stored: there are no files to remove.
        return LabourSession.objects.get(pk=session.pk)
    except IntegrityError as error:
        _delete_files(saved_files)
        raise ValidationError(
            _("The log could not be saved: %(error)s") % {"error": error}
        ) from error
    except BaseException:
        _delete_files(saved_files)
        raise
    return current


def _delete_files(names):
    storage = Photo._meta.get_field("image").storage
    for name in names:
        storage.delete(name)


# --- The officer's sign-off: confirm, return, reopen ------------------------------------------


@dataclass(frozen=True)
class _Review:
    """One step of the sign-off: the log states it applies to, the state it leads to, the
    history action, and the message when the required reason is missing (None: no reason)."""

    expected: frozenset
    new_status: str
    action: str
    reason_missing: tuple[str, str] | None = None  # (the argument's name, the message)


_CONFIRM = _Review(
    frozenset({LabourSession.LogStatus.SUBMITTED}),
    LabourSession.LogStatus.CONFIRMED,
    SessionChange.Action.LOG_CONFIRMED,
)
_RETURN = _Review(
    frozenset({LabourSession.LogStatus.SUBMITTED}),
    LabourSession.LogStatus.RETURNED,
    SessionChange.Action.LOG_RETURNED,
    ("comment", gettext_lazy("Say what needs correcting.")),
)
_REOPEN = _Review(
    frozenset({LabourSession.LogStatus.CONFIRMED}),
    LabourSession.LogStatus.RETURNED,
    SessionChange.Action.LOG_REOPENED,
    ("reason", gettext_lazy("Give the reason for reopening.")),
)


def _set_review(current, user, review: _Review, reason: str) -> None:
    current.log_status = review.new_status
    if review.new_status == LabourSession.LogStatus.CONFIRMED:
        current.log_confirmed_at = timezone.now()
        current.log_confirmed_by = user
        current.review_comment = ""
    else:
        current.log_confirmed_at = None
        current.log_confirmed_by = None
        current.review_comment = reason


def _review(review: _Review, *, session, user, version, reason="", token=None):
    reason = reason.strip()
    if review.reason_missing and not reason:
        name, message = review.reason_missing
        raise ValidationError({name: str(message)})
    try:
        with session_write(session, version, user=user, token=token) as write:
            current = write.session
            if current.log_status not in review.expected:
                raise ValidationError(
                    _("The log is no longer in a state that allows this."), code="state"
                )
            before = current.get_log_status_display()
            _set_review(current, user, review, reason)
            changes = {"log_status": [before, current.get_log_status_display()]}
            write.save(review.action, changes, reason)
    except FormAlreadyDone:
        return LabourSession.objects.get(pk=session.pk)
    return current


def session_log_confirm(*, session, user, version, token=None) -> LabourSession:
    """Confirm a submitted log: it counts in reports and is locked."""
    return _review(_CONFIRM, session=session, user=user, version=version, token=token)


def session_log_return(*, session, user, version, comment, token=None) -> LabourSession:
    """Send a submitted log back to the secretary with the officer's comment."""
    return _review(
        _RETURN, session=session, user=user, version=version, reason=comment, token=token
    )


def session_log_reopen(*, session, user, version, reason, token=None) -> LabourSession:
    """Unlock a confirmed log so it can be corrected; it must be submitted and confirmed again."""
    return _review(_REOPEN, session=session, user=user, version=version, reason=reason, token=token)

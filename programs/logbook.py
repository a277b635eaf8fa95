"""Writing a session's log — who came, what was done, photos — and its sign-off.

The secretary saves a draft or submits; an officer confirms or returns it; a confirmed log is
locked until an officer reopens it with a reason. Every write is one transaction that checks
the version the form was opened on (no lost updates), skips a form already carried out (phones
re-send), and records a history entry listing old → new values.
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
from programs.services import (
    FormAlreadyDone,
    StaleEditError,
    lock_session,
    record_change,
)
from programs.text import vn_date, vn_number, vnd


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

    Side effects: attendance, outputs, photos and new households written; with ``submit`` the
    session becomes held and its log "waiting for confirmation"; version + 1; one history entry.
    Raises StaleEditError when someone saved since ``version`` (nothing written), and
    ValidationError for bad data or a locked log (nothing written). A ``token`` already carried
    out returns the session unchanged.
    """
    today = today or timezone.localdate()
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            current = lock_session(session, version, token=token, user=user)
            _check_loggable(current, submit=submit, today=today)
            changes: dict[str, list[str]] = {}
            sections = {
                "attendances": _apply_attendance(current, data.attendance),
                "outputs": _apply_outputs(current, data.outputs),
                "photos": _apply_photos(current, user, data, saved_files),
            }
            for key, (old, new) in sections.items():
                if old or new:
                    changes[key] = ["; ".join(old), "; ".join(new)]
            for name in ("unlisted_commune_cadres", "unlisted_armed_forces", "unlisted_villagers"):
                value = getattr(data, name)
                if getattr(current, name) != value:
                    changes[name] = [str(getattr(current, name)), str(value)]
                    setattr(current, name, value)
            if current.notes != data.notes:
                changes["notes"] = [current.notes, data.notes]
                current.notes = data.notes
            if submit:
                action = SessionChange.Action.LOG_SUBMITTED
                if current.status != LabourSession.Status.HELD:
                    changes["status"] = [
                        current.get_status_display(),
                        str(LabourSession.Status.HELD.label),
                    ]
                current.status = LabourSession.Status.HELD
                current.log_status = LabourSession.LogStatus.SUBMITTED
                current.log_submitted_at = timezone.now()
                current.log_submitted_by = user
            else:
                action = SessionChange.Action.LOG_SAVED
                if current.log_status != LabourSession.LogStatus.RETURNED:
                    current.log_status = LabourSession.LogStatus.DRAFT
            current.version += 1
            current.full_clean()
            current.save()
            record_change(current, user, action, changes)
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


def _review(session, user, version, *, expected, new_status, action, reason="", token=None):
    try:
        with transaction.atomic():
            current = lock_session(session, version, token=token, user=user)
            if current.log_status not in expected:
                raise ValidationError(
                    _("The log is no longer in a state that allows this."), code="state"
                )
            before = current.get_log_status_display()
            current.log_status = new_status
            if new_status == LabourSession.LogStatus.CONFIRMED:
                current.log_confirmed_at = timezone.now()
                current.log_confirmed_by = user
                current.review_comment = ""
            else:
                current.log_confirmed_at = None
                current.log_confirmed_by = None
            if new_status == LabourSession.LogStatus.RETURNED:
                current.review_comment = reason
            current.version += 1
            current.full_clean()
            current.save()
            record_change(
                current,
                user,
                action,
                {"log_status": [before, current.get_log_status_display()]},
                reason,
            )
    except FormAlreadyDone:
        return LabourSession.objects.get(pk=session.pk)
    return current


def session_log_confirm(*, session, user, version, token=None) -> LabourSession:
    """Confirm a submitted log: it counts in reports and is locked."""
    return _review(
        session,
        user,
        version,
        expected={LabourSession.LogStatus.SUBMITTED},
        new_status=LabourSession.LogStatus.CONFIRMED,
        action=SessionChange.Action.LOG_CONFIRMED,
        token=token,
    )


def session_log_return(*, session, user, version, comment, token=None) -> LabourSession:
    """Send a submitted log back to the secretary with the officer's comment."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what needs correcting.")})
    return _review(
        session,
        user,
        version,
        expected={LabourSession.LogStatus.SUBMITTED},
        new_status=LabourSession.LogStatus.RETURNED,
        action=SessionChange.Action.LOG_RETURNED,
        reason=comment,
        token=token,
    )


def session_log_reopen(*, session, user, version, reason, token=None) -> LabourSession:
    """Unlock a confirmed log so it can be corrected; it must be submitted and confirmed again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    return _review(
        session,
        user,
        version,
        expected={LabourSession.LogStatus.CONFIRMED},
        new_status=LabourSession.LogStatus.RETURNED,
        action=SessionChange.Action.LOG_REOPENED,
        reason=reason,
        token=token,
    )


__all__ = [
    "LogInput",
    "OutputInput",
    "PhotoInput",
    "StaleEditError",
    "session_log_confirm",
    "session_log_reopen",
    "session_log_return",
    "session_log_save",
]

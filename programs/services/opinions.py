"""Villagers' opinions: written with the session's log, then followed up on their own.

The log (``services.logbook``) writes a session's opinions with everything else it holds, in
its transaction and history entry (``apply_opinions``). Once the log is confirmed, the log is
locked, but an opinion's follow-up goes on for months: ``opinion_follow_up`` changes only its
status, resolver and resolution date, under the session's row lock, checking the opinion's own
version, and records one history entry on the session.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programs.models import LabourSession, OpinionStatus, SessionChange, Village, VillagerOpinion
from programs.services._history import StaleEditError, record_change
from programs.services.tokens import FormAlreadyDone, claim_session_form
from programs.text import vn_date

__all__ = [
    "OpinionInput",
    "StaleEditError",
    "apply_opinions",
    "opinion_follow_up",
    "opinion_label",
    "opinions_follow_session_date",
]


@dataclass
class OpinionInput:
    """One opinion row of the log form, as cleaned. ``id`` is None for a new row."""

    text: str
    field: str
    village: Village
    status: str = OpinionStatus.RECEIVED
    resolver: str = ""
    resolved_on: datetime.date | None = None
    id: int | None = None


def opinion_label(opinion: VillagerOpinion) -> str:
    """An opinion as the history shows it, every field, so any change reads old → new:
    "[Irrigation] Repair the canal at Nà Coóc · forwarded · UBND xã Bình An"."""
    parts = [f"[{opinion.get_field_display()}] {opinion.text}", opinion.get_status_display()]
    if (
        opinion.village_id
        and opinion.session_id
        and opinion.village_id != opinion.session.village_id
    ):
        parts.append(str(opinion.village))
    if opinion.resolver:
        parts.append(opinion.resolver)
    if opinion.resolved_on:
        parts.append(vn_date(opinion.resolved_on))
    return " · ".join(parts)


# The fields a log row sets, compared by value to tell a changed row from a kept one.
_ROW_FIELDS = ("text", "field", "village_id", "status", "resolver", "resolved_on")


def apply_opinions(session: LabourSession, rows: list[OpinionInput]) -> tuple[list[str], list[str]]:
    """Make the session's opinions those of ``rows`` (rows not given are deleted); return the
    old and new labels of what changed, for the log's history entry. Runs inside the log's
    transaction, under its row lock. An opinion changed gets version + 1, so a follow-up form
    opened before is refused rather than overwriting it."""
    existing = {o.pk: o for o in session.opinions.select_related("village")}
    kept = {row.id for row in rows if row.id is not None}
    if kept - set(existing):
        raise ValidationError(_("An opinion in the form no longer exists; reload the page."))
    old, new = [], []
    for pk, opinion in existing.items():
        if pk not in kept:
            old.append(opinion_label(opinion))
            opinion.delete()
    for row in rows:
        opinion = existing.get(row.id) if row.id is not None else VillagerOpinion(session=session)
        before_values = [getattr(opinion, name) for name in _ROW_FIELDS]
        before = opinion_label(opinion) if row.id is not None else None
        opinion.text = row.text
        opinion.field = row.field
        opinion.village = row.village
        opinion.status = row.status
        opinion.resolver = row.resolver
        opinion.resolved_on = row.resolved_on if row.status == OpinionStatus.RESOLVED else None
        opinion.heard_on = session.date
        opinion.full_clean(exclude=["session"])
        changed = before_values != [getattr(opinion, name) for name in _ROW_FIELDS]
        if opinion.pk is None or changed:
            if opinion.pk is not None:
                # A follow-up form opened before this change carries the old version: refused.
                opinion.version += 1
            opinion.save()
            if before:
                old.append(before)
            new.append(opinion_label(opinion))
        elif opinion.heard_on != session.date:
            opinion.save(update_fields=["heard_on", "updated_at"])
    return old, new


def opinions_follow_session_date(session: LabourSession) -> None:
    """After a session's date changed: its opinions were heard on the new date. Refused when
    one was resolved before it (the constraint would refuse it too, less politely)."""
    if session.opinions.filter(resolved_on__lt=session.date).exists():
        raise ValidationError(
            _("An opinion heard at this session was resolved before %(date)s.")
            % {"date": vn_date(session.date)}
        )
    session.opinions.exclude(heard_on=session.date).update(heard_on=session.date)


def _check_followable(session: LabourSession) -> None:
    if not session.log_is_locked:
        raise ValidationError(
            _("The log of this session is not confirmed yet: change the opinion in the log form."),
            code="not_confirmed",
        )


def opinion_follow_up(
    *,
    opinion: VillagerOpinion,
    user,
    version: int,
    status: str,
    resolver: str = "",
    resolved_on: datetime.date | None = None,
    token=None,
) -> VillagerOpinion:
    """Change a confirmed log's opinion's status, resolver and resolution date.

    Side effects: the opinion saved with version + 1; one "opinion followed up" history entry
    on its session (old → new). Raises StaleEditError when the opinion changed since
    ``version`` (nothing written), ValidationError for bad data or a log that is not
    confirmed. A ``token`` already carried out returns the opinion unchanged.
    """
    try:
        with transaction.atomic():
            # The session's lock first, as every log write takes it: a reopen and its new
            # save cannot interleave with this follow-up.
            session = LabourSession.objects.select_for_update().get(pk=opinion.session_id)
            claim_session_form(token, user=user, session=session)
            current = (
                VillagerOpinion.objects.select_for_update()
                .select_related("village", "session")
                .get(pk=opinion.pk)
            )
            if current.version != version:
                raise StaleEditError(current)
            _check_followable(session)
            before = opinion_label(current)
            current.status = status
            current.resolver = resolver.strip()
            current.resolved_on = resolved_on if status == OpinionStatus.RESOLVED else None
            current.full_clean()
            after = opinion_label(current)
            if after == before:
                return current
            current.version += 1
            current.save()
            record_change(
                session,
                user,
                SessionChange.Action.OPINION_FOLLOWED_UP,
                {"opinions": [before, after]},
            )
    except FormAlreadyDone:
        return VillagerOpinion.objects.get(pk=opinion.pk)
    except IntegrityError as error:
        raise ValidationError(
            _("The opinion could not be saved: %(error)s") % {"error": error}
        ) from error
    return current

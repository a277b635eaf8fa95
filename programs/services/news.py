"""Saving a session's news item and turning its public share card on and off.

Each write is one transaction under the session's row lock (two first saves of one session
queue instead of both creating a draft), claims the form's one-time token before the version
check (a re-sent form is carried out once) and refuses a stale version (no lost update).
"""

import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from programs.models import LabourSession, NewsDraft
from programs.services._history import StaleEditError
from programs.services.tokens import claim_session_form
from programs.text import nfc

__all__ = [
    "NewsInput",
    "StaleEditError",
    "news_draft_save",
    "news_share_publish",
    "news_share_revoke",
]


@dataclass
class NewsInput:
    headline: str
    lead: str
    body: str
    language: str = NewsDraft.Language.VIETNAMESE
    session_ids: list[int] = field(default_factory=list)
    photo_ids: list[int] = field(default_factory=list)


def _locked_draft(session: LabourSession, version: int, *, token, user) -> NewsDraft | None:
    """Lock the session's row, claim the form's token, then check ``version`` against the
    draft's (0 while there is none). Raises FormAlreadyDone or StaleEditError."""
    LabourSession.objects.select_for_update().only("pk").get(pk=session.pk)
    claim_session_form(token, user=user, session=session)
    draft = NewsDraft.objects.select_for_update().filter(session=session).first()
    if (draft.version if draft else 0) != version:
        raise StaleEditError(draft)
    return draft


def news_draft_save(
    *, session, user, version: int, data: NewsInput, token=None, may_publish: bool = True
) -> NewsDraft:
    """Keep the edited news item of ``session``.

    Side effects: creates or updates the session's ``NewsDraft`` (text, language, author and
    time, the sessions it covers — the session itself always among them — and the chosen
    photos), bumps its version, and records the form's one-time token. When the user may not
    publish (``may_publish`` false) and the card is public, withdraws the card (clears its
    share address, time and author) so that nobody but an officer puts text on a public card;
    the returned draft's ``card_withdrawn`` says so. Raises FormAlreadyDone for a re-sent form
    and StaleEditError when someone saved since ``version``.
    """
    with transaction.atomic():
        draft = _locked_draft(session, version, token=token, user=user)
        draft = draft or NewsDraft(session=session, version=0)
        draft.headline = nfc(data.headline.strip())
        draft.lead = nfc(data.lead.strip())
        draft.body = nfc(data.body.strip())
        draft.language = data.language
        draft.edited_by = user
        draft.edited_at = timezone.now()
        draft.card_withdrawn = bool(draft.share_token) and not may_publish
        if draft.card_withdrawn:
            draft.share_token = None
            draft.published_at = None
            draft.published_by = None
        draft.version += 1
        draft.full_clean(exclude=["session"])
        draft.save()
        draft.sessions.set({session.pk, *data.session_ids})
        draft.photos.set(data.photo_ids)
    return draft


def news_share_publish(*, session, user, version: int, token=None) -> NewsDraft:
    """Turn the public share card of the session's saved news item on.

    Side effects: gives the draft a new random share address (kept when it is already on),
    records who published it and when, bumps the version, records the form's token. Raises
    NewsDraft.DoesNotExist when nothing was saved yet.
    """
    with transaction.atomic():
        draft = _locked_draft(session, version, token=token, user=user)
        if draft is None:
            raise NewsDraft.DoesNotExist
        if not draft.share_token:
            draft.share_token = secrets.token_urlsafe(24)
            draft.published_at = timezone.now()
            draft.published_by = user
        draft.version += 1
        draft.save()
    return draft


def news_share_revoke(*, session, user, version: int, token=None) -> NewsDraft:
    """Turn the public share card off for good.

    Side effects: clears the share address (the old link answers 404 from now on; a later
    publication draws a new one), clears the publication's time and author, bumps the
    version, records the form's token.
    """
    with transaction.atomic():
        draft = _locked_draft(session, version, token=token, user=user)
        if draft is None:
            raise NewsDraft.DoesNotExist
        draft.share_token = None
        draft.published_at = None
        draft.published_by = None
        draft.version += 1
        draft.save()
    return draft

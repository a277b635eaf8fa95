"""One-time form tokens: a form carried out once is never carried out twice.

Every form that changes something carries a one-time token (``forms.tokens.OneTimeTokenField``;
the view reads it with ``forms.tokens.posted_token``, which adds a digest of the content). The
service that carries the form out claims the token in its own transaction, before it checks the
version: a copy of the form sent again later, or at the same moment, then finds the token taken,
changes nothing and returns what the first copy returned, so the view answers both alike. On
PostgreSQL a copy arriving at the same moment waits on the unique token (or on the session's
row lock) until the first commits; on SQLite every transaction takes the write lock when it
begins (settings: transaction_mode IMMEDIATE), so the copies simply queue.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programs.models import FormSubmission, LabourSession


@dataclass(frozen=True)
class FormToken:
    """A form's one-time token and a digest of what was sent with it (forms.tokens.posted_token)."""

    value: uuid.UUID
    digest: str = ""

    def same_content(self, submission: FormSubmission) -> bool:
        # Without a digest on either side (a service called directly) the token decides alone.
        return not (self.digest and submission.digest) or self.digest == submission.digest


class FormAlreadyDone(Exception):
    """The form with this token was carried out before; ``submission`` says what it did."""

    def __init__(self, submission: FormSubmission):
        super().__init__("form already carried out")
        self.submission = submission


def _as_token(token) -> FormToken | None:
    """``token`` as a FormToken: it may already be one, or a bare UUID or its text."""
    if isinstance(token, FormToken) or not token:
        return token or None
    try:
        return FormToken(uuid.UUID(str(token)))
    except ValueError:
        return None


def form_submission(token) -> FormSubmission | None:
    """The earlier carrying-out of this very form (same token, same content), or None.

    A view asks before refusing a post for the state it finds (say, "only a planned session can
    be cancelled"), since that state may be the work of this very form's first copy.
    """
    token = _as_token(token)
    if token is None:
        return None
    submission = FormSubmission.objects.select_related("session").filter(token=token.value).first()
    return submission if submission is not None and token.same_content(submission) else None


def form_already_done(token, session: LabourSession | None = None) -> bool:
    """True when the form with this one-time token was already carried out (a re-send); with
    ``session``, only when it was carried out on that session."""
    submission = form_submission(token)
    if submission is None:
        return False
    return session is None or submission.session_id == session.pk


def token_used_elsewhere() -> ValidationError:
    """The error for a token that was used on another form: only a forged or hand-copied form
    sends one."""
    return ValidationError(
        _("This form was already sent once for something else. Reload the page and try again."),
        code="token_used",
    )


def claim_form(token, *, user, session=None) -> FormSubmission | None:
    """Record, in the caller's transaction, that the form with this token is being carried out.

    Raises FormAlreadyDone when an earlier copy with the same content took the token; the
    caller's transaction must then end without writing. Returns the new FormSubmission, whose
    ``session`` and ``result`` the caller may fill in before it commits; None for a form without
    a token, or one whose token was used for other content (a form changed after it was sent:
    carried out like any other post, its version check guarding against a lost update).
    """
    token = _as_token(token)
    if token is None:
        return None
    try:
        # A savepoint: on PostgreSQL a failed INSERT would otherwise spoil the transaction
        # before the earlier submission could be read.
        with transaction.atomic():
            return FormSubmission.objects.create(
                token=token.value, digest=token.digest, session=session, user=user
            )
    except IntegrityError:
        earlier = FormSubmission.objects.get(token=token.value)
    if token.same_content(earlier):
        raise FormAlreadyDone(earlier)
    return None


def claim_session_form(token, *, user, session: LabourSession) -> FormSubmission | None:
    """``claim_form`` for a form about ``session``; the caller holds the session's row lock. A token
    an earlier copy used on this session raises FormAlreadyDone, as ``claim_form`` does; one
    used on another session is refused (``token_used_elsewhere``): the same token cannot carry
    out forms about two sessions."""
    try:
        return claim_form(token, user=user, session=session)
    except FormAlreadyDone as done:
        if done.submission.session_id != session.pk:
            raise token_used_elsewhere() from None
        raise

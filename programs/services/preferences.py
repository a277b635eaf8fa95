"""The settings people keep: a user's calendar feed address and a committee's printed-report
header and signature."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programs.models import CalendarFeed, PartyCommittee, ReportSettings
from programs.services.tokens import FormAlreadyDone, claim_form


def calendar_feed_for(user) -> CalendarFeed:
    """The user's calendar feed, created with a fresh token on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user, token=None) -> CalendarFeed:
    """Give the user a new feed token; subscriptions to the old address stop working.

    A ``token`` already carried out changes nothing: the address that form made stays.
    """
    try:
        with transaction.atomic():
            claim_form(token, user=user)
            feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
            if feed is None:
                feed = calendar_feed_for(user)
            feed.reset()
            feed.save(update_fields=["token"])
    except FormAlreadyDone:
        return calendar_feed_for(user)
    return feed


def committee_row_save(model, *, committee: PartyCommittee, user, values: dict, token=None):
    """Create or update ``committee``'s one row of ``model`` (a committee's settings:
    ``ReportSettings``, ``NotificationRules``) from ``values``, under a row lock.

    Side effects: the row created or updated, ``updated_by`` set. A ``token`` already carried
    out changes nothing and returns the row as it is. Two officers saving a committee's first
    row at the same moment: the second gets a ``ValidationError`` for the form (the one-per-
    committee constraint refused it), never a 500.
    """
    try:
        with transaction.atomic():
            claim_form(token, user=user)
            row = model.objects.select_for_update().filter(committee=committee).first() or model(
                committee=committee
            )
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_by = user
            row.full_clean()
            row.save()
    except FormAlreadyDone:
        return model.objects.filter(committee=committee).first()
    except IntegrityError as error:
        raise ValidationError(
            _(
                "Someone saved these settings at the same moment; nothing was saved. "
                "Check them and save again."
            ),
            code="conflict",
        ) from error
    return row


def report_settings_save(
    *, committee: PartyCommittee, user, values: dict, token=None
) -> ReportSettings | None:
    """Save the header and signature of ``committee``'s printed reports (one row per committee;
    see ``committee_row_save``)."""
    return committee_row_save(
        ReportSettings, committee=committee, user=user, values=values, token=token
    )

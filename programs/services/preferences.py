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


def report_settings_save(
    *, committee: PartyCommittee, user, values: dict, token=None
) -> ReportSettings | None:
    """Save the header and signature of ``committee``'s printed reports (one row per committee).

    Side effects: the committee's ReportSettings created or updated, ``updated_by`` set. A
    ``token`` already carried out changes nothing and returns the settings as they are.
    """
    try:
        with transaction.atomic():
            claim_form(token, user=user)
            settings_obj = ReportSettings.objects.select_for_update().filter(
                committee=committee
            ).first() or ReportSettings(committee=committee)
            for name, value in values.items():
                setattr(settings_obj, name, value)
            settings_obj.updated_by = user
            settings_obj.full_clean()
            settings_obj.save()
    except FormAlreadyDone:
        return ReportSettings.objects.filter(committee=committee).first()
    except IntegrityError as error:
        # Another officer saved this committee's first settings at the same moment.
        raise ValidationError(
            _(
                "Someone saved these settings at the same moment; nothing was saved. "
                "Check them and save again."
            ),
            code="conflict",
        ) from error
    return settings_obj

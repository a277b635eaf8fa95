"""A news item drafted from confirmed logs, and its public share card."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import ChecksInOneQuery
from .sessions import LabourSession, Photo


class NewsDraft(ChecksInOneQuery, models.Model):
    """The edited news item of a session (its "anchor"), possibly covering several sessions of
    the same month and committee, with the photos chosen for it.

    The text is composed from the confirmed logs (``programs.reports.news``) and edited before
    use; what was saved is kept with its author and time. ``share_token`` is the public card's
    address: empty while the card is off; publishing draws a new random one and revoking clears
    it, so a revoked address never works again.
    """

    class Language(models.TextChoices):
        VIETNAMESE = "vi", _("Vietnamese")
        ENGLISH = "en", _("English")

    session = models.OneToOneField(
        LabourSession,
        on_delete=models.CASCADE,
        related_name="news_draft",
        verbose_name=_("labour session"),
    )
    sessions = models.ManyToManyField(
        LabourSession, related_name="+", verbose_name=_("sessions covered")
    )
    photos = models.ManyToManyField(
        Photo, blank=True, related_name="+", verbose_name=_("photos chosen")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.VIETNAMESE
    )
    headline = models.CharField(_("headline"), max_length=300)
    lead = models.TextField(_("lead"), max_length=2000)
    body = models.TextField(_("body"), max_length=20000)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("edited by"),
    )
    edited_at = models.DateTimeField(_("edited at"))
    # Bumped by every write; a form carries the version it was opened on (no lost updates).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    share_token = models.CharField(
        _("share address"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("news draft")
        verbose_name_plural = _("news drafts")
        constraints = [
            models.CheckConstraint(
                condition=Q(share_token__isnull=True) | Q(published_at__isnull=False),
                name="news_published_has_time",
            ),
            models.CheckConstraint(condition=~Q(headline=""), name="news_headline_not_empty"),
        ]

    def __str__(self):
        return self.headline

    @property
    def is_published(self) -> bool:
        return bool(self.share_token)

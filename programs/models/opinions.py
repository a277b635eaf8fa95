"""Villagers' opinions and requests heard at a session (ý kiến, kiến nghị của Nhân dân), and
how each was followed up: received, forwarded to whoever can settle it, resolved."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from programs.text import vn_date

from .base import ChecksInOneQuery, TimeStampedModel
from .geography import Village
from .sessions import LabourSession

OPINION_TEXT_MAX = 2000


class OpinionField(models.TextChoices):
    """What an opinion is about, in the fields a commune's reports group them by."""

    ROADS = "roads", _("rural roads and transport")
    IRRIGATION = "irrigation", _("irrigation")
    HOUSING = "housing", _("housing")
    ELECTRICITY = "electricity", _("electricity and lighting")
    WATER = "water", _("clean water")
    ENVIRONMENT = "environment", _("environment and sanitation")
    LAND = "land", _("land")
    PRODUCTION = "production", _("agricultural production and livelihoods")
    SOCIAL_POLICY = "social_policy", _("social policy")
    HEALTH_EDUCATION = "health_education", _("health, education and culture")
    SECURITY = "security", _("security and public order")
    OTHER = "other", _("other")


class OpinionStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    FORWARDED = "forwarded", _("forwarded")
    RESOLVED = "resolved", _("resolved")


class OpinionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=OpinionStatus.RESOLVED)

    def of_confirmed_logs(self):
        """Only a confirmed log counts (``reports.cadence``); drafts may still change."""
        return self.filter(
            session__status=LabourSession.Status.HELD,
            session__log_status=LabourSession.LogStatus.CONFIRMED,
        )


class VillagerOpinion(ChecksInOneQuery, TimeStampedModel):
    """One opinion or request villagers raised at a session, and how it was followed up.

    Written with the session's log (``services.logbook``); once the log is confirmed, its
    status, resolver and date change only through ``services.opinions`` (the follow-up), each
    with a history entry on the session.
    """

    session = models.ForeignKey(
        LabourSession,
        on_delete=models.CASCADE,
        related_name="opinions",
        verbose_name=_("labour session"),
    )
    # The session's date, copied so the database can refuse a resolution dated before the
    # opinion was heard (a check constraint cannot read another table). Kept equal to the
    # session's date by the services that write either.
    heard_on = models.DateField(_("heard on"))
    text = models.TextField(_("opinion or request"), max_length=OPINION_TEXT_MAX)
    field = models.CharField(_("field"), max_length=20, choices=OpinionField.choices)
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        related_name="opinions",
        verbose_name=_("village concerned"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OpinionStatus.choices, default=OpinionStatus.RECEIVED
    )
    resolver = models.CharField(
        _("resolved by"),
        max_length=200,
        blank=True,
        help_text=_("The body or person that settles it, for example UBND xã Bình An."),
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    # Bumped by every follow-up: a form opened on an older version is refused, not applied.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("villagers' opinion")
        verbose_name_plural = _("villagers' opinions")
        ordering = ["heard_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="opinion_text_not_empty",
                violation_error_message=_("Write the opinion or request."),
            ),
            models.CheckConstraint(
                condition=Q(field__in=OpinionField.values),
                name="opinion_field_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OpinionStatus.values),
                name="opinion_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=OpinionStatus.RESOLVED, resolved_on__isnull=False)
                | (~Q(status=OpinionStatus.RESOLVED) & Q(resolved_on__isnull=True)),
                name="opinion_resolved_has_date",
                violation_error_message=_(
                    "A resolved opinion needs the date it was resolved; others have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("heard_on")),
                name="opinion_resolved_after_heard",
                violation_error_message=_(
                    "An opinion cannot be resolved before the session it was heard at."
                ),
            ),
        ]
        indexes = [
            # /opinions/ lists the open ones; reports group a period's by field and status.
            models.Index(fields=["status", "heard_on"], name="opinion_status_heard_idx"),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    @property
    def is_resolved(self) -> bool:
        return self.status == OpinionStatus.RESOLVED

    def clean(self):
        super().clean()
        errors = {}
        if self.status == OpinionStatus.RESOLVED and self.resolved_on is None:
            errors["resolved_on"] = _("Give the date it was resolved.")
        elif self.status != OpinionStatus.RESOLVED and self.resolved_on is not None:
            errors["resolved_on"] = _("Only a resolved opinion has a resolution date.")
        elif self.resolved_on and self.heard_on and self.resolved_on < self.heard_on:
            errors["resolved_on"] = _(
                "It cannot be resolved before the session it was heard at (%(date)s)."
            ) % {"date": vn_date(self.heard_on)}
        if errors:
            raise ValidationError(errors)

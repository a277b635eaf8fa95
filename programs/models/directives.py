"""Guiding documents (schemes, plans, directives…) and the cadence they set."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .base import ChecksInOneQuery, FoldedNameModel, TimeStampedModel


class Weekday(models.IntegerChoices):
    """Python's ``date.weekday()`` numbering: Monday is 0."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


WEEKEND = (1 << Weekday.SATURDAY) | (1 << Weekday.SUNDAY)
ALL_WEEKDAYS = (1 << 7) - 1


def weekdays_to_mask(days) -> int:
    return sum(1 << int(day) for day in set(days))


def mask_to_weekdays(mask: int) -> list[int]:
    return [day for day in Weekday.values if mask & (1 << day)]


class Directive(ChecksInOneQuery, FoldedNameModel, TimeStampedModel):
    class Kind(models.TextChoices):
        SCHEME = "DA", _("scheme (Đề án)")
        PLAN = "KH", _("plan (Kế hoạch)")
        DIRECTIVE = "CT", _("directive (Chỉ thị)")
        RESOLUTION = "NQ", _("resolution (Nghị quyết)")
        GUIDANCE = "HD", _("guidance (Hướng dẫn)")
        DECISION = "QD", _("decision (Quyết định)")
        CONCLUSION = "KL", _("conclusion (Kết luận)")
        PROGRAMME = "CTr", _("programme (Chương trình)")

    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=20, help_text=_("For example: 02"))
    symbol = models.CharField(
        _("symbol"), max_length=40, help_text=_("The full sign, for example: 02-ĐA/TU")
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=200, help_text=_("For example: Ban Thường vụ Tỉnh ủy")
    )
    issued_on = models.DateField(_("issue date"))
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("implements"),
        help_text=_("The higher document this one implements."),
    )
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(
        _("effective until"), null=True, blank=True, help_text=_("Leave empty if open-ended.")
    )
    attachment = models.FileField(_("attached file"), upload_to="directives/%Y/", blank=True)
    sessions_per_month = models.PositiveSmallIntegerField(
        _("sessions per month"),
        default=1,
        help_text=_("How many labour sessions each cell holds in a month."),
    )
    allowed_weekdays = models.PositiveSmallIntegerField(
        _("allowed days of the week"),
        default=WEEKEND,
        help_text=_("The days of the week on which sessions may be held."),
    )

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_on", "symbol"]
        constraints = [
            models.UniqueConstraint(fields=["symbol", "issued_on"], name="directive_unique_symbol"),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=F("effective_from")),
                name="directive_effective_period",
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_month__gte=1, sessions_per_month__lte=8),
                name="directive_sessions_per_month_range",
            ),
            models.CheckConstraint(
                condition=Q(allowed_weekdays__gte=1, allowed_weekdays__lte=ALL_WEEKDAYS),
                name="directive_allowed_weekdays_not_empty",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="directive_not_own_parent"),
        ]

    def __str__(self):
        return f"{self.get_kind_short()} {self.symbol}"

    def folded_source(self) -> str:
        # "ke hoach 54" and "02-da/tu" both find their document.
        return f"{self.get_kind_short()} {self.symbol} {self.title}"

    def get_kind_short(self) -> str:
        return {
            self.Kind.SCHEME: "Đề án",
            self.Kind.PLAN: "Kế hoạch",
            self.Kind.DIRECTIVE: "Chỉ thị",
            self.Kind.RESOLUTION: "Nghị quyết",
            self.Kind.GUIDANCE: "Hướng dẫn",
            self.Kind.DECISION: "Quyết định",
            self.Kind.CONCLUSION: "Kết luận",
            self.Kind.PROGRAMME: "Chương trình",
        }[self.kind]

    @property
    def weekdays(self) -> list[int]:
        return mask_to_weekdays(self.allowed_weekdays)

    def allows_weekday(self, day: datetime.date) -> bool:
        return bool(self.allowed_weekdays & (1 << day.weekday()))

    def allowed_weekdays_display(self) -> str:
        return ", ".join(str(Weekday(day).label) for day in self.weekdays)

    def is_effective_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.effective_until and self.effective_until < self.effective_from:
            errors["effective_until"] = _("The end date must not be before the start date.")
        if not self.allowed_weekdays or not 1 <= self.allowed_weekdays <= ALL_WEEKDAYS:
            errors["allowed_weekdays"] = _("Choose at least one day of the week.")
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("A document cannot implement itself.")
        if errors:
            raise ValidationError(errors)

    def weekday_error(self) -> ValidationError:
        return ValidationError(
            format_lazy(
                _("{symbol} allows sessions only on: {days}."),
                symbol=self.symbol,
                days=self.allowed_weekdays_display(),
            ),
            code="weekday_not_allowed",
        )

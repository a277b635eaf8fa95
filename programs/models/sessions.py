"""Labour sessions and what they record: attendance, work outputs and photos."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, StepValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from programs.text import vn_date, vn_datetime

from .base import ChecksInOneQuery, TimeStampedModel
from .directives import Directive
from .geography import Household, Village
from .organisations import Member, PartyCell


class Unit(models.TextChoices):
    METRE = "m", _("m")
    KILOMETRE = "km", _("km")
    SQUARE_METRE = "m2", _("m²")
    CUBIC_METRE = "m3", _("m³")
    HECTARE = "ha", _("ha")
    HOUSE = "house", _("house")
    HOUSEHOLD = "household", _("household")
    WORKS = "works", _("works")
    TREE = "tree", _("tree")
    POLE = "pole", _("pole")
    WORKDAY = "workday", _("workday")
    SESSION = "session", _("session")
    PERSON = "person", _("person")
    OPINION = "opinion", _("opinion")
    GIFT = "gift", _("gift")
    VND = "vnd", _("VND")


class FundingSource(models.TextChoices):
    STATE = "state", _("State budget")
    CADRES = "cadres", _("Cadres' contributions")
    VILLAGERS = "villagers", _("Villagers' contributions")
    DONORS = "donors", _("Donors (socialisation)")


class SessionQuerySet(models.QuerySet):
    def planned(self):
        return self.filter(status=LabourSession.Status.PLANNED)

    def held(self):
        return self.filter(status=LabourSession.Status.HELD)

    def between(self, start: datetime.date, end: datetime.date):
        return self.filter(date__gte=start, date__lte=end)


class LabourSession(ChecksInOneQuery, TimeStampedModel):
    """One cell's labour session with the people of a village (buổi lao động)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        POSTPONED = "postponed", _("postponed")
        CANCELLED = "cancelled", _("cancelled")

    class LogStatus(models.TextChoices):
        """Where the session's log (who came, what was done) is in its sign-off."""

        NONE = "", _("not logged yet")
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("waiting for confirmation")
        RETURNED = "returned", _("returned for correction")
        CONFIRMED = "confirmed", _("confirmed")

    directive = models.ForeignKey(
        Directive, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("directive")
    )
    cell = models.ForeignKey(
        PartyCell,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("organising cell"),
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("village")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), default=datetime.time(7, 30))
    partner = models.CharField(
        _("partner"),
        max_length=200,
        blank=True,
        help_text=_("For example: the village cell, or Đảng ủy xã Bình An."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    status_reason = models.CharField(
        _("reason"),
        max_length=500,
        blank=True,
        help_text=_("Required when the session is postponed or cancelled."),
    )
    other_village_reason = models.CharField(
        _("reason for another village"),
        max_length=500,
        blank=True,
        help_text=_("Required when the village is not the one assigned to the cell."),
    )
    planned_work = models.TextField(_("planned work"), blank=True)
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Villagers' opinions and requests heard.")
    )
    unlisted_commune_cadres = models.PositiveIntegerField(
        _("commune cadres (not listed)"), default=0
    )
    unlisted_armed_forces = models.PositiveIntegerField(_("armed forces (not listed)"), default=0)
    unlisted_villagers = models.PositiveIntegerField(_("villagers"), default=0)
    rescheduled_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rescheduled_as",
        verbose_name=_("rescheduled from"),
        help_text=_("The postponed session this one replaces."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    log_status = models.CharField(
        _("log status"), max_length=10, choices=LogStatus.choices, default="", blank=True
    )
    log_submitted_at = models.DateTimeField(_("log submitted at"), null=True, blank=True)
    log_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("log submitted by"),
    )
    log_confirmed_at = models.DateTimeField(_("log confirmed at"), null=True, blank=True)
    log_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("log confirmed by"),
    )
    review_comment = models.TextField(
        _("officer's comment"),
        blank=True,
        help_text=_("Why the log was returned for correction."),
    )
    # Bumped by every write through the services; an edit form carries the version it was
    # rendered from, so a second, stale save is refused instead of overwriting the first.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("labour session")
        verbose_name_plural = _("labour sessions")
        ordering = ["-date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status__in=["postponed", "cancelled"]) & ~Q(status_reason="")
                    | Q(status__in=["planned", "held"], status_reason="")
                ),
                name="session_reason_matches_status",
                violation_error_message=_(
                    "A postponed or cancelled session needs a reason; other sessions keep none."
                ),
            ),
            models.UniqueConstraint(
                fields=["cell", "date"],
                condition=Q(status__in=["planned", "held"]),
                name="session_one_per_cell_per_day",
                violation_error_message=_(
                    "One session per cell per day: this cell already has a session on that date."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(log_status__in=["submitted", "confirmed"]) | Q(status="held"),
                name="session_submitted_log_is_held",
                violation_error_message=_(
                    "Only a session that was held can have a submitted or confirmed log."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(log_status="confirmed") | Q(log_confirmed_at__isnull=False),
                name="session_confirmed_log_has_time",
            ),
        ]
        indexes = [
            # Calendars, month lists and reports select a period's sessions by date.
            models.Index(fields=["date", "status"], name="session_date_status_idx"),
            # /reviews/: submitted logs, oldest first.
            models.Index(fields=["log_status", "log_submitted_at"], name="session_log_review_idx"),
        ]

    def __str__(self):
        return f"{self.cell} · {self.village} · {vn_date(self.date)}"

    def clean(self):
        super().clean()
        errors = {}
        if self.directive_id and self.date:
            if not self.directive.allows_weekday(self.date):
                errors["date"] = self.directive.weekday_error()
            elif not self.directive.is_effective_on(self.date):
                errors["date"] = ValidationError(
                    format_lazy(
                        _("{symbol} is in force only from {start} to {end}."),
                        symbol=self.directive.symbol,
                        start=vn_date(self.directive.effective_from),
                        end=(
                            vn_date(self.directive.effective_until)
                            if self.directive.effective_until
                            else "…"
                        ),
                    ),
                    code="directive_not_in_force",
                )
        # Without a date (a form's empty field, reported there) there is no assignment to read.
        if (
            self.date
            and not errors.get("date")
            and self.cell_id
            and self.village_id
            and self.directive_id
        ):
            assigned = self.assigned_village()
            if assigned != self.village and not self.other_village_reason.strip():
                errors["village"] = ValidationError(
                    _(
                        "%(cell)s is assigned to %(assigned)s under %(symbol)s. To hold the "
                        "session in another village, give the reason."
                    )
                    % {
                        "cell": self.cell,
                        "assigned": assigned or _("no village"),
                        "symbol": self.directive.symbol,
                    },
                    code="not_assigned_village",
                )
        if self.status in (self.Status.POSTPONED, self.Status.CANCELLED):
            if not self.status_reason.strip():
                errors["status_reason"] = _("Give the reason for postponing or cancelling.")
        elif self.status_reason:
            errors["status_reason"] = _(
                "A reason is only kept for postponed or cancelled sessions."
            )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("programs:session-detail", args=[self.pk])

    def assigned_village(self):
        """The village the cell is assigned to under the directive on the session's date."""
        from .organisations import Assignment

        assignment = (
            Assignment.objects.on(self.date)
            .filter(cell_id=self.cell_id, directive_id=self.directive_id)
            .select_related("village")
            .order_by("-starts_on")
            .first()
        )
        return assignment.village if assignment else None

    @property
    def is_open(self) -> bool:
        """Planned sessions can still be edited, postponed or cancelled."""
        return self.status == self.Status.PLANNED

    @property
    def log_is_locked(self) -> bool:
        """A confirmed log changes only after an officer reopens it."""
        return self.log_status == self.LogStatus.CONFIRMED

    @property
    def can_be_logged(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.HELD) and not self.log_is_locked


# The workdays one person may be counted for at one session: whole or half days, 0.5 to 3. The
# model's validators, its database constraint, the log form's field (and through it the page's
# input) all read these, with the messages below (which name the same numbers).
WORKDAYS_MIN = Decimal("0.5")
WORKDAYS_MAX = Decimal("3")
WORKDAYS_STEP = Decimal("0.5")
WORKDAYS_MESSAGES = {
    "min_value": _("At least half a workday (0.5)."),
    "max_value": _("At most 3 workdays for one person."),
    "step_size": _("Count whole or half days: 0.5, 1, 1.5 … 3."),
}


class Attendance(models.Model):
    """A named person at a session (one person-visit, lượt người).

    The member's category, level and party membership are copied when the row is written, so a
    report about a past session counts people as they were then.
    """

    session = models.ForeignKey(
        LabourSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("labour session"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("member")
    )
    workdays = models.DecimalField(
        _("workdays"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("1"),
        validators=[
            MinValueValidator(WORKDAYS_MIN, WORKDAYS_MESSAGES["min_value"]),
            MaxValueValidator(WORKDAYS_MAX, WORKDAYS_MESSAGES["max_value"]),
            StepValueValidator(WORKDAYS_STEP, WORKDAYS_MESSAGES["step_size"]),
        ],
    )
    category = models.CharField(_("category"), max_length=20, choices=Member.Category.choices)
    level = models.CharField(_("level"), max_length=10, choices=Member.Level.choices)
    is_party_member = models.BooleanField(_("party member"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"],
                name="attendance_unique_member_per_session",
                violation_error_message=_("This person is already listed at this session."),
            ),
            models.CheckConstraint(
                # Exact on both backends: multiples of 0.5 are exact in binary floating point
                # too (SQLite computes MOD on floats).
                condition=Q(workdays__gte=WORKDAYS_MIN, workdays__lte=WORKDAYS_MAX)
                & Exact(Mod("workdays", Value(WORKDAYS_STEP)), 0),
                name="attendance_workdays_range",
                violation_error_message=WORKDAYS_MESSAGES["step_size"],
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.session}"

    def copy_from_member(self):
        self.category = self.member.category
        self.level = self.member.level
        self.is_party_member = self.member.is_party_member


class WorkType(TimeStampedModel):
    """A kind of work done with the people (rural roads, irrigation canals, housing…)."""

    name = models.CharField(_("name (Vietnamese)"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    default_unit = models.CharField(_("default unit"), max_length=10, choices=Unit.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("work type")
        verbose_name_plural = _("work types")
        ordering = ["sort_order", "name"]

    def __str__(self):
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "vi").startswith("en"):
            return self.name_en
        return self.name


class WorkOutput(ChecksInOneQuery, models.Model):
    """A measurable piece of work done at a session (phần việc thực hiện)."""

    session = models.ForeignKey(
        LabourSession,
        on_delete=models.CASCADE,
        related_name="outputs",
        verbose_name=_("labour session"),
    )
    work_type = models.ForeignKey(
        WorkType, on_delete=models.PROTECT, related_name="outputs", verbose_name=_("work type")
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outputs",
        verbose_name=_("beneficiary household"),
    )
    value_vnd = models.PositiveBigIntegerField(
        _("money-equivalent value (VND)"), null=True, blank=True
    )
    funding_source = models.CharField(
        _("funding source"), max_length=10, choices=FundingSource.choices, blank=True
    )

    class Meta:
        verbose_name = _("work output")
        verbose_name_plural = _("work outputs")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="output_quantity_positive",
                violation_error_message=_("The quantity must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(value_vnd__isnull=True) | ~Q(funding_source=""),
                name="output_value_has_funding_source",
            ),
        ]

    def __str__(self):
        return f"{self.work_type}: {self.quantity} {self.get_unit_display()}"

    def clean(self):
        super().clean()
        if self.value_vnd is not None and not self.funding_source:
            raise ValidationError({"funding_source": _("Say who funded the value given.")})
        if (
            self.household_id
            and self.session_id
            and self.household.village_id != self.session.village_id
        ):
            raise ValidationError(
                {"household": _("The household must live in the session's village.")}
            )


def photo_upload_to(instance, filename):
    day = instance.session.date if instance.session_id else timezone.localdate()
    return f"sessions/{day:%Y/%m}/{instance.session_id or 'new'}/{filename}"


class Photo(TimeStampedModel):
    session = models.ForeignKey(
        LabourSession,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("labour session"),
    )
    image = models.ImageField(_("image"), upload_to=photo_upload_to)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=photo_upload_to, blank=True)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    keeps_location = models.BooleanField(
        _("keeps location"),
        default=False,
        help_text=_("The GPS position in the photo was kept on purpose."),
    )
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at"]

    def __str__(self):
        return self.caption or self.image.name


class SessionChange(models.Model):
    """One recorded change to a session: who, when, what (old → new), and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("edited")
        POSTPONED = "postponed", _("postponed")
        RESCHEDULED = "rescheduled", _("rescheduled")
        CANCELLED = "cancelled", _("cancelled")
        LOG_SAVED = "log_saved", _("log saved as draft")
        LOG_SUBMITTED = "log_submitted", _("log submitted for confirmation")
        LOG_CONFIRMED = "log_confirmed", _("log confirmed")
        LOG_RETURNED = "log_returned", _("log returned for correction")
        LOG_REOPENED = "log_reopened", _("log reopened")
        OPINION_FOLLOWED_UP = "opinion_followed_up", _("opinion followed up")

    session = models.ForeignKey(
        LabourSession,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("labour session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # {"field": [old, new], …} with values as shown to people (dates as dd/mm/yyyy).
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("session change")
        verbose_name_plural = _("session changes")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.session_id} · {self.get_action_display()} · {vn_datetime(self.at)}"


class FormSubmission(models.Model):
    """A form post that was carried out, by its one-time token.

    Phones on a flaky connection re-send a form when they do not see the answer, and a double
    tap sends it twice at once; every copy after the first finds its token here (the unique
    constraint settles a tie), changes nothing and answers as the first copy did, from
    ``session`` and ``result``.
    """

    token = models.UUIDField(_("token"), unique=True)
    # The session the form acted on or created; empty for forms about no one session (a month
    # plan, report settings, a calendar address).
    session = models.ForeignKey(
        LabourSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("labour session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # A fingerprint of what the first copy sent. A copy with the same token but other content
    # is no re-send: the form was changed after it was sent (the browser's Back button), and
    # saying "already done" would drop the changes without a word.
    digest = models.CharField(_("content digest"), max_length=64, blank=True)
    # What the first copy needs to answer a later copy the same way, e.g. the sessions a month
    # plan created.
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return str(self.token)

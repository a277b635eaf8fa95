"""Party committees, their cells, members, users' roles, and the cells' village assignments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from programs.text import vn_date

from .base import FoldedNameModel, TimeStampedModel
from .directives import Directive
from .geography import Commune, Village


class PartyCommittee(FoldedNameModel, TimeStampedModel):
    """A party committee (Tỉnh ủy, Huyện ủy, Đảng ủy…). Committees form a tree."""

    class Kind(models.TextChoices):
        PROVINCIAL = "TU", _("provincial committee (Tỉnh ủy)")
        DISTRICT = "HU", _("district committee (Huyện ủy)")
        GRASSROOTS = "DU", _("grassroots committee (Đảng ủy)")
        AGENCIES = "DUK", _("agencies' committee (Đảng ủy khối)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices, default=Kind.GRASSROOTS)
    abbreviation = models.CharField(
        _("document abbreviation"),
        max_length=20,
        default="ĐU",
        help_text=_("Used in document numbers, for example ĐU in “Số 15-BC/ĐU”."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("superior committee"),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
        verbose_name=_("commune"),
        help_text=_("For a commune's own committee: the commune it leads."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("party committee")
        verbose_name_plural = _("party committees")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="committee_unique_name"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="committee_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        # Walk up the tree: a committee may not sit (indirectly) under itself.
        seen = {self.pk}
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": _("A committee cannot sit under itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class PartyCell(FoldedNameModel, TimeStampedModel):
    class Kind(models.TextChoices):
        AGENCY = "agency", _("agency cell")
        VILLAGE = "village", _("village cell")

    committee = models.ForeignKey(
        PartyCommittee,
        on_delete=models.PROTECT,
        related_name="cells",
        verbose_name=_("party committee"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AGENCY)
    home_village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="village_cells",
        verbose_name=_("home village"),
        help_text=_("For a village cell: the village it belongs to."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("party cell")
        verbose_name_plural = _("party cells")
        ordering = ["committee__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="cell_unique_name"),
            models.CheckConstraint(
                condition=Q(kind="agency") | Q(home_village__isnull=False),
                name="cell_village_kind_has_village",
            ),
        ]

    def __str__(self):
        return self.name


class Member(FoldedNameModel, TimeStampedModel):
    """A cadre, party member, civil servant… who takes part in sessions."""

    class Category(models.TextChoices):
        OFFICIAL = "official", _("official")
        CIVIL_SERVANT = "civil_servant", _("civil servant")
        PUBLIC_EMPLOYEE = "public_employee", _("public employee")
        WORKER = "worker", _("worker")
        ARMED_FORCES = "armed_forces", _("armed forces")
        FRONT_CADRE = "front_cadre", _("Front / mass-organisation cadre")

    class Level(models.TextChoices):
        PROVINCE = "province", _("province level")
        DISTRICT = "district", _("district level")
        COMMUNE = "commune", _("commune level")

    folded_field = "full_name"

    full_name = models.CharField(_("full name"), max_length=120)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    is_party_member = models.BooleanField(_("party member"), default=True)
    cell = models.ForeignKey(
        PartyCell,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("party cell"),
    )
    organisation = models.CharField(_("agency or organisation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    # Members have no national id: a sheet row without a code is matched by cell + full name +
    # this note, which tells two people of the same name in one cell apart.
    distinguishing_note = models.CharField(
        _("distinguishing note"),
        max_length=60,
        blank=True,
        help_text=_("Tells apart two members of the same name in one cell (year of birth…)."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["full_name"]
        indexes = [
            # The log form's attendance checklist: a cell's active members.
            models.Index(fields=["cell", "active"], name="member_cell_active_idx"),
        ]

    def __str__(self):
        return self.full_name


class Role(TimeStampedModel):
    """What a user may do: officer or viewer of a committee (with the cells below it),
    secretary of one cell, or host: the committee of a commune (Đảng ủy xã) that reads the
    sessions other committees' cells hold in its villages, and nothing else of theirs."""

    class Kind(models.TextChoices):
        OFFICER = "officer", _("officer")
        VIEWER = "viewer", _("viewer")
        SECRETARY = "secretary", _("cell secretary")
        HOST = "host", _("host commune (reads sessions held in its villages)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="civic_roles",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices)
    committee = models.ForeignKey(
        PartyCommittee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("party committee"),
    )
    cell = models.ForeignKey(
        PartyCell,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("party cell"),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=["officer", "viewer", "host"],
                        committee__isnull=False,
                        cell__isnull=True,
                    )
                    | Q(kind="secretary", cell__isnull=False, committee__isnull=True)
                ),
                name="role_target_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "committee"],
                condition=Q(committee__isnull=False),
                name="role_unique_per_committee",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "cell"],
                condition=Q(cell__isnull=False),
                name="role_unique_per_cell",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.committee or self.cell}"

    def clean(self):
        super().clean()
        if self.kind == self.Kind.SECRETARY:
            if not self.cell_id:
                raise ValidationError({"cell": _("A cell secretary needs a party cell.")})
            if self.committee_id:
                raise ValidationError(
                    {"committee": _("A cell secretary is attached to a cell, not a committee.")}
                )
        elif self.kind:
            if not self.committee_id:
                raise ValidationError(
                    {"committee": _("Officers and viewers need a party committee.")}
                )
            if self.cell_id:
                raise ValidationError(
                    {"cell": _("Officers and viewers are attached to a committee, not a cell.")}
                )
            # The database cannot see the committee's commune from here: checked only here.
            if self.kind == self.Kind.HOST and self.committee.commune_id is None:
                raise ValidationError(
                    {
                        "committee": _(
                            "A host role belongs to a commune's party committee: choose a "
                            "committee whose commune is set."
                        )
                    }
                )


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ends_on__isnull=True)

    def on(self, day):
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class Assignment(TimeStampedModel):
    """A cell is put in charge of a village under a directive (phân công phụ trách thôn).

    Overlaps: the periods of one cell's assignments under one directive never overlap (ends
    included), so on any day the cell has at most one village per directive — the one
    ``LabourSession.assigned_village`` and the month planner look up. Assignments of one cell
    under *different* directives may overlap (a scheme and the plan that carries it out, or
    another programme), as they are read per directive everywhere. ``clean()`` refuses an
    overlap with a message naming the other assignment; on PostgreSQL the database refuses it
    too (migration 0008: the exclusion constraint ``assignment_no_overlap``).
    """

    cell = models.ForeignKey(
        PartyCell,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("party cell"),
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("village")
    )
    directive = models.ForeignKey(
        Directive,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("directive"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while open."))
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["cell__name", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "directive"],
                condition=Q(ends_on__isnull=True),
                name="assignment_one_open_per_cell_directive",
                violation_error_message=_(
                    "This cell already has an open assignment under this directive. "
                    "Close it (set its end date) before assigning another village."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="assignment_valid_period",
            ),
        ]

    def __str__(self):
        return f"{self.cell} → {self.village}"

    def clean(self):
        super().clean()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date must not be before the start date.")})
        # An inline formset checks all its rows together (a row closed and its successor added
        # in one save), so it turns this check off on its forms.
        if not getattr(self, "overlap_checked_elsewhere", False):
            other = self.first_overlap(self.stored_siblings())
            if other is not None:
                raise self.overlap_error(other)

    def period_label(self) -> str:
        start = vn_date(self.starts_on)
        if self.ends_on:
            return f"{start} – {vn_date(self.ends_on)}"
        return str(_("from %(date)s") % {"date": start})

    def overlaps(self, other: "Assignment") -> bool:
        if self.cell_id != other.cell_id or self.directive_id != other.directive_id:
            return False
        if not (self.starts_on and other.starts_on):
            return False
        return (other.ends_on is None or self.starts_on <= other.ends_on) and (
            self.ends_on is None or other.starts_on <= self.ends_on
        )

    def stored_siblings(self):
        """The cell's other stored assignments under the same directive."""
        if not (self.cell_id and self.directive_id):
            return Assignment.objects.none()
        return (
            Assignment.objects.filter(cell_id=self.cell_id, directive_id=self.directive_id)
            .exclude(pk=self.pk)
            .select_related("village")
            .order_by("starts_on")
        )

    def first_overlap(self, others) -> "Assignment | None":
        return next((other for other in others if self.overlaps(other)), None)

    def overlap_error(self, other: "Assignment") -> ValidationError:
        return ValidationError(
            _(
                "This period overlaps the cell's assignment to %(village)s (%(period)s) under "
                "the same directive. Close that assignment, or start this one after it ends."
            )
            % {"village": other.village, "period": other.period_label()},
            code="assignment_overlap",
        )


def _new_feed_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A user's private iCalendar feed address; resetting the token revokes old subscriptions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_feed_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

    def reset(self):
        self.token = _new_feed_token()

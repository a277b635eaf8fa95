"""Provinces, districts, communes, villages and households.

Administrative units change: the 2025 reform removed the district tier and merged communes. A
commune is therefore a record with a validity period (the new xã Bình An is a different record
from the old one), and a village keeps the names and communes it had before (``VillageName``),
so a report about 2022 still prints "xã Bình An, huyện Lâm Bình".

Renames go through ``programs.services.places`` (``village_update``, ``commune_update``), which
write the former name with its end date; a plain rename of a commune keeps the old name as a
record of its own that ends the day before (see ``commune_update``), so everything that prints a
commune for a date keeps working through the villages' former names.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.text import vn_date

from .base import FoldedNameModel, TimeStampedModel


def period_label(valid_from, valid_until) -> str:
    """ "từ 01/07/2025", "đến 30/06/2025", "01/01/2020 – 30/06/2025" or "" (in the active
    language): what tells two records of the same name apart."""
    if valid_from and valid_until:
        return f"{vn_date(valid_from)} – {vn_date(valid_until)}"
    if valid_from:
        return str(_("from %(date)s") % {"date": vn_date(valid_from)})
    if valid_until:
        return str(_("until %(date)s") % {"date": vn_date(valid_until)})
    return ""


def _period_constraint(name):
    return models.CheckConstraint(
        condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
        name=name,
    )


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )


class ValidityPeriodModel(models.Model):
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the unit still exists."),
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end date must not be before the start.")})


class Province(FoldedNameModel, ValidityPeriodModel, TimeStampedModel):
    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("province")
        CITY = "thanh_pho", _("centrally-run city")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PROVINCE)
    code = models.CharField(_("official code"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "valid_from"], name="province_unique_name"),
            _period_constraint("province_valid_period"),
        ]

    # The word that goes before the name in documents, whatever the interface language.
    KIND_WORDS = {Kind.PROVINCE: "tỉnh", Kind.CITY: "thành phố"}

    def __str__(self):
        return f"{self.KIND_WORDS[self.kind]} {self.name}"


class District(FoldedNameModel, ValidityPeriodModel, TimeStampedModel):
    class Kind(models.TextChoices):
        DISTRICT = "huyen", _("rural district")
        TOWN = "thi_xa", _("town")
        CITY = "thanh_pho", _("city")
        URBAN = "quan", _("urban district")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DISTRICT)
    code = models.CharField(_("official code"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name", "valid_from"], name="district_unique_name"
            ),
            _period_constraint("district_valid_period"),
        ]

    KIND_WORDS = {
        Kind.DISTRICT: "huyện",
        Kind.TOWN: "thị xã",
        Kind.CITY: "thành phố",
        Kind.URBAN: "quận",
    }

    def __str__(self):
        return f"{self.KIND_WORDS[self.kind]} {self.name}"


class Commune(FoldedNameModel, ValidityPeriodModel, TimeStampedModel):
    """A commune, ward or town. ``district`` is empty for communes created after the 2025 reform,
    which sit directly under their province."""

    class Kind(models.TextChoices):
        COMMUNE = "xa", _("commune")
        WARD = "phuong", _("ward")
        TOWNSHIP = "thi_tran", _("township")
        SPECIAL = "dac_khu", _("special zone")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="communes",
        null=True,
        blank=True,
        verbose_name=_("district"),
        help_text=_("Empty for communes directly under the province (since 1/7/2025)."),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMMUNE)
    # Official codes are reused across the reform, so a code alone is not a key.
    code = models.CharField(_("official code"), max_length=10, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("merged into"),
    )

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["province__name", "name", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name", "valid_from"], name="commune_unique_name"
            ),
            models.UniqueConstraint(
                fields=["code", "valid_from"], condition=~Q(code=""), name="commune_unique_code"
            ),
            _period_constraint("commune_valid_period"),
            models.CheckConstraint(
                condition=~Q(successor=F("id")), name="commune_not_own_successor"
            ),
        ]

    KIND_WORDS = {
        Kind.COMMUNE: "xã",
        Kind.WARD: "phường",
        Kind.TOWNSHIP: "thị trấn",
        Kind.SPECIAL: "đặc khu",
    }

    def __str__(self):
        return f"{self.KIND_WORDS[self.kind]} {self.name}"

    def clean(self):
        super().clean()
        if self.district_id and self.province_id and self.district.province_id != self.province_id:
            raise ValidationError({"district": _("The district belongs to another province.")})

    @property
    def label_with_context(self) -> str:
        """ "xã Bình An (huyện Lâm Bình, đến 30/06/2025)": the name with what tells it apart from
        another commune of the same name (its district, or its province once districts are
        gone, and its period). Pickers show this; documents keep ``str()``. Reads the district
        and province: select them with the commune when labelling many."""
        parts = [str(self.district) if self.district_id else str(self.province)]
        period = period_label(self.valid_from, self.valid_until)
        if period:
            parts.append(period)
        return f"{self} ({', '.join(parts)})"

    def is_dissolved(self, day: datetime.date | None = None) -> bool:
        """True once the commune has ended (a reform merged or replaced it)."""
        day = day or timezone.localdate()
        return self.valid_until is not None and self.valid_until < day

    def dissolved_error(self) -> ValidationError:
        if self.successor_id:
            message = _(
                "%(commune)s ended on %(date)s and was merged into %(successor)s: choose that "
                "commune instead."
            ) % {
                "commune": self,
                "date": vn_date(self.valid_until),
                "successor": self.successor.label_with_context,
            }
        else:
            message = _("%(commune)s ended on %(date)s: it can no longer receive villages.") % {
                "commune": self,
                "date": vn_date(self.valid_until),
            }
        return ValidationError(message, code="commune_dissolved")

    @property
    def name_with_district(self) -> str:
        """ "xã Bình An, huyện Lâm Bình", or "xã Bình An" for a commune with no district (since
        1/7/2025): how report tables name a village's commune."""
        if self.district_id:
            return f"{self}, {self.district}"
        return str(self)

    @property
    def full_name(self) -> str:
        """ "xã Bình An, huyện Lâm Bình, tỉnh Tuyên Quang" (the district only while it existed)."""
        parts = [str(self)]
        if self.district_id:
            parts.append(str(self.district))
        parts.append(str(self.province))
        return ", ".join(parts)


class Village(FoldedNameModel, TimeStampedModel):
    class Kind(models.TextChoices):
        THON = "thon", _("village (thôn)")
        BAN = "ban", _("hamlet (bản)")
        LANG = "lang", _("village (làng)")
        XOM = "xom", _("hamlet (xóm)")
        AP = "ap", _("hamlet (ấp)")
        BUON = "buon", _("village (buôn)")
        TO_DAN_PHO = "to_dan_pho", _("residential group (tổ dân phố)")
        KHU_PHO = "khu_pho", _("quarter (khu phố)")

    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="villages",
        verbose_name=_("commune"),
        help_text=_("The commune the village belongs to today."),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.THON)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["commune__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="village_unique_name"),
        ]

    KIND_WORDS = {
        Kind.THON: "thôn",
        Kind.BAN: "bản",
        Kind.LANG: "làng",
        Kind.XOM: "xóm",
        Kind.AP: "ấp",
        Kind.BUON: "buôn",
        Kind.TO_DAN_PHO: "tổ dân phố",
        Kind.KHU_PHO: "khu phố",
    }

    def __str__(self):
        return f"{self.KIND_WORDS[self.kind]} {self.name}"

    @property
    def label_with_context(self) -> str:
        """ "thôn Nà Coóc (xã Bình An, từ 01/07/2025)": the village with its commune and the
        commune's period, so villages of the same name, or of a commune before and after a
        reform, are told apart in pickers. Reads ``commune``: select it with the village."""
        commune = self.commune
        period = period_label(commune.valid_from, commune.valid_until)
        inside = f"{commune}, {period}" if period else str(commune)
        return f"{self} ({inside})"

    def clean(self):
        super().clean()
        # Only a village that is added, or moved, into an ended commune is refused: villages
        # still attached to one (kept for history) can be edited.
        if self.commune_id and self.commune.is_dissolved() and self._commune_is_new():
            raise ValidationError({"commune": self.commune.dissolved_error()})

    def _commune_is_new(self) -> bool:
        if self._state.adding or self.pk is None:
            return True
        return not Village.objects.filter(pk=self.pk, commune_id=self.commune_id).exists()

    def placement_on(self, day: datetime.date) -> tuple[str, "Commune"]:
        """The village's name and commune as they were on ``day``.

        Reads ``self.names.all()``, so callers that label many villages prefetch
        ``names__commune__district__province`` first.
        """
        for record in self.names.all():
            if record.is_valid_on(day):
                return record.name, record.commune
        return self.name, self.commune

    def place_label(self, former: "VillageName | None" = None) -> str:
        """ "thôn Phiêng Luông, xã Bình An, huyện Lâm Bình": the village, its commune and (while
        it existed) its district, in the official order, under the former name ``former`` or,
        without one, as they are today."""
        name, commune = (former.name, former.commune) if former else (self.name, self.commune)
        return f"{self.KIND_WORDS[self.kind]} {name}, {commune.name_with_district}"

    def label_on(self, day: datetime.date) -> str:
        """ "thôn Phiêng Luông, xã Bình An, huyện Lâm Bình, tỉnh Tuyên Quang" as on ``day``."""
        name, commune = self.placement_on(day)
        return f"{self.KIND_WORDS[self.kind]} {name}, {commune.full_name}"


class VillageName(ValidityPeriodModel):
    """A name and commune a village had for a past period, kept when a reform renames or moves
    it."""

    village = models.ForeignKey(
        Village, on_delete=models.CASCADE, related_name="names", verbose_name=_("village")
    )
    name = models.CharField(_("name"), max_length=120)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )

    class Meta:
        verbose_name = _("former name")
        verbose_name_plural = _("former names")
        ordering = ["valid_from"]
        constraints = [
            _period_constraint("village_name_valid_period"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=False), name="village_name_has_end"
            ),
        ]

    def __str__(self):
        return self.name


class Household(FoldedNameModel, TimeStampedModel):
    class Status(models.TextChoices):
        ORDINARY = "ordinary", _("ordinary")
        POOR = "poor", _("poor household")
        NEAR_POOR = "near_poor", _("near-poor household")
        POLICY = "policy", _("policy family")

    folded_field = "head_name"

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="households", verbose_name=_("village")
    )
    head_name = models.CharField(_("head of household"), max_length=120)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ORDINARY
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    # Off by default: a household is named in news items and on public share cards only when
    # it agreed to it (the source article names ông Quan Văn Thính); otherwise it is counted.
    publishable = models.BooleanField(
        _("may be named in news"),
        default=False,
        help_text=_("The household agreed to be named in news items and public share cards."),
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village__name", "head_name"]

    def __str__(self):
        return self.head_name

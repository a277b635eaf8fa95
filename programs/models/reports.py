"""What a committee's office enters once and reuses on every printed report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import PartyCommittee


class ReportSettings(models.Model):
    """The header and signature details of a committee's printed reports (Hướng dẫn 36)."""

    committee = models.OneToOneField(
        PartyCommittee,
        on_delete=models.CASCADE,
        related_name="report_settings",
        verbose_name=_("party committee"),
    )
    number = models.CharField(
        _("report number"), max_length=20, blank=True, help_text=_("For example: 15")
    )
    place = models.CharField(
        _("place"), max_length=100, blank=True, help_text=_("For example: Bình An")
    )
    superior_body = models.CharField(
        _("superior body"),
        max_length=200,
        blank=True,
        help_text=_("Printed above the committee's name, for example: ĐẢNG BỘ HUYỆN LÂM BÌNH"),
    )
    # Blank: the default for the committee's kind (reports.document.header_defaults).
    signer_on_behalf = models.CharField(_("signing on behalf of"), max_length=100, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipients = models.TextField(
        _("recipients"),
        blank=True,
        help_text=_("One per line, for example: Ban Thường vụ Huyện ủy (b/c)"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self):
        return str(self.committee)

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class ReportText(models.Model):
    """What the office types into a report before printing it: the shortcomings it adds to
    the generated ones (section III.1) and its proposals (III.2). One draft per committee and
    report (the report's query string: scope, directive and period)."""

    committee = models.ForeignKey(
        PartyCommittee,
        on_delete=models.CASCADE,
        related_name="report_texts",
        verbose_name=_("party committee"),
    )
    query = models.CharField(_("report"), max_length=300)
    shortcomings = models.TextField(_("shortcomings (III.1)"), blank=True)
    proposals = models.TextField(_("proposals and recommendations (III.2)"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        constraints = [
            models.UniqueConstraint(fields=["committee", "query"], name="report_text_unique")
        ]

    def __str__(self):
        return f"{self.committee} · {self.query}"


class IssuedReport(models.Model):
    """A report as the committee issued it: its number for the year ("Số 16-BC/ĐU") and its
    document, figures and PDF frozen at that moment, so it reads the same however the logs
    change afterwards."""

    committee = models.ForeignKey(
        PartyCommittee,
        on_delete=models.PROTECT,
        related_name="issued_reports",
        verbose_name=_("party committee"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    abbreviation = models.CharField(_("document abbreviation"), max_length=20)
    summary = models.CharField(_("summary"), max_length=500)
    # The query string that showed the report when it was issued (scope, directive, period).
    query = models.CharField(_("report"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    shortcomings = models.TextField(_("shortcomings (III.1)"), blank=True)
    proposals = models.TextField(_("proposals and recommendations (III.2)"), blank=True)
    document_html = models.TextField(_("document"))
    figures = models.JSONField(_("figures"), default=dict)
    # The PDF as issued; empty when the server could not make PDFs at the time.
    pdf = models.BinaryField(_("PDF"), blank=True, default=b"")

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["committee", "-year", "-number"]
        constraints = [
            # Two officers issuing at the same moment never share a number.
            models.UniqueConstraint(
                fields=["committee", "year", "number"], name="issued_report_unique_number"
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="issued_report_number"),
        ]

    def __str__(self):
        return self.number_text

    @property
    def number_text(self) -> str:
        return f"{self.number}-BC/{self.abbreviation}"

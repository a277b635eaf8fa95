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
    signer_on_behalf = models.CharField(
        _("signing on behalf of"), max_length=100, blank=True, default="T/M ĐẢNG ỦY"
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=100, blank=True, default="BÍ THƯ"
    )
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

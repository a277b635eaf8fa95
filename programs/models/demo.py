"""The demo loader's marks on the rows it created (``manage.py load_demo``).

The loader owns only the rows it marked. A mark names the row by a key that does not change
when people rename the row ("village:Phiêng Luông"), and keeps a fingerprint of what the
loader last wrote into it: a row whose values no longer match its fingerprint was changed by
a person, and the loader leaves it alone from then on.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoRecord(models.Model):
    """One row written by the demo loader, with what the loader last wrote into it."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("kind of row")
    )
    object_id = models.PositiveBigIntegerField(_("row id"))
    row = GenericForeignKey("content_type", "object_id")
    key = models.CharField(_("demo key"), max_length=300)
    # The loader's fields as it last saved them; null for a row the loader found already
    # there and different from what it would write (it never changes such a row).
    fingerprint = models.JSONField(_("fingerprint"), null=True, blank=True)

    class Meta:
        verbose_name = _("demo record")
        verbose_name_plural = _("demo records")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "key"], name="demo_record_unique_key"),
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="demo_record_unique_row"
            ),
        ]

    def __str__(self):
        return self.key

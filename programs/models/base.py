"""Abstract bases: creation and change timestamps, and a folded name kept for searching
without diacritics."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.text import fold


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class FoldedNameModel(models.Model):
    """Keeps ``search_name``, the diacritic-free lower-case form of the name field.

    SQLite has no ``unaccent``, so search without diacritics ("na cooc" for "Nà Coóc") compares
    against this stored copy on both databases. Bulk inserts must fill it themselves
    (``fold(name)``), since ``save()`` does not run for them.
    """

    folded_field = "name"
    search_name = models.CharField(
        _("search name"), max_length=255, editable=False, db_index=True, default=""
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_name = fold(self.folded_source())[:255]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def folded_source(self) -> str:
        return getattr(self, self.folded_field)

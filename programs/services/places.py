"""Writes to villages and communes that keep their former names.

A report about 2022 must print the names that held in 2022. So renaming a village, or moving it
to another commune, records what it was called and where it was (``VillageName``) up to the day
before the change; and a commune renamed or moved keeps its old name as a record of its own,
ended the day before the change and pointing at the renamed one as its successor — the same
shape as the 2025 reform, so every page and report that prints a commune for a date needs
nothing new. A correction of a typing mistake changes the record in place and keeps nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Commune, Village, VillageName
from programs.services.rollups import rollup_refresh
from programs.text import vn_date

# The fields that make up how a village or commune is printed; changing them keeps the old one.
VILLAGE_PLACEMENT_FIELDS = ("name", "commune")
COMMUNE_IDENTITY_FIELDS = ("name", "kind", "district", "province")

ONE_DAY = datetime.timedelta(days=1)


def _locked(queryset, instance):
    """``instance`` read again under a row lock, so two renames of it take turns."""
    return queryset.select_for_update().get(pk=instance.pk)


def _apply(instance, fields: dict) -> set[str]:
    changed = set()
    for name, value in fields.items():
        if getattr(instance, name) != value:
            changed.add(name)
            setattr(instance, name, value)
    return changed


def _former_name_start(village: Village) -> datetime.date | None:
    """The day the village's current name started: the day after its last former name ended,
    or None (open at the start) when it never had another. Not the day the village was
    entered: villages are often entered after the sessions held in them (the demo, an import
    of old logs), and those sessions must still print the old name."""
    last = village.names.order_by("-valid_until").values_list("valid_until", flat=True).first()
    return last + ONE_DAY if last else None


def _keep_former_village_name(village: Village, *, name: str, commune: Commune, changed_on):
    valid_from = _former_name_start(village)
    valid_until = changed_on - ONE_DAY
    if valid_from is not None and valid_until < valid_from:
        # The name started on the day it changes again: nothing was ever printed under it.
        return None
    former = VillageName(
        village=village,
        name=name,
        commune=commune,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    former.full_clean()
    former.save()
    return former


def village_change_date_error(village: Village, changed_on: datetime.date):
    """The error for a rename dated on or before the end of the village's last former name,
    or None. Forms call it to show the message next to the date."""
    last = village.names.order_by("-valid_until").first()
    if last and last.valid_until >= changed_on:
        return ValidationError(
            _(
                "The village was known as %(name)s until %(date)s: the change must take effect "
                "after that day."
            )
            % {"name": last.name, "date": vn_date(last.valid_until)},
            code="change_before_former_name",
        )
    return None


def commune_keeps_former_name(commune: Commune, changed: set[str], changed_on, correction):
    """Whether changing ``changed`` fields of ``commune`` on ``changed_on`` keeps its old name
    as a record of its own (see ``commune_update``)."""
    return bool(
        changed & set(COMMUNE_IDENTITY_FIELDS)
        and not correction
        and (commune.valid_from is None or commune.valid_from < changed_on)
    )


def village_create(*, user, **fields) -> Village:
    """Add a village. Refused (ValidationError) in a commune that has ended."""
    village = Village(**fields)
    village.full_clean()
    with transaction.atomic():
        village.save()
    return village


def village_update(
    *, village: Village, user, changed_on=None, correction=False, **fields
) -> Village:
    """Change a village's fields.

    Side effects: when its name or commune changes (and this is not the ``correction`` of a
    typing mistake) a ``VillageName`` row keeps the old name and commune, from the day after
    the previous former name ended (or the day the village was entered) to the day before
    ``changed_on`` (default: today). Raises ValidationError when the new values break a rule
    (a commune that has ended, a name already used in the commune, a change dated before the
    last one); then nothing is written. The monthly roll-ups the new former name affects are
    recomputed (``rollups.rollup_refresh``).
    """
    changed_on = changed_on or timezone.localdate()
    with transaction.atomic():
        current = _locked(Village.objects.select_related("commune"), village)
        old_name, old_commune = current.name, current.commune
        changed = _apply(current, fields)
        current.full_clean()
        if changed & set(VILLAGE_PLACEMENT_FIELDS) and not correction:
            problem = village_change_date_error(current, changed_on)
            if problem:
                raise problem
            _keep_former_village_name(
                current, name=old_name, commune=old_commune, changed_on=changed_on
            )
        if changed:
            current.save()
        # A new former name moves the village's past sessions to another row of the reports.
        rollup_refresh()
    return current


def commune_update(
    *, commune: Commune, user, changed_on=None, correction=False, **fields
) -> Commune:
    """Change a commune's fields.

    When its name, kind, district or province changes (and this is not the ``correction`` of
    a typing mistake), the commune keeps its id, its villages and its committees under the new
    name from ``changed_on`` (default: today), and the old name is kept.

    Side effects then: a new commune record with the old values, valid until the day before
    ``changed_on`` and whose successor is this commune; the former names of villages that
    pointed at this commune before ``changed_on`` point at that record; each village still in
    the commune gets a former-name row placing it in that record until the day before. If the
    commune started on ``changed_on`` itself, nothing was ever printed under its old name and
    it changes in place. Raises ValidationError on bad values (nothing written).
    """
    changed_on = changed_on or timezone.localdate()
    with transaction.atomic():
        current = _locked(Commune.objects.all(), commune)
        before = Commune.objects.get(pk=commune.pk)
        changed = _apply(current, fields)
        keeps_name = commune_keeps_former_name(before, changed, changed_on, correction)
        if keeps_name:
            current.valid_from = changed_on
        current.full_clean()
        if not keeps_name:
            if changed:
                current.save()
            return current
        former = Commune(
            province_id=before.province_id,
            district_id=before.district_id,
            name=before.name,
            kind=before.kind,
            code=before.code,
            valid_from=before.valid_from,
            valid_until=changed_on - ONE_DAY,
            successor=current,
        )
        # The renamed record is saved first, so the former one's name and start are free again.
        current.save()
        former.full_clean()
        former.save()
        VillageName.objects.filter(commune=current, valid_until__lt=changed_on).update(
            commune=former
        )
        for village in Village.objects.filter(commune=current).order_by("pk"):
            _keep_former_village_name(
                village, name=village.name, commune=former, changed_on=changed_on
            )
        rollup_refresh()
    return current

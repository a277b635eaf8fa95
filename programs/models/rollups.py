"""Monthly roll-ups of the confirmed logs, so a year report reads thousands of rows, not the
million attendance rows of a province (issue 12, item 7).

``CellMonthRollup`` holds, for one party cell in one month, under one directive, in one village
*as named on the sessions' dates* (``place``: the village's former name that held then, NULL
for today's name), the figures of its **confirmed** logs: sessions, named person-visits and
workdays, split by category, by level and party membership. That is the grain of every
attendance figure the report shows: per cell, per village (split by place, as the report does
for a village a reform moved), per month and in total, and by category and level. The session
counts by status (planned, postponed, awaiting confirmation …), the work done and the
households helped are read from their own rows: a province year has ~20,000 sessions and
~30,000 rows of work done, against ~300,000 attendance rows.

``RollupDirty`` lists the (cell, month) pairs whose roll-up may be out of date. Database
triggers (migration 0005) add a pair whenever a confirmed session, its attendance or its
village's former names change, by whatever path: the services, the admin site, an import, the
shell. The services (``programs.services.rollups``) recompute the pairs they touch in the same
transaction and clear them; a report reads the roll-ups of the clean pairs and the raw rows of
the pairs still listed, so its figures are right even before anything is recomputed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .directives import Directive
from .geography import Village, VillageName
from .organisations import Member, PartyCell


def _visits(label):
    return models.PositiveIntegerField(label, default=0)


def _workdays(label):
    return models.DecimalField(label, max_digits=12, decimal_places=1, default=0)


# The columns a category or a level is summed into: ("visits_official", "workdays_official").
CATEGORY_COLUMNS = {
    category: (f"visits_{category}", f"workdays_{category}") for category in Member.Category.values
}
LEVEL_COLUMNS = {level: (f"visits_{level}", f"workdays_{level}") for level in Member.Level.values}


class CellMonthRollup(models.Model):
    """The confirmed logs of one cell in one month, directive, village and place (see the
    module's docstring). Rows are only ever replaced whole, by ``services.rollups``."""

    cell = models.ForeignKey(
        PartyCell, on_delete=models.CASCADE, related_name="+", verbose_name=_("party cell")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="+", verbose_name=_("directive")
    )
    village = models.ForeignKey(
        Village, on_delete=models.CASCADE, related_name="+", verbose_name=_("village")
    )
    place = models.ForeignKey(
        VillageName,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("former name"),
    )
    sessions = models.PositiveIntegerField(_("sessions held and confirmed"), default=0)
    named_visits = _visits(_("named person-visits"))
    workdays = _workdays(_("workdays"))
    party_member_visits = _visits(_("party members' person-visits"))
    visits_official = _visits(_("officials' person-visits"))
    workdays_official = _workdays(_("officials' workdays"))
    visits_civil_servant = _visits(_("civil servants' person-visits"))
    workdays_civil_servant = _workdays(_("civil servants' workdays"))
    visits_public_employee = _visits(_("public employees' person-visits"))
    workdays_public_employee = _workdays(_("public employees' workdays"))
    visits_worker = _visits(_("workers' person-visits"))
    workdays_worker = _workdays(_("workers' workdays"))
    visits_armed_forces = _visits(_("armed forces' person-visits"))
    workdays_armed_forces = _workdays(_("armed forces' workdays"))
    visits_front_cadre = _visits(_("Front cadres' person-visits"))
    workdays_front_cadre = _workdays(_("Front cadres' workdays"))
    visits_province = _visits(_("province level person-visits"))
    workdays_province = _workdays(_("province level workdays"))
    visits_district = _visits(_("district level person-visits"))
    workdays_district = _workdays(_("district level workdays"))
    visits_commune = _visits(_("commune level person-visits"))
    workdays_commune = _workdays(_("commune level workdays"))

    class Meta:
        verbose_name = _("monthly roll-up")
        verbose_name_plural = _("monthly roll-ups")
        indexes = [
            # A report selects its months; a refresh deletes a cell's month.
            models.Index(fields=["month", "cell"], name="rollup_month_cell_idx"),
            models.Index(fields=["cell", "month"], name="rollup_cell_month_idx"),
        ]

    def __str__(self):
        return f"{self.cell_id} · {self.month:%m/%Y}"


class RollupDirty(models.Model):
    """A (cell, month) whose roll-up may be out of date: written by database triggers, cleared
    by ``services.rollups`` once the month is recomputed. No foreign key: a trigger writes it
    while the cell's rows may be on their way out."""

    cell_id = models.BigIntegerField(_("party cell"))
    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("roll-up to recompute")
        verbose_name_plural = _("roll-ups to recompute")
        constraints = [
            models.UniqueConstraint(fields=["cell_id", "month"], name="rollup_dirty_unique")
        ]

    def __str__(self):
        return f"{self.cell_id} · {self.month:%m/%Y}"


class DataVersion(models.Model):
    """The version of the data reports read, one row per database connection: a connection
    that writes to those tables replaces its row's token in the same transaction
    (``reports.cache``). The rows together are the version cached reports are kept under; one
    row per connection, so writers never wait for each other on it."""

    connection_key = models.CharField(_("connection"), max_length=32, primary_key=True)
    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return f"{self.connection_key} · {self.token}"

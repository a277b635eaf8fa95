"""The month planner's forms: the plan's options, and each cell's own date and work on the
preview."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs import permissions
from programs.forms.fields import MonthField, TimeInput, check_in_window, optional_text
from programs.models import Directive
from programs.planning import PREFERRED_WEEK_CHOICES, Month


class PlanForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Party committee"), queryset=None)
    directive = forms.ModelChoiceField(label=_("Directive"), queryset=None)
    month = MonthField(label=_("Month"))
    preferred_week = forms.TypedChoiceField(
        label=_("Default weekend"), choices=PREFERRED_WEEK_CHOICES, coerce=int, initial=1
    )
    start_time = forms.TimeField(
        label=_("Start time"), initial=datetime.time(7, 30), widget=TimeInput()
    )
    planned_work = optional_text(
        _("Planned work"),
        max_length=2000,
        rows=2,
        help_text=_("Used for every cell unless a cell's own line says otherwise."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = permissions.committees_managed_by(user).filter(
            active=True
        )
        today = timezone.localdate()
        self.fields["directive"].queryset = Directive.objects.filter(
            effective_from__lte=Month.of(today).next().last
        ).exclude(effective_until__lt=today)
        self.fields["month"].initial = str(Month.of(today).next())

    def plan(self) -> dict:
        """The options the preview and the creation share (``services.planner``)."""
        return {
            name: self.cleaned_data[name]
            for name in ("committee", "directive", "month", "preferred_week")
        }

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month and month.last < timezone.localdate():
            raise forms.ValidationError(
                _("%(month)s is over: a month entirely in the past cannot be planned."),
                params={"month": month.label},
                code="past",
            )
        if month:
            check_in_window(month.first)
        return month


def cell_overrides(data, cells) -> tuple[dict[int, datetime.date], dict[int, str], dict[int, str]]:
    """Read the per-cell lines of the plan preview: ``date_<cell id>`` and ``work_<cell id>``.

    Returns the dates, the planned-work texts and the errors (cell id → message) for dates that
    do not parse.
    """
    field = forms.DateField(required=False)
    # NUL characters never get here: programs.middleware drops them from every request.
    work_field = forms.CharField(required=False, max_length=2000)
    dates, works, errors = {}, {}, {}
    for cell in cells:
        raw = data.get(f"date_{cell.pk}", "")
        try:
            day = field.clean(raw)
        except forms.ValidationError:
            errors[cell.pk] = _("Enter a valid date.")
            continue
        if day:
            dates[cell.pk] = day
        try:
            work = work_field.clean(data.get(f"work_{cell.pk}") or "")
        except forms.ValidationError as error:
            errors[cell.pk] = error.messages[0]
            continue
        if work:
            works[cell.pk] = work
    return dates, works, errors

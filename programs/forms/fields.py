"""Fields, widgets and checks the forms share: date and time inputs, the month field, the
village list, an optional text box, the rows of a form with fields per object, and the date
rules (inside the application's window; a public holiday only when confirmed)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.planning import Month, holiday_name
from programs.reports.periods import in_window, outside_window_message
from programs.text import vn_date


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        # Browsers' date pickers exchange ISO dates; they show them in the user's locale.
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MonthField(forms.CharField):
    """A month as "YYYY-MM" (what <input type="month"> sends), cleaned to ``Month``."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2027-02"})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2027-02.")}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return Month.parse(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return str(value) if isinstance(value, Month) else value


# --- Dates: inside the application's window, and a public holiday only when confirmed ----------

DATE_ERRORS = {
    "required": _("Choose the date."),
    "invalid": _("Enter a real date, for example 06/02/2027."),
}


def check_in_window(day: datetime.date | None) -> None:
    """Refuse a date outside ``periods.date_window`` (year 1, year 9999…) with a message."""
    today = timezone.localdate()
    if day is not None and not in_window(day, today):
        raise forms.ValidationError(outside_window_message(today), code="outside_window")


def holiday_confirmation_field():
    return forms.BooleanField(label=_("Schedule it on the public holiday anyway"), required=False)


def check_holiday(form, day: datetime.date | None, *, field: str = "confirm_holiday") -> None:
    """A one-off session on a public holiday (which the month planner never picks) needs the
    ``field`` box ticked. Sets ``form.holiday`` to (day, name) when the day is a holiday, so
    the page shows the box; adds the warning naming the holiday while the box is not ticked.
    """
    name = holiday_name(day) if day else None
    if not name:
        return
    form.holiday = (day, name)
    if not form.cleaned_data.get(field):
        form.add_error(
            field,
            forms.ValidationError(
                _(
                    "%(day)s is a public holiday: %(name)s. Tick the confirmation box to "
                    "schedule the session on that day anyway."
                ),
                params={"day": vn_date(day), "name": name},
                code="holiday",
            ),
        )


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, village):
        # "thôn Nà Coóc (xã Bình An, từ 01/07/2025)": the commune and its period tell apart
        # villages of one name. The querysets select the commune.
        return village.label_with_context


def optional_text(label, *, max_length: int, rows: int, help_text="") -> forms.CharField:
    """An optional text box of ``rows`` lines."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def bound_rows(form, key: str, objects, **prefixes):
    """For a form with a few fields per object (named ``<prefix><object id>``): one dict per
    object, the object under ``key`` and each bound field under its name in ``prefixes``."""
    for obj in objects:
        yield {key: obj, **{name: form[f"{prefix}{obj.pk}"] for name, prefix in prefixes.items()}}

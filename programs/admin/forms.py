"""Form helpers for the admin site."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Directive, Weekday
from programs.models.directives import mask_to_weekdays, weekdays_to_mask


class WeekdaysField(forms.TypedMultipleChoiceField):
    """Days of the week as checkboxes, cleaned to the bitmask ``Directive`` stores."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Weekday.choices)
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("error_messages", {"required": _("Choose at least one day of the week.")})
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # The initial value is the stored mask; submitted data is already a list of days.
        if isinstance(value, int):
            return mask_to_weekdays(value)
        return value

    def has_changed(self, initial, data):
        return super().has_changed(self.prepare_value(initial), data)

    def clean(self, value):
        return weekdays_to_mask(super().clean(value))


_allowed_weekdays = Directive._meta.get_field("allowed_weekdays")


class DirectiveAdminForm(forms.ModelForm):
    allowed_weekdays = WeekdaysField(
        label=_allowed_weekdays.verbose_name, help_text=_allowed_weekdays.help_text
    )

    class Meta:
        model = Directive
        fields = [
            "kind",
            "number",
            "symbol",
            "issuing_body",
            "issued_on",
            "title",
            "summary",
            "parent",
            "effective_from",
            "effective_until",
            "attachment",
            "sessions_per_month",
            "allowed_weekdays",
        ]

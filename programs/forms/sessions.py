"""Forms for one session: plan or edit it, postpone or cancel it (with a reason)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs import permissions
from programs.forms.fields import (
    DATE_ERRORS,
    DateInput,
    TimeInput,
    VillageChoiceField,
    check_holiday,
    check_in_window,
    holiday_confirmation_field,
)
from programs.forms.tokens import OneTimeTokenField, VersionForm
from programs.models import Directive, LabourSession, Village


class SessionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    token = OneTimeTokenField()
    field_order = [
        "cell",
        "directive",
        "village",
        "other_village_reason",
        "date",
        "confirm_holiday",
    ]

    class Meta:
        model = LabourSession
        fields = [
            "cell",
            "directive",
            "village",
            "other_village_reason",
            "date",
            "start_time",
            "partner",
            "planned_work",
            "notes",
        ]
        field_classes = {"village": VillageChoiceField}
        error_messages = {"date": DATE_ERRORS}
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "planned_work": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = permissions.cells_managed_by(user).filter(active=True)
        self.fields["village"].queryset = Village.objects.filter(active=True).select_related(
            "commune"
        )
        self.fields["directive"].queryset = Directive.objects.all()
        if self.instance.pk:
            # An edit without the version it was opened on could overwrite a newer save.
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
        for name in ("other_village_reason", "partner", "planned_work", "notes"):
            self.fields[name].required = False

    def field_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    # --- The date: in the window; a holiday only when confirmed ---
    confirm_holiday = holiday_confirmation_field()
    holiday = None

    def clean_date(self):
        day = self.cleaned_data["date"]
        check_in_window(day)
        return day

    def clean(self):
        cleaned = super().clean()
        # An edit that keeps a date already confirmed does not ask again.
        if not self.instance.pk or "date" in self.changed_data:
            check_holiday(self, cleaned.get("date"))
        return cleaned

    def visible_fields(self):
        # The confirmation box is shown only when the chosen day is a holiday.
        return [
            field
            for field in super().visible_fields()
            if field.name != "confirm_holiday" or self.holiday
        ]


def reason_field(label, *, required) -> forms.CharField:
    """The required reason of a status change; ``required`` is the message when it is empty."""
    return forms.CharField(
        label=label,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": required},
    )


class ReasonForm(VersionForm):
    """A change that takes a reason: cancelling a session (and, below, postponing it)."""

    reason = reason_field(_("Reason"), required=_("Give the reason."))

    field_order = ["reason", "version", "token"]


class PostponeForm(ReasonForm):
    new_date = forms.DateField(
        label=_("New date"),
        required=False,
        widget=DateInput(),
        help_text=_("Optional: a new planned session is created on this date."),
        error_messages=DATE_ERRORS,
        validators=[check_in_window],
    )
    new_start_time = forms.TimeField(label=_("New start time"), required=False, widget=TimeInput())
    confirm_holiday = holiday_confirmation_field()
    holiday = None

    def clean(self):
        cleaned = super().clean()
        check_holiday(self, cleaned.get("new_date"))
        return cleaned

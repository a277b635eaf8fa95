"""Forms for planning and changing sessions. Validation messages come from the models' rules."""

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs import permissions, selectors
from programs.models import Directive, LabourSession, Village
from programs.planning import PREFERRED_WEEK_CHOICES, Month


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


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, village):
        return f"{village} ({village.commune})"


class SessionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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
            self.fields["version"].initial = self.instance.version
        for name in ("other_village_reason", "partner", "planned_work", "notes"):
            self.fields[name].required = False

    def field_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class VersionForm(forms.Form):
    """The hidden fields every write form carries: the version of the session it was opened on
    (a stale save is refused) and a one-time token (a re-sent form changes nothing twice)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["token"].initial = uuid.uuid4()


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason.")},
    )

    field_order = ["reason", "version", "token"]


class PostponeForm(ReasonForm):
    new_date = forms.DateField(
        label=_("New date"),
        required=False,
        widget=DateInput(),
        help_text=_("Optional: a new planned session is created on this date."),
    )
    new_start_time = forms.TimeField(label=_("New start time"), required=False, widget=TimeInput())


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
    planned_work = forms.CharField(
        label=_("Planned work"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
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

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month and month.last < timezone.localdate():
            raise forms.ValidationError(
                _("%(month)s is over: a month entirely in the past cannot be planned."),
                params={"month": month.label},
                code="past",
            )
        return month


def cell_overrides(data, cells) -> tuple[dict[int, datetime.date], dict[int, str], dict[int, str]]:
    """Read the per-cell lines of the plan preview: ``date_<cell id>`` and ``work_<cell id>``.

    Returns the dates, the planned-work texts and the errors (cell id → message) for dates that
    do not parse.
    """
    field = forms.DateField(required=False)
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
        work = (data.get(f"work_{cell.pk}") or "").strip()
        if work:
            works[cell.pk] = work[:2000]
    return dates, works, errors


class CellChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, cell):
        return f"{cell} ({cell.committee})"


class SessionFilterForm(forms.Form):
    """The list's filters. Every choice is limited to the user's scope, so an id from outside
    it is refused like any other invalid value."""

    month = MonthField(label=_("Month"), required=False)
    committee = forms.ModelChoiceField(
        label=_("Party committee"),
        queryset=None,
        required=False,
        empty_label=_("All party committees"),
    )
    cell = CellChoiceField(
        label=_("Party cell"),
        queryset=None,
        required=False,
        empty_label=_("All party cells"),
    )
    village = VillageChoiceField(
        label=_("Village"),
        queryset=None,
        required=False,
        empty_label=_("All villages"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            *LabourSession.Status.choices,
            (selectors.LATE, selectors.LATE_LABEL),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = permissions.committees_visible_to(user).order_by("name")
        self.fields["cell"].queryset = (
            permissions.cells_visible_to(user)
            .select_related("committee")
            .order_by("committee__name", "name")
        )
        self.fields["village"].queryset = (
            permissions.villages_visible_to(user)
            .select_related("commune")
            .order_by("commune__name", "name")
        )
        self.committee_ids = None

    def clean(self):
        cleaned = super().clean()
        committee, cell = cleaned.get("committee"), cleaned.get("cell")
        if committee:
            self.committee_ids = selectors.committee_subtree_ids(committee)
            if cell and cell.committee_id not in self.committee_ids:
                self.add_error(
                    "cell",
                    forms.ValidationError(
                        _("This party cell does not belong to the chosen party committee."),
                        code="cell_outside_committee",
                    ),
                )
        return cleaned

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)

"""Forms for planning and changing sessions. Validation messages come from the models' rules."""

import datetime
import hashlib
import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs import permissions, selectors
from programs.logbook import OutputInput, PhotoInput
from programs.models import (
    Assignment,
    Directive,
    FundingSource,
    Household,
    LabourSession,
    Unit,
    Village,
)
from programs.photos import process_upload
from programs.planning import PREFERRED_WEEK_CHOICES, Month, holiday_name
from programs.reports.periods import in_window, outside_window_message
from programs.services import FormToken
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


class OneTimeTokenField(forms.UUIDField):
    """The hidden one-time token of a form that changes something (services.claim_form).

    A fresh token each time the form is shown; a re-shown form (errors, "add a row") keeps the
    one posted, since nothing was carried out yet. Optional, so a post without one is carried
    out as before, only without protection against a re-send.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)  # called at each rendering of an unbound form
        super().__init__(**kwargs)


def posted_token(request) -> FormToken | None:
    """The one-time token of the form posted in ``request``, with a digest of everything sent
    with it (address, fields, file names and sizes), so that services.claim_form can tell a
    re-sent copy from a form changed after it was sent. None without a valid token."""
    try:
        value = uuid.UUID(str(request.POST.get("token", "")))
    except ValueError:
        return None
    digest = hashlib.sha256(request.path.encode())
    for name, values in sorted(request.POST.lists()):
        if name != "csrfmiddlewaretoken":
            digest.update(repr((name, values)).encode())
    for name, files in sorted(request.FILES.lists()):
        digest.update(repr((name, [(f.name, f.size) for f in files])).encode())
    return FormToken(value, digest.hexdigest())


class TokenForm(forms.Form):
    """Only the one-time token, for a form whose other fields live elsewhere (the month plan's
    "create" button, the calendar address reset)."""

    token = OneTimeTokenField()


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


class VersionForm(forms.Form):
    """The hidden fields every write form carries: the version of the session it was opened on
    (a stale save is refused) and a one-time token (a re-sent form changes nothing twice)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    token = OneTimeTokenField()


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
        self._narrow_long_lists()

    # A province officer follows 1,500 cells in 1,800 villages: lists that long are unusable and
    # made the page a quarter of a megabyte, so above this size the cell and village lists only
    # offer those of the chosen committee. Any id in scope is still accepted when typed.
    OPTION_LIMIT = 300

    def _narrow_long_lists(self):
        raw = str(self.data.get("committee") or "")
        chosen = None
        if (
            raw.isascii()
            and raw.isdigit()
            and len(raw) < 19
            and self.fields["committee"].queryset.filter(pk=int(raw)).exists()
        ):
            chosen = permissions.committee_subtree_ids(int(raw))
        cells = self.fields["cell"].queryset
        villages = self.fields["village"].queryset
        if chosen is not None:
            shown_cells = cells.filter(committee_id__in=chosen)
            shown_villages = villages.filter(
                pk__in=Assignment.objects.filter(cell__committee_id__in=chosen).values("village_id")
            )
        elif cells.count() > self.OPTION_LIMIT:
            shown_cells, shown_villages = cells.none(), villages.none()
            for name in ("cell", "village"):
                self.fields[name].help_text = _("Choose a party committee first to list them.")
        else:
            return
        for name, shown in (("cell", shown_cells), ("village", shown_villages)):
            field = self.fields[name]
            selected = str(self.data.get(name) or "")
            if selected.isascii() and selected.isdigit() and len(selected) < 19:
                shown = shown | field.queryset.filter(pk=int(selected))
            field.widget.choices = [("", field.empty_label)] + [
                (obj.pk, field.label_from_instance(obj)) for obj in shown
            ]

    def clean(self):
        cleaned = super().clean()
        committee, cell = cleaned.get("committee"), cleaned.get("cell")
        if committee:
            self.committee_ids = permissions.committee_subtree_ids(committee.pk)
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


# --- The session log (sessions/<id>/log/) ---------------------------------------------------
# One page, several small forms posted together: LogForm (hidden version and token, counts,
# notes, the name search), AttendanceForm (one "came" box and one workdays box per person),
# OutputFormSet (rows of work done), PhotoEditForm (existing photos) and NewPhotoFormSet
# (upload slots). Choices are built once by the view and shared by every row, so rendering
# 20 rows costs no more queries than rendering one.

# A forged TOTAL_FORMS=100000 once kept a worker busy for seconds rendering rows: every formset
# builds at most this many rows and refuses a larger count with a message.
OUTPUT_ROWS_MAX = 50
NEW_PHOTOS_MAX = 10

WORKDAYS_MIN = Decimal("0.5")
WORKDAYS_MAX = Decimal("3")
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


class LogForm(VersionForm):
    unlisted_commune_cadres = forms.IntegerField(
        label=_("Commune cadres"), min_value=0, max_value=10_000, required=False
    )
    unlisted_armed_forces = forms.IntegerField(
        label=_("Armed forces"), min_value=0, max_value=10_000, required=False
    )
    unlisted_villagers = forms.IntegerField(
        label=_("Villagers"), min_value=0, max_value=10_000, required=False
    )
    notes = forms.CharField(
        label=_("Villagers' opinions and requests"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the villagers said or asked for, and what was answered."),
    )
    search = forms.CharField(
        label=_("Find people from other cells or levels"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Type part of a name, with or without diacritics, then press Find."),
    )

    def clean(self):
        cleaned = super().clean()
        for name in ("unlisted_commune_cadres", "unlisted_armed_forces", "unlisted_villagers"):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        return cleaned


class WorkdaysField(forms.DecimalField):
    """Django's step check converts the value to a float, and a value such as 1e309 becomes
    infinity and fails with a server error: a value out of range is refused before it."""

    def run_validators(self, value):
        if value is not None and value > self.max_value:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        if value is not None and value < self.min_value:
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value")
        super().run_validators(value)


class AttendanceForm(forms.Form):
    """A "came" checkbox and a workdays box for every person listed. Workdays count only for
    people ticked, so a value left in an unticked row is ignored rather than refused."""

    def __init__(self, *args, members, workdays: dict, found_ids=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        self.found_ids = found_ids
        for member in members:
            came, days = f"came_{member.pk}", f"workdays_{member.pk}"
            self.fields[came] = forms.BooleanField(
                label=str(member),
                required=False,
                initial=member.pk in workdays,
                widget=forms.CheckboxInput(attrs={"data-workdays": f"id_{days}"}),
            )
            self.fields[days] = WorkdaysField(
                label=_("Workdays"),
                required=False,
                min_value=WORKDAYS_MIN,
                max_value=WORKDAYS_MAX,
                step_size=WORKDAYS_MIN,
                max_digits=3,
                decimal_places=1,
                initial=workdays.get(member.pk, Decimal("1")),
                widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
                error_messages={
                    "min_value": _("At least half a workday (0.5)."),
                    "max_value": _("At most 3 workdays for one person."),
                    "step_size": _("Count whole or half days: 0.5, 1, 1.5 … 3."),
                },
            )

    def rows(self):
        for member in self.members:
            yield {
                "member": member,
                "came": self[f"came_{member.pk}"],
                "workdays": self[f"workdays_{member.pk}"],
                "found": member.pk in self.found_ids,
            }

    def clean(self):
        cleaned = super().clean()
        for member in self.members:
            days = f"workdays_{member.pk}"
            if not cleaned.get(f"came_{member.pk}"):
                self._errors.pop(days, None)
                cleaned.pop(days, None)
            elif cleaned.get(days) is None and days not in self._errors:
                self.add_error(days, _("Give the workdays of a person who came."))
        return cleaned

    def attendance(self) -> dict[int, Decimal]:
        return {
            member.pk: self.cleaned_data[f"workdays_{member.pk}"]
            for member in self.members
            if self.cleaned_data.get(f"came_{member.pk}")
        }


class WorkTypeSelect(forms.Select):
    """Options carry their work type's usual unit (``data-unit``) for the script that fills
    in the unit; without the script a blank unit means the same."""

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        unit = self.units.get(str(value))
        if unit:
            option["attrs"]["data-unit"] = unit
        return option


class OutputForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    work_type = forms.TypedChoiceField(
        label=_("Work type"), coerce=int, error_messages={"required": _("Choose the work type.")}
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=500,
        required=False,
        help_text=_("For example: laying precast concrete canal segments."),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": _("Give the quantity done."),
            "min_value": _("The quantity must be greater than zero."),
        },
    )
    unit = forms.ChoiceField(
        label=_("Unit"),
        required=False,
        choices=[("", _("the work type's usual unit")), *Unit.choices],
    )
    household = forms.TypedChoiceField(
        label=_("Beneficiary household"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _("Choose a household of the session's village from the list.")
        },
    )
    new_household_name = forms.CharField(
        label=_("Or a household not in the list: head of household"),
        max_length=120,
        required=False,
    )
    new_household_status = forms.ChoiceField(
        label=_("Its status"), choices=Household.Status.choices, initial=Household.Status.ORDINARY
    )
    value_vnd = forms.IntegerField(
        label=_("Money-equivalent value (VND)"),
        min_value=0,
        max_value=10**15,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    funding_source = forms.ChoiceField(
        label=_("Funding source"),
        required=False,
        choices=[("", "—"), *FundingSource.choices],
        help_text=_("Required when a value is given."),
    )

    def __init__(self, *args, work_types, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.work_types = {wt.pk: wt for wt in work_types}
        self.households = {h.pk: h for h in households}
        self.fields["work_type"].choices = [("", "—"), *((wt.pk, str(wt)) for wt in work_types)]
        self.fields["work_type"].widget = WorkTypeSelect(
            choices=self.fields["work_type"].choices,
            units={str(wt.pk): wt.default_unit for wt in work_types},
        )
        self.fields["household"].choices = [
            ("", _("none")),
            *((h.pk, f"{h} ({h.get_status_display()})") for h in households),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value_vnd") is not None and not cleaned.get("funding_source"):
            self.add_error("funding_source", _("Say who funded the value given."))
        if cleaned.get("household") and cleaned.get("new_household_name", "").strip():
            self.add_error(
                "new_household_name",
                _("Choose a household from the list or add a new one, not both."),
            )
        return cleaned

    def output_input(self):
        data = self.cleaned_data
        return OutputInput(
            id=data["id"],
            work_type=self.work_types[data["work_type"]],
            description=data["description"],
            quantity=data["quantity"],
            unit=data["unit"],
            household=self.households.get(data["household"]),
            new_household_name=data["new_household_name"].strip(),
            new_household_status=data["new_household_status"],
            value_vnd=data["value_vnd"],
            funding_source=data["funding_source"],
        )


class LimitedFormSet(forms.BaseFormSet):
    """A formset whose size is capped (``max_num`` = ``absolute_max``, see the factories
    below), with its messages in the user's language."""

    default_error_messages = {
        "missing_management_form": _(
            "The form arrived incomplete. Open the page again and re-enter your changes."
        ),
    }

    def size_errors(self):
        """Only the "too many rows" error, for a re-render that judges nothing else."""
        management = self.management_form
        if management.is_valid() and management.cleaned_data["TOTAL_FORMS"] > self.max_num:
            return self.error_class([self.error_messages["too_many_forms"] % {"num": self.max_num}])
        return self.error_class()


class BaseOutputFormSet(LimitedFormSet):
    default_error_messages = {
        "too_many_forms": _(
            "A log has at most %(num)d rows of work done. Combine or remove some rows."
        ),
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row")

    def output_inputs(self):
        # A row left empty is skipped (its cleaned_data is empty); a row kept unchanged is
        # sent too, since the service deletes the rows it is not given.
        return [
            form.output_input()
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


OutputFormSet = forms.formset_factory(
    OutputForm,
    formset=BaseOutputFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    max_num=OUTPUT_ROWS_MAX,
    absolute_max=OUTPUT_ROWS_MAX,
    validate_max=True,
)


class PhotoEditForm(forms.Form):
    """Captions and "delete" boxes of the photos already saved."""

    def __init__(self, *args, photos, **kwargs):
        super().__init__(*args, **kwargs)
        self.photos = photos
        for photo in photos:
            self.fields[f"caption_{photo.pk}"] = forms.CharField(
                label=_("Caption"), max_length=300, required=False, initial=photo.caption
            )
            self.fields[f"delete_{photo.pk}"] = forms.BooleanField(
                label=_("Delete this photo"), required=False
            )

    def rows(self):
        for photo in self.photos:
            yield {
                "photo": photo,
                "caption": self[f"caption_{photo.pk}"],
                "delete": self[f"delete_{photo.pk}"],
            }

    def captions(self) -> dict[int, str]:
        return {
            photo.pk: self.cleaned_data[f"caption_{photo.pk}"].strip()
            for photo in self.photos
            if not self.cleaned_data[f"delete_{photo.pk}"]
        }

    def deletes(self) -> set[int]:
        return {photo.pk for photo in self.photos if self.cleaned_data[f"delete_{photo.pk}"]}


class NewPhotoForm(forms.Form):
    """One upload slot. The file is checked by its content and re-encoded here, so a bad file
    is reported on its own slot while the rest of the log stays as typed."""

    image = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    keep_location = forms.BooleanField(
        label=_("Keep the GPS location of the photo"),
        required=False,
        help_text=_("Off by default: the location of a photo can show where someone lives."),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("image")
        if upload:
            try:
                cleaned["processed"] = process_upload(
                    upload, keep_location=cleaned.get("keep_location", False)
                )
            except forms.ValidationError as error:
                self.add_error("image", error)
        elif cleaned.get("caption", "").strip() and "image" not in self.errors:
            self.add_error("image", _("Choose the photo for this caption."))
        return cleaned

    def photo_input(self):
        return PhotoInput(
            processed=self.cleaned_data["processed"],
            caption=self.cleaned_data["caption"].strip(),
            keep_location=self.cleaned_data["keep_location"],
        )


class BaseNewPhotoFormSet(LimitedFormSet):
    default_error_messages = {
        "too_many_forms": _(
            "At most %(num)d photos can be added at a time. Save, then add the others."
        ),
    }

    def photo_inputs(self):
        return [form.photo_input() for form in self.forms if form.cleaned_data.get("processed")]


NewPhotoFormSet = forms.formset_factory(
    NewPhotoForm,
    formset=BaseNewPhotoFormSet,
    extra=3,
    max_num=NEW_PHOTOS_MAX,
    absolute_max=NEW_PHOTOS_MAX,
    validate_max=True,
)

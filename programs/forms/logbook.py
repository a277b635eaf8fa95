"""The session log's forms (sessions/<id>/log/) and the officer's sign-off reasons."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.forms.fields import bound_rows, optional_text
from programs.forms.sessions import ReasonForm, reason_field
from programs.forms.tokens import VersionForm
from programs.models import FundingSource, Household, Unit
from programs.models.sessions import (
    WORKDAYS_MAX,
    WORKDAYS_MESSAGES,
    WORKDAYS_MIN,
    WORKDAYS_STEP,
)
from programs.photos import process_upload
from programs.services.logbook import OutputInput, PhotoInput

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
    # Before opinions were rows of their own, everything heard went here; old logs keep it.
    notes = optional_text(
        _("Other notes"),
        max_length=10_000,
        rows=4,
        help_text=_(
            "Anything else said at the session. Write each opinion or request in its own row "
            "above, so that it is counted in the reports."
        ),
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
    """A person's workdays, within the limits ``Attendance`` sets (``WORKDAYS_MIN`` to
    ``WORKDAYS_MAX`` by ``WORKDAYS_STEP``) and with its messages; the page's input takes its
    min, max and step from here.

    Django's step check converts the value to a float, and a value such as 1e309 becomes
    infinity and fails with a server error: a value out of range is refused before it."""

    def __init__(self, **kwargs):
        super().__init__(
            min_value=WORKDAYS_MIN,
            max_value=WORKDAYS_MAX,
            step_size=WORKDAYS_STEP,
            max_digits=3,
            decimal_places=1,
            error_messages=WORKDAYS_MESSAGES,
            **kwargs,
        )

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
                initial=workdays.get(member.pk, Decimal("1")),
                widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
            )

    def rows(self):
        for row in bound_rows(self, "member", self.members, came="came_", workdays="workdays_"):
            yield {**row, "found": row["member"].pk in self.found_ids}

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
    """A formset whose size is capped (``max_num`` = ``absolute_max``, see
    ``limited_formset``), with its messages in the user's language."""

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


def limited_formset(form, formset, *, size: int, **options):
    """A formset class of ``form`` rows, ``formset`` a LimitedFormSet, that builds and accepts
    at most ``size`` rows."""
    return forms.formset_factory(
        form, formset=formset, max_num=size, absolute_max=size, validate_max=True, **options
    )


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


OutputFormSet = limited_formset(
    OutputForm,
    BaseOutputFormSet,
    size=OUTPUT_ROWS_MAX,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
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
        return bound_rows(self, "photo", self.photos, caption="caption_", delete="delete_")

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


NewPhotoFormSet = limited_formset(NewPhotoForm, BaseNewPhotoFormSet, size=NEW_PHOTOS_MAX, extra=3)


# --- The officer's sign-off: returning or reopening a log takes a reason ------------------------


class ReturnForm(ReasonForm):
    """Return a submitted log to the cell secretary, saying what needs correcting."""

    reason = reason_field(_("What needs correcting"), required=_("Say what needs correcting."))


class ReopenForm(ReasonForm):
    """Reopen a confirmed log so it can be corrected."""

    reason = reason_field(_("Reason"), required=_("Give the reason for reopening."))

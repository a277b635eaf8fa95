"""Villagers' opinions: the rows of the log form, the follow-up form of a confirmed log's
opinion, and the filters of the list of opinions (/opinions/)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.forms.fields import DATE_ERRORS, DateInput, check_in_window
from programs.forms.logbook import LimitedFormSet, limited_formset
from programs.forms.tokens import OneTimeTokenField
from programs.models import OpinionField, OpinionStatus
from programs.models.opinions import OPINION_TEXT_MAX
from programs.services.opinions import OpinionInput
from programs.text import vn_date

# As for work done: a forged TOTAL_FORMS builds no more rows than this.
OPINION_ROWS_MAX = 50
# Rows offered empty on a first display, so the page without its script takes a few opinions
# without a round trip for "Add a row".
OPINION_EXTRA_ROWS = 3


def _resolution_fields():
    return {
        "status": forms.ChoiceField(
            label=_("Status"), choices=OpinionStatus.choices, initial=OpinionStatus.RECEIVED
        ),
        "resolver": forms.CharField(
            label=_("Resolved by"),
            max_length=200,
            required=False,
            help_text=_("The body or person that settles it, for example UBND xã Bình An."),
        ),
        "resolved_on": forms.DateField(
            label=_("Resolved on"),
            required=False,
            widget=DateInput(),
            error_messages=DATE_ERRORS,
            help_text=_("Only when it is resolved."),
        ),
    }


def check_resolution(form, heard_on: datetime.date | None) -> None:
    """Resolved ⇔ a resolution date; the date neither before the session nor after today."""
    cleaned = form.cleaned_data
    status, day = cleaned.get("status"), cleaned.get("resolved_on")
    if "resolved_on" in form.errors:
        return
    try:
        check_in_window(day)
    except forms.ValidationError as error:
        form.add_error("resolved_on", error)
        return
    if status == OpinionStatus.RESOLVED and day is None:
        form.add_error("resolved_on", _("Give the date it was resolved."))
    elif status != OpinionStatus.RESOLVED and day is not None:
        form.add_error("resolved_on", _("Only a resolved opinion has a resolution date."))
    elif day and heard_on and day < heard_on:
        form.add_error(
            "resolved_on",
            _("It cannot be resolved before the session it was heard at (%(date)s).")
            % {"date": vn_date(heard_on)},
        )
    elif day and day > timezone.localdate():
        form.add_error("resolved_on", _("The resolution date cannot be in the future."))


class OpinionForm(forms.Form):
    """One opinion or request heard at the session."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("Opinion or request"),
        max_length=OPINION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the opinion or request.")},
    )
    field = forms.ChoiceField(
        label=_("Field"),
        choices=[("", "—"), *OpinionField.choices],
        error_messages={"required": _("Choose the field it is about.")},
    )
    village = forms.TypedChoiceField(
        label=_("Village concerned"),
        coerce=int,
        error_messages={"invalid_choice": _("Choose a village from the list.")},
    )

    def __init__(self, *args, villages, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_resolution_fields())
        self.session = session
        self.villages = {v.pk: v for v in villages}
        self.fields["village"].choices = [(v.pk, v.name) for v in villages]
        self.fields["village"].initial = session.village_id

    def clean(self):
        cleaned = super().clean()
        check_resolution(self, self.session.date)
        return cleaned

    def opinion_input(self) -> OpinionInput:
        data = self.cleaned_data
        return OpinionInput(
            id=data["id"],
            text=data["text"].strip(),
            field=data["field"],
            village=self.villages[data["village"]],
            status=data["status"],
            resolver=data["resolver"].strip(),
            resolved_on=data["resolved_on"],
        )


class BaseOpinionFormSet(LimitedFormSet):
    default_error_messages = {
        "too_many_forms": _(
            "A log has at most %(num)d villagers' opinions. Combine or remove some rows."
        ),
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this opinion")

    def opinion_inputs(self) -> list[OpinionInput]:
        # Empty rows are skipped; kept rows are sent too (the service deletes the others).
        return [
            form.opinion_input()
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


OpinionFormSet = limited_formset(
    OpinionForm,
    BaseOpinionFormSet,
    size=OPINION_ROWS_MAX,
    extra=OPINION_EXTRA_ROWS,
    can_delete=True,
    can_delete_extra=False,
)


def opinion_initial(opinion) -> dict:
    return {
        "id": opinion.pk,
        "text": opinion.text,
        "field": opinion.field,
        "village": opinion.village_id,
        "status": opinion.status,
        "resolver": opinion.resolver,
        "resolved_on": opinion.resolved_on,
    }


class OpinionFollowUpForm(forms.Form):
    """The follow-up of a confirmed log's opinion: status, who resolves it, when."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    token = OneTimeTokenField()

    def __init__(self, *args, opinion, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": opinion.version,
                "status": opinion.status,
                "resolver": opinion.resolver,
                "resolved_on": opinion.resolved_on,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields.update(_resolution_fields())
        self.opinion = opinion

    def clean(self):
        cleaned = super().clean()
        check_resolution(self, self.opinion.heard_on)
        return cleaned


class OpinionFilterForm(forms.Form):
    """/opinions/: which opinions to list. Bad values are dropped, never an error page."""

    OPEN = "open"
    ALL = "all"

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (OPEN, _("not resolved yet")),
            *OpinionStatus.choices,
            (ALL, _("all")),
        ],
    )
    field = forms.ChoiceField(
        label=_("Field"), required=False, choices=[("", _("all")), *OpinionField.choices]
    )
    village = forms.TypedChoiceField(label=_("Village"), required=False, coerce=int)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [
            ("", _("all")),
            *((v.pk, v.label_with_context) for v in villages),
        ]

    def filters(self) -> dict:
        """The valid filters; an invalid one falls back to its default."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "status": cleaned.get("status") or self.OPEN,
            "field": cleaned.get("field") or "",
            "village": cleaned.get("village") or None,
        }

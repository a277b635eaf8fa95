"""The forms of the report and compliance pages: the report's filters (a GET form whose values
``parse_period`` and ``resolve_scope`` check), the header and signature of a committee's
printed reports, and the compliance grid's filters."""

import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs import selectors
from programs.forms.fields import MonthField
from programs.forms.tokens import OneTimeTokenField
from programs.models import ReportSettings, ReportText
from programs.planning import Month, months_between


class ReportFilterForm(forms.Form):
    """The report's parameters as a GET form.

    Every field is plain text: ``parse_period`` and ``resolve_scope`` read and check the
    values (their messages are added to this form), so the form only shows them back.
    """

    committee = forms.CharField(label=gettext_lazy("Party committee"), required=False)
    directive = forms.CharField(label=gettext_lazy("Directive"), required=False)
    period = forms.CharField(
        label=gettext_lazy("Period"),
        required=False,
        widget=forms.Select(
            choices=[
                ("month", gettext_lazy("Month")),
                ("quarter", gettext_lazy("Quarter")),
                ("half", gettext_lazy("Half-year")),
                ("year", gettext_lazy("Year")),
                ("custom", gettext_lazy("From … to …")),
            ]
        ),
    )
    month = forms.CharField(
        label=gettext_lazy("Month (or a month in the quarter or half-year)"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-02"}),
    )
    year = forms.CharField(
        label=gettext_lazy("Year"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2026"}),
    )
    cell = forms.CharField(required=False, widget=forms.HiddenInput)
    commune = forms.CharField(
        label=gettext_lazy("Commune"),
        required=False,
        help_text=gettext_lazy(
            "Instead of a committee: the sessions held in the commune's villages while they "
            "belonged to it, communes that ended in a reform included."
        ),
    )
    village = forms.CharField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def choices_of(committees, directives, communes) -> tuple[list, list, list]:
        """The (value, label) choices of the committee, directive and commune lists, computed
        once (``views.reports`` keeps them in the cache)."""
        return (
            [(str(c.pk), c.name) for c in committees],
            [(str(d.pk), str(d)) for d in directives],
            [(str(c.pk), c.label_with_context) for c in communes],
        )

    def __init__(self, *args, committees, directives, communes=(), **kwargs):
        """``committees``, ``directives``, ``communes``: (value, label) pairs (``choices_of``)."""
        super().__init__(*args, **kwargs)
        if communes:
            self.fields["commune"].widget = forms.Select(choices=[("", "—"), *communes])
        else:
            self.fields["commune"].widget = forms.HiddenInput()
        self.fields["committee"].widget = forms.Select(
            choices=[("", _("My committee")), *committees]
        )
        self.fields["directive"].widget = forms.Select(
            choices=[("", _("All directives")), *directives]
        )
        # "from" is a Python keyword, so these two are named here rather than above.
        self.fields["from"] = forms.CharField(
            label=_("From (custom period)"),
            required=False,
            widget=forms.TextInput(attrs={"type": "date"}),
        )
        self.fields["to"] = forms.CharField(
            label=_("To (custom period)"),
            required=False,
            widget=forms.TextInput(attrs={"type": "date"}),
        )
        if not committees:
            # A cell secretary reports on their own cell; there is no committee to choose.
            self.fields["committee"].widget = forms.HiddenInput()


class ReportSettingsForm(forms.ModelForm):
    """The header and signature of a committee's printed reports, remembered per committee."""

    token = OneTimeTokenField()

    class Meta:
        model = ReportSettings
        # No number: a report gets its number when it is issued (services.issuing).
        fields = [
            "place",
            "superior_body",
            "signer_on_behalf",
            "signer_title",
            "signer_name",
            "recipients",
        ]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, defaults=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A blank field prints the default for the committee's kind: show it as the hint.
        for name, value in (defaults or {}).items():
            if value and name in self.fields:
                self.fields[name].widget.attrs["placeholder"] = value


class ReportTextForm(forms.ModelForm):
    """What the office types into the report before printing or issuing it (III.1, III.2)."""

    token = OneTimeTokenField()

    class Meta:
        model = ReportText
        fields = ["shortcomings", "proposals"]
        widgets = {
            "shortcomings": forms.Textarea(attrs={"rows": 3}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "shortcomings": gettext_lazy(
                "Printed after the shortcomings the report finds itself; one paragraph a line."
            ),
            "proposals": gettext_lazy("One paragraph a line, for example: - Đề nghị …"),
        }


# An unqualified period shows the current month and the five before it: half a year.
DEFAULT_MONTHS = 6


class ComplianceFilterForm(forms.Form):
    """The grid's filters, read from the query string (``committee``, ``directive``, ``from``,
    ``to``).

    The committee is a plain number here: whether it exists and is the user's to see is the
    view's fetch-and-check (a 404), not a form error. The directive is one of ``directives``
    (cleaned to the Directive itself). Missing months get the defaults in ``clean``, so the
    period checks see the period actually shown.
    """

    committee = forms.IntegerField(
        label=gettext_lazy("Party committee"),
        required=False,
        widget=forms.Select,
        error_messages={"invalid": gettext_lazy("Choose a party committee from the list.")},
    )
    directive = forms.TypedChoiceField(
        label=gettext_lazy("Directive (with the plans that implement it)"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Choose a directive from the list.")},
    )

    def __init__(self, *args, committees, today: datetime.date, directives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["committee"].widget.choices = [(c.pk, c.name) for c in committees]
        self.directives = {d.pk: d for d in directives}
        self.fields["directive"].choices = [("", _("All directives"))] + [
            (d.pk, str(d)) for d in directives
        ]
        # "from" is a Python keyword, so these two fields are named here rather than above.
        self.fields["from"] = MonthField(label=_("From month"), required=False)
        self.fields["to"] = MonthField(label=_("To month"), required=False)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        end = cleaned.get("to") or Month.of(self.today)
        start = cleaned.get("from")
        if start is None:
            start = end
            for _step in range(DEFAULT_MONTHS - 1):
                start = start.previous()
        if start > end:
            raise forms.ValidationError(
                _("The period ends (%(end)s) before it starts (%(start)s)."),
                params={"start": start.label, "end": end.label},
                code="reversed",
            )
        if len(months_between(start, end)) > selectors.MAX_COMPLIANCE_MONTHS:
            raise forms.ValidationError(
                _("Choose a period of at most %(max)s months."),
                params={"max": selectors.MAX_COMPLIANCE_MONTHS},
                code="too_long",
            )
        cleaned["from"], cleaned["to"] = start, end
        cleaned["directive"] = self.directives.get(cleaned.get("directive"))
        return cleaned

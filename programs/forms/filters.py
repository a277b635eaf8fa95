"""The session list's filters (month, committee, cell, village, status), limited to what the
user may see."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs import permissions, selectors
from programs.forms.fields import MonthField, VillageChoiceField
from programs.models import Assignment, LabourSession


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

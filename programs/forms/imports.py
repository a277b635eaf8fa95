"""The forms of the import page: the upload (sheet and file) and the confirmation, which
names the upload kept on the server instead of sending the file again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.forms.tokens import OneTimeTokenField
from programs.imports.readers import FileError, file_kind
from programs.imports.sheets import SHEETS

# The largest file the page takes: an office's sheet of a few thousand rows is well below it.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def sheet_choices():
    return [(kind, sheet.title) for kind, sheet in SHEETS.items()]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Sheet"), choices=sheet_choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx) or CSV saved by Excel; the first row holds the headers."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            file_kind(upload.name)
        except FileError as error:
            raise forms.ValidationError(str(error)) from error
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB: split it."))
        return upload


class ConfirmForm(forms.Form):
    """Carry out the previewed upload ``upload`` (kept on the server, keyed to the user)."""

    upload = forms.UUIDField(widget=forms.HiddenInput)
    token = OneTimeTokenField()

"""The news page's forms: what the item covers (sessions, photos, language), its edited text,
and the share card's switch."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import NewsDraft

from .tokens import VersionForm


class _CoverageFields(forms.Form):
    """The sessions and photos a news item covers, among those offered (``candidates``: the
    committee's confirmed sessions of the month; ``photos``: theirs)."""

    sessions = forms.TypedMultipleChoiceField(
        label=_("Sessions covered"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one session.")},
    )
    photos = forms.TypedMultipleChoiceField(
        label=_("Photos"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=NewsDraft.Language)

    def __init__(self, *args, candidates=(), photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].choices = [(s.pk, s.news_label) for s in candidates]
        self.fields["photos"].choices = [(p.pk, p.news_label) for p in photos]
        self._photo_sessions = {p.pk: p.session_id for p in photos}

    def clean(self):
        cleaned = super().clean()
        chosen = set(cleaned.get("sessions") or ())
        # A photo of a session left out is left out with it.
        cleaned["photos"] = [
            pk for pk in cleaned.get("photos") or () if self._photo_sessions.get(pk) in chosen
        ]
        return cleaned


class NewsSelectionForm(_CoverageFields):
    """Sent with GET: compose the item again from these sessions and photos."""


class NewsEditForm(VersionForm, _CoverageFields):
    """The edited text, saved with the coverage it was composed from (hidden here)."""

    headline = forms.CharField(label=_("Headline"), max_length=300)
    lead = forms.CharField(
        label=_("Lead"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The opening paragraph, printed in bold."),
    )
    body = forms.CharField(
        label=_("Body"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Paragraphs are separated by an empty line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("sessions", "photos"):
            self.fields[name].widget = forms.MultipleHiddenInput()
        self.fields["language"].widget = forms.HiddenInput()
        # A draft never saved is at version 0.
        self.fields["version"].min_value = 0


class ShareForm(VersionForm):
    """ "Công khai" or "Thu hồi": only the version of the draft and the one-time token."""

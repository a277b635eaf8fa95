"""The project's form renderer (programs/forms/renderer.py: the common widgets and the label
in Python, the rest from templates/django/forms/ and Django's templates) gives the same HTML as
Django's own templates, for every kind of widget and option, in both languages."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from programs.forms.renderer import PYTHON_WIDGETS, FormRenderer


class _Everything(forms.Form):
    name = forms.CharField(label="Tên", max_length=20, help_text="Họ và tên")
    count = forms.IntegerField(required=False, min_value=0)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "autofocus": True}))
    agree = forms.BooleanField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(
        choices=[("", "---"), ("a", "<A & B>"), ("b", "Bê")],
        widget=forms.Select(attrs={"data-x": "1", "disabled": False, "required": True}),
    )
    grouped = forms.ChoiceField(
        choices=[("Nhóm 1", [("1", "Một"), ("2", "Hai")]), ("3", "Ba"), ("Nhóm 2", [("4", "Bốn")])]
    )
    many = forms.MultipleChoiceField(choices=[(1, "Một"), (2, "Hai"), (3, "Ba")], required=False)
    radio = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
    text = forms.CharField(widget=forms.Textarea, required=False)
    email = forms.EmailField(label=gettext_lazy("Email address"), required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    at = forms.TimeField(initial=datetime.time(7, 30), required=False)
    amount = forms.DecimalField(initial=Decimal("1234.5"), required=False, decimal_places=2)
    # Labels that are numbers are localised (1.500 in Vietnamese), safe ones left as they are.
    figures = forms.ChoiceField(
        choices=[(1500, 1500), (Decimal("0.5"), Decimal("0.5")), ("s", mark_safe("<b>x</b>"))],
        required=False,
    )
    ticks = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )
    files = forms.FileField(required=False)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": "<b>Hà</b>", "count": "3", "kind": "a", "grouped": "4", "many": ["1", "3"]},
        {"name": "", "count": "-1", "kind": "z", "grouped": "2", "radio": "y", "agree": "on"},
        {"text": 'a <b> & "c"\n', "email": "x@y", "secret": 'p"w', "at": "8:00", "figures": "s"},
    ],
)
def test_widgets_and_labels_render_as_with_djangos_templates(data, language):
    project, django = get_default_renderer(), DjangoTemplates()
    assert isinstance(project, FormRenderer)  # the project's renderer is in use
    translation.activate(language)
    form = _Everything(data)
    for field in form:
        theirs = field.field.widget.render(
            field.html_name, field.value(), attrs={"id": field.auto_id}, renderer=django
        )
        ours = field.field.widget.render(
            field.html_name, field.value(), attrs={"id": field.auto_id}, renderer=project
        )
        assert ours == theirs, field.name
        attrs = {"class": "x", "hidden": True, "off": False}
        form.renderer = project
        label_ours = field.label_tag(attrs=attrs)
        form.renderer = django
        label_theirs = field.label_tag(attrs=attrs)
        assert label_ours == label_theirs, field.name
        # No attributes: a radio list's label has no "for" and passes none (None).
        form.renderer = project
        bare_ours = field.label_tag()
        form.renderer = django
        assert bare_ours == field.label_tag(), field.name
        assert "<label" in label_ours


def test_every_widget_written_in_python_is_compared_above():
    kinds = {field.widget.template_name for field in _Everything.base_fields.values()} & set(
        PYTHON_WIDGETS
    )
    # date.html, text.html and the rest include input.html: one of them stands for all.
    assert kinds >= {
        "django/forms/widgets/text.html",
        "django/forms/widgets/number.html",
        "django/forms/widgets/checkbox.html",
        "django/forms/widgets/select.html",
        "django/forms/widgets/textarea.html",
        "django/forms/widgets/email.html",
        "django/forms/widgets/password.html",
        "django/forms/widgets/time.html",
    }

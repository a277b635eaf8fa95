"""The project's stand-ins for Django's widget templates (templates/django/forms/, which render
without a template include per option and per attribute list) give the same HTML as Django's
own, for every kind of widget and option they cover."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer


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


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": "<b>Hà</b>", "count": "3", "kind": "a", "grouped": "4", "many": ["1", "3"]},
        {"name": "", "count": "-1", "kind": "z", "grouped": "2", "radio": "y", "agree": "on"},
    ],
)
def test_widgets_and_labels_render_as_with_djangos_templates(data):
    project, django = get_default_renderer(), DjangoTemplates()
    assert not isinstance(project, DjangoTemplates)  # the project's templates are in use
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
        assert "<label" in label_ours

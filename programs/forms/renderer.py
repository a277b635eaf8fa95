"""The form renderer: Django's ``TemplatesSetting`` (forms render with the project's template
settings), with the widgets a page renders most — inputs, selects with their options, text
areas and labels — written in Python instead of rendered from their templates.

A log page renders some ninety widgets and sixty labels: from templates that was half the
page's time (about 4 ms a widget, with its variable lookups, filters and context copies), in
Python a tenth of it. The HTML is Django's own, character for character
(tests/test_form_templates.py compares every widget kind with Django's templates); anything
else — radios, checkboxes in a list, file inputs, a select with options of another template —
is rendered from its template as before. templates/django/forms/widgets/input.html stands in
for Django's with the same HTML and no include per attribute list, for the radio and checkbox
options that include it.
"""

from types import SimpleNamespace

from django.forms.renderers import TemplatesSetting
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

# What a template's {{ value }} does to a value, in the context a form renderer gives
# (autoescape on, the active language's number formats and time zone).
_CONTEXT = SimpleNamespace(autoescape=True, use_l10n=None, use_tz=None)
_SELECT_OPTION = "django/forms/widgets/select_option.html"


def _shown(value) -> str:
    """``{{ value }}``."""
    return render_value_in_context(value, _CONTEXT)


def _as_text(value) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe string safe (is_safe)."""
    text = stringformat(value, "s")
    return _shown(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: dict | None) -> str:
    """django/forms/widgets/attrs.html (no attributes at all is None for a label)."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_as_text(value)}"'
        for name, value in (attrs or {}).items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{_as_text(value)}"' if value != None else ""  # noqa: E711 (as {% if %})
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    value = _shown(widget["value"]) if widget["value"] else ""
    attrs = _attrs(widget["attrs"])
    return f'<textarea name="{_shown(widget["name"])}"{attrs}>\n{value}</textarea>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _SELECT_OPTION:
                return None  # an option of its own template: the select's template renders it
            parts.append(
                f'\n  <option value="{_as_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context: dict) -> str:
    if not context["use_tag"]:
        return _shown(context["label"])
    tag = _shown(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_shown(context['label'])}</{tag}>"


_INPUT_KINDS = (
    "checkbox color date datetime email hidden input number password search tel text time url"
)
PYTHON_WIDGETS = {
    **{f"django/forms/widgets/{kind}.html": _input for kind in _INPUT_KINDS.split()},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class FormRenderer(TemplatesSetting):
    """``TemplatesSetting``, with the common widgets and the label in Python (see above)."""

    def render(self, template_name, context, request=None):
        if template_name == "django/forms/label.html":
            return _label(context).strip()
        render = PYTHON_WIDGETS.get(template_name)
        html = render(context["widget"]) if render else None
        if html is None:
            return super().render(template_name, context, request=request)
        return html.strip()  # as the template's output is

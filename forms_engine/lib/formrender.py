"""Form markup without a template per widget and per field.

A step page of 20 fields used to render 40 small templates (one field include
and one widget template each, the widget's own includes not counted): about
two thirds of the page's time (docs/performance.md). Two pieces replace them:

- `WidgetRenderer` (settings.FORM_RENDERER): the widgets Django renders with
  `django/forms/widgets/{input,text,…,select,textarea}.html` are written here
  in Python, byte for byte what those templates give (asserted against
  Django's own templates in tests/lib/test_formrender.py). Every other
  template (a widget with a template of its own, the admin's, a whole form)
  goes through the template engine as before.
- `kern_field(bound)`: one field in KERN markup (label, hint, error, control;
  a fieldset and legend for a group of radios or checkboxes), what
  `wizard/_field.html` used to write. Each part is its own small function, so
  adding to a field (a marker next to the label, a second hint) is one
  function here and one line in `kern_field`.

Everything written here is escaped as `{{ }}` does (`_esc`: what is safe stays, the rest is escaped).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDGETS = "django/forms/widgets/"


def _esc(value: Any) -> str:
    """`conditional_escape` without its lazy-string wrapper (called some 300 times a page)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def html_attrs(attrs: Mapping[str, Any]) -> str:
    """`django/forms/widgets/attrs.html`: False leaves the attribute out, True
    writes it without a value."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_esc(name)}")
        else:
            parts.append(f' {_esc(name)}="{_esc(str(value))}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_esc(str(value))}"'
    return f'<input type="{_esc(widget["type"])}" name="{_esc(widget["name"])}"{shown}{html_attrs(widget["attrs"])}>'


def _input_widget(context: Mapping[str, Any]) -> str:
    # text.html, email.html, …: `{% include "django/forms/widgets/input.html" %}`.
    return _input(context["widget"])


def _textarea(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = _esc(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_esc(widget["name"])}"{html_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option: Mapping[str, Any]) -> str:
    return f'<option value="{_esc(str(option["value"]))}"{html_attrs(option["attrs"])}>{_esc(option["label"])}</option>'


def _select(context: Mapping[str, Any]) -> str | None:
    widget = context["widget"]
    parts = [f'<select name="{_esc(widget["name"])}"{html_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_esc(group_name)}">')
        for option in group_choices:
            if option["template_name"] != WIDGETS + "select_option.html":
                return None  # an option template of its own: the template engine renders it
            parts.append("\n  " + _option(option) + "\n")  # the option template's own newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


INPUT_TEMPLATES = [
    *("input", "checkbox", "color", "date", "datetime", "email", "file", "hidden"),
    *("number", "password", "search", "tel", "text", "time", "url"),
]
PYTHON_WIDGETS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{f"{WIDGETS}{name}.html": _input_widget for name in INPUT_TEMPLATES},
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "select.html": _select,
}


class WidgetRenderer(DjangoTemplates):
    """Django's default form renderer, with the plain widgets written in Python
    (like the template renderer, without leading or trailing whitespace).
    A project template that overrides one of those widget templates would be
    ignored: there is none (the test of this module would notice one)."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        python = PYTHON_WIDGETS.get(template_name)
        if python is not None and "widget" in context:
            html = python(context)
            if html is not None:
                return html
        return super().render(template_name, context, request)


# --- one field in KERN markup (the citizen pages) ----------------------------

GROUP_WIDGETS = {"radioselect", "checkboxselectmultiple"}


def _optional(bound: forms.BoundField) -> str:
    if bound.field.required:
        return ""
    return f' <span class="kern-label__optional">({_esc(_("optional"))})</span>'


def _hint(bound: forms.BoundField) -> str:
    if not bound.help_text:
        return ""
    return f'<div class="kern-hint" id="{_esc(bound.auto_id)}_hint">{_esc(bound.help_text)}</div>'


def _error(bound: forms.BoundField) -> str:
    if not bound.errors:
        return ""
    messages = " ".join(_esc(message) for message in bound.errors)
    return (
        f'<p class="kern-error" id="{_esc(bound.auto_id)}_error">'
        f'<span class="visually-hidden">{_esc(_("Error"))}:</span> {messages}</p>'
    )


def _label(bound: forms.BoundField, *, optional: bool = True) -> str:
    return (
        f'<label class="kern-label" for="{_esc(bound.id_for_label)}">{_esc(bound.label)}'
        f"{_optional(bound) if optional else ''}</label>"
    )


def _group(bound: forms.BoundField, widget_type: str) -> str:
    """Radios or checkboxes: a fieldset whose legend is the question."""
    kind = "radio" if widget_type == "radioselect" else "checkbox"
    error_class = f" kern-form-check__{kind}--error" if bound.errors else ""
    field_id = _esc(bound.auto_id)
    described = [f"{field_id}_hint"] if bound.help_text else []
    described += [f"{field_id}_error"] if bound.errors else []
    describedby = f' aria-describedby="{" ".join(described)}"' if described else ""
    options = []
    for option in bound.subwidgets:
        data = option.data
        option_id = _esc(option.id_for_label)
        checked = " checked" if data["selected"] else ""
        options.append(
            f'<div class="kern-form-check">\n'
            f'<input type="{kind}" class="kern-form-check__{kind}{error_class}"\n'
            f'name="{_esc(data["name"])}" id="{option_id}" value="{_esc(str(data["value"]))}"{checked}>\n'
            f'<label class="kern-label" for="{option_id}">{_esc(option.choice_label)}</label>\n'
            f"</div>"
        )
    fieldset_class = "kern-fieldset kern-fieldset--error" if bound.errors else "kern-fieldset"
    return (
        f'<fieldset class="{fieldset_class}" id="{field_id}"{describedby}>\n'
        f'<legend class="kern-label">{_esc(bound.label)}{_optional(bound)}</legend>\n'
        f"{_hint(bound)}\n{_error(bound)}\n"
        f'<div class="kern-fieldset__body">\n' + "\n".join(options) + "\n</div>\n</fieldset>"
    )


def kern_field(bound: forms.BoundField) -> SafeString:
    """One field of a citizen form; hints and errors are tied to the control by
    aria-describedby (set on the widget by lib/forms.decorate_field)."""
    widget_type = bound.widget_type
    if widget_type in GROUP_WIDGETS:
        html = _group(bound, widget_type)
    elif widget_type == "checkbox":
        html = (
            f'<div class="kern-form-check" id="{_esc(bound.auto_id)}_wrapper">\n{_error(bound)}\n'
            f"{bound}\n{_label(bound, optional=False)}\n{_hint(bound)}\n</div>"
        )
    elif widget_type == "hidden":
        html = f"{bound}\n"
    else:
        html = f'<div class="kern-form-input">\n{_label(bound)}\n{_hint(bound)}\n{_error(bound)}\n{bound}\n</div>'
    return mark_safe(html)  # every value above is escaped

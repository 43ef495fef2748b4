"""Small template filters of the citizen flow."""

from __future__ import annotations

from typing import Any

from django import template

from forms_engine.lib.formrender import kern_field as render_kern_field

register = template.Library()


@register.filter
def summary_item(label: Any, error: Any) -> str:
    """One line of the error summary: "Label: message", without doubled
    punctuation ("…gelesen.: Bitte…"), or the message alone when it names the
    field already (the specific required messages do)."""
    label_text, error_text = str(label or "").strip().rstrip(".:?!"), str(error)
    if not label_text or label_text in error_text:
        return error_text
    return f"{label_text}: {error_text}"


@register.simple_tag
def kern_field(field: Any) -> str:
    """One form field in KERN markup (lib/formrender.kern_field), without a template include."""
    return render_kern_field(field)

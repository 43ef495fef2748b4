"""Form rendering helpers: KERN classes and accessible wiring on every widget."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def decorate_field(bound: forms.BoundField) -> None:
    """Tie hint and error to the input (aria-describedby), mark invalid fields."""
    widget = bound.field.widget
    attrs = widget.attrs
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}_hint")
    if bound.errors:
        described.append(f"{bound.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if isinstance(widget, forms.CheckboxInput):
        attrs.setdefault("class", "kern-form-check__checkbox")
    elif isinstance(widget, forms.RadioSelect):
        attrs.setdefault("class", "kern-form-check__radio")
    elif isinstance(widget, forms.CheckboxSelectMultiple):
        attrs.setdefault("class", "kern-form-check__checkbox")
    elif isinstance(widget, forms.Select):
        attrs.setdefault("class", "kern-form-input__select")
    elif isinstance(widget, forms.Textarea):
        attrs.setdefault("class", "kern-form-input__input kern-textarea")
    elif not isinstance(widget, forms.HiddenInput):
        attrs.setdefault("class", "kern-form-input__input")
    if bound.field.required and not isinstance(widget, forms.CheckboxInput):
        attrs.setdefault("aria-required", "true")


def specific_required_message(field: forms.Field) -> str:
    """ "Geben Sie „Nachname“ an." instead of twelve times "Dieses Feld ist
    zwingend erforderlich.": named after the field, worded after its kind."""
    label = str(field.label or "").strip().rstrip(".:?!")
    if isinstance(field.widget, forms.CheckboxInput):
        return _("Please confirm: %(label)s.") % {"label": label}
    if isinstance(field.widget, (*CHOICE_WIDGETS, forms.Select)):
        return _("Choose an answer for “%(label)s”.") % {"label": label}
    if isinstance(field, forms.FileField):
        return _("Choose a file for “%(label)s”.") % {"label": label}
    return _("Enter “%(label)s”.") % {"label": label}


class KernFormMixin:
    """Mix into a Form: widgets get KERN classes and ARIA wiring when rendered;
    a required field without a message of its own (error_messages={"required":
    ...}, declared with the field) gets one that names it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        generic = str(forms.Field.default_error_messages["required"])
        for field in self.fields.values():  # type: ignore[attr-defined]
            if field.required and field.label and str(field.error_messages.get("required", "")) == generic:
                field.error_messages = {**field.error_messages, "required": specific_required_message(field)}

    def __getitem__(self, name: str) -> Any:
        bound = super().__getitem__(name)  # type: ignore[misc]
        decorate_field(bound)
        return bound

    def is_choice(self, name: str) -> bool:
        return isinstance(self.fields[name].widget, CHOICE_WIDGETS)  # type: ignore[attr-defined]

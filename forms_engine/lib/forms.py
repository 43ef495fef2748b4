"""Form rendering helpers: KERN classes and accessible wiring on every widget."""

from __future__ import annotations

from typing import Any

from django import forms

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


class KernFormMixin:
    """Mix into a Form: widgets get KERN classes and ARIA wiring when rendered."""

    def __getitem__(self, name: str) -> Any:
        bound = super().__getitem__(name)  # type: ignore[misc]
        decorate_field(bound)
        return bound

    def is_choice(self, name: str) -> bool:
        return isinstance(self.fields[name].widget, CHOICE_WIDGETS)  # type: ignore[attr-defined]

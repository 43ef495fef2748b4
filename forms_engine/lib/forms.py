"""Form rendering helpers: KERN classes and accessible wiring on every widget."""

from __future__ import annotations

from typing import Any, ClassVar

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


def declared_required_messages(form_class: type) -> dict[str, Any]:
    """The `required_messages` of a form class and its bases, the subclass's winning."""
    messages: dict[str, Any] = {}
    for klass in reversed(form_class.__mro__):
        messages.update(vars(klass).get("required_messages", {}))
    return messages


class KernFormMixin:
    """Mix into a Form: widgets get KERN classes and ARIA wiring when rendered.
    The form declares what to say when a required field is left empty, next to
    its fields: `required_messages = {"nachname": _("Enter your surname.")}`
    (subclasses add to their bases'; a field's own error_messages={"required": ...}
    counts too). A field without one gets a message derived from its label, and
    its name is in `derived_required_messages`, which the tests keep empty."""

    required_messages: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        generic = str(forms.Field.default_error_messages["required"])
        declared = declared_required_messages(type(self))
        self.derived_required_messages: set[str] = set()
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if name in declared:
                field.error_messages = {**field.error_messages, "required": declared[name]}
            elif field.required and field.label and str(field.error_messages.get("required", "")) == generic:
                field.error_messages = {**field.error_messages, "required": specific_required_message(field)}
                self.derived_required_messages.add(name)

    def __getitem__(self, name: str) -> Any:
        bound = super().__getitem__(name)  # type: ignore[misc]
        decorate_field(bound)
        return bound

    def is_choice(self, name: str) -> bool:
        return isinstance(self.fields[name].widget, CHOICE_WIDGETS)  # type: ignore[attr-defined]

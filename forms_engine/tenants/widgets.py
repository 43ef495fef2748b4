"""The accent colour field: the #rrggbb text box stays (it is what is saved and
validated, contrast check included), and a colour picker beside it fills it in.
Without JavaScript the picker stays hidden and the text box works alone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from forms_engine.lib.contrast import HEX_COLOUR, WCAG_AA_NORMAL_TEXT


class ColourInput(forms.TextInput):
    class Media:
        js = ["gemeinsam/colour-picker.js"]

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"size": 8, "maxlength": 7, "pattern": "#[0-9a-fA-F]{6}", **(attrs or {})})

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        text = super().render(name, value, attrs, renderer)
        field_id = (attrs or {}).get("id") or f"id_{name}"
        start = value if isinstance(value, str) and HEX_COLOUR.match(value) else "#004b87"
        return format_html(
            '<span class="colour-field">{} <input type="color" class="colour-picker" value="{}" '
            'data-for="{}" aria-label="{}" hidden> <span class="colour-contrast" data-for="{}" '
            'data-needed="{}" data-text="{}" data-low="{}" aria-live="polite"></span></span>',
            text,
            start.lower(),
            field_id,
            _("Choose the accent colour"),
            field_id,
            WCAG_AA_NORMAL_TEXT,
            _("Contrast against white: {ratio}:1."),
            _("Too low: at least {needed}:1 is needed. Choose a darker colour."),
        )

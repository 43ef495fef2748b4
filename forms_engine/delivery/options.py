"""The typed settings of a delivery channel: a Django form per channel.

A channel's `options.py` declares a `ChannelOptionsForm` subclass with ordinary,
translated fields and help texts. The delivery-target admin renders those fields;
nobody types JSON. Fields named in `secret_fields` are stored encrypted at rest
(`DeliveryTarget.secrets`, the same rotatable keys as submissions), rendered as an
empty password box and never shown again: leaving it empty keeps the stored
secret, typing a new one replaces it.

`cleaned_data` must be JSON-serialisable (str, bool, int, lists of those): it is
what the channel reads at delivery time, through `DeliveryTarget.settings()`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _


class ChannelOptionsForm(forms.Form):
    secret_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, stored_secrets: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stored_secrets = {k: v for k, v in (stored_secrets or {}).items() if v}
        for name in self.secret_fields:
            field = self.fields[name]
            field.widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
            if name in self.stored_secrets:
                field.required = False
                field.help_text = _(
                    "A secret is stored; it is never shown again. Leave this empty to keep it, "
                    "or type a new one to replace it."
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.secret_fields:
            if not cleaned.get(name) and name in self.stored_secrets and name not in self.errors:
                cleaned[name] = self.stored_secrets[name]
        return cleaned

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(plain options, secrets) of a valid form, ready to store."""
        options = {k: v for k, v in self.cleaned_data.items() if k not in self.secret_fields}
        secrets = {k: v for k, v in self.cleaned_data.items() if k in self.secret_fields}
        return options, secrets

    @classmethod
    def initial_from(cls, options: dict[str, Any]) -> dict[str, Any]:
        """Initial field values from stored (non-secret) options; override where
        the stored form differs from the typed one (a list shown as text)."""
        return {k: v for k, v in options.items() if k in cls.base_fields and k not in cls.secret_fields}


def validate(
    form_class: type[ChannelOptionsForm], data: dict[str, Any], stored_secrets: dict[str, Any] | None = None
) -> ChannelOptionsForm:
    """Bind and validate options given as a dict (code, the demo, tests); a
    field left out takes its initial value, as on an untouched form."""
    given = form_class.initial_from(data) | {k: v for k, v in data.items() if k in form_class.secret_fields}
    defaults = {name: field.initial for name, field in form_class.base_fields.items() if field.initial is not None}
    form = form_class(data=defaults | given, stored_secrets=stored_secrets)
    form.is_valid()
    return form

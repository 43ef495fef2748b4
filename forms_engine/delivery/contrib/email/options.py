"""The email channel's settings: who receives, and whether documents go along."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from forms_engine.delivery.options import ChannelOptionsForm


class EmailOptionsForm(ChannelOptionsForm):
    to = forms.CharField(
        label=_("Recipients"),
        max_length=1000,
        help_text=_("Email addresses of the back office, separated by commas, e.g. jugendamt@city.example."),
    )
    include_attachments = forms.BooleanField(
        label=_("Include uploaded documents"),
        required=False,
        initial=True,
        help_text=_("Attach the citizen's documents to the email, not only the PDF and the data."),
    )

    def clean_to(self) -> list[str]:
        addresses = [a.strip() for a in str(self.cleaned_data["to"]).replace(";", ",").split(",") if a.strip()]
        if not addresses:
            raise ValidationError(_("At least one recipient is needed."))
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError as exc:
                raise ValidationError(
                    _("“%(address)s” is not a valid email address."), params={"address": address}
                ) from exc
        return addresses

    @classmethod
    def initial_from(cls, options: dict[str, Any]) -> dict[str, Any]:
        initial = super().initial_from(options)
        if isinstance(initial.get("to"), list):
            initial["to"] = ", ".join(str(a) for a in initial["to"])
        return initial

"""The webhook channel's settings: where to POST, and the shared signing secret."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.delivery.options import ChannelOptionsForm
from forms_engine.lib.outbound import check_url


class WebhookOptionsForm(ChannelOptionsForm):
    secret_fields = ("secret",)

    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a valid address, e.g. https://fachverfahren.city.example/eingang.")},
        help_text=_(
            "The back office's HTTPS address that receives each submission, e.g. https://fachverfahren.city.example/eingang."
        ),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        min_length=16,
        max_length=200,
        strip=False,
        help_text=_(
            "At least 16 characters, agreed with the back office. Each request is signed with it "
            "(HMAC-SHA256 in the X-Gemeinsam-Signature header)."
        ),
    )

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"]).strip()
        check_url(url)
        return url

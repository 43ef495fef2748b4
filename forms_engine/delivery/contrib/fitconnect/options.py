"""The FIT-Connect channel's settings: environment (or custom base URLs),
OAuth2 sender client, and a fixed destination or routing by LeiKa key and AGS."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forms_engine.delivery.options import ChannelOptionsForm
from forms_engine.lib.outbound import check_url

from .crypto import load_trust_anchors

URL_FIELDS = ("token_url", "submission_url", "routing_url", "portal_jwks_url")


class FitConnectOptionsForm(ChannelOptionsForm):
    secret_fields = ("client_secret",)

    environment = forms.ChoiceField(
        label=_("Environment"),
        choices=[
            ("test", _("Test environment (FITKO)")),
            ("stage", _("Reference environment (stage)")),
            ("prod", _("Production")),
            ("custom", _("Own addresses")),
        ],
        initial="test",
        help_text=_("Which FIT-Connect installation to deliver to. 'Own addresses' uses the four addresses below."),
    )
    token_url = forms.URLField(
        label=_("Token address"), required=False, assume_scheme="https", help_text=_("Only for own addresses.")
    )
    submission_url = forms.URLField(
        label=_("Submission API address"),
        required=False,
        assume_scheme="https",
        help_text=_("Only for own addresses; without the version, e.g. https://zustelldienst.example."),
    )
    routing_url = forms.URLField(
        label=_("Routing API address"), required=False, assume_scheme="https", help_text=_("Only for own addresses.")
    )
    portal_jwks_url = forms.URLField(
        label=_("Key address of the self-service portal"),
        required=False,
        assume_scheme="https",
        help_text=_("Only for own addresses: the JWKS that signs the destination signatures of the routing."),
    )
    api_version = forms.RegexField(
        label=_("API version"),
        regex=r"^v\d+$",
        initial="v1",
        error_messages={"invalid": _("Enter the version as v1, v2, …")},
        help_text=_("Path prefix of the Submission API, e.g. v1."),
    )
    client_id = forms.CharField(
        label=_("Client ID"), max_length=200, help_text=_("Of the sender client created in the self-service portal.")
    )
    client_secret = forms.CharField(
        label=_("Client secret"), max_length=500, strip=False, help_text=_("Of the same sender client.")
    )
    destination_id = forms.UUIDField(
        label=_("Destination ID"),
        required=False,
        help_text=_("Fixed destination of the back office. Leave empty to find it by routing (LeiKa key and AGS)."),
    )
    routing_cache_seconds = forms.IntegerField(
        label=_("Routing cache (seconds)"),
        min_value=0,
        max_value=7 * 24 * 3600,
        initial=3600,
        help_text=_("How long a destination found by routing is reused."),
    )
    trust_anchors = forms.CharField(
        label=_("Trust anchors (PEM)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Root certificates the destination's encryption key must chain to (production: the "
            "Verwaltungs-PKI root). Empty: the chain is not checked, which only the test environment allows."
        ),
    )

    def clean_destination_id(self) -> str:
        value = self.cleaned_data.get("destination_id")
        return str(value) if value else ""

    def clean_trust_anchors(self) -> str:
        pem = str(self.cleaned_data.get("trust_anchors") or "").strip()
        if pem:
            try:
                load_trust_anchors(pem)
            except ValueError as exc:
                raise ValidationError(_("These are no PEM certificates.")) from exc
        return pem

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        environment = cleaned.get("environment")
        if environment == "custom":
            for name in ("token_url", "submission_url"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Own addresses need this address."))
            for name in URL_FIELDS:
                if cleaned.get(name) and name not in self.errors:
                    self._check(name, str(cleaned[name]))
        else:
            for name in URL_FIELDS:
                cleaned[name] = ""
        if environment == "prod" and not cleaned.get("trust_anchors") and "trust_anchors" not in self.errors:
            self.add_error("trust_anchors", _("Production needs the trust anchors of the Verwaltungs-PKI."))
        return cleaned

    def _check(self, name: str, url: str) -> None:
        try:
            check_url(url)
        except ValidationError as exc:
            self.add_error(name, exc)

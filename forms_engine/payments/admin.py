from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forms_engine.lib import outbound
from forms_engine.staff.admin_site import CityOwnedAdmin, site

from .models import PaymentProvider, PaymentRequest

METHODS = ("GIROPAY", "PAYDIRECT", "CREDITCARD", "PAYPAL", "OTHER")


class PaymentProviderForm(forms.ModelForm):  # type: ignore[type-arg]
    secret = forms.CharField(
        label=_("password / client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. Leave empty to keep the current one."),
    )

    class Meta:
        model = PaymentProvider
        fields = [
            "city", "enabled", "base_url", "originator_id", "endpoint_id", "auth", "username", "secret",
            "oauth_url", "client_certificate", "server_ca", "methods", "purpose_template",
        ]  # fmt: skip

    def clean_secret(self) -> str:
        value = self.cleaned_data.get("secret") or ""
        return value or (self.instance.secret if self.instance.pk else "")

    def clean_methods(self) -> str:
        methods = [m.strip().upper() for m in (self.cleaned_data.get("methods") or "").split(",") if m.strip()]
        unknown = [m for m in methods if m not in METHODS]
        if unknown:
            raise ValidationError(_("Unknown payment method: %(m)s") % {"m": ", ".join(unknown)})
        return ",".join(methods)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in ("base_url", "oauth_url"):
            if data.get(key):
                try:
                    outbound.check_url(data[key])
                except ValidationError as exc:
                    self.add_error(key, exc)
        for key in ("originator_id", "endpoint_id"):
            value = data.get(key) or ""
            if value and not all(c.isalnum() or c in "-_" for c in value):
                self.add_error(key, _("Only letters, digits, - and _ are allowed."))
        auth = data.get("auth")
        if auth == PaymentProvider.Auth.OAUTH2 and not data.get("oauth_url"):
            self.add_error("oauth_url", _("OAuth2 needs the token URL."))
        if auth == PaymentProvider.Auth.CERTIFICATE and not (
            data.get("client_certificate") or self.instance.client_certificate
        ):
            self.add_error("client_certificate", _("A client certificate is needed."))
        if data.get("client_certificate") and not _certificate_and_key(data["client_certificate"]):
            self.add_error("client_certificate", _("Paste the certificate and its private key, both in PEM."))
        if data.get("server_ca") and not _certificate_and_key(data["server_ca"], key=False):
            self.add_error("server_ca", _("Paste a CA certificate in PEM."))
        return data


def _certificate_and_key(pem: str, *, key: bool = True) -> bool:
    """A PEM certificate (and, if asked, an unencrypted private key) that
    `cryptography` can read."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        x509.load_pem_x509_certificates(pem.encode())
        if key:
            load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        return False
    return True


@admin.register(PaymentProvider, site=site)
class PaymentProviderAdmin(CityOwnedAdmin):
    form = PaymentProviderForm
    list_display = ("city", "enabled", "base_url", "auth")


@admin.register(PaymentRequest, site=site)
class PaymentRequestAdmin(CityOwnedAdmin):
    list_display = ("submission", "mode", "status", "late", "method", "amount_cents", "reference", "created_at")
    list_filter = ("status", "mode", "late", "method")
    search_fields = ("submission__reference", "reference")
    readonly_fields = [f.name for f in PaymentRequest._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

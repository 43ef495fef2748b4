from __future__ import annotations

from typing import Any

import requests
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from lxml import etree

from forms_engine.catalog import registry
from forms_engine.lib import outbound
from forms_engine.staff.admin_site import CityOwnedAdmin, site

from .models import BundIdSettings

MD = "urn:oasis:names:tc:SAML:2.0:metadata"


class BundIdSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    sp_key = forms.CharField(
        label=_("SP private key (PEM)"),
        required=False,
        widget=forms.Textarea(attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted, never shown again. Leave empty to keep the current one."),
    )

    class Meta:
        model = BundIdSettings
        fields = [
            "city", "enabled", "environment", "entity_id", "sp_key", "sp_certificate", "idp_metadata",
            "idp_metadata_url", "required_services", "organisation_name",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["sp_key"] = ""  # never rendered back

    def clean_sp_key(self) -> str:
        value = (self.cleaned_data.get("sp_key") or "").strip()
        if value and "PRIVATE KEY-----" not in value:
            raise ValidationError(_("This is not a private key in PEM format."))
        return value or (self.instance.sp_key if self.instance.pk else "")

    def clean_sp_certificate(self) -> str:
        value = (self.cleaned_data.get("sp_certificate") or "").strip()
        if value and "-----BEGIN CERTIFICATE-----" not in value:
            raise ValidationError(_("This is not a certificate in PEM format."))
        return value

    def clean_required_services(self) -> str:
        slugs = [s.strip() for s in (self.cleaned_data.get("required_services") or "").split(",") if s.strip()]
        unknown = [s for s in slugs if registry.get(s) is None]
        if unknown:
            raise ValidationError(_("Unknown service: %(s)s") % {"s": ", ".join(unknown)})
        return ",".join(slugs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        url = data.get("idp_metadata_url")
        if url and not data.get("idp_metadata"):
            try:
                outbound.check_url(url)
                answer = requests.get(url, timeout=10)
                answer.raise_for_status()
                data["idp_metadata"] = answer.text
            except ValidationError as exc:
                self.add_error("idp_metadata_url", exc)
            except requests.RequestException:
                self.add_error("idp_metadata_url", _("The metadata could not be fetched from this address."))
        metadata = data.get("idp_metadata")
        if metadata:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            try:
                root = etree.fromstring(metadata.encode(), parser)
            except etree.XMLSyntaxError:
                root = None
            if root is None or root.find(f".//{{{MD}}}IDPSSODescriptor") is None:
                self.add_error("idp_metadata", _("This is not the metadata of a SAML identity provider."))
        if data.get("enabled") and not (data.get("sp_key") and data.get("sp_certificate") and metadata):
            self.add_error("enabled", _("Key, certificate and IdP metadata are needed to switch BundID on."))
        return data


@admin.register(BundIdSettings, site=site)
class BundIdSettingsAdmin(CityOwnedAdmin):
    form = BundIdSettingsForm
    list_display = ("city", "enabled", "environment", "entity_id")

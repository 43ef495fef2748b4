"""Which addresses a webhook may reach: public HTTPS only (SSRF guard)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from forms_engine.delivery.base import DeliveryError, PermanentDeliveryError


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


def check_url(url: str) -> None:
    """Refuse targets that resolve to private, loopback or link-local addresses
    (SSRF), unless settings.DELIVERY_ALLOW_PRIVATE_TARGETS is on."""
    parts = urlsplit(url)
    allow_private = settings.DELIVERY_ALLOW_PRIVATE_TARGETS
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise PermanentDeliveryError(_("Only https:// URLs are allowed."))
    if not parts.hostname:
        raise PermanentDeliveryError(_("The URL has no host."))
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise DeliveryError(f"DNS: {exc}") from exc
    if not infos or not all(_is_public(str(info[4][0])) for info in infos):
        raise PermanentDeliveryError(_("The URL resolves to a private, loopback or link-local address."))

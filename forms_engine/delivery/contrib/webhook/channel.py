"""Webhook: HTTPS POST of the data (attachments as signed download links),
signed with HMAC-SHA256 over "<timestamp>.<body>", with an idempotency key."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_engine.delivery.base import Channel, Delivery, DeliveryError, PermanentDeliveryError
from forms_engine.delivery.models import DeliveryTarget
from forms_engine.delivery.payload import submission_payload


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


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


class WebhookChannel(Channel):
    name = "webhook"
    label = gettext_lazy("Webhook (HTTPS POST)")

    def validate_options(self, options: dict[str, Any]) -> dict[str, Any]:
        url = str(options.get("url") or "").strip()
        secret = str(options.get("secret") or "")
        errors = []
        try:
            check_url(url)
        except DeliveryError as exc:
            if isinstance(exc, PermanentDeliveryError):
                errors.append(f"url: {exc}")
        if len(secret) < 16:
            errors.append(_("secret: at least 16 characters."))
        if errors:
            raise ValidationError(errors)
        return {"url": url, "secret": secret}

    def deliver(self, target: DeliveryTarget, delivery: Delivery) -> dict[str, Any]:
        import requests

        url = str(target.options.get("url") or "")
        secret = str(target.options.get("secret") or "")
        check_url(url)
        payload = submission_payload(delivery.submission, with_links=not delivery.test)
        payload["test"] = delivery.test
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Gemeinsam-Delivery/1",
            "X-Gemeinsam-Timestamp": timestamp,
            "X-Gemeinsam-Signature": sign(secret, timestamp, body),
            "Idempotency-Key": delivery.idempotency_key,
        }
        try:
            response = requests.post(
                url, data=body, headers=headers, timeout=settings.DELIVERY_WEBHOOK_TIMEOUT, allow_redirects=False
            )
        except requests.RequestException as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"HTTP {response.status_code}")
        return {"status": response.status_code}

"""Webhook: HTTPS POST of the data (attachments as signed download links),
signed with HMAC-SHA256 over "<timestamp>.<body>", with an idempotency key."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_engine.delivery.base import Channel, ConnectionTestFailed, Delivery, DeliveryError, PermanentDeliveryError
from forms_engine.delivery.models import DeliveryTarget
from forms_engine.delivery.payload import submission_payload
from forms_engine.lib import outbound

from .options import WebhookOptionsForm

__all__ = ["WebhookChannel", "sign"]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def post(target: DeliveryTarget, payload: dict[str, Any], *, key: str, event: str) -> int:
    """POST the signed payload; return the HTTP status. Raises DeliveryError."""
    import requests

    options = target.settings()
    url, secret = str(options.get("url") or ""), str(options.get("secret") or "")
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Gemeinsam-Delivery/1",
        "X-Gemeinsam-Event": event,
        "X-Gemeinsam-Timestamp": timestamp,
        "X-Gemeinsam-Signature": sign(secret, timestamp, body),
        "Idempotency-Key": key,
    }
    try:
        with outbound.session() as session:
            response = session.post(
                url, data=body, headers=headers, timeout=settings.DELIVERY_WEBHOOK_TIMEOUT, allow_redirects=False
            )
    except outbound.OutboundBlocked as exc:
        # The name now leads somewhere a city may not send us: retrying will not help.
        raise PermanentDeliveryError(_("The address is not a public address on the internet.")) from exc
    except requests.RequestException as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    return int(response.status_code)


class WebhookChannel(Channel):
    name = "webhook"
    label = gettext_lazy("Webhook (HTTPS POST)")
    options_form = WebhookOptionsForm

    def deliver(self, target: DeliveryTarget, delivery: Delivery) -> dict[str, Any]:
        payload = submission_payload(delivery.submission, with_links=not delivery.test)
        payload["test"] = delivery.test
        status = post(target, payload, key=delivery.idempotency_key, event="submission")
        if not 200 <= status < 300:
            raise DeliveryError(f"HTTP {status}")
        return {"status": status}

    def test_connection(self, target: DeliveryTarget) -> str:
        """A signed ping (event "ping", no submission data) to the target's URL."""
        payload = {
            "event": "ping",
            "test": True,
            "city": {"slug": target.city.slug, "name": target.city.name},
            "target": target.name,
            "sent_at": timezone.now().isoformat(),
        }
        url = str(target.options.get("url") or "")
        try:
            status = post(target, payload, key=str(uuid.uuid4()), event="ping")
        except DeliveryError as exc:
            raise ConnectionTestFailed(_("No connection to %(url)s: %(error)s") % {"url": url, "error": exc}) from exc
        if status in (401, 403):
            raise ConnectionTestFailed(
                _(
                    "%(url)s refused the signed ping (HTTP %(status)s): the signing secret probably differs "
                    "from the one the back office has."
                )
                % {"url": url, "status": status}
            )
        if not 200 <= status < 300:
            raise ConnectionTestFailed(
                _("%(url)s answered the signed ping with HTTP %(status)s.") % {"url": url, "status": status}
            )
        return _("%(url)s accepted the signed ping (HTTP %(status)s). No submission was sent.") % {
            "url": url,
            "status": status,
        }

"""Deliver one submission to one target: the delivery step's work."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from . import registry
from .base import Delivery, PermanentDeliveryError
from .models import DeliveryTarget


def deliver_step(step: Any) -> dict[str, Any]:
    from forms_engine.documents.storage import read_receipt

    target = DeliveryTarget.objects.filter(pk=step.target_id).first()
    if target is None:
        raise PermanentDeliveryError("the delivery target was deleted")
    channel = registry.get(target.channel)
    if channel is None:
        raise PermanentDeliveryError(f"unknown channel {target.channel!r}")
    submission = step.submission
    delivery = Delivery(submission=submission, pdf=read_receipt(submission), idempotency_key=str(step.pk), step=step)
    result = channel.deliver(target, delivery)
    return {"channel": target.channel, "delivered_at": timezone.now().isoformat(), **result}


def describe_step(step: Any) -> str:
    """The channel's sentence about a delivery step's checkpoint, or ""."""
    if step.kind != "delivery" or not step.result:
        return ""
    target = DeliveryTarget.objects.filter(pk=step.target_id).only("channel").first()
    channel = registry.get(target.channel) if target else None
    return channel.describe(step.result) if channel else ""


def test_delivery(target: DeliveryTarget) -> dict[str, Any]:
    """Send a made-up submission through the target's channel ("send a test delivery")."""
    import uuid

    from forms_engine.submissions.models import Submission

    channel = registry.get(target.channel)
    if channel is None:
        raise PermanentDeliveryError(f"unknown channel {target.channel!r}")
    now = timezone.now()
    submission = Submission(
        city=target.city,
        service_slug=target.service_slug,
        service_version="test",
        data_schema_version=_current_schema_version(target),
        reference=f"{target.city.short_code}-TEST-{now:%Y%m%d%H%M%S}",
        data={"test": True},
        snapshot=[],
        language="de",
        submitted_at=now,
    )
    pdf = _test_pdf(target)
    return channel.deliver(
        target, Delivery(submission=submission, pdf=pdf, idempotency_key=str(uuid.uuid4()), test=True)
    )


def _test_pdf(target: DeliveryTarget) -> bytes:
    from weasyprint import HTML

    html = f"<html lang='de'><title>Test</title><body><p>Testzustellung an {target.name}</p></body></html>"
    return bytes(HTML(string=html).write_pdf() or b"")


def _current_schema_version(target: DeliveryTarget) -> str:
    from forms_engine.catalog import registry as services

    service = services.get(target.service_slug)
    return service.data_schema_version if service else "1"

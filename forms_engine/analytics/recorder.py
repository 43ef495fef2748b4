"""Recording usage events from the citizen flow.

`record()` is called by the wizard on every step. It does one INSERT inside its
own savepoint, never raises and never logs anything about the person: a failure
is logged with the event name and the exception class only, and the citizen's
request carries on.

What is derived from the request: a coarse device class from a few user-agent
substrings, and the page language. Nothing else of the request is read. The
time is cut to the start of the hour.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Device, Event, UsageEvent

logger = logging.getLogger(__name__)

MOBILE_MARKERS = ("Mobi", "Android", "iPhone", "iPad", "iPod", "Windows Phone")
KNOWN_EVENTS = frozenset(Event.values)


def device_class(user_agent: str) -> str:
    if not user_agent:
        return Device.UNKNOWN
    if any(marker in user_agent for marker in MOBILE_MARKERS):
        return Device.MOBILE
    return Device.DESKTOP


def current_hour(now: datetime | None = None) -> datetime:
    return (now or timezone.now()).replace(minute=0, second=0, microsecond=0)


def _small_int(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def build_event(
    *, city: Any, service_slug: str, event: str, step: str = "", request: Any = None, **extra: Any
) -> UsageEvent:
    """The row record() would insert (unsaved). Raises ValueError for an unknown event."""
    if event not in KNOWN_EVENTS:
        raise ValueError("unknown analytics event")
    city_id = city if isinstance(city, int) else city.pk
    device: str = Device.UNKNOWN
    language = ""
    if request is not None:
        device = device_class(str(request.META.get("HTTP_USER_AGENT", "")))
        language = str(getattr(request, "LANGUAGE_CODE", "") or "")[:8]
    duration = _small_int(extra.get("duration_seconds"), 0, 366 * 24 * 3600) if event == Event.SUBMITTED else None
    rating = _small_int(extra.get("rating"), 1, 5) if event == Event.RATING else None
    if event == Event.RATING and rating is None:
        raise ValueError("rating must be 1..5")
    return UsageEvent(
        city_id=city_id,
        service_slug=str(service_slug)[:50],
        event=event,
        step=str(step or "")[:50],
        hour=current_hour(),
        device=device,
        language=language,
        duration_seconds=duration,
        rating=rating,
    )


def record(*, city: Any, service_slug: str, event: str, step: str = "", request: Any = None, **extra: Any) -> None:
    """Store one anonymous usage event. Never raises."""
    try:
        row = build_event(city=city, service_slug=service_slug, event=event, step=step, request=request, **extra)
        # Own savepoint: a database error here must not poison the caller's transaction.
        with transaction.atomic():
            row.save(force_insert=True)
    except Exception as exc:
        logger.warning("analytics event not recorded: event=%s error=%s", event, type(exc).__name__)


def record_abandoned(city: Any, service_slug: str, last_step: str) -> None:
    """Called by the draft-expiry job for each draft that expires unsubmitted."""
    record(city=city, service_slug=service_slug, event=Event.ABANDONED, step=last_step)

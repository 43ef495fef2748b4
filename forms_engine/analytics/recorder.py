"""Recording usage events from the citizen flow.

`record()` is called by the wizard on every step. It does one INSERT inside its
own savepoint, never raises and never logs anything about the person: a failure
is logged with the event name and the exception class only, and the citizen's
request carries on.

What is derived from the request: a coarse device class from a few user-agent
substrings, and the page language. Nothing else of the request is read. The
time is cut to the start of the hour.

Off the critical path: an event recorded during a web request is kept in this
process's buffer and written after the response has been sent (Django's
`request_finished`), in one multi-row INSERT once `ANALYTICS_BUFFER_EVENTS`
events are waiting or the oldest has waited `ANALYTICS_BUFFER_SECONDS`; what is
left is written when the process exits (gunicorn's `worker_exit`, and atexit).
A process killed outright loses at most that buffer of anonymous counts.
Events without a request (workers, jobs) are written at once.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.signals import request_finished
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
    """Store one anonymous usage event (buffered during a web request). Never raises."""
    try:
        row = build_event(city=city, service_slug=service_slug, event=event, step=step, request=request, **extra)
        if request is not None:
            _buffer.add(row)
            return
        # Own savepoint: a database error here must not poison the caller's transaction.
        with transaction.atomic():
            row.save(force_insert=True)
    except Exception as exc:
        logger.warning("analytics event not recorded: event=%s error=%s", event, type(exc).__name__)


class EventBuffer:
    """The events of this process's web requests, not yet written."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: list[UsageEvent] = []
        self._since = 0.0

    def add(self, row: UsageEvent) -> None:
        with self._lock:
            if not self._rows:
                self._since = time.monotonic()
            self._rows.append(row)

    def due(self) -> bool:
        waiting = len(self._rows)
        return bool(waiting) and (
            waiting >= settings.ANALYTICS_BUFFER_EVENTS
            or time.monotonic() - self._since >= settings.ANALYTICS_BUFFER_SECONDS
        )

    def flush(self) -> int:
        """Write what is waiting in one INSERT; the number of events written."""
        with self._lock:
            rows, self._rows = self._rows, []
        if not rows:
            return 0
        try:
            with transaction.atomic():
                UsageEvent.objects.bulk_create(rows)
        except Exception as exc:
            logger.warning("analytics events not recorded: count=%d error=%s", len(rows), type(exc).__name__)
            return 0
        return len(rows)


_buffer = EventBuffer()


def flush_events() -> int:
    """Write the buffered events now (process exit, tests, the bench)."""
    return _buffer.flush()


def _after_request(**_kwargs: Any) -> None:
    if _buffer.due():
        _buffer.flush()


request_finished.connect(_after_request, dispatch_uid="analytics-event-buffer")
atexit.register(flush_events)


def record_abandoned(city: Any, service_slug: str, last_step: str) -> None:
    """Called by the draft-expiry job for each draft that expires unsubmitted."""
    record(city=city, service_slug=service_slug, event=Event.ABANDONED, step=last_step)

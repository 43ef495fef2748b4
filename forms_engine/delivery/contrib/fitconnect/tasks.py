"""Beat task: read the event logs of delivered FIT-Connect submissions."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="fitconnect.poll_events", acks_late=True)
def poll_events() -> int:
    from .events import poll_all

    return poll_all()

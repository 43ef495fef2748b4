"""/healthz/live and /healthz/ready: JSON, 503 naming the failing part."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

BROKER_TIMEOUT_SECONDS = 2


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return f"database unreachable: {type(exc).__name__}"
    return None


def check_broker() -> str | None:
    """Connect to the broker named by the current settings (not the Celery app's
    copy made at import), without retrying: a probe must answer quickly."""
    from kombu import Connection

    options = dict(getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {})
    options.setdefault("socket_connect_timeout", BROKER_TIMEOUT_SECONDS)
    options.setdefault("socket_timeout", BROKER_TIMEOUT_SECONDS)
    options["max_retries"] = 0
    try:
        with Connection(
            settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=options
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS)
            # Redis connects lazily: make one real round trip.
            if conn.transport.driver_type == "redis":
                channel: Any = conn.default_channel
                channel.client.ping()
    except Exception as exc:  # kombu raises transport-specific errors
        return f"broker unreachable: {type(exc).__name__}"
    return None


def check_worker() -> str | None:
    """Every worker records a heartbeat row every few seconds (config.celery)."""
    from .models import Heartbeat

    try:
        last = Heartbeat.objects.filter(kind=Heartbeat.Kind.WORKER).order_by("-seen_at").first()
    except Exception as exc:
        return f"heartbeat unreadable: {type(exc).__name__}"
    if last is None:
        return "no worker heartbeat yet"
    age = (timezone.now() - last.seen_at).total_seconds()
    if age > settings.WORKER_HEARTBEAT_MAX_AGE:
        return f"last worker heartbeat {int(age)} s ago"
    return None


def live_consumers() -> dict[str, int]:
    """Per queue: workers whose fresh heartbeat says they consume it. A worker
    names its queues only while its consumer is connected (config.celery)."""
    from forms_engine.lib.metrics import QUEUES

    from .models import Heartbeat

    since = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    counts = dict.fromkeys(QUEUES, 0)
    for queues in Heartbeat.objects.filter(kind=Heartbeat.Kind.WORKER, seen_at__gte=since).values_list(
        "queues", flat=True
    ):
        for queue in filter(None, queues.split(",")):
            if queue in counts:
                counts[queue] += 1
    return counts


def check_queues() -> dict[str, str | None]:
    try:
        consumers = live_consumers()
    except Exception as exc:
        return {"queues": f"heartbeat unreadable: {type(exc).__name__}"}
    return {f"queue:{queue}": None if n else "no live consumer" for queue, n in consumers.items()}


def ready() -> tuple[dict[str, str], bool]:
    checks = {"database": check_database(), "broker": check_broker(), "worker": check_worker(), **check_queues()}
    return {name: problem or "ok" for name, problem in checks.items()}, all(p is None for p in checks.values())


def dispatch(request: HttpRequest) -> HttpResponse:
    path = request.path.rstrip("/")
    if path == "/healthz/live":
        return JsonResponse({"status": "ok"})
    if path == "/healthz/ready":
        checks, ok = ready()
        return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)
    return JsonResponse({"status": "not found"}, status=404)

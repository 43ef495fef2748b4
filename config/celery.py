"""Celery app. Queues: pdf, delivery, default. Workers and beat record heartbeats
(database row for /healthz/ready, file for the pod's own liveness probe)."""

from __future__ import annotations

import os
import socket
import threading
from typing import Any

from celery import Celery
from celery.signals import beat_init, worker_ready, worker_shutdown
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("gemeinsam")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue("default"), Queue("pdf"), Queue("delivery")]
app.conf.task_routes = {
    "submissions.render_pdf": {"queue": "pdf"},
    "submissions.deliver": {"queue": "delivery"},
}
app.conf.beat_schedule = {
    "sweep-processing-steps": {"task": "submissions.sweep", "schedule": 60.0},
    "beat-heartbeat": {"task": "tenants.beat_heartbeat", "schedule": 30.0},
}
app.autodiscover_tasks()

HEARTBEAT_INTERVAL = 10.0
_stop = threading.Event()


def record_heartbeat(kind: str, name: str) -> None:
    from django.conf import settings
    from django.db import close_old_connections
    from django.utils import timezone

    from forms_engine.tenants.models import Heartbeat

    close_old_connections()
    Heartbeat.objects.update_or_create(name=name, defaults={"kind": kind, "seen_at": timezone.now()})
    if kind == Heartbeat.Kind.WORKER:
        path = settings.WORKER_HEARTBEAT_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()


def _heartbeat_loop(name: str) -> None:
    while not _stop.is_set():
        try:
            record_heartbeat("worker", name)
        except Exception:  # the database may be down; keep beating
            pass
        _stop.wait(HEARTBEAT_INTERVAL)


@worker_ready.connect
def _start_heartbeat(sender: Any = None, **kwargs: Any) -> None:
    hostname = getattr(sender, "hostname", None) or f"worker@{socket.gethostname()}"
    threading.Thread(target=_heartbeat_loop, args=(hostname,), daemon=True, name="heartbeat").start()


@worker_shutdown.connect
def _stop_heartbeat(**kwargs: Any) -> None:
    _stop.set()


@beat_init.connect
def _beat_started(**kwargs: Any) -> None:
    try:
        record_heartbeat("beat", "beat")
    except Exception:
        pass

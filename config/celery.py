"""Celery app. Queues: pdf, delivery, default. Workers and beat record heartbeats
(database row for /healthz/ready, file for the pod's own liveness probe)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from celery import Celery, bootsteps
from celery.beat import PersistentScheduler
from celery.schedules import crontab
from celery.signals import beat_init, setup_logging, task_prerun, worker_ready, worker_shutdown
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("gemeinsam")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each queue its own exchange and routing key, so a task routed to "pdf" can
# only land in the pdf queue (on Redis and on the filesystem broker alike).
app.conf.task_queues = [Queue(name, Exchange(name), routing_key=name) for name in ("default", "pdf", "delivery")]
app.conf.update(task_default_exchange="default", task_default_routing_key="default")
app.conf.task_routes = {
    "submissions.render_pdf": {"queue": "pdf"},
    "submissions.deliver": {"queue": "delivery"},
    "backoffice.letter": {"queue": "pdf"},
}
app.conf.beat_schedule = {
    # Lost returns: open payments are asked for their status (each backs off on its own).
    "payments-poll": {"task": "payments.poll_all", "schedule": 30.0},
    # Every 15 s: a dead worker's steps are re-claimed within a minute (docs/processing.md).
    "sweep-processing-steps": {"task": "submissions.sweep", "schedule": 15.0},
    "beat-heartbeat": {"task": "tenants.beat_heartbeat", "schedule": 30.0},
    "retention": {"task": "submissions.retention", "schedule": crontab(hour=3, minute=17)},
    # Back-office digests and deadline reminders, before the working day (idempotent per day).
    "backoffice-daily-notices": {"task": "backoffice.daily_notices", "schedule": crontab(hour=6, minute=30)},
    # Usage figures: yesterday and today so far, every hour (idempotent).
    "analytics-rollup": {"task": "analytics.rollup_recent", "schedule": 3600.0},
    # Delivered / accepted / rejected of FIT-Connect submissions (event logs).
    "fitconnect-events": {
        "task": "fitconnect.poll_events",
        "schedule": float(os.environ.get("FITCONNECT_POLL_SECONDS", "60")),
    },
}
app.autodiscover_tasks()

logger = logging.getLogger(__name__)
_stop = threading.Event()
# Queues this worker's consumer is connected to and consuming from, kept by the
# QueueConsumers bootstep below. Empty while the broker is away or the consumer
# is restarting: then the heartbeat says "alive, but consuming nothing".
_consuming: frozenset[str] = frozenset()


class QueueConsumers(bootsteps.StartStopStep):
    """Started after the task consumer is connected, stopped when the connection
    is lost (Celery restarts the consumer blueprint then) or at shutdown."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def start(self, c: Any) -> None:
        global _consuming
        _consuming = frozenset(q.name for q in c.task_consumer.queues)

    def stop(self, c: Any) -> None:
        global _consuming
        _consuming = frozenset()

    shutdown = stop


app.steps["consumer"].add(QueueConsumers)


def record_heartbeat(kind: str, name: str, queues: str = "") -> None:
    from django.conf import settings
    from django.db import close_old_connections
    from django.utils import timezone

    from forms_engine.tenants.models import Heartbeat

    close_old_connections()
    Heartbeat.objects.update_or_create(name=name, defaults={"kind": kind, "seen_at": timezone.now(), "queues": queues})
    if kind == Heartbeat.Kind.WORKER and queues:
        # The pod's liveness file only while consuming: a worker whose consumer
        # never comes back is restarted by its orchestrator.
        path = settings.WORKER_HEARTBEAT_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()


def _heartbeat_loop(name: str) -> None:
    from django.conf import settings

    while not _stop.is_set():
        try:
            record_heartbeat("worker", name, ",".join(sorted(_consuming)))
        except Exception as exc:  # the database may be down; keep beating
            logger.warning("worker heartbeat not recorded: %s", type(exc).__name__)
        _stop.wait(settings.WORKER_HEARTBEAT_INTERVAL)


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
    except Exception as exc:  # the database may be down; the scheduler file still beats
        logger.warning("beat heartbeat not recorded: %s", type(exc).__name__)


# --- observability (forms_engine/lib/logging.py, forms_engine/lib/metrics.py) -------


@setup_logging.connect
def _use_django_logging(**kwargs: Any) -> None:
    """JSON logs in workers and beat too: Celery uses settings.LOGGING instead
    of installing its own handlers."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@task_prerun.connect
def _bind_task_log_context(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    from forms_engine.lib.logging import bind_task

    bind_task(getattr(task, "name", "unknown"), task_id or "")


@worker_ready.connect
def _start_worker_metrics(**kwargs: Any) -> None:
    from django.conf import settings

    if settings.WORKER_METRICS_PORT:
        from forms_engine.lib.metrics import start_worker_metrics_server

        start_worker_metrics_server(settings.WORKER_METRICS_PORT)


def _connect_metrics(**kwargs: Any) -> None:
    from forms_engine.lib.metrics import connect_celery_signals

    connect_celery_signals()


app.on_after_finalize.connect(_connect_metrics, weak=False)


class HeartbeatScheduler(PersistentScheduler):
    """Beat's scheduler, touching settings.BEAT_HEARTBEAT_FILE on every tick so
    the beat container's liveness probe can read that beat still loops."""

    def tick(self, *args: Any, **kwargs: Any) -> float:
        from django.conf import settings

        try:
            path = settings.BEAT_HEARTBEAT_FILE
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        except OSError:  # a read-only disk must not stop the schedule
            pass
        interval: float = super().tick(*args, **kwargs)
        return interval


app.conf.beat_scheduler = "config.celery:HeartbeatScheduler"
# Tick at least every 30 s, so the heartbeat file never looks older than that.
app.conf.beat_max_loop_interval = 30

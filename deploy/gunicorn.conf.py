"""gunicorn settings for the web role (deploy/entrypoint.sh). Every value can
be changed through the environment; docs/operations.md lists the variables."""

from __future__ import annotations

import os
from typing import Any

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Sync workers: each request is short and database-bound. Scale with processes
# per container (WEB_CONCURRENCY) and with containers (the HPA).
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (bounded memory growth), not all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on a possibly slow or read-only disk (gunicorn docs).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# The application writes one JSON access line per request (forms_engine/lib/logging.py);
# gunicorn's own access log would repeat it in another format.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Request bodies are limited by the application (MAX_REQUEST_BODY_BYTES); these
# keep malformed headers cheap.
limit_request_line = 8190
limit_request_fields = 100


def child_exit(server: Any, worker: Any) -> None:
    """Prometheus multi-process mode: forget the live gauges of a dead worker."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def worker_exit(server: Any, worker: Any) -> None:
    """Usage events still buffered in this worker are written before it goes."""
    from forms_engine.analytics.recorder import flush_events

    flush_events()

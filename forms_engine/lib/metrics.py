"""Prometheus metrics: /metrics (restricted) and the worker's metrics port.

What is measured where (docs/operations.md explains every metric):
- request latency: MetricsMiddleware in each web process, labelled by the
  resolved URL name (never the path: paths carry ids and would explode the label set);
- submissions by city and service, processing steps by state, queue lengths and
  heartbeat ages: computed at scrape time from PostgreSQL and Redis (one
  collector, so every web process answers the same);
- task durations: Celery task_prerun/task_postrun in the worker processes,
  served by the worker itself on WORKER_METRICS_PORT.

gunicorn and Celery's prefork pool run several processes. When the environment
variable PROMETHEUS_MULTIPROC_DIR is set (the container entrypoint sets it),
prometheus_client writes per-process files there and a scrape merges them.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.registry import Collector

QUEUES = ("default", "pdf", "delivery")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
TASK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)

REQUEST_LATENCY = Histogram(
    "gemeinsam_http_request_duration_seconds",
    "Time from the first middleware to the response, by URL name, method and status class.",
    ["view", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
TASK_DURATION = Histogram(
    "gemeinsam_task_duration_seconds",
    "Run time of a Celery task, by task name and final state.",
    ["task", "state"],
    buckets=TASK_BUCKETS,
)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def scrape_registry(*, include_database: bool) -> CollectorRegistry:
    """The registry one scrape reads: this process's (or all processes')
    metrics, plus the collector that asks the database and the broker."""
    if multiprocess_dir():
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessLocal())
    if include_database:
        registry.register(StateCollector())
    return registry


class _ProcessLocal(Collector):
    """The default registry's metrics (our histograms, process and platform
    metrics), for a single-process server."""

    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()


class StateCollector(Collector):
    """Figures read at scrape time. Each part fails on its own: a broker outage
    must not hide the submission counts."""

    def collect(self) -> Iterator[Any]:
        yield from self._submissions()
        yield from self._processing_steps()
        yield from self._queues()
        yield from self._oldest_due()
        yield from self._heartbeats()
        yield from self._consumers()

    def _submissions(self) -> Iterator[Any]:
        from django.db.models import Count
        from django_scopes import scopes_disabled

        from forms_engine.submissions.models import Submission

        family = GaugeMetricFamily(
            "gemeinsam_submissions", "Submissions stored, by city and online service.", labels=["city", "service"]
        )
        try:
            # Cross-city on purpose: operator figures, counts only.
            with scopes_disabled():
                rows = Submission.objects.values_list("city__slug", "service_slug").annotate(n=Count("id"))
                for city, service, count in rows:
                    family.add_metric([city, service], count)
        except Exception:  # the database may be down; /healthz/ready reports that
            return
        yield family

    def _processing_steps(self) -> Iterator[Any]:
        from django.db.models import Count
        from django_scopes import scopes_disabled

        from forms_engine.submissions.models import ProcessingStep

        family = GaugeMetricFamily(
            "gemeinsam_processing_steps", "Post-submit processing steps, by kind and state.", labels=["kind", "state"]
        )
        try:
            with scopes_disabled():
                counts = {
                    (kind, state): n
                    for kind, state, n in ProcessingStep.objects.values_list("kind", "state").annotate(n=Count("id"))
                }
        except Exception:
            return
        for kind in ProcessingStep.Kind.values:
            for state in ProcessingStep.State.values:
                family.add_metric([kind, state], counts.get((kind, state), 0))
        yield family

    def _queues(self) -> Iterator[Any]:
        broker = settings.CELERY_BROKER_URL
        if not broker.startswith(("redis://", "rediss://")):
            return
        family = GaugeMetricFamily("gemeinsam_queue_length", "Messages waiting in a Celery queue.", labels=["queue"])
        try:
            import redis

            client = redis.Redis.from_url(broker, socket_timeout=2, socket_connect_timeout=2)
            try:
                # kombu prefixes every key when the deployment shares Redis (CELERY_BROKER_KEY_PREFIX).
                prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("global_keyprefix", "")
                for queue in QUEUES:
                    family.add_metric([queue], client.llen(f"{prefix}{queue}"))
            finally:
                client.close()
        except Exception:
            return
        yield family

    def _oldest_due(self) -> Iterator[Any]:
        """Per queue: how long the longest-waiting due step has waited. Steps
        waiting for a retry delay are not due and do not count; 0 = none due."""
        from django.db.models import Min, Q
        from django.utils import timezone
        from django_scopes import scopes_disabled

        from forms_engine.submissions.models import ProcessingStep
        from forms_engine.submissions.pipeline import QUEUE_OF_KIND

        family = GaugeMetricFamily(
            "gemeinsam_processing_oldest_due_seconds",
            "Seconds the oldest due, pending processing step has been waiting, by queue.",
            labels=["queue"],
        )
        now = timezone.now()
        try:
            with scopes_disabled():
                rows = (
                    ProcessingStep.objects.filter(state=ProcessingStep.State.PENDING)
                    .filter(Q(next_try_at__lte=now) | Q(next_try_at__isnull=True))
                    .values_list("kind")
                    .annotate(due=Min("next_try_at"), created=Min("created_at"))
                )
                oldest = dict.fromkeys(QUEUES, 0.0)
                for kind, due, created in rows:
                    queue = QUEUE_OF_KIND[kind]
                    oldest[queue] = max(oldest[queue], (now - (due or created)).total_seconds())
        except Exception:
            return
        for queue, age in oldest.items():
            family.add_metric([queue], age)
        yield family

    def _consumers(self) -> Iterator[Any]:
        from forms_engine.tenants.health import live_consumers

        family = GaugeMetricFamily(
            "gemeinsam_queue_consumers",
            "Workers with a fresh heartbeat that are connected to the broker and consume the queue.",
            labels=["queue"],
        )
        try:
            consumers = live_consumers()
        except Exception:
            return
        for queue, n in consumers.items():
            family.add_metric([queue], n)
        yield family

    def _heartbeats(self) -> Iterator[Any]:
        from django.utils import timezone

        from forms_engine.tenants.models import Heartbeat

        family = GaugeMetricFamily(
            "gemeinsam_heartbeat_age_seconds",
            "Seconds since the last heartbeat of a Celery worker or of beat.",
            labels=["kind", "name"],
        )
        try:
            now = timezone.now()
            for kind, name, seen_at in Heartbeat.objects.values_list("kind", "name", "seen_at"):
                family.add_metric([kind, name], (now - seen_at).total_seconds())
        except Exception:
            return
        yield family


# --- access -------------------------------------------------------------------------


def _client_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    # REMOTE_ADDR, never X-Forwarded-For: a client could forge that header.
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_IPS)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text format. 404 (not 403) for everyone else: the endpoint's
    existence is nobody else's business."""
    if not _client_allowed(request):
        raise Http404
    body = generate_latest(scrape_registry(include_database=True))
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def _view_label(request: HttpRequest) -> str:
    if request.path.startswith("/healthz/"):
        return "healthz"
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or "<unnamed>"


class MetricsMiddleware:
    """Outermost middleware: times every request, and answers /metrics itself
    (before the host-to-city resolution, so Prometheus can scrape a pod by IP)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/metrics":
            try:
                return metrics_view(request)
            except Http404:
                return HttpResponse(b"Not Found", status=404, content_type="text/plain")
        started = time.perf_counter()
        response = self.get_response(request)
        REQUEST_LATENCY.labels(
            view=_view_label(request), method=request.method or "", status=f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        return response


# --- Celery ---------------------------------------------------------------------------

_task_started: dict[str, float] = {}


def _task_prerun(task_id: str | None = None, **kwargs: Any) -> None:
    if task_id:
        _task_started[task_id] = time.perf_counter()


def _task_postrun(task_id: str | None = None, task: Any = None, state: str | None = None, **kwargs: Any) -> None:
    started = _task_started.pop(task_id or "", None)
    if started is None:
        return
    TASK_DURATION.labels(task=getattr(task, "name", "unknown"), state=state or "UNKNOWN").observe(
        time.perf_counter() - started
    )


def connect_celery_signals() -> None:
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(_task_prerun, weak=False, dispatch_uid="gemeinsam-metrics-prerun")
    task_postrun.connect(_task_postrun, weak=False, dispatch_uid="gemeinsam-metrics-postrun")


def start_worker_metrics_server(port: int) -> None:
    """Served by the worker's main process; with PROMETHEUS_MULTIPROC_DIR it
    merges the pool processes' task durations."""
    from prometheus_client import start_http_server

    start_http_server(port, addr="0.0.0.0", registry=scrape_registry(include_database=False))  # noqa: S104

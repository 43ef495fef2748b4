"""/healthz/live and /healthz/ready answer on any host, the bare IP included."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from forms_engine.tenants.models import Heartbeat
from tests.conftest import host_client

ANY_HOSTS = ["10.0.0.5:8000", "127.0.0.1", "giessen.localhost", "unknown.example"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends


QUEUES_OK = {"queue:default": "ok", "queue:pdf": "ok", "queue:delivery": "ok"}


def _recent_heartbeat(queues: str = "default,pdf,delivery") -> None:
    Heartbeat.objects.create(kind=Heartbeat.Kind.WORKER, name="worker@test", seen_at=timezone.now(), queues=queues)


@pytest.mark.parametrize("host", ANY_HOSTS)
def test_live_answers_on_any_host(db, giessen, host):
    response = host_client(host).get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("host", ANY_HOSTS)
def test_ready_when_database_broker_and_worker_are_there(db, giessen, host):
    _recent_heartbeat()
    response = host_client(host).get("/healthz/ready")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "worker": "ok", **QUEUES_OK},
    }


def test_not_ready_when_a_queue_has_no_live_consumer(db):
    _recent_heartbeat("pdf")  # the default and delivery workers are gone, or lost their broker connection
    Heartbeat.objects.create(
        kind=Heartbeat.Kind.WORKER, name="worker@stale", seen_at=timezone.now() - timedelta(hours=1), queues="default"
    )
    response = host_client("127.0.0.1").get("/healthz/ready")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["worker"] == "ok" and checks["queue:pdf"] == "ok"
    assert checks["queue:default"] == checks["queue:delivery"] == "no live consumer"


def test_not_ready_without_a_worker_heartbeat(db):
    response = host_client("10.0.0.5:8000").get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["worker"] == "no worker heartbeat yet"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] == "ok"


def test_not_ready_when_the_last_heartbeat_is_stale(db, settings):
    Heartbeat.objects.create(
        kind=Heartbeat.Kind.WORKER,
        name="worker@old",
        seen_at=timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 60),
    )
    response = host_client("127.0.0.1").get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"].startswith("last worker heartbeat ")


def test_a_beat_heartbeat_does_not_count_as_a_worker(db):
    Heartbeat.objects.create(kind=Heartbeat.Kind.BEAT, name="beat", seen_at=timezone.now())
    assert host_client("127.0.0.1").get("/healthz/ready").status_code == 503


def test_not_ready_when_the_broker_is_unreachable(db, settings):
    _recent_heartbeat()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = host_client("10.0.0.5:8000").get("/healthz/ready")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"].startswith("broker unreachable")
    assert checks["database"] == "ok"
    assert checks["worker"] == "ok"


def test_health_answers_even_when_allowed_hosts_is_strict(db, settings):
    settings.ALLOWED_HOSTS = ["giessen.localhost"]
    assert host_client("10.0.0.5:8000").get("/healthz/live").status_code == 200
    assert host_client("10.0.0.5:8000").get("/healthz/ready/").status_code == 503  # no worker; answered, not 400


def test_health_is_not_redirected_to_https(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert host_client("10.0.0.5:8000").get("/healthz/live").status_code == 200


def test_the_embedded_filesystem_broker_counts_as_reachable(db, settings, tmp_path):
    """`make run` uses kombu's filesystem transport: no server, always there."""
    _recent_heartbeat()
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)}
    response = host_client("127.0.0.1").get("/healthz/ready")
    assert response.status_code == 200, response.content

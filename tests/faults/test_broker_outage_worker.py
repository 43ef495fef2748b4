"""The broker's Redis goes away under a running worker, several times: the
worker survives, reports "consuming nothing" while Redis is away (so
/healthz/ready names the queues without a consumer), and consumes again once
Redis is back."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from forms_engine.tenants.health import ready
from forms_engine.tenants.models import Heartbeat
from tests.faults.conftest import all_done, broker, step_states, wait_for
from tests.faults.servers import RedisServer
from tests.submissions.helpers import submit

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults"), pytest.mark.django_db(transaction=True)]
QUEUES = "default,delivery,pdf"
OUTAGES = 4


def _queues(name: str) -> str | None:
    row = Heartbeat.objects.filter(name=name).first()
    return row.queues if row else None


def test_worker_consumes_after_each_outage(
    giessen: Any, own_redis: RedisServer, start_worker: Any, settings: Any
) -> None:
    settings.CELERY_BROKER_URL = own_redis.url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    worker = start_worker(
        CELERY_BROKER_URL=own_redis.url,
        CELERY_BROKER_KEY_PREFIX="",
        WORKER_HEARTBEAT_INTERVAL="0.5",
        PDF_RENDER_TEST_DELAY="2",
    )
    name = f"fault0@{socket.gethostname()}"
    with broker(own_redis.url, ""):
        wait_for(lambda: _queues(name) == QUEUES, 30, "heartbeat naming every queue")
        assert ready()[1]
        # The first outage hits a task in flight: its message is unacked when the connection drops.
        in_flight = submit(giessen, email=None)
        wait_for(lambda: step_states(in_flight)["pdf"].state == "running", 30, "rendering started")
        for outage in range(1, OUTAGES + 1):
            own_redis.stop()
            wait_for(lambda: _queues(name) == "", 30, f"worker noticing outage {outage}")
            checks, ok = ready()
            assert not ok and checks["queue:pdf"] == "no live consumer"
            own_redis.start()
            wait_for(lambda: _queues(name) == QUEUES, 60, f"worker consuming after outage {outage}")
            assert worker.process.poll() is None, worker.output()
        submission = submit(giessen, email=None)
        wait_for(lambda: all_done(submission), 60, "processed after the outages")
        wait_for(lambda: all_done(in_flight), 60, "the step running during the first outage done")
        assert step_states(in_flight)["pdf"].attempts == 1
    assert "AttributeError" not in worker.output()
    assert ready()[0]["queue:pdf"] == "ok"

"""/metrics: restricted, and it tells an operator what is going on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.utils import timezone
from django_scopes import scope
from prometheus_client.parser import text_string_to_metric_families

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers
from forms_engine.submissions.actions import submission_submit
from forms_engine.submissions.tasks import sweep
from forms_engine.tenants.models import Heartbeat
from tests.conftest import enable_service, host_client

# The queue tests share one Redis database: keep them in one xdist worker.
pytestmark = pytest.mark.xdist_group("metrics-spare-redis-db")

TOKEN = "metrics-token-for-tests-0123456789"
# A Redis database of its own, so that other tests' queues do not count.
BROKER = os.environ.get("TEST_SPARE_REDIS_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture
def metrics_settings(settings: Any) -> Any:
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []
    settings.CELERY_BROKER_URL = BROKER
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}  # no key prefix, whatever the environment says
    return settings


def scrape(host: str = "localhost", **headers: Any) -> Any:
    return host_client(host).get("/metrics", **headers)


def samples(response: Any) -> list[Any]:
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def value(found: list[Any], metric: str, **labels: str) -> float | None:
    for sample in found:
        if sample.name == metric and all(sample.labels.get(k) == v for k, v in labels.items()):
            return float(sample.value)
    return None


def test_without_token_or_allowed_address_it_is_not_there(db: Any, metrics_settings: Any) -> None:
    assert scrape().status_code == 404
    assert scrape(HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 404
    assert scrape(HTTP_AUTHORIZATION=TOKEN).status_code == 404  # not a bearer header


def test_token_or_allowed_network_may_read(db: Any, metrics_settings: Any) -> None:
    assert scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    metrics_settings.METRICS_TOKEN = ""
    assert scrape().status_code == 404
    metrics_settings.METRICS_ALLOWED_IPS = ["127.0.0.0/8"]
    assert scrape().status_code == 200  # the test client's REMOTE_ADDR is 127.0.0.1
    # Any host, the bare pod address included: no city needed.
    assert scrape(host="10.1.2.3:8000").status_code == 200


def test_request_latency_is_labelled_by_url_name(giessen: Any, metrics_settings: Any) -> None:
    host_client("giessen.localhost").get("/")
    host_client("giessen.localhost").get("/info/imprint/")
    found = samples(scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))
    count = value(found, "gemeinsam_http_request_duration_seconds_count", view="start", method="GET", status="2xx")
    assert count is not None and count >= 1
    assert not [s for s in found if "/info/" in s.labels.get("view", "")], "paths must not become labels"


def test_submissions_and_processing_steps_by_city_and_service(giessen: Any, metrics_settings: Any) -> None:
    service = registry.get("unterhaltsvorschuss")
    assert service is not None
    city_service = enable_service(giessen, service.slug)
    answers = Answers({"antragsteller": {"vorname": "Erika", "nachname": "Beispiel"}})
    with scope(city=giessen):
        for _ in range(2):
            submission_submit(
                city=giessen,
                service=service,
                context=city_service.context(),
                answers=answers,
                snapshot=[],
                attachments=[],
                language="de",
            )
    found = samples(scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))
    assert value(found, "gemeinsam_submissions", city="giessen", service="unterhaltsvorschuss") == 2
    assert value(found, "gemeinsam_processing_steps", kind="pdf", state="pending") == 2
    assert value(found, "gemeinsam_processing_steps", kind="pdf", state="failed") == 0


@pytest.fixture
def queue_redis() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(BROKER)
    client.delete("pdf", "delivery", "default")
    yield client
    client.delete("pdf", "delivery", "default")
    client.close()


def test_queue_lengths_come_from_the_broker(db: Any, metrics_settings: Any, queue_redis: redis.Redis) -> None:
    queue_redis.rpush("pdf", "a", "b", "c")
    queue_redis.rpush("delivery", "d")
    found = samples(scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))
    assert value(found, "gemeinsam_queue_length", queue="pdf") == 3
    assert value(found, "gemeinsam_queue_length", queue="delivery") == 1
    assert value(found, "gemeinsam_queue_length", queue="default") == 0


def test_a_broker_outage_does_not_hide_the_other_figures(db: Any, metrics_settings: Any) -> None:
    metrics_settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    found = samples(scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))
    assert value(found, "gemeinsam_queue_length", queue="pdf") is None
    assert value(found, "gemeinsam_processing_steps", kind="pdf", state="done") == 0


def test_task_durations_and_heartbeat_ages(db: Any, metrics_settings: Any) -> None:
    before = value(
        samples(scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")),
        "gemeinsam_task_duration_seconds_count",
        task="submissions.sweep",
        state="SUCCESS",
    )
    sweep.apply()
    Heartbeat.objects.create(kind=Heartbeat.Kind.BEAT, name="beat", seen_at=timezone.now())
    Heartbeat.objects.create(kind=Heartbeat.Kind.WORKER, name="pdf@host-1", seen_at=timezone.now())
    found = samples(scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))
    after = value(found, "gemeinsam_task_duration_seconds_count", task="submissions.sweep", state="SUCCESS")
    assert after == (before or 0) + 1
    age = value(found, "gemeinsam_heartbeat_age_seconds", kind="worker", name="pdf@host-1")
    assert age is not None and age >= 0
    assert value(found, "gemeinsam_heartbeat_age_seconds", kind="beat", name="beat") is not None


def test_queue_lengths_follow_the_broker_key_prefix(db: Any, metrics_settings: Any, queue_redis: redis.Redis) -> None:
    metrics_settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": "tenant-a:"}
    queue_redis.rpush("tenant-a:pdf", "a", "b")
    queue_redis.rpush("pdf", "not ours")
    try:
        found = samples(scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))
        assert value(found, "gemeinsam_queue_length", queue="pdf") == 2
    finally:
        queue_redis.delete("tenant-a:pdf")


def test_oldest_due_step_and_live_consumers_per_queue(giessen: Any, metrics_settings: Any) -> None:
    from datetime import timedelta

    from django_scopes import scopes_disabled

    from forms_engine.submissions.models import ProcessingStep
    from tests.submissions.helpers import submit

    with scope(city=giessen):
        submission = submit(giessen)  # pdf and confirmation steps, pending
    now = timezone.now()
    with scopes_disabled():
        steps = ProcessingStep.objects.filter(submission=submission)
        steps.filter(kind="pdf").update(next_try_at=now - timedelta(seconds=400))  # overdue: the pdf queue is stuck
        steps.filter(kind="confirmation").update(next_try_at=now + timedelta(hours=2))  # waiting for a retry delay
    Heartbeat.objects.create(kind=Heartbeat.Kind.WORKER, name="a@host", seen_at=now, queues="pdf,default")
    Heartbeat.objects.create(kind=Heartbeat.Kind.WORKER, name="b@host", seen_at=now, queues="pdf")
    Heartbeat.objects.create(kind=Heartbeat.Kind.WORKER, name="c@host", seen_at=now, queues="")  # lost its broker
    found = samples(scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))
    pdf_age = value(found, "gemeinsam_processing_oldest_due_seconds", queue="pdf")
    assert pdf_age is not None and 400 <= pdf_age < 460
    assert value(found, "gemeinsam_processing_oldest_due_seconds", queue="default") == 0
    assert value(found, "gemeinsam_processing_oldest_due_seconds", queue="delivery") == 0
    assert value(found, "gemeinsam_queue_consumers", queue="pdf") == 2
    assert value(found, "gemeinsam_queue_consumers", queue="default") == 1
    assert value(found, "gemeinsam_queue_consumers", queue="delivery") == 0

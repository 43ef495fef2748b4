"""Fault tests: real Celery worker processes against the real Redis and the
pytest database, with small real servers on 127.0.0.1 as the far side.

Each test gets its own worker, started with the test database's name and the
test's private-files directory. The broker is a Redis database of its own
(the suite's database number + 1), emptied before each test, so stray tasks
of other tests never reach these workers. All fault tests run in one xdist
group, one after another."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django_scopes import scopes_disabled

from forms_engine.submissions.models import ProcessingStep

ROOT = Path(__file__).resolve().parents[2]


def fault_broker_url() -> str:
    parts = urlsplit(os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/14")
    if parts.scheme != "redis":
        pytest.skip("fault tests need a Redis broker in CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/14)")
    number = int(parts.path.strip("/") or 0)
    return urlunsplit((parts.scheme, parts.netloc, f"/{(number + 1) % 16}", "", ""))


@contextmanager
def broker(url: str) -> Iterator[None]:
    """Point this (test) process's Celery app at another broker for a while."""
    from config.celery import app

    def switch(to: str) -> None:
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = to

    old = app.conf.broker_url
    switch(url)
    try:
        yield
    finally:
        switch(old)


@pytest.fixture
def fault_broker() -> Iterator[str]:
    import redis

    url = fault_broker_url()
    redis.Redis.from_url(url).flushdb()
    with broker(url):
        yield url


class Worker:
    def __init__(self, process: subprocess.Popen[bytes], log: Path) -> None:
        self.process = process
        self.log = log

    def children(self) -> list[int]:
        pids: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            pids += [int(p) for p in (task / "children").read_text().split()]
        return pids

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_worker(
    transactional_db: Any, fault_broker: str, tmp_path: Path
) -> Iterator[Callable[..., Worker]]:
    workers: list[Worker] = []

    def start(**env: str) -> Worker:
        log = tmp_path / f"worker-{len(workers)}.log"
        environment = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
            "CELERY_BROKER_URL": fault_broker,
            "PRIVATE_FILES_ROOT": str(django_settings.STORAGES["private"]["OPTIONS"]["location"]),
            "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
            "WORKER_HEARTBEAT_FILE": str(tmp_path / "heartbeat"),
            "DELIVERY_ALLOW_PRIVATE_TARGETS": "1",
            "PROCESSING_RETRY_DELAYS": "0.2,0.2,0.2,0.2,0.2",
            "PROCESSING_SWEEP_GRACE": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            **env,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "pdf,delivery,default",
             "-c", "1", "--pool", "prefork", "-l", "INFO", "-n", f"fault{len(workers)}@%h", "--without-gossip",
             "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=environment, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        worker = Worker(process, log)
        workers.append(worker)
        wait_for(lambda: " ready." in worker.output() or process.poll() is not None, 60, "worker start")
        assert process.poll() is None, worker.output()
        return worker

    yield start
    for worker in workers:
        if worker.process.poll() is None:
            worker.process.terminate()
            try:
                worker.process.wait(10)
            except subprocess.TimeoutExpired:
                for child in worker.children():
                    os.kill(child, signal.SIGKILL)
                worker.process.kill()
                worker.process.wait(10)


def wait_for(condition: Callable[[], Any], timeout: float, what: str, every: Callable[[], Any] | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if every is not None:
            every()
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def step_states(submission: Any) -> dict[str, ProcessingStep]:
    with scopes_disabled():
        return {s.kind: s for s in ProcessingStep.objects.filter(submission=submission)}


def all_done(submission: Any) -> bool:
    return all(s.state == ProcessingStep.State.DONE for s in step_states(submission).values())

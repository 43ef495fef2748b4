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
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django_scopes import scopes_disabled

from forms_engine.submissions.models import ProcessingStep
from tests.faults.servers import PostgresServer, RedisServer

ROOT = Path(__file__).resolve().parents[2]


def fault_broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL") or ""
    if not url.startswith("redis://"):
        pytest.skip("fault tests need a Redis broker in CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/14)")
    return url


@contextmanager
def broker(url: str, prefix: str) -> Iterator[None]:
    """Point this (test) process's Celery app at another broker for a while."""
    from config.celery import app as celery_app

    app: Any = celery_app  # private pool attributes, reset on purpose

    def switch(to: str, options: dict[str, Any]) -> None:
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        # Celery prefers the environment variable to app.conf.broker_url.
        os.environ["CELERY_BROKER_URL"] = to
        app.conf.broker_url = to
        app.conf.broker_transport_options = options

    old_url, old_options = app.conf.broker_url, dict(app.conf.broker_transport_options or {})
    switch(url, {**old_options, "global_keyprefix": prefix})
    try:
        yield
    finally:
        switch(old_url, old_options)


@pytest.fixture
def fault_broker() -> Iterator[tuple[str, str]]:
    """The suite's Redis, under a key prefix of this test's own: no other
    test's tasks reach these workers, and theirs never reach ours."""
    url, prefix = fault_broker_url(), f"faults-{uuid.uuid4().hex[:12]}-"
    with broker(url, prefix):
        yield url, prefix
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


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
    transactional_db: Any, fault_broker: tuple[str, str], tmp_path: Path
) -> Iterator[Callable[..., Worker]]:
    workers: list[Worker] = []

    def start(concurrency: int = 1, **env: str) -> Worker:
        log = tmp_path / f"worker-{len(workers)}.log"
        environment = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
            "CELERY_BROKER_URL": fault_broker[0],
            "CELERY_BROKER_KEY_PREFIX": fault_broker[1],
            "PRIVATE_FILES_ROOT": str(private_root()),
            "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
            "WORKER_HEARTBEAT_FILE": str(tmp_path / "heartbeat"),
            "DELIVERY_ALLOW_PRIVATE_TARGETS": "1",
            "PROCESSING_RETRY_DELAYS": "0.2,0.2,0.2,0.2,0.2",
            "PROCESSING_SWEEP_GRACE": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            **env,
        }
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "pdf,delivery,default",
                 "-c", str(concurrency), "--pool", "prefork", "-l", "INFO", "-n", f"fault{len(workers)}@%h",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT, env=environment, stdout=log_file, stderr=subprocess.STDOUT,
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


def private_root() -> Path:
    storages: Any = django_settings.STORAGES
    return Path(storages["private"]["OPTIONS"]["location"])


def step_states(submission: Any) -> dict[str, ProcessingStep]:
    with scopes_disabled():
        return {s.kind: s for s in ProcessingStep.objects.filter(submission=submission)}


def all_done(submission: Any) -> bool:
    return all(s.state == ProcessingStep.State.DONE for s in step_states(submission).values())


@pytest.fixture(scope="session")
def own_redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_redis(own_redis_server: RedisServer) -> RedisServer:
    """Our own redis-server, running and empty at the start of each test."""
    if own_redis_server.process is None:
        own_redis_server.start()
    import redis

    redis.Redis.from_url(own_redis_server.url).flushall()
    return own_redis_server


@pytest.fixture(scope="session")
def own_postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def own_postgres(own_postgres_server: PostgresServer) -> PostgresServer:
    """Our own PostgreSQL, running at the start of each test."""
    if not own_postgres_server.running():
        own_postgres_server.start()
    return own_postgres_server

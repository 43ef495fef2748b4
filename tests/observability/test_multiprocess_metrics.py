"""Behind gunicorn (several processes), /metrics adds up what every process
measured: prometheus_client's multi-process mode, as the image runs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "multiprocess-metrics-token-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": "localhost", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.fixture
def gunicorn(tmp_path: Path, django_db_setup: Any, settings: Any) -> Iterator[str]:
    port = free_port()
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
        "METRICS_TOKEN": TOKEN,
        "PORT": str(port),
        "WEB_CONCURRENCY": "3",
        "LOG_LEVEL": "WARNING",
    }
    (tmp_path / "prometheus").mkdir()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output, subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT, env=env, stdout=output, stderr=output,
    ) as process:  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if get(f"{base}/healthz/live")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail(log.read_text())
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.mark.slow
def test_metrics_add_up_across_gunicorn_workers(gunicorn: str) -> None:
    for _ in range(30):
        assert get(f"{gunicorn}/admin/login/")[0] in {200, 302}
    assert get(f"{gunicorn}/metrics")[0] == 404
    status, text = get(f"{gunicorn}/metrics", Authorization=f"Bearer {TOKEN}")
    assert status == 200
    counts = [
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "gemeinsam_http_request_duration_seconds_count" and sample.labels["view"] == "admin:login"
    ]
    # 30 requests spread over 3 processes: the scrape, served by one of them, sees all.
    assert sum(counts) == 30

"""`make bench` cannot break unnoticed: a smoke run (tiny sizes, one second per
load run) of the whole bench must complete and print every measurement. Its
figures are not looked at — speed is for `make bench` on a quiet machine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("bench-smoke")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_bench_completes_every_measurement() -> None:
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        pytest.skip("the bench needs a Redis broker in CELERY_BROKER_URL (make test sets one)")
    env = {**os.environ, "BENCH_BROKER_URL": broker, "BENCH_LOG_LEVEL": "WARNING"}
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke", "--seconds", "1", "--port", str(free_port()), "--web-workers", "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    report = done.stdout + done.stderr[-4000:]
    assert done.returncode == 0, report
    for measure in (
        "step GET / ceiling",
        "step POST / ceiling",
        "step GET / ceiling (instructions)",
        "step POST / ceiling (instructions)",
        "PDF render, Unterhaltsvorschuss receipt, median",
        "end-to-end, submit to PDF + deliveries, median",
        "sustained submissions per minute",
        "usage analytics",
        "emails received by the SMTP sink",
        "Payment start (median)",
        "capacity: completed submissions per hour",
        "capacity: submit POST p50 / p95",
        "host resolution, not cached",
        "admin: city services",
    ):
        assert measure.lower() in done.stdout.lower(), f"{measure!r} missing:\n{report}"
    assert " failed " not in done.stdout

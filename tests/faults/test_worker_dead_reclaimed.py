"""A whole worker dies (kill -9 of the main process and its pool): the sweep
sees its heartbeat stop and re-claims its running step within seconds, not
after the running deadline (~6 minutes). A worker whose heartbeats are merely
late, while its pool process is still working, keeps its step: never two
tries of one step at the same time."""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from typing import Any

import pytest

from forms_engine.submissions import pipeline
from tests.faults.conftest import all_done, private_root, step_states, wait_for
from tests.submissions.helpers import submit

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults"), pytest.mark.django_db(transaction=True)]


def test_late_heartbeat_keeps_the_step_dead_worker_loses_it(
    giessen: Any, start_worker: Any, settings: Any, caplog: Any
) -> None:
    settings.WORKER_DEAD_AFTER = 2
    worker = start_worker(PDF_RENDER_TEST_DELAY="4", WORKER_HEARTBEAT_INTERVAL="0.5")
    host = socket.gethostname()

    # 1. The main process stops (its heartbeat with it); the pool process still renders.
    first = submit(giessen, email=None)
    wait_for(lambda: step_states(first)["pdf"].state == "running", 30, "first rendering started")
    assert step_states(first)["pdf"].worker == f"fault0@{host}"
    os.kill(worker.process.pid, signal.SIGSTOP)
    try:
        with caplog.at_level(logging.WARNING, logger="forms_engine.submissions.pipeline"):
            wait_for(lambda: all_done(first), 60, "first PDF done by its own worker", every=pipeline.sweep)
    finally:
        os.kill(worker.process.pid, signal.SIGCONT)
    assert "processing.reclaimed" not in caplog.text
    assert step_states(first)["pdf"].attempts == 1

    # 2. The whole worker is killed while rendering.
    second = submit(giessen, email=None)
    wait_for(lambda: step_states(second)["pdf"].state == "running", 30, "second rendering started")
    for pid in [*worker.children(), worker.process.pid]:
        os.kill(pid, signal.SIGKILL)
    worker.process.wait(10)
    killed = time.monotonic()
    start_worker(WORKER_HEARTBEAT_INTERVAL="0.5")
    wait_for(lambda: all_done(second), 60, "second PDF done by the other worker", every=pipeline.sweep)
    print(f"re-claimed and rendered {time.monotonic() - killed:.1f} s after the kill")
    pdf = step_states(second)["pdf"]
    assert pdf.attempts == 2 and pdf.worker == f"fault1@{host}"
    receipts = sorted(p.name for p in (private_root() / giessen.slug / "receipts").iterdir())
    assert receipts == sorted([f"{first.pk}.pdf.bin", f"{second.pk}.pdf.bin"])

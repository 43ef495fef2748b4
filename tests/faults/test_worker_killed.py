"""A worker is killed (SIGKILL) in the middle of rendering: the task is
redelivered and exactly one PDF exists."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest

from tests.faults.conftest import all_done, private_root, step_states, wait_for
from tests.submissions.helpers import submit

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults"), pytest.mark.django_db(transaction=True)]


def test_redelivered_and_one_pdf(giessen: Any, start_worker: Any) -> None:
    worker = start_worker(PDF_RENDER_TEST_DELAY="3")
    submission = submit(giessen, email=None)
    wait_for(lambda: step_states(submission)["pdf"].state == "running", 30, "rendering started")
    [child] = worker.children()
    os.kill(child, signal.SIGKILL)

    wait_for(lambda: all_done(submission), 60, "PDF done after redelivery")
    pdf = step_states(submission)["pdf"]
    assert pdf.attempts == 2
    assert "WorkerLostError" in worker.output() or "SIGKILL" in worker.output()
    receipts = private_root() / giessen.slug / "receipts"
    assert [p.name for p in receipts.iterdir()] == [f"{submission.pk}.pdf.bin"]

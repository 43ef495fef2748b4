"""The broker is unreachable at submit: the citizen still gets the reference,
the submission is committed, and once the broker is back the sweep completes
every step."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scopes_disabled

from forms_engine.submissions import pipeline
from forms_engine.submissions.models import Submission
from tests.delivery.contrib.webhook.receiver import running_receiver
from tests.faults.conftest import all_done, broker, step_states, wait_for
from tests.faults.smtp import smtp_server
from tests.submissions.helpers import make_target, submit

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults"), pytest.mark.django_db(transaction=True)]
SECRET = "fault-test-secret-0123456789"


def test_sweep_completes_what_the_broker_missed(giessen: Any, start_worker: Any, settings: Any) -> None:
    settings.PROCESSING_SWEEP_GRACE = 1
    with running_receiver(SECRET) as receiver, smtp_server() as (smtp, port):
        make_target(giessen, "webhook", {"url": receiver.url, "secret": SECRET})
        worker = start_worker(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port))
        with broker("redis://127.0.0.1:1/0", "nowhere-"):  # nothing listens on port 1
            submission = submit(giessen)
        assert submission.reference.startswith("GI-UVG-")
        with scopes_disabled():
            assert Submission.objects.filter(pk=submission.pk).exists()
        assert all(s.state == "pending" and s.attempts == 0 for s in step_states(submission).values())
        assert "render_pdf[" not in worker.output()  # nothing reached the worker

        # Beat's job, done here: sweep until everything is through.
        wait_for(lambda: all_done(submission), 60, "all steps done", every=pipeline.sweep)
    assert len(receiver.accepted) == 1
    assert len(smtp.messages) == 1

"""A back office is down for good: the step ends failed, is visible in the
admin, and "retry now" delivers once it is back."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scope

from forms_engine.submissions.actions import processing_step_retry
from tests.conftest import host_client, sign_in
from tests.delivery.contrib.webhook.receiver import running_receiver
from tests.faults.conftest import all_done, step_states, wait_for
from tests.submissions.helpers import make_target, submit

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults"), pytest.mark.django_db(transaction=True)]
SECRET = "fault-test-secret-0123456789"


def test_failed_then_retry_now(giessen: Any, giessen_admin: Any, start_worker: Any) -> None:
    with running_receiver(SECRET, default_status=503) as receiver:
        make_target(giessen, "webhook", {"url": receiver.url, "secret": SECRET})
        start_worker(PROCESSING_RETRY_DELAYS="0.2,0.2")
        submission = submit(giessen, email=None)
        wait_for(lambda: step_states(submission)["delivery"].state == "failed", 60, "delivery failed")
        delivery = step_states(submission)["delivery"]
        assert delivery.attempts == 3 and "503" in delivery.last_error

        admin = host_client("giessen.localhost")
        sign_in(admin, giessen_admin.username)
        listing = admin.get("/admin/submissions/processingstep/?state__exact=failed").content.decode()
        assert submission.reference in listing and "HTTP 503" in listing

        receiver.default_status = 200  # the back office is back
        with scope(city=giessen):
            processing_step_retry(step=delivery, by=giessen_admin)
        wait_for(lambda: all_done(submission), 60, "delivered after retry now")
    assert len(receiver.accepted) == 1
    assert step_states(submission)["delivery"].attempts == 1

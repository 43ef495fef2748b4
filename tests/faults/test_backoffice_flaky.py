"""A back office answers 500 three times, then 200: delivered exactly once,
attempts recorded."""

from __future__ import annotations

from typing import Any

import pytest

from tests.delivery.contrib.webhook.receiver import running_receiver
from tests.faults.conftest import all_done, step_states, wait_for
from tests.submissions.helpers import make_target, submit

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults"), pytest.mark.django_db(transaction=True)]
SECRET = "fault-test-secret-0123456789"


def test_delivered_once_after_three_errors(giessen: Any, start_worker: Any) -> None:
    with running_receiver(SECRET, statuses=[500, 500, 500]) as receiver:
        make_target(giessen, "webhook", {"url": receiver.url, "secret": SECRET})
        # The third failure opens the breaker (threshold 3); after a short
        # pause the fourth try is its probe and closes it again.
        start_worker(DELIVERY_BREAKER_PAUSE="0.5")
        submission = submit(giessen, email=None)
        wait_for(lambda: all_done(submission), 60, "all steps done")
    delivery = step_states(submission)["delivery"]
    assert delivery.attempts == 4 and delivery.last_error == "DeliveryError: HTTP 500"
    assert [r["status"] for r in receiver.requests] == [500, 500, 500, 200]
    assert receiver.bad_signatures == 0
    assert {r["key"] for r in receiver.requests} == {str(delivery.pk)}  # one idempotency key throughout
    assert len(receiver.accepted) == 1

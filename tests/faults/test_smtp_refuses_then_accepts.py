"""The SMTP server refuses, then accepts: the citizen gets one confirmation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.faults.conftest import all_done, step_states, wait_for
from tests.faults.smtp import smtp_server
from tests.submissions.helpers import submit

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults"), pytest.mark.django_db(transaction=True)]


def test_one_confirmation_after_refusals(giessen: Any, start_worker: Any) -> None:
    with smtp_server(refuse=2) as (smtp, port):
        start_worker(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port))
        submission = submit(giessen)
        wait_for(lambda: all_done(submission), 60, "all steps done")
        confirmation = step_states(submission)["confirmation"]
        assert confirmation.attempts == 3 and "451" in confirmation.last_error
        assert smtp.refused == 2
        [message] = smtp.messages
    assert message["To"] == "joerg@example.org"
    assert submission.reference in str(message["Subject"])
    assert message["Message-ID"] == f"<step-{confirmation.pk}@giessen.example>"

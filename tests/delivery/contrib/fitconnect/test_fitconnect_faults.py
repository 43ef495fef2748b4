"""Exactly once: the Zustelldienst failing between steps (500, hanging,
dropping the connection, tokens expiring) delays the delivery, and the retry
resumes from the checkpoint: one submission at the Zustelldienst, never two."""

from __future__ import annotations

from typing import Any

import pytest

from forms_engine.demo.zustelldienst import Zustelldienst
from tests.submissions.helpers import submit

from .conftest import deliver, fitconnect_target

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["500", "hang", "drop"])
def test_failure_between_attachment_uploads_resumes(
    giessen: Any, zustelldienst: Zustelldienst, kind: str, settings: Any
) -> None:
    target = fitconnect_target(zustelldienst, giessen)
    submission = submit(giessen)
    zustelldienst.fail("PUT", "/attachments/", kind, skip=1)  # the second upload
    if kind == "hang":
        settings.FITCONNECT_TIMEOUT = 5.0  # how long the client waits for the hanging upload
    state, step = deliver(submission, target)
    settings.FITCONNECT_TIMEOUT = 30.0
    assert state == "pending"
    assert len(step.result["fitconnect"]["uploaded"]) == 1
    assert "FIT-Connect" in step.last_error
    state, step = deliver(submission, target)
    assert state == "done", step.last_error
    assert zustelldienst.count("POST", "/v1/submissions") == 1
    assert len(zustelldienst.submissions) == 1 and len(zustelldienst.submitted) == 1
    first_upload = step.result["fitconnect"]["uploaded"][0]
    assert zustelldienst.count("PUT", first_upload) == 1  # not uploaded twice
    assert zustelldienst.refused == []


def test_failure_creating_the_submission_is_retried(giessen: Any, zustelldienst: Zustelldienst) -> None:
    target = fitconnect_target(zustelldienst, giessen)
    submission = submit(giessen)
    zustelldienst.fail("POST", "/v1/submissions", "500")
    assert deliver(submission, target)[0] == "pending"
    assert deliver(submission, target)[0] == "done"
    assert len(zustelldienst.submissions) == 1


def test_lost_answer_to_the_final_put_is_not_submitted_twice(giessen: Any, zustelldienst: Zustelldienst) -> None:
    """The answer to the submit is lost after the Zustelldienst took it: the
    retry finds the submit event in the case's log instead of submitting again."""
    target = fitconnect_target(zustelldienst, giessen)
    submission = submit(giessen)
    zustelldienst.fail("PUT", "/v1/submissions/", "drop-after-serving", skip=2)
    state, step = deliver(submission, target)
    assert state == "pending" and step.result["fitconnect"]["stage"] == "submitting"
    assert len(zustelldienst.submitted) == 1
    state, step = deliver(submission, target)
    assert state == "done" and step.result["fitconnect"]["status"] == "submitted"
    final = f"/v1/submissions/{step.result['fitconnect']['submission_id']}"
    assert [path for method, path, _status in zustelldienst.requests if method == "PUT" and path == final] == [final]


def test_token_expiry_mid_flow_refreshes_once(giessen: Any, zustelldienst: Zustelldienst) -> None:
    target = fitconnect_target(zustelldienst, giessen)
    zustelldienst.fail("PUT", "/attachments/", "expire", skip=1)
    state, step = deliver(submit(giessen), target)
    assert state == "done", step.last_error
    assert zustelldienst.count("POST", "/token") == 2
    assert len(zustelldienst.submitted) == 1


def test_wrong_client_secret_fails_permanently_in_german(giessen: Any, zustelldienst: Zustelldienst) -> None:
    target = fitconnect_target(zustelldienst, giessen, client_secret="falsches-geheimnis")
    state, step = deliver(submit(giessen), target)
    assert state == "failed"
    assert "FIT-Connect hat die Client-ID oder das Client-Geheimnis abgelehnt (HTTP 401)." in step.last_error

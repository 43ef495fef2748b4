"""Every state change needs the CSRF token: without it, 403 and nothing changes."""

from __future__ import annotations

import pytest
from django_scopes import scope

from forms_engine.backoffice.models import AuditEvent, Note
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import ProcessingStep, Submission

from .conftest import GIESSEN_HOST, reload, signed_in

POSTS = [
    ("assign/", {"take": "1"}),
    ("status/", {"to_status": "in_progress"}),
    ("notes/", {"text": "Rückruf vereinbart"}),
    ("request-documents/", {"message": "Geburtsurkunde"}),
]


@pytest.mark.parametrize(("path", "data"), POSTS)
def test_state_changes_without_csrf_token_are_refused(
    carla: StaffUser, submission: Submission, path: str, data: dict[str, str]
) -> None:
    client = signed_in(carla, GIESSEN_HOST, enforce_csrf_checks=True)
    response = client.post(f"/backoffice/{submission.pk}/{path}", data)
    assert response.status_code == 403
    after = reload(submission)
    assert (after.status, after.assignee_id) == (Submission.Status.RECEIVED, None)
    with scope(city=submission.city):
        assert not Note.objects.exists()
        assert not AuditEvent.objects.exists()


def test_with_the_token_from_the_page_the_change_goes_through(carla: StaffUser, submission: Submission) -> None:
    client = signed_in(carla, GIESSEN_HOST, enforce_csrf_checks=True)
    client.get(f"/backoffice/{submission.pk}/")
    token = client.cookies["csrftoken"].value
    response = client.post(f"/backoffice/{submission.pk}/assign/", {"take": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert reload(submission).assignee_id == carla.pk


def test_retry_without_csrf_token_is_refused(carla: StaffUser, submission: Submission) -> None:
    with scope(city=submission.city):
        step = ProcessingStep.objects.create(
            city=submission.city, submission=submission, kind="delivery", state="failed"
        )
    client = signed_in(carla, GIESSEN_HOST, enforce_csrf_checks=True)
    assert client.post(f"/backoffice/{submission.pk}/steps/{step.pk}/retry/").status_code == 403
    with scope(city=submission.city):
        step.refresh_from_db()
        assert step.state == "failed"

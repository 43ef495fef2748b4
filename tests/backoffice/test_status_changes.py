"""Status changes follow the allowed paths only; a refused change changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_scopes import scope

from forms_engine.backoffice.models import AuditEvent, StatusChange
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission
from forms_engine.tenants.models import City
from tests.citizen_mail import send_citizen_emails

from .conftest import make_submission, reload

S = Submission.Status


def _post(client: Client, submission: Submission, to_status: str, **extra: str) -> None:
    response = client.post(f"/backoffice/{submission.pk}/status/", {"to_status": to_status, **extra})
    assert response.status_code == 302


def test_the_whole_path_with_a_note(carla_client: Client, carla: StaffUser, submission: Submission) -> None:
    for status in (S.IN_PROGRESS, S.WAITING, S.IN_PROGRESS, S.APPROVED):
        _post(carla_client, submission, status, note=f"nach {status}")
    after = reload(submission)
    assert after.status == S.APPROVED
    assert after.decided_at is not None
    with scope(city=submission.city):
        changes = list(StatusChange.objects.filter(submission=submission).order_by("at", "id"))
        events = AuditEvent.objects.filter(action=AuditEvent.Action.STATUS, submission_id=submission.pk)
        assert events.count() == 4
        assert {e.user_id for e in events} == {carla.pk}
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("received", "in_progress"),
        ("in_progress", "waiting_for_citizen"),
        ("waiting_for_citizen", "in_progress"),
        ("in_progress", "approved"),
    ]
    assert changes[0].note == "nach in_progress"
    assert changes[0].by_id == carla.pk


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.RECEIVED, S.APPROVED),
        (S.RECEIVED, S.WAITING),
        (S.WAITING, S.REJECTED),
        (S.APPROVED, S.IN_PROGRESS),
        (S.REJECTED, S.APPROVED),
        (S.CLOSED, S.RECEIVED),
        (S.IN_PROGRESS, S.DELETED),
        (S.IN_PROGRESS, "nonsense"),
    ],
)
def test_changes_off_the_allowed_paths_are_refused_and_change_nothing(
    carla_client: Client, giessen: City, services: None, start: str, target: str
) -> None:
    submission = make_submission(giessen, status=start)
    _post(carla_client, submission, target)
    after = reload(submission)
    assert after.status == start
    assert after.status_changed_at is None
    with scope(city=giessen):
        assert not StatusChange.objects.exists()
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.STATUS).exists()


def test_the_citizen_is_told_of_the_decision_only_when_asked(
    carla_client: Client, giessen: City, services: None, django_capture_on_commit_callbacks: Any
) -> None:
    quiet = make_submission(giessen, status=S.IN_PROGRESS)
    told = make_submission(giessen, status=S.IN_PROGRESS, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        _post(carla_client, quiet, S.REJECTED)
    assert send_citizen_emails() == []
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _post(carla_client, told, S.APPROVED, notify_citizen="on")
    assert send_citizen_emails() == ["done"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["erika@example.org"]
    assert told.reference in message.subject
    assert "approved" in message.body  # in the citizen's language (English here)

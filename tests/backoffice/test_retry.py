""" "Retry now" on a failed processing step hands it back to the pipeline and is audited."""

from __future__ import annotations

from django.test import Client
from django_scopes import scope

from forms_engine.backoffice.models import AuditEvent
from forms_engine.submissions.models import ProcessingStep, Submission


def _failed_step(submission: Submission) -> ProcessingStep:
    with scope(city=submission.city):
        step, _created = ProcessingStep.objects.update_or_create(
            city=submission.city,
            submission=submission,
            kind="delivery",
            target_id="mail",
            defaults={"state": "failed", "attempts": 5, "last_error": "SMTP 451"},
        )
    return step


def test_a_failed_step_is_retried(carla_client: Client, submission: Submission) -> None:
    step = _failed_step(submission)
    page = carla_client.get(f"/backoffice/{submission.pk}/").content.decode()
    assert f"/backoffice/{submission.pk}/steps/{step.pk}/retry/" in page
    response = carla_client.post(f"/backoffice/{submission.pk}/steps/{step.pk}/retry/")
    assert response.status_code == 302
    with scope(city=submission.city):
        step.refresh_from_db()
        assert (step.state, step.attempts) == ("pending", 0)
        event = AuditEvent.objects.get(action="retry")
    assert (event.reference, event.detail) == (submission.reference, "delivery")


def test_only_failed_steps_are_retried(carla_client: Client, submission: Submission) -> None:
    step = _failed_step(submission)
    with scope(city=submission.city):
        ProcessingStep.objects.filter(pk=step.pk).update(state="done")
    assert carla_client.post(f"/backoffice/{submission.pk}/steps/{step.pk}/retry/").status_code == 404

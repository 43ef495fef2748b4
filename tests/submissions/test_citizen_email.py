"""Citizen emails outside the confirmation (resume link, document request,
status change) are processing steps: planned with the change that causes them,
sent by a worker, retried with the pipeline's delays when the mail server
refuses, visible in the back office, and their text is not kept once sent."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django_scopes import scope, scopes_disabled

from forms_engine.backoffice.actions import submission_change_status
from forms_engine.staff.models import StaffUser
from forms_engine.submissions import pipeline, tasks
from forms_engine.submissions.models import ProcessingStep, Submission
from forms_engine.tenants.models import City
from tests.backoffice.conftest import make_submission

State = ProcessingStep.State


@pytest.fixture(autouse=True)
def _retry_delays(settings: Any) -> None:
    settings.PROCESSING_RETRY_DELAYS = [60, 300]


def _email_steps() -> list[ProcessingStep]:
    with scopes_disabled():
        return list(ProcessingStep.objects.filter(kind=ProcessingStep.Kind.CITIZEN_EMAIL).order_by("created_at"))


def _run(step: ProcessingStep) -> str:
    return str(tasks.send_citizen_email.apply(args=(step.city_id, str(step.pk))).get())


def _decide(city: City, staff: StaffUser) -> Submission:
    submission = make_submission(city, status=Submission.Status.IN_PROGRESS)
    with scope(city=city):
        submission_change_status(
            submission=submission, to_status=Submission.Status.APPROVED, by=staff, ip=None, notify_citizen=True
        )
    return submission


@pytest.mark.django_db
def test_a_refused_status_email_is_retried_then_sent_once_and_its_text_dropped(
    giessen: City, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    carla = StaffUser.objects.create_user("carla-step", password="x", city=giessen, role=StaffUser.Role.CASEWORKER)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = _decide(giessen, carla)
    assert callbacks, "the email is enqueued only after the status change commits"
    [step] = _email_steps()
    assert step.submission_id == submission.pk and step.state == State.PENDING
    assert step.target_id.startswith("status:")
    with connection.cursor() as cursor:  # encrypted at rest like the submission
        cursor.execute("SELECT payload FROM submissions_processingstep WHERE id = %s", [step.pk])
        assert "erika@example.org" not in cursor.fetchone()[0]

    settings.EMAIL_BACKEND = "tests.submissions.refusing_backend.RefusingBackend"
    assert _run(step) == "pending"
    step.refresh_from_db()
    assert step.attempts == 1 and step.next_try_at is not None and step.last_error
    assert "erika@example.org" not in step.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert _run(step) == "done"
    assert _run(step) == "skipped"  # a redelivered message sends nothing twice
    [message] = mail.outbox
    assert message.to == ["erika@example.org"] and submission.reference in message.subject
    assert message.extra_headers["Message-ID"] == f"<step-{step.pk}@giessen.example>"
    step.refresh_from_db()
    assert step.payload is None and step.result["message_id"] == message.extra_headers["Message-ID"]


@pytest.mark.django_db
def test_the_sweep_finds_a_lost_email_without_waiting_for_a_pdf(giessen: City) -> None:
    carla = StaffUser.objects.create_user("carla-sweep", password="x", city=giessen, role=StaffUser.Role.CASEWORKER)
    _decide(giessen, carla)
    [step] = _email_steps()
    with scopes_disabled():
        ProcessingStep.objects.filter(pk=step.pk).update(next_try_at=None)  # as if the message was lost
    assert pipeline.sweep() == 1
    assert _run(step) == "done"
    assert len(mail.outbox) == 1

"""The pipeline's bookkeeping: steps planned at submit, tasks that checkpoint and
never redo finished work, backoff, failure, retry now, and the sweep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from forms_engine.submissions import actions, pipeline, tasks
from forms_engine.submissions.models import ProcessingStep
from tests.submissions.helpers import make_target, steps, submit

State = ProcessingStep.State


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PROCESSING_RETRY_DELAYS = [60, 300]


def run(task: Any, step: ProcessingStep) -> Any:
    return task.apply(args=(step.city_id, str(step.pk))).get()


@pytest.mark.django_db
def test_submit_plans_pdf_deliveries_and_confirmation(giessen: Any) -> None:
    target = make_target(giessen, "email", {"to": ["amt@example.org"]})
    off = make_target(giessen, "email", {"to": ["off@example.org"]}, name="switched off")
    with scope(city=giessen):
        off.enabled = False
        off.save()
    submission = submit(giessen)
    planned = steps(submission)
    assert set(planned) == {"pdf", f"delivery:{target.pk}", "confirmation"}
    assert all(s.state == State.PENDING for s in planned.values())


@pytest.mark.django_db
def test_no_confirmation_without_email_and_no_delivery_to_disabled_targets(giessen: Any) -> None:
    target = make_target(giessen, "email", {"to": ["amt@example.org"]})
    with scope(city=giessen):
        target.enabled = False
        target.save()
    assert set(steps(submit(giessen, email=None))) == {"pdf"}


@pytest.mark.django_db
def test_pdf_task_stores_one_encrypted_pdf_and_a_second_run_does_nothing(giessen: Any) -> None:
    submission = submit(giessen)
    pdf_step = steps(submission)["pdf"]
    assert run(tasks.render_pdf, pdf_step) == "done"
    assert run(tasks.render_pdf, pdf_step) == "skipped"
    pdf_step.refresh_from_db()
    assert pdf_step.state == State.DONE and pdf_step.attempts == 1
    with storages["private"].open(pdf_step.result["path"], "rb") as handle:
        raw = handle.read()
    assert not raw.startswith(b"%PDF")  # encrypted at rest
    _dirs, files = storages["private"].listdir(f"{giessen.slug}/receipts")
    assert len(files) == 1
    from forms_engine.documents.storage import read_receipt

    with scope(city=giessen):
        assert read_receipt(submission).startswith(b"%PDF")


@pytest.mark.django_db
def test_deliveries_wait_for_the_pdf(giessen: Any) -> None:
    make_target(giessen, "email", {"to": ["amt@example.org"]})
    submission = submit(giessen)
    planned = steps(submission)
    delivery = next(s for k, s in planned.items() if k.startswith("delivery"))
    assert run(tasks.deliver, delivery) == "skipped"
    assert mail.outbox == []
    run(tasks.render_pdf, planned["pdf"])
    assert run(tasks.deliver, delivery) == "done"
    assert run(tasks.deliver, delivery) == "skipped"
    assert [m.to for m in mail.outbox] == [["amt@example.org"]]


@pytest.mark.django_db
def test_confirmation_in_the_citizens_language_with_pdf_sent_once(giessen: Any) -> None:
    # A service that attaches the PDF by default (Unterhaltsvorschuss sends a link: test_receipt_link.py).
    submission = submit(giessen, language="en", service_slug="fundsache")
    planned = steps(submission)
    run(tasks.render_pdf, planned["pdf"])
    assert run(tasks.confirm, planned["confirmation"]) == "done"
    assert run(tasks.confirm, planned["confirmation"]) == "skipped"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["joerg@example.org"]
    assert message.from_email == "Universitätsstadt Gießen <noreply@giessen.example>"
    assert submission.reference in message.subject and "received" in message.subject
    assert "Jugendamt Gießen" in message.body and "jugendamt@example.org" in message.body
    assert "What happens next" in message.body
    assert message.extra_headers["Message-ID"] == f"<step-{planned['confirmation'].pk}@giessen.example>"
    assert "attached as a PDF" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == f"{submission.reference}.pdf" and content.startswith(b"%PDF") and mimetype == "application/pdf"


@pytest.mark.django_db
def test_german_confirmation(giessen: Any) -> None:
    submission = submit(giessen, language="de")
    planned = steps(submission)
    run(tasks.render_pdf, planned["pdf"])
    run(tasks.confirm, planned["confirmation"])
    assert "Wie es weitergeht" in mail.outbox[0].body


@pytest.mark.django_db
def test_failures_back_off_then_fail_and_retry_now_starts_afresh(giessen: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.submissions.refusing_backend.RefusingBackend"
    submission = submit(giessen)
    planned = steps(submission)
    run(tasks.render_pdf, planned["pdf"])
    confirmation = planned["confirmation"]
    before = timezone.now()
    assert run(tasks.confirm, confirmation) == "pending"
    confirmation.refresh_from_db()
    assert confirmation.attempts == 1 and "refused" in confirmation.last_error
    assert confirmation.next_try_at is not None and confirmation.next_try_at >= before + timedelta(seconds=60)
    assert run(tasks.confirm, confirmation) == "pending"
    assert run(tasks.confirm, confirmation) == "failed"
    confirmation.refresh_from_db()
    assert confirmation.state == State.FAILED and confirmation.attempts == 3 and confirmation.next_try_at is None
    assert run(tasks.confirm, confirmation) == "skipped"  # failed stays failed until someone retries

    with scope(city=giessen):
        actions.processing_step_retry(step=confirmation, by=None)
    confirmation.refresh_from_db()
    assert confirmation.state == State.PENDING and confirmation.attempts == 0
    assert confirmation.result["manual_retries"][0]["attempts"] == 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run(tasks.confirm, confirmation) == "done"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_running_step_is_left_to_its_worker_until_its_deadline(giessen: Any) -> None:
    submission = submit(giessen)
    pdf_step = steps(submission)["pdf"]
    with scopes_disabled():
        ProcessingStep.objects.filter(pk=pdf_step.pk).update(
            state=State.RUNNING, task_id="other-task", started_at=timezone.now()
        )
    assert run(tasks.render_pdf, pdf_step) == "skipped"
    with scopes_disabled():
        ProcessingStep.objects.filter(pk=pdf_step.pk).update(
            started_at=timezone.now() - pipeline.running_deadline() - timedelta(seconds=1)
        )
    assert run(tasks.render_pdf, pdf_step) == "done"


@pytest.mark.django_db
def test_sweep_takes_due_and_stuck_steps_but_not_deliveries_before_the_pdf(giessen: Any) -> None:
    make_target(giessen, "email", {"to": ["amt@example.org"]})
    fresh = submit(giessen)
    due = submit(giessen)
    stuck = submit(giessen)
    now = timezone.now()
    with scopes_disabled():
        ProcessingStep.objects.filter(submission=due).update(next_try_at=now - timedelta(seconds=1))
        ProcessingStep.objects.filter(submission=stuck, kind="pdf").update(
            state=State.RUNNING, task_id="lost", started_at=now - pipeline.running_deadline() - timedelta(seconds=5)
        )
        taken = pipeline.sweep()
        assert taken == 2  # the due PDF and the stuck PDF; deliveries wait for their PDF
        assert ProcessingStep.objects.get(submission=stuck, kind="pdf").state == State.PENDING
        assert (ProcessingStep.objects.get(submission=due, kind="pdf").next_try_at or now) > now
        assert all((s.next_try_at or now) > now for s in ProcessingStep.objects.filter(submission=fresh))


@pytest.mark.django_db
def test_a_step_whose_worker_dies_every_time_ends_failed(giessen: Any) -> None:
    submission = submit(giessen)
    pdf_step = steps(submission)["pdf"]
    with scopes_disabled():  # the last allowed try died: its message comes back once more
        ProcessingStep.objects.filter(pk=pdf_step.pk).update(
            state=State.RUNNING, attempts=3, started_at=timezone.now(), task_id="redelivered"
        )
    result = tasks.render_pdf.apply(args=(pdf_step.city_id, str(pdf_step.pk)), task_id="redelivered").get()
    assert result == "skipped"
    pdf_step.refresh_from_db()
    assert pdf_step.state == State.FAILED and "WorkerLost" in pdf_step.last_error

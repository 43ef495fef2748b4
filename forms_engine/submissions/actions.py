"""Write-side actions on submissions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from forms_engine.catalog.base import Answers, OnlineService, ServiceContext
from forms_engine.lib.logging import bind_submission

from . import names, pipeline
from .models import Attachment, ProcessingStep, ReferenceCounter, Submission


def next_reference(city: Any, code: str, year: int) -> str:
    """GI-UVG-2026-004711: city prefix, service code, year, running number.
    Must run inside a transaction (row lock on the counter)."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(city=city, code=code, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{city.short_code}-{code}-{year}-{counter.last:06d}"


def submission_submit(
    *,
    city: Any,
    service: OnlineService,
    context: ServiceContext,
    answers: Answers,
    snapshot: list[dict[str, Any]],
    attachments: list[Attachment],
    language: str,
    awaiting_payment: bool = False,
) -> Submission:
    """One transaction: the submission, its attachments and its processing steps.
    The pipeline is started only after commit. `awaiting_payment`: the fee is
    paid online first; payments.actions plans and starts the pipeline when it
    is booked (docs/payments.md)."""
    now = timezone.now()
    with transaction.atomic():
        fee = service.fee(answers, context)
        submission = Submission.objects.create(
            city=city,
            service_slug=service.slug,
            service_version=service.version,
            data_schema_version=service.data_schema_version,
            reference=next_reference(city, service.reference_code, timezone.localdate(now).year),
            data=answers.data,
            snapshot=snapshot,
            contact_email=service.applicant_email(answers) or None,
            due_on=names.due_date(city.pk, service.slug, timezone.localdate(now)),
            fee=fee.as_data() if fee else None,
            language=language,
            submitted_at=now,
            status=Submission.Status.AWAITING_PAYMENT if awaiting_payment else Submission.Status.RECEIVED,
        )
        names.store_name(submission, service.applicant_name(answers))
        for attachment in attachments:
            attachment.submission = submission
            attachment.draft = None
            attachment.save(update_fields=["submission", "draft"])
        bind_submission(submission)
        if awaiting_payment:
            return submission
        pipeline.plan_steps(submission)
        submission_id, city_id = str(submission.pk), city.pk
        transaction.on_commit(lambda: pipeline.start(submission_id, city_id))
    service.after_submit(submission)
    return submission


def processing_step_retry(*, step: ProcessingStep, by: Any = None) -> ProcessingStep:
    """ "Retry now" for a step (usually a failed one): pending, due now, a fresh
    round of attempts, enqueued once the transaction commits."""
    with transaction.atomic():
        locked = ProcessingStep.objects.select_for_update().get(pk=step.pk)
        if locked.state == ProcessingStep.State.DONE:
            return locked
        history = list((locked.result or {}).get("manual_retries", []))
        history.append({"at": timezone.now().isoformat(), "by": str(by) if by else "", "attempts": locked.attempts})
        locked.result = {**(locked.result or {}), "manual_retries": history[-20:]}
        locked.state = ProcessingStep.State.PENDING
        locked.attempts = 0
        locked.task_id = ""
        locked.started_at = None
        locked.next_try_at = timezone.now()
        locked.save(update_fields=["result", "state", "attempts", "task_id", "started_at", "next_try_at"])
        if locked.kind == ProcessingStep.Kind.DELIVERY and locked.target_id:
            # Whoever presses "retry now" says the back office is back: this
            # try is the breaker's probe now, not after the pause (delivery/breaker.py).
            from forms_engine.delivery.breaker import end_pause

            end_pause(locked.target_id)
        transaction.on_commit(lambda: pipeline.enqueue(locked))
    return locked

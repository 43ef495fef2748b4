"""The post-submit pipeline (docs/processing.md).

plan_steps() writes one ProcessingStep row per piece of work inside the submit
transaction; start() is called on commit and enqueues the PDF task. The rows,
not the queue, are the truth: run_step() checkpoints every try on its row and
sweep() re-enqueues whatever is due, so a lost message or a dead worker only
delays work, never loses it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.dispatch import Signal
from django.utils import timezone
from django_scopes import scopes_disabled

from forms_engine.lib.logging import bind_submission

from . import liveness
from .models import ProcessingStep, Submission

logger = logging.getLogger(__name__)

Kind = ProcessingStep.Kind
State = ProcessingStep.State
# Retrying a short delay is the queue's job (countdown); longer ones are left to
# the sweep, because Redis redelivers countdown messages older than its
# visibility timeout.
MAX_COUNTDOWN_SECONDS = 900
# The Celery queue each kind of step runs on (config/celery.py routes the tasks).
QUEUE_OF_KIND = {
    Kind.PDF: "pdf",
    Kind.DELIVERY: "delivery",
    Kind.CONFIRMATION: "default",
    Kind.LETTER: "pdf",
    Kind.RULES: "default",
}


def _grace() -> timedelta:
    return timedelta(seconds=settings.PROCESSING_SWEEP_GRACE)


def running_deadline() -> timedelta:
    """A running try older than this has lost its worker (the hard time limit
    would have ended it)."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


# Sent by plan_steps inside its transaction: the submission has arrived for the
# back office (the back office's rules listen: backoffice/rules.py).
steps_planned = Signal()


def plan_steps(submission: Submission) -> list[ProcessingStep]:
    """Inside the submit transaction: PDF, one delivery per enabled target of the
    city and service, and the confirmation if the citizen gave an email."""
    from forms_engine.delivery.models import DeliveryTarget

    due = timezone.now() + _grace()
    steps = [ProcessingStep(city=submission.city, submission=submission, kind=Kind.PDF, next_try_at=due)]
    targets = DeliveryTarget.objects.filter(
        city=submission.city, service_slug=submission.service_slug, enabled=True
    ).order_by("pk")
    steps += [
        ProcessingStep(
            city=submission.city, submission=submission, kind=Kind.DELIVERY, target_id=str(t.pk), next_try_at=due
        )
        for t in targets
    ]
    if submission.contact_email:
        steps.append(
            ProcessingStep(city=submission.city, submission=submission, kind=Kind.CONFIRMATION, next_try_at=due)
        )
    planned = ProcessingStep.objects.bulk_create(steps)
    steps_planned.send(sender=Submission, submission=submission)
    return planned


# Kinds that do not wait for the PDF: staff notices are about the case, not the document.
WITHOUT_PDF = (Kind.PDF, Kind.STAFF_NOTICE, Kind.CITIZEN_EMAIL, Kind.LETTER, Kind.RULES)
# The task of each kind, by name: the staff notices' task lives in the back office,
# which builds on this app (and not the other way round).
TASK_NAMES = {
    Kind.PDF: "submissions.render_pdf",
    Kind.DELIVERY: "submissions.deliver",
    Kind.CONFIRMATION: "submissions.confirm",
    Kind.STAFF_NOTICE: "backoffice.staff_notice",
    Kind.CITIZEN_EMAIL: "submissions.send_citizen_email",
    Kind.LETTER: "backoffice.letter",
    Kind.RULES: "backoffice.rules",
}


def _task_for(kind: str) -> Any:
    from config.celery import app

    from . import tasks  # noqa: F401  (registers this app's tasks; the back office's register in its ready())

    return app.tasks[TASK_NAMES[Kind(kind)]]


def enqueue(step: ProcessingStep, countdown: float | None = None) -> bool:
    """Send the step's task. Never raises: if the broker is away, the sweep
    finds the step again once it is due."""
    try:
        # One immediate retry: a pooled connection to a Redis that restarted
        # is dead, and the retry reconnects; more would hold the request up.
        _task_for(step.kind).apply_async(
            args=[step.city_id, str(step.pk)],
            countdown=countdown,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0},
            ignore_result=True,
        )
    except Exception as exc:  # the broker is down: the row stays, the sweep re-finds it
        logger.warning("processing.enqueue_failed step=%s kind=%s error=%s", step.pk, step.kind, type(exc).__name__)
        return False
    return True


def start(submission_id: str, city_id: int) -> None:
    """Enqueue the first task. Must never raise: the sweep re-finds the work."""
    try:
        with scopes_disabled():
            steps = list(ProcessingStep.objects.filter(submission_id=submission_id, city_id=city_id, kind=Kind.PDF))
    except Exception:
        logger.exception("processing.start_failed submission=%s", submission_id)
        return
    for step in steps:
        enqueue(step)


def _pdf_done(submission_id: Any) -> bool:
    return ProcessingStep.objects.filter(submission_id=submission_id, kind=Kind.PDF, state=State.DONE).exists()


def enqueue_followups(submission_id: Any) -> None:
    """After the PDF: deliveries and the confirmation."""
    with scopes_disabled():
        steps = list(
            ProcessingStep.objects.filter(
                submission_id=submission_id, state=State.PENDING, kind__in=(Kind.DELIVERY, Kind.CONFIRMATION)
            )
        )
    for step in steps:
        enqueue(step)


def _record_failure(step: ProcessingStep, error: BaseException, *, permanent: bool) -> None:
    delays = settings.PROCESSING_RETRY_DELAYS
    now = timezone.now()
    step.last_error = f"{type(error).__name__}: {error}"[:2000]
    step.task_id = ""
    step.started_at = None
    if permanent or step.attempts > len(delays):
        step.state = State.FAILED
        step.next_try_at = None
        logger.error("processing.step_failed step=%s kind=%s attempts=%s", step.pk, step.kind, step.attempts)
        return
    delay = delays[step.attempts - 1]
    step.state = State.PENDING
    if delay <= MAX_COUNTDOWN_SECONDS:
        step.next_try_at = now + timedelta(seconds=delay) + _grace()
        transaction.on_commit(lambda: enqueue(step, countdown=delay))
    else:
        step.next_try_at = now + timedelta(seconds=delay)
    logger.warning("processing.step_retry step=%s kind=%s attempts=%s in=%ss", step.pk, step.kind, step.attempts, delay)


def _claim(step_id: str, task_id: str, worker: str) -> ProcessingStep | None:
    """Mark the step running for this task, or return None if there is nothing
    to do: done, failed, someone else is on it, or the PDF is not there yet."""
    now = timezone.now()
    with transaction.atomic():
        step = ProcessingStep.objects.select_for_update().filter(pk=step_id).first()
        if step is None or step.state in (State.DONE, State.FAILED):
            return None
        if step.state == State.RUNNING and step.task_id != task_id:
            started = step.started_at or now
            if now - started < running_deadline():
                return None  # another worker holds it; a redelivery of *this* message takes over
        if step.needs_pdf and not _pdf_done(step.submission_id):
            return None  # the PDF task enqueues the follow-ups when it is done
        if step.state == State.RUNNING and step.attempts > len(settings.PROCESSING_RETRY_DELAYS):
            # Every try so far killed its worker (memory, time limit): stop
            # redelivering a message that takes workers down with it.
            step.state = State.FAILED
            step.last_error = f"WorkerLost: the worker died during each of {step.attempts} attempts"
            step.next_try_at = None
            step.task_id = ""
            step.save(update_fields=["state", "last_error", "next_try_at", "task_id"])
            logger.error("processing.step_failed step=%s kind=%s worker lost", step.pk, step.kind)
            return None
        if not liveness.acquire(step_id):
            return None  # a try of another worker still runs (its heartbeat may just be late)
        step.state = State.RUNNING
        step.started_at = now
        step.task_id = task_id
        step.worker = worker
        step.attempts += 1
        step.save(update_fields=["state", "started_at", "task_id", "worker", "attempts"])
    return step


def run_step(
    step_id: str,
    task_id: str,
    work: Callable[[ProcessingStep], dict[str, Any]],
    *,
    worker: str = "",
    permanent_errors: tuple[type[BaseException], ...] = (),
) -> str:
    """Run `work` for one step at most once to completion; returns the new state.
    `work` must itself be idempotent for the case of a crash between doing the
    work and recording it (deterministic file names, idempotency keys).
    While it runs, this process holds the step's advisory lock (liveness.py)."""
    step = _claim(step_id, task_id, worker)
    if step is None:
        return "skipped"
    try:
        return _run_claimed(step, work, permanent_errors)
    finally:
        liveness.release(step_id)


def _run_claimed(
    step: ProcessingStep,
    work: Callable[[ProcessingStep], dict[str, Any]],
    permanent_errors: tuple[type[BaseException], ...],
) -> str:
    if step.submission_id is not None:
        bind_submission(Submission.objects.filter(pk=step.submission_id).values_list("reference", flat=True).first())
    try:
        result = work(step)
    except Exception as exc:
        with transaction.atomic():
            locked = ProcessingStep.objects.select_for_update().get(pk=step.pk)
            if locked.state == State.DONE:
                return str(locked.state)
            _record_failure(locked, exc, permanent=isinstance(exc, permanent_errors))
            locked.save(update_fields=["state", "next_try_at", "last_error", "task_id", "started_at"])
        return str(locked.state)
    with transaction.atomic():
        locked = ProcessingStep.objects.select_for_update().get(pk=step.pk)
        locked.state = State.DONE
        locked.result = {**(locked.result or {}), **result}
        locked.finished_at = timezone.now()
        locked.next_try_at = None
        locked.task_id = ""
        locked.payload = None  # a sent email's text (links, codes) is not kept
        locked.save(update_fields=["state", "result", "finished_at", "next_try_at", "task_id", "payload"])
        if locked.kind == Kind.PDF:
            submission_id = locked.submission_id
            transaction.on_commit(lambda: enqueue_followups(submission_id))
    logger.info("processing.step_done step=%s kind=%s attempts=%s", locked.pk, locked.kind, locked.attempts)
    return str(locked.state)


def _reclaimable(now: Any, limit: int) -> list[ProcessingStep]:
    """Running steps whose worker is dead: heartbeat stale and the step's lock
    free (liveness.py). Found within WORKER_DEAD_AFTER plus one sweep interval,
    instead of waiting for the running deadline."""
    dead_after = timedelta(seconds=settings.WORKER_DEAD_AFTER)
    suspects = list(
        ProcessingStep.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(state=State.RUNNING, started_at__lt=now - dead_after, started_at__gte=now - running_deadline())
        .exclude(worker="")
        .order_by("started_at")[:limit]
    )
    dead = liveness.dead_workers({s.worker for s in suspects}, now)
    steps = [s for s in suspects if s.worker in dead and not liveness.held_elsewhere(str(s.pk))]
    for step in steps:
        logger.warning("processing.reclaimed step=%s kind=%s worker=%s", step.pk, step.kind, step.worker)
    return steps


def sweep(limit: int = 500) -> int:
    """Re-enqueue steps that are pending and due, running past their deadline,
    or running on a dead worker. Several sweeps may run at once: each takes
    only rows nobody else holds."""
    now = timezone.now()
    with scopes_disabled(), transaction.atomic():
        pdf_done = ProcessingStep.objects.filter(submission=OuterRef("submission"), kind=Kind.PDF, state=State.DONE)
        due = (
            ProcessingStep.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                Q(state=State.PENDING, next_try_at__lte=now)
                | Q(state=State.PENDING, next_try_at__isnull=True)
                | Q(state=State.RUNNING, started_at__lt=now - running_deadline())
            )
            .filter(Q(kind__in=WITHOUT_PDF) | Exists(pdf_done))
            .order_by("next_try_at")[:limit]
        )
        steps = list(due)
        steps += _reclaimable(now, limit)
        for step in steps:
            if step.state == State.RUNNING:  # its worker died; the next try starts afresh
                step.state = State.PENDING
                step.task_id = ""
                step.worker = ""
                step.started_at = None
            step.next_try_at = now + _grace()
        ProcessingStep.objects.bulk_update(steps, ["state", "task_id", "worker", "started_at", "next_try_at"])
        transaction.on_commit(lambda: [enqueue(s) for s in steps])
    if steps:
        logger.info("processing.sweep enqueued=%s", len(steps))
    return len(steps)

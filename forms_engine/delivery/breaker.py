"""A circuit breaker per delivery target, so one city's broken back office
cannot tie up the delivery workers every city shares (docs/processing.md).

closed:    deliveries go out; each failure counts, a success resets the count.
open:      after DELIVERY_BREAKER_THRESHOLD failures in a row the target is
           paused for DELIVERY_BREAKER_PAUSE seconds. Its delivery steps are
           not tried: they are rescheduled to the end of the pause, without
           spending an attempt, and never fail because of the pause.
half-open: the first step due after the pause is the probe; it pushes the
           pause on first, so every other step of the target keeps waiting.
           Success closes the breaker and wakes the waiting steps at once;
           failure opens it for another pause.
The state lives on the DeliveryTarget row, so every worker shares it."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import DeliveryTarget

logger = logging.getLogger(__name__)


def _pause() -> timedelta:
    return timedelta(seconds=settings.DELIVERY_BREAKER_PAUSE)


def hold(step_id: str) -> bool:
    """Before a delivery try: True if the step's target is paused, in which case
    the step was rescheduled to the end of the pause (and must not run now)."""
    from forms_engine.submissions import pipeline
    from forms_engine.submissions.models import ProcessingStep

    now = timezone.now()
    with transaction.atomic():
        step = ProcessingStep.objects.select_for_update().filter(pk=step_id).first()
        if step is None or step.state != ProcessingStep.State.PENDING or not step.target_id:
            return False  # nothing to hold; run_step decides what to do with it
        target = DeliveryTarget.objects.select_for_update().filter(pk=step.target_id).first()
        if target is None or target.consecutive_failures < settings.DELIVERY_BREAKER_THRESHOLD:
            return False
        if target.paused_until is None or target.paused_until <= now:
            # Half-open: this step probes; the others wait one more pause for its answer.
            target.paused_until = now + _pause()
            target.save(update_fields=["paused_until"])
            return False
        step.next_try_at = target.paused_until
        step.save(update_fields=["next_try_at"])
        delay = (target.paused_until - now).total_seconds()
        if delay <= pipeline.MAX_COUNTDOWN_SECONDS:
            transaction.on_commit(lambda: pipeline.enqueue(step, countdown=delay))
    return True


def end_pause(target_id: str) -> None:
    """A manual "retry now": the next try is the probe, at once."""
    if not str(target_id).isdigit():  # not a configured target (the office's plain email): no breaker
        return
    DeliveryTarget.objects.filter(pk=target_id, paused_until__isnull=False).update(paused_until=timezone.now())


def failed(target_id: str) -> None:
    with transaction.atomic():
        target = DeliveryTarget.objects.select_for_update().filter(pk=target_id).first()
        if target is None:
            return
        target.consecutive_failures += 1
        if target.consecutive_failures >= settings.DELIVERY_BREAKER_THRESHOLD:
            target.paused_until = timezone.now() + _pause()
            logger.warning(
                "delivery.breaker_open target=%s failures=%s until=%s",
                target.pk, target.consecutive_failures, target.paused_until.isoformat(),
            )  # fmt: skip
        target.save(update_fields=["consecutive_failures", "paused_until"])


def succeeded(target_id: str) -> None:
    """Close the breaker; the steps waiting for the pause to end go out now."""
    from forms_engine.submissions import pipeline
    from forms_engine.submissions.models import ProcessingStep

    with transaction.atomic():
        target = DeliveryTarget.objects.select_for_update().filter(pk=target_id).first()
        if target is None or (target.consecutive_failures == 0 and target.paused_until is None):
            return
        was_paused = target.paused_until is not None
        target.consecutive_failures = 0
        target.paused_until = None
        target.save(update_fields=["consecutive_failures", "paused_until"])
        if not was_paused:
            return
        now = timezone.now()
        waiting = list(
            ProcessingStep.objects.filter(
                kind=ProcessingStep.Kind.DELIVERY, target_id=str(target_id), state=ProcessingStep.State.PENDING,
                next_try_at__gt=now,
            )
        )  # fmt: skip
        ProcessingStep.objects.filter(pk__in=[s.pk for s in waiting]).update(next_try_at=now)
        logger.info("delivery.breaker_closed target=%s waking=%s", target.pk, len(waiting))
        transaction.on_commit(lambda: [pipeline.enqueue(s) for s in waiting])

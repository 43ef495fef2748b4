"""What a back-office system may change through the pull API. Called inside
the token's city scope (PullApiView opens it): the scoped managers keep every
query to that city."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from forms_engine.delivery.models import DeliveryTarget, PullApiToken
from forms_engine.submissions.models import ProcessingStep, Submission

# Statuses a back-office system may set; "deleted" belongs to retention.
SETTABLE_STATUSES = [s for s in Submission.Status if s != Submission.Status.DELETED]


def delivery_steps(token: PullApiToken) -> QuerySet[ProcessingStep]:
    """Done pull deliveries of the token's city to the token's system."""
    target_ids = [
        str(pk)
        for pk in DeliveryTarget.objects.filter(channel="pullapi", options__system=token.system).values_list(
            "pk", flat=True
        )
    ]
    return ProcessingStep.objects.filter(
        kind=ProcessingStep.Kind.DELIVERY, state=ProcessingStep.State.DONE, target_id__in=target_ids
    )


def available_submissions(token: PullApiToken, *, only_new: bool) -> QuerySet[Submission]:
    steps = delivery_steps(token)
    if only_new:
        steps = steps.filter(result__acknowledged_at__isnull=True)
    return Submission.objects.filter(pk__in=steps.values("submission_id"))


def pull_acknowledge(*, token: PullApiToken, submission: Submission) -> str:
    """The system has the submission: it no longer appears as new."""
    now = timezone.now().isoformat()
    with transaction.atomic():
        for step in delivery_steps(token).filter(submission=submission).select_for_update():
            if not (step.result or {}).get("acknowledged_at"):
                step.result = {**(step.result or {}), "acknowledged_at": now, "acknowledged_by": token.system}
                step.save(update_fields=["result"])
    return now


class StatusRefused(Exception):
    pass


def pull_set_status(*, token: PullApiToken, submission: Submission, status: str) -> Any:
    """Along the same allowed paths as in the back office, recorded in the
    submission's status history as done by the system."""
    from forms_engine.backoffice.actions import _set_status

    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if status not in locked.allowed_next():
            raise StatusRefused(f"{locked.status} -> {status} is not allowed")
        _set_status(locked, status, by=None, note=f"pull API: {token.system}")
    return locked.status

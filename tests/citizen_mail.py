"""Run the citizen emails a test caused, as the worker would: each pending
email step through its real task (retry bookkeeping included)."""

from __future__ import annotations

from django_scopes import scopes_disabled

from forms_engine.submissions import tasks
from forms_engine.submissions.models import ProcessingStep


def send_citizen_emails() -> list[str]:
    """The new state of every pending citizen email step, oldest first."""
    with scopes_disabled():
        steps = list(
            ProcessingStep.objects.filter(
                kind=ProcessingStep.Kind.CITIZEN_EMAIL, state=ProcessingStep.State.PENDING
            ).order_by("created_at")
        )
    return [str(tasks.send_citizen_email.apply(args=(s.city_id, str(s.pk))).get()) for s in steps]

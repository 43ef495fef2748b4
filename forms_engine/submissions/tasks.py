"""Celery tasks of the post-submit pipeline. They orchestrate only: the work is
in documents/, delivery/ and confirmation.py, the bookkeeping in pipeline.py."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from forms_engine.tenants.tasks import TenantTask

from . import pipeline


@shared_task(base=TenantTask, bind=True, name="submissions.render_pdf", acks_late=True, reject_on_worker_lost=True)
def render_pdf(self: Any, city_id: int, step_id: str) -> str:
    from forms_engine.documents.storage import render_and_store

    return pipeline.run_step(step_id, self.request.id or "", render_and_store, worker=self.request.hostname or "")


@shared_task(base=TenantTask, bind=True, name="submissions.deliver", acks_late=True, reject_on_worker_lost=True)
def deliver(self: Any, city_id: int, step_id: str) -> str:
    from forms_engine.delivery import breaker
    from forms_engine.delivery.base import PermanentDeliveryError
    from forms_engine.delivery.dispatch import deliver_step

    if breaker.hold(step_id):
        return "paused"  # the target's breaker is open; the step waits for the pause to end

    def work(step: Any) -> dict[str, Any]:
        try:
            result = deliver_step(step)
        except PermanentDeliveryError:
            raise  # the back office answered (and refused): it is not down
        except Exception:
            breaker.failed(step.target_id)
            raise
        breaker.succeeded(step.target_id)
        return result

    return pipeline.run_step(
        step_id,
        self.request.id or "",
        work,
        worker=self.request.hostname or "",
        permanent_errors=(PermanentDeliveryError,),
    )


@shared_task(base=TenantTask, bind=True, name="submissions.confirm", acks_late=True, reject_on_worker_lost=True)
def confirm(self: Any, city_id: int, step_id: str) -> str:
    from .confirmation import send_confirmation

    return pipeline.run_step(step_id, self.request.id or "", send_confirmation, worker=self.request.hostname or "")


@shared_task(
    base=TenantTask, bind=True, name="submissions.send_citizen_email", acks_late=True, reject_on_worker_lost=True
)
def send_citizen_email(self: Any, city_id: int, step_id: str) -> str:
    from .citizen_email import send

    return pipeline.run_step(step_id, self.request.id or "", send)


@shared_task(name="submissions.sweep", acks_late=True)
def sweep() -> int:
    return pipeline.sweep()


@shared_task(name="submissions.retention")
def run_retention() -> int:
    """Beat task: the daily retention run over every city (retention.py)."""
    from .retention import run_all

    return run_all()

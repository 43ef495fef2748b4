"""Celery tasks of the back office: the staff notices (a kind of processing
step) and the daily beat run that plans digests and reminders. Not named
tasks.py: casework keeps no Celery module of that name (tests/staff/test_layering.py);
apps.ready imports it, so workers and web processes know the tasks by name."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from forms_engine.submissions import pipeline
from forms_engine.tenants.tasks import TenantTask


@shared_task(base=TenantTask, bind=True, name="backoffice.staff_notice", acks_late=True, reject_on_worker_lost=True)
def staff_notice(self: Any, city_id: int, step_id: str) -> str:
    from .notifications import NoRecipient, send_staff_notice

    return pipeline.run_step(step_id, self.request.id or "", send_staff_notice, permanent_errors=(NoRecipient,))


@shared_task(base=TenantTask, bind=True, name="backoffice.letter", acks_late=True, reject_on_worker_lost=True)
def letter(self: Any, city_id: int, step_id: str) -> str:
    """Render a decision letter, attach it, plan its email (letters.py)."""
    from .letters import run_letter_step

    return pipeline.run_step(step_id, self.request.id or "", run_letter_step, worker=self.request.hostname or "")


@shared_task(base=TenantTask, bind=True, name="backoffice.rules", acks_late=True, reject_on_worker_lost=True)
def rules(self: Any, city_id: int, step_id: str) -> str:
    """Run the rules of one case for one cause (rules.py); a failing rule only leaves a note."""
    from .rules import run_rules_step

    return pipeline.run_step(step_id, self.request.id or "", run_rules_step, worker=self.request.hostname or "")


@shared_task(name="backoffice.daily_notices", acks_late=True)
def daily_notices() -> dict[str, int]:
    """Beat, every morning: plan each city's digests and reminders (idempotent per day)."""
    from forms_engine.tenants.models import City

    from .notifications import plan_daily
    from .rules import plan_deadline_rules

    totals = {"digests": 0, "reminders": 0, "deadline_rules": 0}
    today = timezone.localdate()
    with scopes_disabled():
        cities = list(City.objects.order_by("pk"))
    for city in cities:
        with scope(city=city):
            for key, n in plan_daily(city, today).items():
                totals[key] += n
            totals["deadline_rules"] += plan_deadline_rules(city, today)
    return totals

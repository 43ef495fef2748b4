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


@shared_task(name="backoffice.daily_notices", acks_late=True)
def daily_notices() -> dict[str, int]:
    """Beat, every morning: plan each city's digests and reminders (idempotent per day)."""
    from forms_engine.tenants.models import City

    from .notifications import plan_daily

    totals = {"digests": 0, "reminders": 0}
    today = timezone.localdate()
    with scopes_disabled():
        cities = list(City.objects.order_by("pk"))
    for city in cities:
        with scope(city=city):
            for key, n in plan_daily(city, today).items():
                totals[key] += n
    return totals

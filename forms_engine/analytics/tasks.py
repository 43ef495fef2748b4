"""Beat runs `analytics.rollup_recent` every hour: it counts drafts idle for a
day as abandoned, then rolls up yesterday (now complete) and today so far, for
every city. `analytics.rollup_day` re-runs one past day for one city."""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django_scopes import scopes_disabled

from forms_engine.tenants.models import City
from forms_engine.tenants.tasks import TenantTask

from .abandonment import count_all
from .rollup import delete_old_events, rollup_day


def event_retention_days() -> int:
    """Raw events are kept 400 days (a past day can be re-rolled within that);
    override with the ANALYTICS_EVENT_RETENTION_DAYS setting."""
    return int(getattr(settings, "ANALYTICS_EVENT_RETENTION_DAYS", 400))


@shared_task(name="analytics.rollup_recent")
def rollup_recent() -> int:
    count_all()
    today = timezone.localdate()
    with scopes_disabled():
        city_ids = list(City.objects.values_list("pk", flat=True))
    written = 0
    for city_id in city_ids:
        city = City.objects.get(pk=city_id)
        for day in (today - timedelta(days=1), today):
            written += rollup_day(city, day)
    delete_old_events(timezone.now() - timedelta(days=event_retention_days()))
    return written


@shared_task(name="analytics.rollup_day", base=TenantTask)
def rollup_city_day(city_id: int, day_iso: str) -> int:
    return rollup_day(City.objects.get(pk=city_id), date.fromisoformat(day_iso))

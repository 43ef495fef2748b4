"""Beat task: the daily retention run, one scope per city."""

from __future__ import annotations

from celery import shared_task
from django_scopes import scope, scopes_disabled

from forms_engine.tenants.models import City

from . import retention


@shared_task(name="backoffice.retention")
def run_retention() -> int:
    """Idempotent; a city that fails is logged and the others still run."""
    with scopes_disabled():
        cities = list(City.objects.all())
    done = 0
    for city in cities:
        with scope(city=city):
            try:
                retention.run_for_city(city)
                done += 1
            except Exception:
                retention.logger.exception("retention failed city=%s", city.slug)
    return done

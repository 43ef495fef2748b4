"""TenantTask: Celery tasks take city_id first and run inside that city's scope."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django_scopes import scope

from .models import City


class TenantTask(Task):  # type: ignore[misc,type-arg]
    abstract = True

    def __call__(self, city_id: int, *args: Any, **kwargs: Any) -> Any:
        from forms_engine.lib.logging import bind_city

        city = City.objects.get(pk=city_id)
        bind_city(city)
        with scope(city=city):
            return super().__call__(city_id, *args, **kwargs)


@shared_task(name="tenants.beat_heartbeat")
def beat_heartbeat() -> None:
    """Scheduled by beat; a worker running it proves beat is alive."""
    from config.celery import record_heartbeat

    record_heartbeat("beat", "beat")

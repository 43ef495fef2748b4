"""The poller: lost returns (a citizen who paid and closed the tab) are
finished here, every minute, per city (docs/payments.md)."""

from __future__ import annotations

from celery import shared_task
from django_scopes import scopes_disabled

from forms_engine.tenants.models import City
from forms_engine.tenants.tasks import TenantTask

from . import actions


@shared_task(name="payments.poll_all")
def poll_all() -> None:
    with scopes_disabled():
        cities = list(
            City.objects.filter(paymentprovider__enabled=True, paymentrequest__status__in=["new", "INITIAL"])
            .values_list("pk", flat=True)
            .distinct()
        )
    for city_id in cities:
        poll_city.delay(city_id)


@shared_task(base=TenantTask, name="payments.poll_city")
def poll_city(city_id: int) -> int:
    return actions.poll_due()

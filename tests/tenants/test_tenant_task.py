"""Celery tasks on TenantTask take city_id first and run inside that city's scope."""

from __future__ import annotations

from celery import shared_task
from django_scopes import ScopeError

from forms_engine.tenants.models import Domain
from forms_engine.tenants.tasks import TenantTask


@shared_task(base=TenantTask, name="tests.hosts_of_city")
def hosts_of_city(city_id: int) -> list[str]:
    return sorted(Domain.objects.values_list("host", flat=True))


@shared_task(name="tests.hosts_without_scope")
def hosts_without_scope() -> list[str]:
    return sorted(Domain.objects.values_list("host", flat=True))


def test_a_tenant_task_sees_only_its_city(giessen, marburg):
    assert hosts_of_city.apply(args=(marburg.pk,)).get() == ["marburg.localhost"]
    assert hosts_of_city.apply(args=(giessen.pk,)).get() == ["giessen.localhost"]


def test_a_plain_task_has_no_scope(giessen):
    result = hosts_without_scope.apply()
    assert isinstance(result.result, ScopeError)

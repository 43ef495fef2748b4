"""A query on a city-owned model without an active city scope raises."""

from __future__ import annotations

import pytest
from django_scopes import ScopeError, scope

from forms_engine.catalog.models import CityService
from forms_engine.tenants.models import Domain
from tests.conftest import enable_service, host_client


def test_a_query_without_scope_raises(giessen):
    with pytest.raises(ScopeError):
        list(Domain.objects.all())
    with pytest.raises(ScopeError):
        Domain.objects.filter(host="giessen.localhost").first()
    with pytest.raises(ScopeError):
        CityService.objects.count()


def test_inside_a_scope_only_that_city_is_seen(giessen, marburg):
    enable_service(giessen, "unterhaltsvorschuss")
    enable_service(marburg, "unterhaltsvorschuss")
    with scope(city=marburg):
        assert [d.host for d in Domain.objects.all()] == ["marburg.localhost"]
        assert [cs.city for cs in CityService.objects.all()] == [marburg]


def test_the_platform_start_page_lists_cities_through_an_explicit_cross_city_read(giessen):
    """A platform host opens no scope; its start page reads across cities on purpose."""
    page = host_client("localhost").get("/")
    assert page.status_code == 200
    assert "Universitätsstadt Gießen" in page.content.decode()

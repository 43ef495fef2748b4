"""The host decides the city: each city host shows that city's start page."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from forms_engine.tenants.hosts import city_for_host
from forms_engine.tenants.models import Domain
from tests.conftest import host_client


def test_each_city_host_shows_its_own_start_page(giessen, marburg):
    page = host_client("giessen.localhost").get("/")
    assert page.status_code == 200
    assert "Universitätsstadt Gießen" in page.content.decode()
    assert "Marburg" not in page.content.decode()

    page = host_client("marburg.localhost").get("/")
    assert "Universitätsstadt Marburg" in page.content.decode()
    assert "Gießen" not in page.content.decode()


def test_an_allowed_port_and_the_case_of_the_host_do_not_matter(giessen, settings):
    settings.ALLOWED_PORTS = ["8000"]
    page = host_client("GIESSEN.localhost:8000").get("/")
    assert page.status_code == 200
    assert "Universitätsstadt Gießen" in page.content.decode()


def test_the_host_lookup_is_cached(giessen):
    assert city_for_host("giessen.localhost") == giessen
    with CaptureQueriesContext(connection) as queries:
        assert city_for_host("giessen.localhost") == giessen
        assert city_for_host("giessen.localhost:8000") == giessen
    assert len(queries) == 0


def test_a_new_domain_takes_effect_at_once(giessen, marburg):
    assert host_client("www.giessen.de").get("/").status_code == 404  # cached as unknown now
    with scopes_disabled():
        Domain.objects.create(host="www.giessen.de", city=giessen)
    page = host_client("www.giessen.de").get("/")
    assert page.status_code == 200
    assert "Universitätsstadt Gießen" in page.content.decode()


def test_moving_a_domain_to_another_city_takes_effect_at_once(giessen, marburg):
    assert "Gießen" in host_client("giessen.localhost").get("/").content.decode()
    with scopes_disabled():
        domain = Domain.objects.get(host="giessen.localhost")
        domain.city = marburg
        domain.save()
    assert "Universitätsstadt Marburg" in host_client("giessen.localhost").get("/").content.decode()


def test_renaming_a_host_forgets_the_old_one(giessen):
    assert host_client("giessen.localhost").get("/").status_code == 200
    with scopes_disabled():
        domain = Domain.objects.get(host="giessen.localhost")
        domain.host = "giessen.example"
        domain.save()
    assert host_client("giessen.localhost").get("/").status_code == 404
    assert host_client("giessen.example").get("/").status_code == 200


def test_deleting_a_domain_takes_effect_at_once(giessen):
    assert host_client("giessen.localhost").get("/").status_code == 200
    with scopes_disabled():
        Domain.objects.get(host="giessen.localhost").delete()
    assert host_client("giessen.localhost").get("/").status_code == 404


def test_a_city_change_shows_at_once(giessen):
    assert host_client("giessen.localhost").get("/").status_code == 200  # now cached
    giessen.name = "Stadt Gießen an der Lahn"
    giessen.save()
    assert "Stadt Gießen an der Lahn" in host_client("giessen.localhost").get("/").content.decode()


def test_the_cache_holds_unknown_hosts_too(db):
    assert city_for_host("nowhere.localhost") is None
    assert cache.get("tenants:host:nowhere.localhost") is False

"""A step reads the city's service settings and the BundID gate from the cache
(catalog.models.city_service_for, identity.access._gate): the database is asked
only for the session and the draft, and a change made by the city is used on
the very next page (saving or deleting forgets the cached value)."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from forms_engine.catalog.models import CityService

from .conftest import SLUG, start


def _tables_read(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [m.group(1) for q in queries.captured_queries if (m := re.match(r'SELECT .*? FROM "(\w+)"', q["sql"]))]


def test_a_step_reads_only_the_session_and_the_draft(citizen: Client) -> None:
    first = start(citizen)
    citizen.get(first)  # the first page of the city's service fills the cache
    assert _tables_read(citizen, first) == ["django_session", "wizard_draft"]


def test_switching_the_service_off_is_seen_on_the_next_page(citizen: Client, giessen: Any) -> None:
    first = start(citizen)
    assert citizen.get(first).status_code == 200
    with scope(city=giessen):
        row = CityService.objects.get(service_slug=SLUG)
        row.enabled = False
        row.save()
    assert citizen.get(first).status_code == 404
    row.enabled = True
    row.save()
    assert citizen.get(first).status_code == 200


def test_a_deleted_or_moved_service_is_gone_at_once(citizen: Client, giessen: Any) -> None:
    first = start(citizen)
    assert citizen.get(first).status_code == 200
    with scope(city=giessen):
        row = CityService.objects.get(service_slug=SLUG)
        row.service_slug = "bewohnerparkausweis"  # the row now stands for another service
        row.save()
        assert citizen.get(first).status_code == 404
        row.service_slug = SLUG
        row.save()
        assert citizen.get(first).status_code == 200
        row.delete()
    assert citizen.get(first).status_code == 404


def test_settings_changed_by_the_city_are_used_at_once(citizen: Client, giessen: Any) -> None:
    first = start(citizen)
    citizen.get(first)
    with scope(city=giessen):
        row = CityService.objects.get(service_slug=SLUG)
        row.office_name = "Bürgerbüro am Marktplatz"
        row.save()
    # The check page and the start page name the office from the cached row.
    assert "Bürgerbüro am Marktplatz" in citizen.get(f"/{SLUG}/").content.decode()


def test_the_cities_keep_their_own_rows(citizen: Client, giessen: Any, marburg: Any) -> None:
    from tests.conftest import enable_service, host_client

    enable_service(marburg, SLUG, office_name="Fachdienst Marburg")
    with scope(city=giessen):
        CityService.objects.filter(service_slug=SLUG).update(office_name="Fachdienst Gießen")
    other = host_client("marburg.localhost")
    assert "Fachdienst Marburg" in other.get(f"/{SLUG}/").content.decode()
    assert "Fachdienst Gießen" in citizen.get(f"/{SLUG}/").content.decode()
    assert "Fachdienst Marburg" not in citizen.get(f"/{SLUG}/").content.decode()

"""Published data schemas are served forever and never change: a delivery made
with an older data schema version keeps a link that resolves."""

from __future__ import annotations

from typing import Any

import pytest

from forms_engine.catalog import registry
from forms_engine.catalog.models import PublishedSchema
from forms_engine.catalog.schema import data_schema, publish, schema_uri
from tests.conftest import host_client

SERVICE = "fundsache"


@pytest.mark.django_db
def test_current_version_is_served_and_published_on_first_use(giessen: Any) -> None:
    service = registry.get(SERVICE)
    assert service is not None
    PublishedSchema.objects.all().delete()
    client = host_client("giessen.localhost")
    response = client.get(schema_uri(SERVICE, service.data_schema_version))
    assert response.status_code == 200
    assert (
        response.json()["$id"] == f"https://giessen.localhost/api/schemas/{SERVICE}/{service.data_schema_version}.json"
    )
    assert PublishedSchema.objects.filter(service_slug=SERVICE).count() == 1
    assert client.get(schema_uri(SERVICE, "99")).status_code == 404
    assert client.get(schema_uri("gibt-es-nicht", "1")).status_code == 404


@pytest.mark.django_db
def test_an_older_published_version_stays_served_unchanged(giessen: Any) -> None:
    service = registry.get(SERVICE)
    assert service is not None
    old = {**data_schema(service), "title": "Fundsache melden (alte Fassung)"}
    PublishedSchema.objects.create(service_slug=SERVICE, data_schema_version="0", service_version="0.9", schema=old)
    response = host_client("giessen.localhost").get(schema_uri(SERVICE, "0"))
    assert response.status_code == 200 and response.json()["title"] == "Fundsache melden (alte Fassung)"
    # Publishing the current version never touches it, nor itself once published.
    first = publish(service)
    PublishedSchema.objects.filter(service_slug=SERVICE, data_schema_version=service.data_schema_version).update(
        schema={**first, "title": "as published"}
    )
    assert publish(service)["title"] == "as published"
    assert PublishedSchema.objects.get(service_slug=SERVICE, data_schema_version="0").schema == old


@pytest.mark.django_db
def test_migrate_publishes_every_service() -> None:
    # pytest-django builds the test database with migrate; post_migrate publishes.
    published = set(PublishedSchema.objects.values_list("service_slug", flat=True))
    assert {s.slug for s in registry.all_services()} <= published

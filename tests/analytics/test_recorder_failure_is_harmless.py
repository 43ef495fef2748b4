"""A failing recorder is logged (without personal data) and ignored: the caller's
transaction and the citizen's request carry on."""

from __future__ import annotations

import logging

from django.db import connection
from django_scopes import scopes_disabled

from forms_engine.analytics.models import UsageEvent
from forms_engine.analytics.recorder import flush_events, record
from forms_engine.analytics.views import rating_token
from forms_engine.tenants.models import City

from .conftest import SLUG

USER_AGENT = "Mozilla/5.0 DistinctiveBrowser/42.4242"


def hide_events_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE analytics_usageevent RENAME TO analytics_usageevent_hidden")


def test_record_with_missing_table_does_not_raise_and_logs(giessen, demo_service, caplog, rf):
    request = rf.get("/", HTTP_USER_AGENT=USER_AGENT)
    request.LANGUAGE_CODE = "de"
    hide_events_table()

    with caplog.at_level(logging.WARNING, logger="forms_engine.analytics.recorder"):
        record(city=giessen, service_slug=SLUG, event="started", request=request)
        flush_events()  # a request's event is written after the response (recorder.EventBuffer)

    assert "analytics events not recorded: count=1" in caplog.text
    assert "ProgrammingError" in caplog.text
    assert "DistinctiveBrowser" not in caplog.text
    # The caller's transaction is still usable: the failure stayed in its savepoint.
    with scopes_disabled():
        assert City.objects.filter(pk=giessen.pk).exists()


def test_bad_input_never_raises(giessen, demo_service, caplog):
    with caplog.at_level(logging.WARNING, logger="forms_engine.analytics.recorder"):
        record(city=giessen, service_slug=SLUG, event="no-such-event")
        record(city=giessen, service_slug=SLUG, event="rating", rating=9)
        record(city=None, service_slug=SLUG, event="started")
    assert caplog.text.count("analytics event not recorded") == 3
    with scopes_disabled():
        assert UsageEvent.objects.count() == 0


def test_citizen_request_succeeds_while_analytics_is_broken(giessen, demo_service, client):
    hide_events_table()
    response = client.post(
        f"/bewertung/{SLUG}/", {"rating": "3", "ticket": rating_token(giessen, SLUG)}, HTTP_HOST="giessen.localhost"
    )
    assert response.status_code == 200
    assert "rating" in response.content.decode().lower() or "bewertung" in response.content.decode().lower()


def test_wizard_start_and_first_step_work_while_analytics_is_broken(giessen):
    from forms_engine.catalog import registry

    from ..conftest import enable_service, host_client

    service = registry.get("hundesteuer")
    assert service is not None
    enable_service(giessen, service.slug)
    hide_events_table()
    client = host_client("giessen.localhost")

    response = client.post(f"/{service.slug}/", {})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200

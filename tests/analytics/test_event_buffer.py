"""Usage events of web requests are written after the response, several in one
INSERT: none is lost, none is written twice, and a request's response never
waits for them (recorder.EventBuffer)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from forms_engine.analytics.models import UsageEvent
from forms_engine.analytics.recorder import flush_events, record
from forms_engine.tenants.models import City
from tests.conftest import enable_service, host_client

from .conftest import SLUG


def count() -> int:
    with scopes_disabled():
        return UsageEvent.objects.count()


def test_events_wait_for_the_buffer_and_are_written_in_one_insert(giessen: City, demo_service: Any, rf, settings):
    settings.ANALYTICS_BUFFER_EVENTS = 3
    settings.ANALYTICS_BUFFER_SECONDS = 3600
    request = rf.get("/", HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    request.LANGUAGE_CODE = "de"
    with CaptureQueriesContext(connection) as recorded:
        for step in ("person", "details"):
            record(city=giessen, service_slug=SLUG, event="step_shown", step=step, request=request)
    assert len(recorded) == 0, "recording during a request asks nothing of the database"
    assert count() == 0
    with CaptureQueriesContext(connection) as written:
        assert flush_events() == 2
    assert sum("INSERT" in q["sql"] for q in written) == 1
    assert flush_events() == 0, "written once"
    with scopes_disabled():
        assert sorted(UsageEvent.objects.values_list("step", "device")) == [("details", "mobile"), ("person", "mobile")]


def test_a_request_end_writes_a_full_buffer_only(giessen: City, settings) -> None:
    settings.ANALYTICS_BUFFER_EVENTS = 3
    settings.ANALYTICS_BUFFER_SECONDS = 3600
    enable_service(giessen, "hundesteuer")
    citizen = host_client("giessen.localhost")
    for written in (0, 0, 3):  # each restart records "started"
        assert citizen.post("/hundesteuer/", {"action": "restart"}).status_code == 302
        assert count() == written


def test_an_old_event_is_written_at_the_next_request_end(giessen: City, demo_service: Any, rf, settings) -> None:
    settings.ANALYTICS_BUFFER_EVENTS = 1000
    settings.ANALYTICS_BUFFER_SECONDS = 0
    request = rf.get("/")
    record(city=giessen, service_slug=SLUG, event="started", request=request)
    assert count() == 0
    host_client("giessen.localhost").get("/")  # any request's end
    assert count() == 1


def test_events_without_a_request_are_written_at_once(giessen: City, demo_service: Any) -> None:
    record(city=giessen, service_slug=SLUG, event="abandoned", step="details")
    assert count() == 1

"""No stored field of any event holds the IP address, cookie, user agent or
any other detail of the request; time is cut to the hour."""

from __future__ import annotations

from django.http import HttpRequest
from django.test import RequestFactory
from django_scopes import scopes_disabled

from forms_engine.analytics.models import UsageEvent
from forms_engine.analytics.recorder import flush_events, record, record_abandoned
from forms_engine.analytics.views import rating_token

from .conftest import SLUG

USER_AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) DistinctiveBrowser/99.1234 Mobile"
IP = "203.0.113.77"
COOKIE_VALUE = "sessionsecret-4711-abcdef"
SECRETS = [USER_AGENT, "DistinctiveBrowser", "99.1234", "Pixel", IP, "203.0.113", COOKIE_VALUE, "4711", "draft-id-42"]


def distinctive_request() -> HttpRequest:
    request = RequestFactory().get(
        "/hundesteuer/person/",
        HTTP_USER_AGENT=USER_AGENT,
        REMOTE_ADDR=IP,
        HTTP_X_FORWARDED_FOR=IP,
        HTTP_COOKIE=f"sessionid={COOKIE_VALUE}",
        HTTP_REFERER="https://example.org/?q=Max+Mustermann",
    )
    request.LANGUAGE_CODE = "en"
    return request


def stored_values() -> tuple[list[UsageEvent], list[tuple[str, str]]]:
    with scopes_disabled():
        events = list(UsageEvent.objects.all())
    return events, [(f.name, str(f.value_from_object(e))) for e in events for f in UsageEvent._meta.fields]


def test_no_event_stores_anything_of_the_person(giessen, demo_service):
    request = distinctive_request()
    record(city=giessen, service_slug=SLUG, event="started", request=request)
    for event in ("step_shown", "step_completed", "saved"):
        record(city=giessen, service_slug=SLUG, event=event, step="person", request=request, draft_id="draft-id-42")
    record(city=giessen, service_slug=SLUG, event="resumed", request=request, ip=IP)
    record(city=giessen, service_slug=SLUG, event="submitted", request=request, duration_seconds=754)
    record(city=giessen, service_slug=SLUG, event="rating", request=request, rating=4, name="Max Mustermann")
    record_abandoned(giessen, SLUG, "details")
    flush_events()  # a request's events are written after its response (recorder.EventBuffer)

    events, values = stored_values()
    assert len(events) == 8
    for name, value in values:
        for secret in [*SECRETS, "Mustermann", "example.org"]:
            assert secret not in value, f"{name} holds {secret!r}"
    # Only these columns exist at all: nothing else could hold request data.
    assert {f.name for f in UsageEvent._meta.fields} == {
        "id",
        "city",
        "service_slug",
        "event",
        "step",
        "hour",
        "device",
        "language",
        "duration_seconds",
        "rating",
    }
    for stored in events:
        assert (stored.hour.minute, stored.hour.second, stored.hour.microsecond) == (0, 0, 0)
        if stored.event != "abandoned":
            assert (stored.device, stored.language) == ("mobile", "en")
    assert {e.event: e.duration_seconds for e in events}["submitted"] == 754
    assert {e.event: e.rating for e in events}["rating"] == 4


def test_rating_over_http_stores_nothing_of_the_person(giessen, demo_service, client):
    client.cookies["tracking"] = COOKIE_VALUE
    response = client.post(
        f"/bewertung/{SLUG}/",
        {"rating": "5", "ticket": rating_token(giessen, SLUG)},
        HTTP_HOST="giessen.localhost",
        HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) DistinctiveBrowser/99.1234",
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 200

    events, values = stored_values()
    assert [(e.event, e.rating, e.device) for e in events] == [("rating", 5, "desktop")]
    for name, value in values:
        for secret in SECRETS:
            assert secret not in value, f"{name} holds {secret!r}"


def test_wizard_events_store_nothing_of_the_person(giessen):
    from forms_engine.catalog import registry

    from ..conftest import enable_service

    service = registry.get("hundesteuer")
    assert service is not None
    enable_service(giessen, service.slug)
    from django.test import Client

    client = Client(headers={"user-agent": USER_AGENT}, HTTP_HOST="giessen.localhost", REMOTE_ADDR=IP)
    client.cookies["tracking"] = COOKIE_VALUE
    response = client.post(f"/{service.slug}/", {})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200

    events, values = stored_values()
    assert {e.event for e in events} >= {"started", "step_shown"}
    for name, value in values:
        for secret in SECRETS:
            assert secret not in value, f"{name} holds {secret!r}"

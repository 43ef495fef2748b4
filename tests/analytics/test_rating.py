"""The satisfaction question on the confirmation page: a plain form (fieldset,
legend, radio buttons, CSRF), one rating per ticket, thanks afterwards."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import Client
from django_scopes import scopes_disabled

from forms_engine.analytics.models import UsageEvent
from forms_engine.analytics.views import rating_token

from .conftest import SLUG


def ratings() -> list[int | None]:
    with scopes_disabled():
        return list(UsageEvent.objects.filter(event="rating").values_list("rating", flat=True))


def test_include_renders_an_accessible_form(giessen, demo_service, rf):
    request = rf.get("/", HTTP_HOST="giessen.localhost")
    request.city = giessen
    html = render_to_string("analytics/rating_form.html", {"service_slug": SLUG}, request=request)
    assert "<fieldset" in html and "<legend" in html
    assert html.count('type="radio"') == 5
    assert "csrfmiddlewaretoken" in html
    assert f'action="/bewertung/{SLUG}/"' in html
    assert "<script" not in html


def test_rating_is_recorded_once_per_ticket(giessen, demo_service):
    client = Client(HTTP_HOST="giessen.localhost", enforce_csrf_checks=False)
    ticket = rating_token(giessen, SLUG)

    response = client.post(f"/bewertung/{SLUG}/", {"rating": "4", "ticket": ticket})
    assert response.status_code == 200
    assert "Thank you" in response.content.decode() or "Vielen Dank" in response.content.decode()
    client.post(f"/bewertung/{SLUG}/", {"rating": "1", "ticket": ticket})

    assert ratings() == [4]


def test_missing_choice_shows_the_form_again(giessen, demo_service):
    client = Client(HTTP_HOST="giessen.localhost")
    response = client.post(f"/bewertung/{SLUG}/", {"ticket": rating_token(giessen, SLUG)})
    assert response.status_code == 400
    assert 'type="radio"' in response.content.decode()
    assert ratings() == []


def test_forged_or_foreign_ticket_is_refused(giessen, marburg, demo_service):
    client = Client(HTTP_HOST="giessen.localhost")
    assert client.post(f"/bewertung/{SLUG}/", {"rating": "5", "ticket": "forged"}).status_code == 404
    marburg_ticket = rating_token(marburg, SLUG)
    assert client.post(f"/bewertung/{SLUG}/", {"rating": "5", "ticket": marburg_ticket}).status_code == 404
    assert ratings() == []


def test_csrf_is_enforced(giessen, demo_service):
    client = Client(HTTP_HOST="giessen.localhost", enforce_csrf_checks=True)
    response = client.post(f"/bewertung/{SLUG}/", {"rating": "5", "ticket": rating_token(giessen, SLUG)})
    assert response.status_code == 403
    assert ratings() == []

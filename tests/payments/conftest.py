from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.test import Client
from django_scopes import scope

from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService
from forms_engine.payments.models import PaymentProvider
from tests.conftest import enable_service, host_client
from tests.wizard.walk import hidden, walk

from .provider_server import Bezahldienst

SAMPLE = "company_car_two_years"  # 2 years × 75 EUR


@pytest.fixture(scope="session")
def provider_server() -> Iterator[Bezahldienst]:
    server = Bezahldienst(auth="basic", endpoint="06531005")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def provider(provider_server: Bezahldienst, giessen: Any, settings: Any) -> Iterator[Bezahldienst]:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True
    provider_server.down = False
    enable_service(giessen, "bewohnerparkausweis", parameters={"annual_fee": "75.00"})
    configure(giessen, provider_server)
    yield provider_server
    provider_server.down = False


def configure(city: Any, server: Bezahldienst, mode: str = "before") -> PaymentProvider:
    """The city's provider settings, and its parking permit paid online (`mode`)."""
    s = server.settings()
    with scope(city=city):
        CityService.objects.filter(service_slug="bewohnerparkausweis").update(payment_mode=mode)
        row, _created = PaymentProvider.objects.update_or_create(
            city=city,
            defaults={
                "enabled": True,
                "base_url": s["base_url"],
                "originator_id": s["originator_id"],
                "endpoint_id": s["endpoint_id"],
                "auth": s["auth"],
                "username": s.get("username") or s.get("client_id", ""),
                "secret": s.get("password") or s.get("client_secret", ""),
                "oauth_url": s.get("oauth_url", ""),
                "purpose_template": "Parkausweis {reference}",
            },
        )
    return row


def citizen_at_check() -> tuple[Client, str]:
    service = registry.get("bewohnerparkausweis")
    assert service is not None
    client = host_client("giessen.localhost")
    result = walk(client, "bewohnerparkausweis", dict(service.sample_answers[SAMPLE]), submit=False)
    return client, result["check_html"]


def submit(client: Client, check_html: str, **extra: str) -> Any:
    data = {"draft": hidden(check_html, "draft"), "revision": hidden(check_html, "revision"), **extra}
    return client.post("/bewohnerparkausweis/check/", data)


def press(pay_url: str, action: str, method: str = "PAYPAL") -> str:
    """The citizen presses a button on the provider's page; returns where the
    provider sends the browser back to (our return address's path)."""
    page = requests.get(pay_url, timeout=10)
    assert page.status_code == 200 and "Bezahlen" in page.text
    answer = requests.post(pay_url, data={"action": action, "method": method}, allow_redirects=False, timeout=10)
    assert answer.status_code == 303
    return re.sub(r"^https?://[^/]+", "", answer.headers["Location"])


def page_url(city: Any) -> str:
    """The pay page of the city's one submission (retry, or pay after submission)."""
    from forms_engine.submissions.models import Submission

    with scope(city=city):
        return f"/bezahlen/antrag/{Submission.objects.get().pk}/"

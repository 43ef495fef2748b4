"""Each authentication the providers use, and the city's settings form:
typed fields, secrets kept, bad values refused with a German message."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from django_scopes import scope

from forms_engine.payments.admin import PaymentProviderForm
from forms_engine.payments.models import PaymentProvider, PaymentRequest

from .conftest import citizen_at_check, configure, press, submit
from .provider_server import Bezahldienst


@pytest.fixture
def oauth_server() -> Iterator[Bezahldienst]:
    server = Bezahldienst(auth="oauth2", endpoint="06531005")
    server.start()
    yield server
    server.stop()


def test_oauth2_client_credentials(provider: Any, oauth_server: Bezahldienst, giessen: Any) -> None:
    configure(giessen, oauth_server)
    client, check_html = citizen_at_check()
    pay_url = submit(client, check_html)["Location"]
    assert pay_url.startswith(oauth_server.url)
    client.get(press(pay_url, "pay"))
    assert ("POST", "/oauth/token/", 200) in oauth_server.requests
    with scope(city=giessen):
        assert PaymentRequest.objects.get().status == "PAYED"


def test_wrong_credentials_change_nothing_and_say_so(provider: Any, giessen: Any) -> None:
    with scope(city=giessen):
        PaymentProvider.objects.update(secret="wrong")
    client, check_html = citizen_at_check()
    page = client.get(submit(client, check_html)["Location"]).content.decode()
    assert "Der Bezahldienst ist gerade nicht erreichbar" in page
    assert ("POST", f"/api/v1.0.0/paymenttransaction/gemeinsam/{provider.endpoint}", 403) in provider.requests


def _form(giessen: Any, **changes: str) -> PaymentProviderForm:
    data = {
        "city": str(giessen.pk), "enabled": "on", "base_url": "https://epay.example.org/api/v1.0.0/",
        "originator_id": "parkausweis", "endpoint_id": "06531005", "auth": "basic", "username": "u",
        "secret": "s", "methods": "CREDITCARD,PAYPAL", "purpose_template": "{reference}",
        **changes,
    }  # fmt: skip
    return PaymentProviderForm(data=data)


def test_the_settings_form_refuses_bad_values_in_german(giessen: Any, settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    with translation.override("de"), scope(city=giessen):
        form = _form(giessen, base_url="http://127.0.0.1:9/", methods="BITCOIN", originator_id="a b", auth="oauth2")
        assert not form.is_valid()
        assert "https://" in str(form.errors["base_url"])
        assert "Unbekannte Zahlart: BITCOIN" in str(form.errors["methods"])
        assert "Buchstaben, Ziffern" in str(form.errors["originator_id"])
        assert "Token-URL" in str(form.errors["oauth_url"])
        assert PaymentProvider.objects.count() == 0

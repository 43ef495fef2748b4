"""Each authentication kind the providers use, against the stand-in over real
connections: HTTP Basic (epay21), OAuth2 client credentials (pmPayment) and a
TLS client certificate over https (ePayBL). Wrong credentials change nothing
and the citizen reads why in German."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django_scopes import scope

from forms_engine.payments.admin import PaymentProviderForm
from forms_engine.payments.models import PaymentProvider, PaymentRequest
from forms_engine.submissions.models import Submission

from .certs import Pki, make_pki
from .conftest import citizen_at_check, configure, press, submit
from .provider_server import Bezahldienst

UNREACHABLE = "Der Bezahldienst ist gerade nicht erreichbar"


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path)


@pytest.fixture
def tls_server(pki: Pki, tmp_path: Path) -> Iterator[Bezahldienst]:
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(pki.ca_pem)
    server = Bezahldienst(auth="certificate", endpoint="06531005", tls=(str(pki.server_pem), str(ca_file)))
    server.start()
    yield server
    server.stop()


def _with_certificate(giessen: Any, server: Bezahldienst, pki: Pki, client_pem: str) -> None:
    configure(giessen, server)
    with scope(city=giessen):
        PaymentProvider.objects.update(client_certificate=client_pem, server_ca=pki.ca_pem)


def _pay(client: Any, check_html: str) -> str:
    pay_url = submit(client, check_html)["Location"]
    return str(client.get(press(pay_url, "pay"), follow=True).content.decode())


def test_client_certificate_over_mutual_tls(provider: Any, tls_server: Bezahldienst, pki: Pki, giessen: Any) -> None:
    assert tls_server.url.startswith("https://")
    _with_certificate(giessen, tls_server, pki, pki.client_pem)
    client, check_html = citizen_at_check()
    _pay(client, check_html)
    with scope(city=giessen):
        assert PaymentRequest.objects.get().status == "PAYED"
        assert Submission.objects.get().status == Submission.Status.RECEIVED
    assert set(tls_server.clients) == {"gemeinsam-offenbach"}  # create and status, both with our certificate


def test_a_certificate_the_provider_does_not_know_is_refused(
    provider: Any, tls_server: Bezahldienst, pki: Pki, giessen: Any
) -> None:
    _with_certificate(giessen, tls_server, pki, pki.stranger_pem)
    client, check_html = citizen_at_check()
    page = client.get(submit(client, check_html)["Location"]).content.decode()
    assert UNREACHABLE in page
    with scope(city=giessen):
        assert PaymentRequest.objects.get().status == "unreachable"
        assert Submission.objects.get().status == Submission.Status.AWAITING_PAYMENT
    assert tls_server.clients == [] and tls_server.transactions == {}


def test_without_the_providers_ca_the_server_is_not_trusted(
    provider: Any, tls_server: Bezahldienst, pki: Pki, giessen: Any
) -> None:
    _with_certificate(giessen, tls_server, pki, pki.client_pem)
    with scope(city=giessen):
        PaymentProvider.objects.update(server_ca="")
    client, check_html = citizen_at_check()
    assert UNREACHABLE in client.get(submit(client, check_html)["Location"]).content.decode()
    assert tls_server.transactions == {}


def test_http_basic_sends_the_credentials_the_provider_expects(provider: Bezahldienst, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    _pay(client, check_html)
    with scope(city=giessen):
        assert PaymentRequest.objects.get().status == "PAYED"
    expected = base64.b64encode(f"{provider.user}:{provider.password}".encode()).decode()
    assert provider.authorised(f"Basic {expected}") and not provider.authorised("Basic eDp5")


@pytest.fixture
def oauth_server() -> Iterator[Bezahldienst]:
    server = Bezahldienst(auth="oauth2", endpoint="06531005")
    server.start()
    yield server
    server.stop()


def test_oauth2_with_a_wrong_client_secret_changes_nothing(
    provider: Any, oauth_server: Bezahldienst, giessen: Any
) -> None:
    configure(giessen, oauth_server)
    with scope(city=giessen):
        PaymentProvider.objects.update(secret="wrong")
    client, check_html = citizen_at_check()
    assert UNREACHABLE in client.get(submit(client, check_html)["Location"]).content.decode()
    assert ("POST", "/oauth/token/", 401) in oauth_server.requests
    assert oauth_server.transactions == {}


def test_the_settings_form_reads_the_certificates(giessen: Any, pki: Pki, settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    data = {
        "city": str(giessen.pk), "enabled": "on", "base_url": "https://epayment.example.org/konnektor/",
        "originator_id": "parkausweis", "endpoint_id": "06531005", "auth": "certificate",
        "methods": "CREDITCARD", "purpose_template": "{reference}",
    }  # fmt: skip
    with translation.override("de"), scope(city=giessen):
        form = PaymentProviderForm(data={**data, "client_certificate": pki.ca_pem, "server_ca": "kein PEM"})
        assert not form.is_valid()
        assert "privaten Schlüssel" in str(form.errors["client_certificate"])
        assert "CA-Zertifikat" in str(form.errors["server_ca"])
        form = PaymentProviderForm(data={**data, "client_certificate": pki.client_pem, "server_ca": pki.ca_pem})
        form.is_valid()  # (no DNS here for the example host: only the certificates matter)
        assert "client_certificate" not in form.errors and "server_ca" not in form.errors

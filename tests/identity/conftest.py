from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from forms_engine.identity.keys import self_signed
from forms_engine.identity.models import BundIdSettings
from tests.conftest import enable_service, host_client

from .idp import BundIdStandIn


@pytest.fixture(scope="session")
def idp() -> Iterator[BundIdStandIn]:
    server = BundIdStandIn()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sp_keys() -> dict[str, tuple[str, str]]:
    return {"giessen": self_signed("giessen SP"), "marburg": self_signed("marburg SP")}


def configure(city: Any, idp: BundIdStandIn, keys: tuple[str, str], **fields: Any) -> BundIdSettings:
    """What a city administrator enters; the IdP learns the SP from its metadata."""
    from forms_engine.identity import saml

    with scope(city=city):
        row, _created = BundIdSettings.objects.update_or_create(
            city=city,
            defaults={
                "enabled": True,
                "sp_key": keys[0],
                "sp_certificate": keys[1],
                "idp_metadata": idp.metadata(),
                **fields,
            },
        )
        idp.register_sp(saml.metadata(row))
    return row


@pytest.fixture
def bundid(giessen: Any, idp: BundIdStandIn, sp_keys: dict[str, tuple[str, str]]) -> BundIdStandIn:
    configure(giessen, idp, sp_keys["giessen"])
    enable_service(giessen, "bewohnerparkausweis")
    enable_service(giessen, "unterhaltsvorschuss")
    return idp


def form_fields(html: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)}


def start_login(client: Client, service: str = "bewohnerparkausweis") -> dict[str, str]:
    """Press "Mit BundID anmelden": our page with the signed request for BundID."""
    page = client.post("/bundid/anmelden/", {"service": service})
    assert page.status_code == 200, page.status_code
    fields = form_fields(page.content.decode())
    assert "SAMLRequest" in fields and "RelayState" in fields
    return fields


def login(client: Client, idp: BundIdStandIn, identity: str = "erika", service: str = "bewohnerparkausweis") -> Any:
    """The whole login: request, the IdP's answer, ACS, hand-over."""
    fields = start_login(client, service)
    request = idp.receive(fields["SAMLRequest"], fields["RelayState"])
    answer = client.post(
        "/bundid/acs/", {"SAMLResponse": idp.respond(request, identity), "RelayState": fields["RelayState"]}
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return client.get(answer["Location"])


@pytest.fixture
def citizen(bundid: BundIdStandIn) -> Client:
    return host_client("giessen.localhost")

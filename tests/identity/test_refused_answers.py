"""Answers BundID would never send, and answers sent twice or elsewhere, are
refused with a German page and change nothing: no login, no draft bound."""

from __future__ import annotations

import base64
import copy
import logging
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope
from lxml import etree

from forms_engine.identity.access import SESSION_IDENTITY
from forms_engine.identity.models import LoginAttempt, SeenAssertion
from tests.conftest import host_client

from .conftest import configure, login, start_login
from .idp import BundIdStandIn

SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"


def _post(client: Client, saml_response: str, relay_state: str) -> Any:
    return client.post("/bundid/acs/", {"SAMLResponse": saml_response, "RelayState": relay_state})


@pytest.fixture(autouse=True)
def _reasons(caplog: Any) -> Any:
    caplog.set_level(logging.WARNING, logger="forms_engine.identity.views")
    return caplog


def _assert_refused(client: Client, answer: Any, reason: str | None = None, caplog: Any = None) -> None:
    assert answer.status_code == 400, answer.status_code
    html = answer.content.decode()
    assert "Die Anmeldung mit BundID hat nicht geklappt" in html
    assert SESSION_IDENTITY not in client.session
    if reason is not None:
        logged = [getattr(r, "reason", None) for r in caplog.records if r.name == "forms_engine.identity.views"]
        assert logged[-1] == reason, logged


@pytest.mark.parametrize(
    ("tweak", "reason"),
    [
        ("unsigned", "SignatureError"),
        ("rogue", "SignatureError"),
        ("expired", "VerificationError"),
        ("plain", "unencrypted"),
    ],
)
def test_broken_answers_are_refused(
    citizen: Client, bundid: BundIdStandIn, giessen: Any, tweak: str, reason: str, _reasons: Any
) -> None:
    fields = start_login(citizen)
    request = bundid.receive(fields["SAMLRequest"], fields["RelayState"])
    answer = _post(citizen, bundid.respond(request, tweak=tweak), fields["RelayState"])
    _assert_refused(citizen, answer, reason, _reasons)
    with scope(city=giessen):
        assert not SeenAssertion.objects.exists()
        assert LoginAttempt.objects.get(pk=fields["RelayState"]).identity is None


def test_wrong_audience_is_refused(citizen: Client, bundid: BundIdStandIn, _reasons: Any) -> None:
    fields = start_login(citizen)
    request = bundid.receive(fields["SAMLRequest"], fields["RelayState"])
    answer = bundid.respond(request, audience="https://andere-stadt.example/bundid/metadata/")
    _assert_refused(citizen, _post(citizen, answer, fields["RelayState"]), "Exception", _reasons)  # "Not for me!"


def test_an_answer_is_accepted_once(citizen: Client, bundid: BundIdStandIn, giessen: Any) -> None:
    fields = start_login(citizen)
    request = bundid.receive(fields["SAMLRequest"], fields["RelayState"])
    answer = bundid.respond(request)
    assert _post(citizen, answer, fields["RelayState"]).status_code == 302
    _assert_refused(citizen, _post(citizen, answer, fields["RelayState"]))  # the same POST again


def test_an_assertion_id_is_accepted_once(citizen: Client, bundid: BundIdStandIn, giessen: Any, _reasons: Any) -> None:
    """A new login whose answer reuses an accepted assertion's ID is a replay."""
    first = start_login(citizen)
    request = bundid.receive(first["SAMLRequest"], first["RelayState"])
    assert (
        _post(citizen, bundid.respond(request, assertion_id="_id-seen-once-0001"), first["RelayState"]).status_code
        == 302
    )
    second = start_login(citizen)
    request = bundid.receive(second["SAMLRequest"], second["RelayState"])
    answer = _post(citizen, bundid.respond(request, assertion_id="_id-seen-once-0001"), second["RelayState"])
    _assert_refused(citizen, answer, "replay", _reasons)
    with scope(city=giessen):
        assert LoginAttempt.objects.get(pk=second["RelayState"]).identity is None


def _wrapped(bundid: BundIdStandIn, request: Any, *, keep_signature: bool) -> str:
    """Signature wrapping: a forged assertion (another surname) carrying the
    genuinely signed one inside, encrypted to the SP like a real answer."""
    plain = base64.b64decode(bundid.respond(request, tweak="plain"))
    root = etree.fromstring(plain)
    genuine = root.find(f"{{{SAML}}}Assertion")
    assert genuine is not None
    forged = copy.deepcopy(genuine)
    forged.set("ID", "_forged-assertion-0001")
    for value in forged.iter(f"{{{SAML}}}AttributeValue"):
        if value.text == "Mustermann":
            value.text = "Angreifer"
    signature = forged.find(f"{{{DS}}}Signature")
    assert signature is not None
    if not keep_signature:
        forged.remove(signature)
    advice = etree.Element(f"{{{SAML}}}Advice")
    advice.append(genuine)
    forged.insert(list(forged).index(forged.find(f"{{{SAML}}}Conditions")) + 1, advice)
    root.append(forged)
    return bundid.encrypt_for(etree.tostring(root).decode(), request.sp_entity_id)


@pytest.mark.parametrize("keep_signature", [True, False])
def test_signature_wrapping_is_refused(
    citizen: Client, bundid: BundIdStandIn, keep_signature: bool, _reasons: Any
) -> None:
    fields = start_login(citizen)
    request = bundid.receive(fields["SAMLRequest"], fields["RelayState"])
    answer = _post(citizen, _wrapped(bundid, request, keep_signature=keep_signature), fields["RelayState"])
    _assert_refused(citizen, answer, "SignatureError", _reasons)


def test_an_answer_for_another_login_is_refused(citizen: Client, bundid: BundIdStandIn, _reasons: Any) -> None:
    """InResponseTo: the answer to one login does not complete another."""
    one = start_login(citizen)
    other = start_login(citizen)
    request = bundid.receive(one["SAMLRequest"], one["RelayState"])
    answer = _post(citizen, bundid.respond(request), other["RelayState"])
    _assert_refused(citizen, answer, "UnsolicitedResponse", _reasons)


def test_another_citys_host_never_accepts_it(
    citizen: Client, bundid: BundIdStandIn, marburg: Any, sp_keys: dict[str, tuple[str, str]]
) -> None:
    """Gießen's assertion posted to Marburg's ACS, for a login Marburg started."""
    configure(marburg, bundid, sp_keys["marburg"])
    marburg_citizen = host_client("marburg.localhost")
    in_marburg = start_login(marburg_citizen, "none")
    in_giessen = start_login(citizen)
    request = bundid.receive(in_giessen["SAMLRequest"], in_giessen["RelayState"])
    answer = bundid.respond(request)
    _assert_refused(marburg_citizen, _post(marburg_citizen, answer, in_marburg["RelayState"]))
    _assert_refused(marburg_citizen, _post(marburg_citizen, answer, in_giessen["RelayState"]))
    # ... and it still works where it belongs.
    assert _post(citizen, answer, in_giessen["RelayState"]).status_code == 302


def test_a_login_is_picked_up_by_the_browser_that_started_it(citizen: Client, bundid: BundIdStandIn) -> None:
    fields = start_login(citizen)
    request = bundid.receive(fields["SAMLRequest"], fields["RelayState"])
    answer = _post(host_client("giessen.localhost"), bundid.respond(request), fields["RelayState"])
    assert answer.status_code == 302
    stranger = host_client("giessen.localhost")
    _assert_refused(stranger, stranger.get(answer["Location"]))
    assert citizen.get(answer["Location"]).status_code == 302
    assert SESSION_IDENTITY in citizen.session


def test_cancel_at_bundid(citizen: Client, bundid: BundIdStandIn) -> None:
    fields = start_login(citizen)
    request = bundid.receive(fields["SAMLRequest"], fields["RelayState"])
    answer = _post(citizen, bundid.cancel(request), fields["RelayState"])
    assert answer.status_code == 400 and "abgebrochen" in answer.content.decode()


def test_login_works(citizen: Client, bundid: BundIdStandIn) -> None:
    assert login(citizen, bundid).status_code == 302
    assert SESSION_IDENTITY in citizen.session

"""Login through the real IdP stand-in: the request is signed and carries the
level and the akdb extension; the answer is decrypted and accepted once."""

from __future__ import annotations

from django.test import Client

from .conftest import login, start_login
from .idp import BundIdStandIn


def test_login_and_prefill(citizen: Client, bundid: BundIdStandIn) -> None:
    done = login(citizen, bundid)
    assert done.status_code == 302 and done["Location"] == "/bewohnerparkausweis/"
    start = citizen.get("/bewohnerparkausweis/")
    assert "BundID" in start.content.decode()
    citizen.post("/bewohnerparkausweis/", {"action": "start"})
    page = citizen.get("/bewohnerparkausweis/applicant/")
    html = page.content.decode()
    assert 'value="Mustermann"' in html and "BundID" in html


def test_request_is_signed_with_level_and_extension(citizen: Client, bundid: BundIdStandIn) -> None:
    fields = start_login(citizen, "unterhaltsvorschuss")
    request = bundid.receive(fields["SAMLRequest"], fields["RelayState"])  # verifies the signature
    assert request.level == 3
    assert "AuthenticationRequest" in request.xml and 'Comparison="minimum"' in request.xml
    assert "urn:oid:1.3.6.1.4.1.25484.494450.3" in request.attributes
    assert "<ds:Signature" in request.xml or "Signature" in request.xml

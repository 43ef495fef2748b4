"""What the sender refuses before sending anything: a destination that is
inactive or does not take our service, version or schema; an encryption key
that is weak, of the wrong kind or not chained to the trust anchor; and
routing whose destination signature is forged."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from forms_engine.demo.standin_keys import Keys, certificate, rsa_key
from forms_engine.demo.zustelldienst import Zustelldienst, running
from tests.submissions.helpers import submit

from .conftest import deliver, destination_for, fitconnect_target

pytestmark = pytest.mark.django_db


def refused(fake: Zustelldienst, city: Any, **target: Any) -> str:
    made = fitconnect_target(fake, city, **target)
    state, step = deliver(submit(city), made)
    assert state == "failed"
    assert fake.count("POST", "/v1/submissions") == 0  # nothing was created
    return step.last_error


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"status": "inactive"}, "ist nicht aktiv"),
        ({"metadataVersions": ["9.0.0"]}, "keine unserer Metadaten-Versionen"),
        ({"services": [{"identifier": "urn:de:fim:leika:leistung:99000000000000"}]}, "nimmt diese Leistung nicht an"),
        (
            {"services": [{"identifier": "urn:de:fim:leika:leistung:99107021017000", "submissionSchemas": [
                {"schemaUri": "https://schema.example/other.json", "mimeType": "application/json"}]}]},
            "nimmt unser Fachdatenschema",
        ),
        ({"_key": {"key_ops": ["encrypt"]}}, "ohne wrapKey"),
        ({"_key": {"alg": "RSA1_5"}}, "kein RSA-OAEP-256-Schlüssel"),
        ({"_key": {"x5c": []}}, "kein Zertifikat"),
    ],
)  # fmt: skip
def test_destination_is_refused(
    giessen: Any, zustelldienst: Zustelldienst, overrides: dict[str, Any], message: str
) -> None:
    destination = destination_for(zustelldienst, giessen, **overrides)
    assert message in refused(zustelldienst, giessen, destination_id=destination)


def test_key_not_chained_to_the_trust_anchor_is_refused(giessen: Any, zustelldienst: Zustelldienst) -> None:
    other_key = rsa_key(2048)
    other_ca = certificate(other_key, "Andere CA", other_key, "Andere CA", ca=True)
    error = refused(zustelldienst, giessen, trust_anchors=other_ca.public_bytes(Encoding.PEM).decode())
    assert "führt zu keinem eingetragenen Vertrauensanker" in error


def test_too_small_key_is_refused(giessen: Any, settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True
    with running(Zustelldienst(keys=Keys(encryption_bits=2048))) as fake:
        assert "kürzer als 4096 Bit" in refused(fake, giessen)


def test_routing_finds_the_destination_and_caches_it(giessen: Any, zustelldienst: Zustelldienst) -> None:
    destination = destination_for(zustelldienst, giessen)
    zustelldienst.add_route("99107021017000", giessen.ags, destination)
    target = fitconnect_target(zustelldienst, giessen, destination_id="")
    for _ in range(2):
        state, step = deliver(submit(giessen), target)
        assert state == "done", step.last_error
        assert step.result["fitconnect"]["destination_id"] == destination
    assert zustelldienst.count("GET", "/routing/v1/routes") == 1
    assert len(zustelldienst.submitted) == 2


def test_routing_with_a_forged_signature_is_refused(giessen: Any, zustelldienst: Zustelldienst) -> None:
    destination = destination_for(zustelldienst, giessen)
    zustelldienst.add_route("99107021017000", giessen.ags, destination)
    zustelldienst.routes[0]["forged"] = "yes"
    assert "Zustellpunkt-Signatur des Routings ist ungültig" in refused(zustelldienst, giessen, destination_id="")


def test_routing_without_a_route_is_refused(giessen: Any, zustelldienst: Zustelldienst) -> None:
    assert "kennt keinen Zustellpunkt" in refused(zustelldienst, giessen, destination_id="")


def test_problem_details_are_shown_in_german(giessen: Any, zustelldienst: Zustelldienst) -> None:
    target = fitconnect_target(zustelldienst, giessen)
    zustelldienst.fail("POST", "/v1/submissions", "500")
    state, step = deliver(submit(giessen), target)
    assert state == "pending"
    assert "FIT-Connect hat das Anlegen der Einreichung abgelehnt (HTTP 500). Angegebener Grund: Interner Fehler" in (
        step.last_error
    )

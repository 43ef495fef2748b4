"""A local stand-in for BundID (NOT the Nutzerkonto Bund of the federal
government, no real identities): a SAML 2.0 identity provider on 127.0.0.1
built on pysaml2's IdP side. It verifies the service provider's signed
AuthnRequest against the SP's metadata, lets the citizen pick one of two test
identities, and answers with a signed assertion, encrypted to the SP's
certificate, carrying BundID's attribute OIDs and a STORK-QAA trust level
(shared integrations.md §3). It imports nothing of forms_engine.identity.

Tests script it (`respond(..., tweak=...)` makes unsigned, wrongly signed,
expired, wrong-audience or unencrypted answers); `make run` starts it, labelled."""

from __future__ import annotations

import argparse
import base64
import html
import json
import re
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from lxml import etree
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2 import assertion as saml2_assertion
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

from .local_http import serve
from .standin_keys import certificate, rsa_key

XMLSEC = "/usr/bin/xmlsec1"
AKDB = "https://www.akdb.de/request/2018/09"
SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"

# BundID's attribute names (urn:oid:...), shared integrations.md §3.
OID = {
    "bPK2": "urn:oid:1.3.6.1.4.1.25484.494450.3",
    "givenName": "urn:oid:2.5.4.42",
    "surname": "urn:oid:2.5.4.4",
    "birthdate": "urn:oid:1.2.40.0.10.2.1.1.55",
    "placeOfBirth": "urn:oid:1.3.6.1.5.5.7.9.2",
    "postalAddress": "urn:oid:2.5.4.16",
    "postalCode": "urn:oid:2.5.4.17",
    "localityName": "urn:oid:2.5.4.7",
    "mail": "urn:oid:0.9.2342.19200300.100.1.3",
    "trustLevel": "urn:oid:1.2.40.0.10.2.1.1.261.94",
}

# Two test identities: one proven with the online ID card (level 4), one with
# user name and password only (level 1).
IDENTITIES: dict[str, dict[str, Any]] = {
    "erika": {
        "label": "Erika Mustermann (Online-Ausweis, Vertrauensniveau hoch)",
        "level": 4,
        "attributes": {
            "bPK2": "bpk2-erika-0000000000000000000001",
            "givenName": "Erika",
            "surname": "Mustermann",
            "birthdate": "1984-08-12",
            "placeOfBirth": "Berlin",
            "postalAddress": "Heidestraße 17",
            "postalCode": "35390",
            "localityName": "Gießen",
            "mail": "erika.mustermann@example.org",
        },
    },
    "max": {
        "label": "Max Beispiel (Benutzername und Passwort, Vertrauensniveau niedrig)",
        "level": 1,
        "attributes": {
            "bPK2": "bpk2-max-00000000000000000000002",
            "givenName": "Max",
            "surname": "Beispiel",
            "mail": "max.beispiel@example.org",
        },
    },
}


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _pem(cert: Any) -> str:
    return str(cert.public_bytes(serialization.Encoding.PEM).decode())


def _key_pem(key: Any) -> str:
    return str(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
    )


def _cert_body(pem: str) -> str:
    return "".join(line for line in pem.strip().splitlines() if "-----" not in line)


@dataclass
class Request:
    """A verified AuthnRequest, waiting for the citizen to pick an identity."""

    id: str
    sp_entity_id: str
    acs_url: str
    relay_state: str
    level: int
    attributes: list[str] = field(default_factory=list)
    xml: str = ""


class BundIdStandIn:
    def __init__(self) -> None:
        self.workdir = tempfile.TemporaryDirectory(prefix="bundid-idp-")
        self.key, self.rogue = rsa_key(2048), rsa_key(2048)
        self.cert = certificate(self.key, "BundID Stand-in (lokal)", self.key, "BundID Stand-in (lokal)")
        rogue_cert = certificate(self.rogue, "BundID Stand-in (lokal)", self.rogue, "BundID Stand-in (lokal)")
        self._files = {
            "key": self._write("idp.key", _key_pem(self.key)),
            "cert": self._write("idp.crt", _pem(self.cert)),
            "rogue_key": self._write("rogue.key", _key_pem(self.rogue)),
            "rogue_cert": self._write("rogue.crt", _pem(rogue_cert)),
        }
        self.sp_metadata: dict[str, str] = {}
        self.pending: dict[str, Request] = {}
        self.seen_requests: list[Request] = []
        self.logouts: list[str] = []
        self.url = ""
        self.entity_id = ""
        self.lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None

    def _write(self, name: str, text: str) -> str:
        path = Path(self.workdir.name) / name
        path.write_text(text)
        path.chmod(0o600)
        return str(path)

    # -- metadata -----------------------------------------------------------
    def _config(self, *, rogue: bool = False, lifetime_minutes: int = 5) -> IdPConfig:
        base = self.url.rstrip("/")
        conf = {
            "entityid": self.entity_id,
            "xmlsec_binary": XMLSEC,
            "key_file": self._files["rogue_key" if rogue else "key"],
            "cert_file": self._files["rogue_cert" if rogue else "cert"],
            "metadata": {"inline": list(self.sp_metadata.values())},
            "service": {
                "idp": {
                    "name": "BundID Stand-in (lokal)",
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{base}/idp/profile/SAML2/POST/SSO", BINDING_HTTP_POST),
                            (f"{base}/idp/profile/SAML2/Redirect/SSO", BINDING_HTTP_REDIRECT),
                        ],
                        "single_logout_service": [(f"{base}/idp/profile/SAML2/Redirect/SLO", BINDING_HTTP_REDIRECT)],
                    },
                    "want_authn_requests_signed": True,
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {"default": {"lifetime": {"minutes": lifetime_minutes}, "name_form": NAME_FORMAT_URI}},
                }
            },
            "allow_unknown_attributes": True,
            "delete_tmpfiles": True,
        }
        config = IdPConfig()
        config.load(conf)
        return config

    def metadata(self) -> str:
        """The IdP metadata a city administrator uploads (or points to)."""
        return _text(create_metadata_string(None, config=self._config(), valid=24 * 7, sign=False))

    def register_sp(self, metadata_xml: str) -> str:
        """Know an SP (its signing and encryption certificates) from its metadata."""
        match = re.search(r'entityID="([^"]+)"', metadata_xml)
        if match is None:
            raise ValueError("no entityID in SP metadata")
        with self.lock:
            self.sp_metadata[html.unescape(match.group(1))] = metadata_xml
        return html.unescape(match.group(1))

    def _fetch_sp(self, entity_id: str) -> None:
        """An unknown SP: its metadata is served at its entity id. *.localhost
        resolves to this machine (as browsers do)."""
        parts = urlsplit(entity_id)
        host = parts.hostname or ""
        url = entity_id
        headers = {}
        if host.endswith(".localhost") or host == "localhost":
            url = entity_id.replace(parts.netloc, f"127.0.0.1:{parts.port or 80}", 1)
            headers["Host"] = parts.netloc
        answer = requests.get(url, headers=headers, timeout=10)
        if answer.ok:
            self.register_sp(answer.text)

    # -- SSO -----------------------------------------------------------------
    def receive(self, saml_request: str, relay_state: str = "", binding: str = BINDING_HTTP_POST) -> Request:
        """Parse and verify an AuthnRequest (signature checked against the SP's
        metadata: BundID wants signed requests)."""
        issuer = re.search(rb"Issuer[^>]*>([^<]+)<", _inflate_or_decode(saml_request, binding))
        if issuer is not None and issuer.group(1).decode() not in self.sp_metadata:
            self._fetch_sp(html.unescape(issuer.group(1).decode()))
        server = Server(config=self._config())
        parsed = server.parse_authn_request(saml_request, binding)
        message = parsed.message
        if binding == BINDING_HTTP_POST and not parsed.signature_check(parsed.xmlstr, must=True):
            raise ValueError("AuthnRequest not signed")
        level = 1
        context = message.requested_authn_context
        if context is not None and context.authn_context_class_ref:
            found = re.search(r"Level-(\d)", context.authn_context_class_ref[0].text or "")
            level = int(found.group(1)) if found else 1
        xml = parsed.xmlstr.decode() if isinstance(parsed.xmlstr, bytes) else str(parsed.xmlstr)
        request = Request(
            id=message.id,
            sp_entity_id=message.issuer.text,
            acs_url=message.assertion_consumer_service_url,
            relay_state=relay_state,
            level=level,
            attributes=re.findall(r'RequestedAttribute[^>]*Name="([^"]+)"', xml),
            xml=xml,
        )
        with self.lock:
            self.pending[request.id] = request
            self.seen_requests.append(request)
        return request

    def respond(
        self,
        request: Request,
        identity: str = "erika",
        *,
        tweak: str = "",
        level: int | None = None,
        assertion_id: str | None = None,
        audience: str | None = None,
    ) -> str:
        """A base64 SAMLResponse to `request`. `tweak`: "unsigned" (no signature
        at all), "rogue" (signed with a key not in the metadata), "expired",
        "plain" (signed but not encrypted)."""
        person = IDENTITIES[identity]
        level = person["level"] if level is None else level
        if audience and audience not in self.sp_metadata:  # another SP, same certificates
            own = self.sp_metadata[request.sp_entity_id]
            self.register_sp(own.replace(f'entityID="{request.sp_entity_id}"', f'entityID="{audience}"'))
        server = Server(config=self._config(rogue=tweak == "rogue", lifetime_minutes=-10 if tweak == "expired" else 5))
        attributes = {OID[k]: [v] for k, v in person["attributes"].items()}
        attributes[OID["trustLevel"]] = [f"STORK-QAA-Level-{level}"]
        sp_cert = self._sp_encryption_cert(request.sp_entity_id)
        with self.lock, _fixed_assertion_id(assertion_id):
            response = server.create_authn_response(
                identity=attributes,
                in_response_to=request.id,
                destination=request.acs_url,
                sp_entity_id=audience or request.sp_entity_id,
                name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=person["attributes"]["bPK2"]),
                authn={"class_ref": f"STORK-QAA-Level-{level}", "authn_instant": time.time()},
                sign_response=tweak != "unsigned",
                sign_assertion=tweak != "unsigned",
                encrypt_assertion=tweak != "plain",
                encrypt_cert_assertion=sp_cert if tweak != "plain" else None,
            )
        return base64.b64encode(str(response).encode()).decode()

    def encrypt_for(self, response_xml: str, sp_entity_id: str) -> str:
        """Encrypt the (first) plain assertion of a response to the SP, like
        BundID does: for tests that alter a signed assertion before encrypting."""
        root = etree.fromstring(response_xml.encode())
        assertion = root.find(f"{{{SAML_NS}}}Assertion")
        if assertion is None:
            raise ValueError("no plain assertion")
        self_contained = etree.fromstring(etree.tostring(assertion))
        wrapper = etree.Element(f"{{{SAML_NS}}}EncryptedAssertion")
        wrapper.append(self_contained)
        root.replace(assertion, wrapper)
        server = Server(config=self._config())
        encrypted = server._encrypt_assertion(
            self._sp_encryption_cert(sp_entity_id), sp_entity_id, etree.tostring(root).decode()
        )
        return base64.b64encode(_text(encrypted).encode()).decode()

    def _sp_encryption_cert(self, entity_id: str) -> str:
        metadata = self.sp_metadata.get(entity_id, "")
        certs = re.findall(r"<(?:\w+:)?X509Certificate>([^<]+)<", metadata)
        if not certs:
            raise ValueError(f"SP {entity_id} unknown")
        body = str(certs[-1]).strip()
        return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n"

    # -- the wire -----------------------------------------------------------
    def start(self, port: int = 0) -> str:
        self._server, self.url = serve(self.handle, port)
        self.entity_id = self.url + "idp"
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        self.workdir.cleanup()

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(h.rfile.read(length).decode() if length else "").items()}
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        try:
            status, body, location = self.route(method, parts.path, {**query, **form})
        except Exception as exc:  # a broken request: say so, like an IdP error page
            status, body, location = 400, _page("Anfrage abgelehnt", f"<p>{html.escape(str(exc)[:300])}</p>"), ""
        data = body.encode()
        h.send_response(status)
        if location:
            h.send_header("Location", location)
        h.send_header("Content-Type", "text/html; charset=utf-8" if not body.startswith("<?xml") else "application/xml")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def route(self, method: str, path: str, form: dict[str, str]) -> tuple[int, str, str]:
        if path in ("/idp", "/idp/metadata"):
            return 200, self.metadata(), ""
        if path == "/idp/profile/SAML2/POST/SSO" and method == "POST":
            request = self.receive(form.get("SAMLRequest", ""), form.get("RelayState", ""))
            return 200, self.login_page(request), ""
        if path == "/idp/profile/SAML2/Redirect/SSO":
            request = self.receive(form.get("SAMLRequest", ""), form.get("RelayState", ""), BINDING_HTTP_REDIRECT)
            return 200, self.login_page(request), ""
        if path == "/idp/login" and method == "POST":
            with self.lock:
                request = self.pending.pop(form.get("request", ""), None)  # type: ignore[arg-type]
            if request is None:
                return 400, _page("Anmeldung abgelaufen", "<p>Bitte beginnen Sie die Anmeldung neu.</p>"), ""
            if form.get("identity") not in IDENTITIES:
                return 200, _auto_post(request.acs_url, self.cancel(request), request.relay_state), ""
            return 200, _auto_post(request.acs_url, self.respond(request, form["identity"]), request.relay_state), ""
        if path == "/idp/profile/SAML2/Redirect/SLO":
            return 303, "", self.single_logout(form)
        return 404, _page("Nicht gefunden", ""), ""

    def single_logout(self, query: dict[str, str]) -> str:
        """A signed LogoutRequest (HTTP-Redirect, its signature in the query):
        end the "session" here and send the browser back to the SP's logout
        endpoint with a LogoutResponse."""
        server = Server(config=self._config())
        relay_state = query.get("RelayState", "")
        request = server.parse_logout_request(
            query.get("SAMLRequest", ""),
            BINDING_HTTP_REDIRECT,
            relay_state=relay_state or None,
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        with self.lock:
            self.logouts.append(request.message.issuer.text)
        response = server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
        binding, destination = server.pick_binding("single_logout_service", [BINDING_HTTP_REDIRECT], "spsso", request)
        info = server.apply_binding(binding, str(response), destination, relay_state, response=True)
        return str(dict(info["headers"])["Location"])

    def cancel(self, request: Request) -> str:
        server = Server(config=self._config())
        response = server.create_error_response(
            request.id, request.acs_url, ("urn:oasis:names:tc:SAML:2.0:status:Responder", "Abgebrochen"), sign=True
        )
        return base64.b64encode(str(response).encode()).decode()

    def login_page(self, request: Request) -> str:
        options = "".join(
            f'<p><button type="submit" name="identity" value="{key}">{html.escape(person["label"])}</button></p>'
            for key, person in IDENTITIES.items()
        )
        level = {1: "niedrig", 2: "niedrig", 3: "substanziell", 4: "hoch"}.get(request.level, "?")
        return _page(
            "BundID – lokaler Platzhalter",
            f"<p><strong>Dies ist NICHT die BundID</strong>, sondern ein lokaler Platzhalter für Entwicklung und "
            f"Tests. Es gibt keine echten Identitäten.</p><p>Dienst: {html.escape(request.sp_entity_id)}<br>"
            f"Verlangtes Vertrauensniveau: mindestens {level}</p>"
            f'<form method="post" action="/idp/login"><input type="hidden" name="request" '
            f'value="{html.escape(request.id)}">{options}'
            '<p><button type="submit" name="identity" value="">Abbrechen</button></p></form>',
        )


def _inflate_or_decode(value: str, binding: str) -> bytes:
    raw = base64.b64decode(value)
    if binding == BINDING_HTTP_REDIRECT:
        return zlib.decompress(raw, -15)
    return raw


@contextmanager
def _fixed_assertion_id(assertion_id: str | None) -> Iterator[None]:
    """An answer reusing an earlier assertion's ID (the replay test): pysaml2
    draws assertion IDs itself, so its factory is wrapped for this one answer."""
    if not assertion_id:
        yield
        return
    original = saml2_assertion.assertion_factory

    def with_id(**kwargs: Any) -> Any:
        made = original(**kwargs)
        made.id = assertion_id
        return made

    saml2_assertion.assertion_factory = with_id
    try:
        yield
    finally:
        saml2_assertion.assertion_factory = original


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
        f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )


def _auto_post(url: str, saml_response: str, relay_state: str) -> str:
    """HTTP-POST binding back to the SP: a form the browser sends at once
    (and a button where scripts are off)."""
    return _page(
        "Weiterleitung",
        f'<form method="post" action="{html.escape(url)}" id="saml">'
        f'<input type="hidden" name="SAMLResponse" value="{saml_response}">'
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
        '<button type="submit">Weiter zum Dienst</button></form>'
        "<script>document.getElementById('saml').submit()</script>",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Local BundID stand-in (NOT BundID).")
    parser.add_argument("--state", required=True, help="write the IdP's URL and metadata here")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    stand_in = BundIdStandIn()
    stand_in.start(args.port)
    state = {
        "url": stand_in.url,
        "entity_id": stand_in.entity_id,
        "metadata": stand_in.metadata(),
        "identities": {k: v["label"] for k, v in IDENTITIES.items()},
        "started": datetime.now(UTC).isoformat(),
    }
    Path(args.state).write_text(json.dumps(state))
    print(f"BundID stand-in (NOT BundID) on {stand_in.url}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()

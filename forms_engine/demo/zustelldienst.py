"""A local stand-in for FIT-Connect (token service, Submission API v1, Routing
API, portal keys), speaking the published HTTP protocol on 127.0.0.1. Written
from the protocol description, independently of our client (it imports
nothing of forms_engine.delivery). It acts as the back office too: it decrypts
every JWE with the destination's private key, checks every hash, validates the
metadata against the Metadatensatz 1.0.0 JSON Schema, and writes the signed
event log (SETs). Tests script faults (500, hang, dropped connection) on it;
`make run` starts it, clearly labelled, as the demo's Zustelldienst."""

from __future__ import annotations

import hashlib
import json
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
from jwcrypto import jwe

from .standin_keys import Keys, sign

EVENTS = "https://schema.fitko.de/fit-connect/events/"
PROBLEMS = "https://schema.fitko.de/fit-connect/submission-api/problems/"
SCHEMA = json.loads((Path(__file__).parent / "metadata-1.0.0.schema.json").read_text())


class Zustelldienst:
    def __init__(self, *, keys: Keys | None = None, token_lifetime: int = 1800, auto_accept: bool = False) -> None:
        self.keys = keys or Keys()
        self.lock = threading.Lock()
        self.clients: dict[str, str] = {}
        self.tokens: dict[str, float] = {}
        self.token_lifetime = token_lifetime
        self.auto_accept = auto_accept
        self.destinations: dict[str, dict[str, Any]] = {}
        self.routes: list[dict[str, str]] = []
        self.submissions: dict[str, dict[str, Any]] = {}
        self.events: dict[str, list[str]] = {}  # caseId -> SETs
        self.faults: list[dict[str, Any]] = []  # method, path fragment, kind (500|hang|drop|expire), skip
        self.requests: list[tuple[str, str, int]] = []
        self.refused: list[str] = []  # why a submit was refused (422)
        self.release = threading.Event()
        self.url = ""
        self.submission_host = ""

    # -- set-up -------------------------------------------------------------
    def add_client(self) -> tuple[str, str]:
        client_id, secret = str(uuid.uuid4()), secrets.token_urlsafe(24)
        self.clients[client_id] = secret
        return client_id, secret

    def add_destination(self, leika_urn: str, schema_uris: list[str], **overrides: Any) -> str:
        destination_id = str(uuid.uuid4())
        self.destinations[destination_id] = {
            "destinationId": destination_id,
            "status": "active",
            "encryptionKid": self.keys.encryption_kid,
            "metadataVersions": ["1.0.0"],
            "replyChannels": {"eMail": {"usePgp": False}},
            "services": [
                {
                    "identifier": leika_urn,
                    "submissionSchemas": [{"schemaUri": u, "mimeType": "application/json"} for u in schema_uris],
                    "regions": [],
                }
            ],
            **overrides,
        }
        return destination_id

    def add_route(self, leika_key: str, ags: str, destination_id: str) -> None:
        self.routes.append({"leikaKey": leika_key, "ags": ags, "destinationId": destination_id})

    def fail(self, method: str, fragment: str, kind: str, *, skip: int = 0) -> None:
        """The next matching request after `skip` matching ones gets the fault:
        500, hang (no answer until shutdown), drop (connection closed without an
        answer) or expire (every token expires, then the request is served)."""
        with self.lock:
            self.faults.append({"method": method, "fragment": fragment, "kind": kind, "skip": skip})

    def count(self, method: str, fragment: str) -> int:
        return sum(1 for m, path, status in self.requests if m == method and fragment in path and status)

    def options(self, **extra: Any) -> dict[str, Any]:
        """Channel settings that point at this stand-in ("own addresses")."""
        client_id, secret = self.add_client()
        return {
            "environment": "custom",
            "token_url": f"{self.url}/token",
            "submission_url": self.url,
            "routing_url": f"{self.url}/routing",
            "portal_jwks_url": f"{self.url}/portal/.well-known/jwks.json",
            "api_version": "v1",
            "client_id": client_id,
            "client_secret": secret,
            "trust_anchors": self.keys.ca_pem(),
            "routing_cache_seconds": 3600,
            **extra,
        }

    # -- the back office's side ----------------------------------------------
    def _event(self, submission: dict[str, Any], name: str, body: dict[str, Any], *, by_destination: bool) -> None:
        key = self.keys.destination_signing if by_destination else self.keys.zustelldienst
        claims = {
            "jti": str(uuid.uuid4()),
            "iss": submission["destinationId"] if by_destination else self.url,
            "iat": int(time.time()) + len(self.events.get(submission["caseId"], [])),
            "sub": f"submission:{submission['submissionId']}",
            "txn": f"case:{submission['caseId']}",
            "events": {EVENTS + name: body},
        }
        self.events.setdefault(submission["caseId"], []).append(sign(key, claims, typ="secevent+jwt"))

    def forward(self, submission_id: str) -> None:
        self._event(self.submissions[submission_id], "forward-submission", {}, by_destination=False)

    def accept(self, submission_id: str) -> None:
        self.submissions[submission_id]["status"] = "accepted"
        self._event(self.submissions[submission_id], "accept-submission", {}, by_destination=True)

    def reject(self, submission_id: str, title: str, detail: str) -> None:
        self.submissions[submission_id]["status"] = "rejected"
        problem = {
            "type": "https://schema.fitko.de/fit-connect/events/problems/" + "invalid-content",
            "title": title,
            "detail": detail,
        }
        self._event(self.submissions[submission_id], "reject-submission", {"problems": [problem]}, by_destination=True)

    def add_forged_event(self, submission_id: str, name: str) -> None:
        """A SET signed with a key nobody published."""
        from .standin_keys import signing_jwk

        submission = self.submissions[submission_id]
        claims = {
            "jti": str(uuid.uuid4()), "iss": self.url, "iat": int(time.time()) + 99,
            "sub": f"submission:{submission_id}", "txn": f"case:{submission['caseId']}", "events": {EVENTS + name: {}},
        }  # fmt: skip
        forged = signing_jwk(self.keys.zustelldienst.get("kid"))
        self.events[submission["caseId"]].append(sign(forged, claims, typ="secevent+jwt"))

    @property
    def submitted(self) -> list[dict[str, Any]]:
        return [s for s in self.submissions.values() if s["status"] != "incomplete"]

    # -- protocol ---------------------------------------------------------------
    def decrypt(self, token: str) -> tuple[dict[str, Any], bytes]:
        if token.count(".") != 4 or len(token) < 776:
            raise ValueError("not a compact JWE")
        parsed = jwe.JWE()
        parsed.deserialize(token, key=self.keys.encryption)
        header = json.loads(parsed.objects["protected"])
        if header.get("alg") != "RSA-OAEP-256" or header.get("enc") != "A256GCM":
            raise ValueError("wrong algorithms")
        if header.get("kid") != self.keys.encryption_kid or not header.get("cty"):
            raise ValueError("kid or cty missing")
        return header, bytes(parsed.payload)

    def check_submission(self, submission: dict[str, Any], body: dict[str, Any]) -> list[str]:
        """The subscriber's checks; returns what is wrong."""
        _h, raw = self.decrypt(str(body["encryptedMetadata"]))
        metadata = json.loads(raw)
        errors = [
            e.message
            for e in jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).iter_errors(
                metadata
            )
        ]
        header, data = self.decrypt(str(body["encryptedData"]))
        structure = metadata.get("contentStructure", {})
        if hashlib.sha512(data).hexdigest() != structure.get("data", {}).get("hash", {}).get("content"):
            errors.append("data hash")
        json.loads(data)
        listed = {a["attachmentId"]: a for a in structure.get("attachments", [])}
        if set(listed) != set(submission["announcedAttachments"]):
            errors.append("attachments in metadata differ from the announced ones")
        for attachment_id, (att_header, content) in submission["attachments"].items():
            entry = listed.get(attachment_id, {})
            if hashlib.sha512(content).hexdigest() != entry.get("hash", {}).get("content"):
                errors.append(f"hash of attachment {attachment_id}")
            if att_header.get("cty") != entry.get("mimeType"):
                errors.append(f"cty of attachment {attachment_id}")
        service = metadata.get("publicServiceType", {}).get("identifier")
        if service != submission["serviceType"]["identifier"]:
            errors.append("publicServiceType differs from serviceType")
        submission.update(metadata=metadata, data=json.loads(data), data_cty=header.get("cty"))
        return errors


@contextmanager
def running(zustelldienst: Zustelldienst | None = None, port: int = 0) -> Iterator[Zustelldienst]:
    fake = zustelldienst or Zustelldienst()
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    fake.submission_host = f"127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
        thread.join()


def _handler(fake: Zustelldienst) -> type[BaseHTTPRequestHandler]:
    from .zustelldienst_http import make_handler

    return make_handler(fake)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    """`make run`: the demo's local stand-in. Writes what a delivery target
    needs (addresses, client, destination, trust anchor) to --state once it
    listens, and accepts every submission it takes."""
    import argparse
    import os

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--state", required=True, help="JSON file to write the settings to")
    parser.add_argument("--leika", action="append", default=[], help="LeiKa key the destination accepts")
    args = parser.parse_args()
    with running(Zustelldienst(auto_accept=True), port=args.port) as fake:
        destination = fake.add_destination("urn:de:fim:leika:leistung:" + args.leika[0], [])
        for key in args.leika[1:]:
            fake.destinations[destination]["services"].append({"identifier": "urn:de:fim:leika:leistung:" + key})
        state = {**fake.options(destination_id=destination), "standin": True}
        partial = args.state + ".tmp"
        Path(partial).write_text(json.dumps(state, indent=2))
        os.replace(partial, args.state)  # appears whole: run.sh waits for it
        print(f"Local FIT-Connect stand-in (NOT the real FIT-Connect) listens on {fake.url}", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()

"""The HTTP side of the local FIT-Connect stand-in (zustelldienst.py)."""

from __future__ import annotations

import io
import json
import re
import socket
import time
import uuid
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from .standin_keys import public_json, sign, signing_jwk

if TYPE_CHECKING:
    from .zustelldienst import Zustelldienst

PROBLEMS = "https://schema.fitko.de/fit-connect/submission-api/problems/"
UUID = r"[0-9a-f-]{36}"


class _Discard(io.BufferedIOBase):
    """Swallows a response: the request was served, the answer is lost."""

    def write(self, data: Any) -> int:
        return len(data)


def make_handler(fake: Zustelldienst) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body leave in one segment: written apart, Nagle and
        # delayed ACKs would add ~40 ms to every answer.
        wbufsize = 1 << 16

        def log_message(self, format: str, *args: Any) -> None:
            pass

        # -- plumbing -------------------------------------------------------
        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length", "0")))

        def _send(self, status: int, body: Any = None, content_type: str = "application/json") -> None:
            raw = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
            fake.requests.append((self.command, self.path, status))

        def _problem(self, status: int, kind: str, title: str, detail: str = "") -> None:
            body = {"type": PROBLEMS + kind, "title": title, "status": status, "detail": detail, "instance": self.path}
            self._send(status, body, "application/problem+json")

        def _fault(self) -> bool:
            kind = ""
            with fake.lock:
                for fault in fake.faults:
                    if fault["method"] == self.command and fault["fragment"] in self.path:
                        if fault["skip"]:
                            fault["skip"] -= 1
                            break
                        fake.faults.remove(fault)
                        kind = fault["kind"]
                        break
            if not kind:
                return False
            if kind == "expire":
                fake.tokens.clear()
                return False
            if kind == "drop-after-serving":
                self.wfile = _Discard()  # serve the request, lose the answer
                self.close_connection = True
                return False
            if kind == "500":
                self._body()
                self._problem(500, "internal-error", "Interner Fehler")
                return True
            if kind == "hang":
                fake.release.wait(30)
            else:  # drop: read the request, then close without an answer
                self._body()
                self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            fake.requests.append((self.command, self.path, 0))
            return True

        def _authorised(self) -> bool:
            header = self.headers.get("Authorization", "")
            expiry = fake.tokens.get(header.removeprefix("Bearer "), 0.0)
            if not header.startswith("Bearer ") or expiry < time.time():
                self._body()
                self._problem(401, "unauthorized", "Nicht angemeldet")
                return False
            return True

        # -- dispatch -------------------------------------------------------
        def do_POST(self) -> None:
            if self._fault():
                return
            path = urlsplit(self.path).path
            if path == "/token":
                return self._token()
            if path == "/v1/submissions" and self._authorised():
                return self._create()
            if path != "/v1/submissions":
                self._problem(404, "not-found", "Nicht gefunden")

        def do_PUT(self) -> None:
            if self._fault():
                return
            path = urlsplit(self.path).path
            if not self._authorised():
                return
            if m := re.fullmatch(rf"/v1/submissions/({UUID})/attachments/({UUID})", path):
                return self._attachment(m[1], m[2])
            if m := re.fullmatch(rf"/v1/submissions/({UUID})", path):
                return self._submit(m[1])
            self._problem(404, "not-found", "Nicht gefunden")

        def do_GET(self) -> None:
            if self._fault():
                return
            parts = urlsplit(self.path)
            path = parts.path
            if path == "/.well-known/jwks.json":
                return self._send(200, {"keys": [public_json(fake.keys.zustelldienst, key_ops=["verify"])]})
            if path == "/portal/.well-known/jwks.json":
                return self._send(200, {"keys": [public_json(fake.keys.portal, key_ops=["verify"])]})
            if path == "/routing/v1/routes":
                return self._routes(parse_qs(parts.query))
            if not self._authorised():
                return
            if m := re.fullmatch(rf"/v1/destinations/({UUID})", path):
                if m[1] not in fake.destinations:
                    return self._problem(404, "destination-not-found", "Zustellpunkt nicht gefunden")
                return self._send(200, fake.destinations[m[1]])
            if m := re.fullmatch(rf"/v1/destinations/({UUID})/keys/([^/]+)", path):
                return self._key(m[1], m[2])
            if m := re.fullmatch(rf"/v1/cases/({UUID})/events", path):
                return self._send(200, {"eventLog": list(fake.events.get(m[1], []))})
            self._problem(404, "not-found", "Nicht gefunden")

        # -- endpoints ------------------------------------------------------
        def _token(self) -> None:
            form = {k: v[0] for k, v in parse_qs(self._body().decode()).items()}
            if form.get("grant_type") != "client_credentials" or fake.clients.get(
                form.get("client_id", "")
            ) != form.get("client_secret"):
                return self._send(401, {"error": "invalid_client"})
            token = sign(fake.keys.zustelldienst, {"sub": form["client_id"], "jti": str(uuid.uuid4())})
            fake.tokens[token] = time.time() + fake.token_lifetime
            self._send(200, {"access_token": token, "expires_in": fake.token_lifetime, "token_type": "bearer"})

        def _key(self, destination_id: str, kid: str) -> None:
            if destination_id not in fake.destinations:
                return self._problem(404, "destination-not-found", "Zustellpunkt nicht gefunden")
            if kid == fake.keys.encryption_kid:
                return self._send(200, fake.keys.encryption_public(**fake.destinations[destination_id].get("_key", {})))
            if kid == fake.keys.destination_signing.get("kid"):
                return self._send(200, public_json(fake.keys.destination_signing, key_ops=["verify"]))
            self._problem(404, "key-not-found", "Schlüssel nicht gefunden")

        def _routes(self, query: dict[str, list[str]]) -> None:
            leika, ags = query.get("leikaKey", [""])[0], query.get("ags", [""])[0]
            found = [r for r in fake.routes if r["leikaKey"] == leika and r["ags"] == ags]
            routes = []
            for r in found:
                claims = {
                    "submissionHost": fake.submission_host,
                    "iss": fake.url + "/portal",
                    "services": [{"gebietIDs": [], "leistungIDs": [f"urn:de:fim:leika:leistung:{leika}"]}],
                    "destinationId": r["destinationId"],
                    "iat": int(time.time()),
                    "jti": str(uuid.uuid4()),
                }
                # A forged route is signed by a key the portal never published.
                signer = signing_jwk(fake.keys.portal.get("kid")) if r.get("forged") else fake.keys.portal
                routes.append(
                    {
                        "destinationId": r["destinationId"],
                        "destinationSignature": sign(signer, claims),
                        "destinationName": "Lokal",
                    }
                )
            self._send(200, {"count": len(routes), "offset": 0, "totalCount": len(routes), "routes": routes})

        def _create(self) -> None:
            body = json.loads(self._body() or b"{}")
            destination = fake.destinations.get(str(body.get("destinationId")))
            if destination is None:
                return self._problem(422, "destination-not-found", "Zustellpunkt unbekannt")
            identifiers = {s["identifier"] for s in destination["services"]}
            if body.get("serviceType", {}).get("identifier") not in identifiers:
                return self._problem(422, "service-type-invalid", "Leistung wird hier nicht angenommen")
            submission_id, case_id = str(uuid.uuid4()), str(uuid.uuid4())
            fake.submissions[submission_id] = {
                "submissionId": submission_id,
                "caseId": case_id,
                "destinationId": destination["destinationId"],
                "announcedAttachments": list(body.get("announcedAttachments") or []),
                "serviceType": body.get("serviceType"),
                "attachments": {},
                "status": "incomplete",
            }
            self._send(
                201, {"submissionId": submission_id, "caseId": case_id, "destinationId": destination["destinationId"]}
            )

        def _attachment(self, submission_id: str, attachment_id: str) -> None:
            body = self._body().decode()
            submission = fake.submissions.get(submission_id)
            if submission is None:
                return self._problem(404, "submission-not-found", "Einreichung nicht gefunden")
            if attachment_id not in submission["announcedAttachments"]:
                return self._problem(422, "attachment-not-announced", "Anlage nicht angekündigt")
            if self.headers.get("Content-Type") != "application/jose":
                return self._problem(415, "unsupported-media-type", "Nur application/jose")
            try:
                submission["attachments"][attachment_id] = fake.decrypt(body)
            except Exception as exc:
                return self._problem(422, "invalid-jwe", "Anlage nicht entschlüsselbar", type(exc).__name__)
            self._send(204)

        def _submit(self, submission_id: str) -> None:
            body = json.loads(self._body() or b"{}")
            submission = fake.submissions.get(submission_id)
            if submission is None:
                return self._problem(404, "submission-not-found", "Einreichung nicht gefunden")
            if submission["status"] != "incomplete":
                return self._problem(409, "submission-state-invalid", "Einreichung wurde schon abgeschickt")
            if set(submission["attachments"]) != set(submission["announcedAttachments"]):
                return self._problem(422, "missing-attachments", "Angekündigte Anlagen fehlen")
            try:
                errors = fake.check_submission(submission, body)
            except Exception as exc:
                errors = [f"{type(exc).__name__}"]
            if errors:
                fake.refused.extend(errors)
                return self._problem(422, "invalid-submission", "Einreichung ungültig", "; ".join(errors)[:500])
            submission["status"] = "submitted"
            fake._event(submission, "submit-submission", {}, by_destination=False)
            if fake.auto_accept:
                fake.forward(submission_id)
                fake.accept(submission_id)
            self._send(200, {"submissionId": submission_id, "caseId": submission["caseId"]})

    return Handler

"""A local stand-in for an XBezahldienste payment provider (NOT epay21,
pmPayment or ePayBL), speaking the published REST interface v1.0.0 on
127.0.0.1: POST/GET /paymenttransaction/{originatorId}/{endPointId}[/{id}],
GET /status/{originatorId}/{endPointId}, the OAuth2 token endpoint, and a real
HTML pay page with the buttons pay, cancel and fail. Written from the
specification (docs.fitko.de/xbezahldienste, see shared integrations.md §4),
independently of our client: it imports nothing of forms_engine.payments.
Tests script it (down, FAILED on the page); `make run` starts it, labelled."""

from __future__ import annotations

import base64
import html
import json
import re
import secrets
import threading
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .local_http import serve

ID = re.compile(r"^[\w\d-]{1,36}$")
METHODS = ("CREDITCARD", "PAYPAL", "GIROPAY", "PAYDIRECT")


class Bezahldienst:
    def __init__(self, *, auth: str = "basic", originator: str = "gemeinsam", endpoint: str = "06413000") -> None:
        self.auth = auth  # basic | oauth2 | none
        self.originator, self.endpoint = originator, endpoint
        self.user, self.password = "epay-user", secrets.token_urlsafe(12)
        self.client_id, self.client_secret = "pm-client", secrets.token_urlsafe(12)
        self.tokens: set[str] = set()
        self.transactions: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, int]] = []
        self.lock = threading.Lock()
        self.down = False  # answer 503 to every API call
        self.url = ""
        self._server: ThreadingHTTPServer | None = None

    # -- the wire -----------------------------------------------------------
    def start(self, port: int = 0) -> str:
        self._server, self.url = serve(self.handle, port)
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def settings(self) -> dict[str, str]:
        """What a city admin would type in: base URL, identifiers, credentials."""
        base = {"base_url": self.url + "api/v1.0.0/", "originator_id": self.originator, "endpoint_id": self.endpoint}
        if self.auth == "oauth2":
            return {**base, "auth": "oauth2", "oauth_url": self.url + "oauth/token/", "client_id": self.client_id,
                    "client_secret": self.client_secret}  # fmt: skip
        return {**base, "auth": self.auth, "username": self.user, "password": self.password}

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        path = urlsplit(h.path).path
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        status, headers, payload = self.route(method, path, h.headers, body)
        with self.lock:
            self.requests.append((method, path, status))
        h.send_response(status)
        for key, value in headers.items():
            h.send_header(key, value)
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)

    def route(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if path.startswith("/pay/"):
            return self.pay_page(method, path.removeprefix("/pay/").strip("/"), body)
        if self.down:
            return self.problem(503, "UNSPECIFIED", "Service Unavailable")
        if path == "/oauth/token/" and method == "POST":
            form = parse_qs(body.decode())
            ok = form.get("grant_type") == ["client_credentials"] and form.get("client_id") == [self.client_id]
            if not ok or form.get("client_secret") != [self.client_secret]:
                return 401, {"Content-Type": "application/json"}, b'{"error": "invalid_client"}'
            token = secrets.token_urlsafe(24)
            self.tokens.add(token)
            answer = {"access_token": token, "token_type": "Bearer", "expires_in": 300}
            return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()
        parts = path.removeprefix("/api/v1.0.0/").strip("/").split("/")
        if not self.authorised(headers.get("Authorization", "")):
            return self.problem(403, "FORBIDDEN", "Forbidden")
        if len(parts) < 3 or parts[1] != self.originator or parts[2] != self.endpoint:
            return self.problem(404, "NO_VALID_ORIGINATOR_OR_ENDPOINT", "Not Found")
        if parts[0] == "status" and len(parts) == 3 and method == "GET":
            return 200, {"Content-Type": "application/json"}, b'{"status": "OK"}'
        if parts[0] == "paymenttransaction" and len(parts) == 3 and method == "POST":
            return self.create(body)
        if parts[0] == "paymenttransaction" and len(parts) == 4 and method == "GET":
            with self.lock:
                tx = self.transactions.get(parts[3])
            if tx is None:
                return self.problem(404, "UNSPECIFIED", "Not Found")
            return 200, {"Content-Type": "application/json"}, json.dumps(self.view(tx)).encode()
        return self.problem(404, "UNSPECIFIED", "Not Found")

    def authorised(self, header: str) -> bool:
        if self.auth == "none":
            return True
        if self.auth == "basic":
            expected = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            return secrets.compare_digest(header, f"Basic {expected}")
        return header.startswith("Bearer ") and header.removeprefix("Bearer ") in self.tokens

    def problem(self, status: int, code: str, text: str, detail: str = "") -> tuple[int, dict[str, str], bytes]:
        doc = {"errorCode": code, "httpCode": status, "httpText": text, "functionalText": detail or text}
        return status, {"Content-Type": "application/problem+json"}, json.dumps(doc).encode()

    def create(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        try:
            req = json.loads(body)
        except ValueError:
            return self.problem(400, "VALIDATION_ERROR", "Bad Request", "body is not JSON")
        error = validate(req)
        if error:
            return self.problem(400, "VALIDATION_ERROR", "Bad Request", error)
        if sum(int(i.get("totalNetAmount", 0)) + int(i.get("totalTaxAmount", 0)) for i in req["items"]) != int(
            req["grosAmount"]
        ):
            return self.problem(400, "CALCULATION_ERROR", "Bad Request", "grosAmount is not the sum of the items")
        with self.lock:
            if any(t["request"]["requestId"] == req["requestId"] for t in self.transactions.values()):
                return self.problem(409, "PAYMENT_EXISTS", "Conflict")
            tx_id = str(uuid.uuid4())
            tx = {"request": req, "id": tx_id, "status": "INITIAL", "reference": "", "method": "", "at": _now()}
            self.transactions[tx_id] = tx
        return 200, {"Content-Type": "application/json"}, json.dumps(self.view(tx)).encode()

    def view(self, tx: dict[str, Any]) -> dict[str, Any]:
        base = f"{self.url}api/v1.0.0/paymenttransaction/{self.originator}/{self.endpoint}/{tx['id']}"
        info: dict[str, Any] = {
            "transactionUrl": base,
            "transactionId": tx["id"],
            "transactionTimestamp": tx["at"],
            "status": tx["status"],
        }
        if tx["status"] == "INITIAL":
            info["transactionRedirectUrl"] = f"{self.url}pay/{tx['id']}"
        if tx["reference"]:
            info["transactionReference"] = tx["reference"]
        if tx["method"]:
            info["paymentMethod"] = tx["method"]
        return {"paymentRequest": tx["request"], "paymentInformation": info}

    # -- the citizen's pay page ---------------------------------------------
    def pay_page(self, method: str, tx_id: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            tx = self.transactions.get(tx_id)
        if tx is None:
            return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"Unbekannte Zahlung"
        if method == "POST" and tx["status"] == "INITIAL":
            form = parse_qs(body.decode())
            choice = (form.get("action") or [""])[0]
            with self.lock:
                if choice == "pay":
                    pay_method = (form.get("method") or ["CREDITCARD"])[0]
                    tx["method"] = pay_method if pay_method in METHODS else "OTHER"
                    tx["status"] = "PAYED"
                    tx["reference"] = f"KZ-{secrets.randbelow(10**10):010d}"
                elif choice == "cancel":
                    tx["status"] = "CANCELED"
                elif choice == "fail":
                    tx["status"] = "FAILED"
            return 303, {"Location": tx["request"]["redirectUrl"]}, b""
        if method == "POST":
            return 303, {"Location": tx["request"]["redirectUrl"]}, b""
        req = tx["request"]
        amount = f"{int(req['grosAmount']) / 100:.2f}".replace(".", ",")
        options = "".join(f'<option value="{m}">{m}</option>' for m in METHODS)
        page = f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Bezahlen – lokaler Stand-in</title></head>
<body><main><h1>Bezahlen</h1>
<p><strong>Lokaler Stand-in eines Bezahldienstes (XBezahldienste), kein echter Zahlungsverkehr.</strong></p>
<p>{html.escape(str(req.get("description", "")))}</p>
<p>Verwendungszweck: {html.escape(str(req.get("purpose", "")))}</p>
<p>Betrag: <span id="amount">{amount} EUR</span></p>
<form method="post"><label for="method">Zahlart</label> <select id="method" name="method">{options}</select>
<button type="submit" name="action" value="pay">Bezahlen</button>
<button type="submit" name="action" value="cancel">Abbrechen</button>
<button type="submit" name="action" value="fail">Fehlschlag simulieren</button></form></main></body></html>"""
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()


def validate(req: Any) -> str:
    """The constraints of `initiate-payment-transaction`; an error text or ""."""
    if not isinstance(req, dict):
        return "paymentRequest must be an object"
    checks = [
        (isinstance(req.get("requestId"), str) and 0 < len(req["requestId"]) <= 36, "requestId"),
        (req.get("currency") == "EUR", "currency"),
        (isinstance(req.get("grosAmount"), int) and 0 < req["grosAmount"] <= 999999, "grosAmount"),
        (isinstance(req.get("purpose"), str) and len(req["purpose"]) <= 27, "purpose"),
        (isinstance(req.get("description"), str) and len(req["description"]) <= 250, "description"),
        (isinstance(req.get("redirectUrl"), str) and 0 < len(req["redirectUrl"]) <= 2082, "redirectUrl"),
        (isinstance(req.get("items"), list) and 1 <= len(req["items"]) <= 99, "items"),
    ]
    return next((f"{name} is not valid" for ok, name in checks if not ok), "")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def main() -> None:  # pragma: no cover - the demo's entry point
    import argparse
    import time
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Local stand-in of an XBezahldienste provider (demo only)")
    parser.add_argument("--state", required=True, help="where to write the settings for the demo")
    args = parser.parse_args()
    stand_in = Bezahldienst(auth="basic")
    stand_in.start()
    Path(args.state).write_text(json.dumps(stand_in.settings()))
    while True:
        time.sleep(3600)


if __name__ == "__main__":  # pragma: no cover
    main()

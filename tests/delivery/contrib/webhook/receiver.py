"""A small real back office on 127.0.0.1: receives webhook POSTs, checks the
HMAC signature and answers with the status codes a test scripts."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    def __init__(self, secret: str, statuses: list[int] | None = None, default_status: int = 200) -> None:
        self.secret = secret
        self.statuses = list(statuses or [])
        self.default_status = default_status
        self.requests: list[dict[str, Any]] = []  # every POST, with its answer
        self.bad_signatures = 0
        self.lock = threading.Lock()
        self.url = ""

    @property
    def accepted(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if 200 <= r["status"] < 300]

    def answer(self) -> int:
        with self.lock:
            return self.statuses.pop(0) if self.statuses else self.default_status


@contextmanager
def running_receiver(secret: str, statuses: list[int] | None = None, default_status: int = 200) -> Iterator[Receiver]:
    receiver = Receiver(secret, statuses, default_status)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            timestamp = self.headers.get("X-Gemeinsam-Timestamp", "")
            expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, self.headers.get("X-Gemeinsam-Signature", "")):
                receiver.bad_signatures += 1
                status = 401
            else:
                status = receiver.answer()
            receiver.requests.append(
                {"status": status, "key": self.headers.get("Idempotency-Key"), "json": json.loads(body or b"{}")}
            )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()

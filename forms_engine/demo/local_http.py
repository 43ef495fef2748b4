"""A stand-in's HTTP server on 127.0.0.1, quiet, on its own thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def serve(handle: Callable[[BaseHTTPRequestHandler, str], None], port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Serve GET and POST with `handle(request, method)`; returns the server
    and its base URL (ending in /)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return None

        def do_GET(self) -> None:
            handle(self, "GET")

        def do_POST(self) -> None:
            handle(self, "POST")

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"

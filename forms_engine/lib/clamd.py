"""Virus scanning over clamd's INSTREAM protocol (when CLAMD_ADDRESS is set).

CLAMD_ADDRESS is "host:port" (clamd's TCPSocket) or the path of clamd's
LocalSocket (starting with "/", e.g. a socket shared with a sidecar)."""

from __future__ import annotations

import socket
import struct

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    pass


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/"):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(timeout)
        try:
            conn.connect(address)
        except OSError:
            conn.close()
            raise
        return conn
    host, _sep, port = address.rpartition(":")
    return socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout)


def scan(data: bytes, address: str, timeout: float = 30.0) -> str | None:
    """None when clean, else the signature name clamd reported."""
    try:
        with _connect(address, timeout) as conn:
            conn.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                conn.sendall(struct.pack("!I", len(chunk)) + chunk)
            conn.sendall(struct.pack("!I", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = conn.recv(4096)
                if not part:
                    break
                reply += part
    except (OSError, ValueError) as exc:
        raise ScannerUnavailable(str(exc)) from exc
    text = reply.rstrip(b"\0").decode(errors="replace")
    if text.endswith("OK"):
        return None
    if text.endswith("FOUND"):
        return text.removeprefix("stream:").removesuffix("FOUND").strip()
    raise ScannerUnavailable(text)

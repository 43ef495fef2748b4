"""A small clamd-speaking server on 127.0.0.1 (INSTREAM) that flags the EICAR test string."""

from __future__ import annotations

import socket
import struct
import threading

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self.scanned = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _read_exact(self, conn: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = conn.recv(size - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                assert self._read_exact(conn, 10) == b"zINSTREAM\0"
                body = b""
                while True:
                    (length,) = struct.unpack("!I", self._read_exact(conn, 4))
                    if length == 0:
                        break
                    body += self._read_exact(conn, length)
                self.scanned += 1
                reply = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in body else b"stream: OK\0"
                conn.sendall(reply)

    def close(self) -> None:
        self.sock.close()

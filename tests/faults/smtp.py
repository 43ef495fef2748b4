"""A real SMTP server on 127.0.0.1 (aiosmtpd) that refuses the first messages
with a temporary error, then accepts."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


class RefusingThenAccepting:
    def __init__(self, refuse: int) -> None:
        self.refuse = refuse
        self.refused = 0
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refused < self.refuse:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def smtp_server(refuse: int = 0) -> Iterator[tuple[RefusingThenAccepting, int]]:
    handler = RefusingThenAccepting(refuse)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()

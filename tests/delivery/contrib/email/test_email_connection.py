"""“Verbindung testen” for an email target: a real SMTP handshake with a real
SMTP server on 127.0.0.1, up to the recipients, and no message sent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django_scopes import scope

from forms_engine.delivery import registry
from forms_engine.delivery.base import ConnectionTestFailed
from tests.faults.smtp import free_port
from tests.submissions.helpers import make_target


class Office:
    """Accepts mail for @example.org only, like a back office's mail server."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.recipients: list[str] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if not address.endswith("@example.org"):
            return "550 5.1.1 No such user here"
        self.recipients.append(address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def office(settings: Any) -> Iterator[tuple[Office, int]]:
    handler, port = Office(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    try:
        yield handler, port
    finally:
        controller.stop()


def connection_test(target: Any) -> str:
    channel = registry.get("email")
    assert channel is not None
    with scope(city=target.city):
        return channel.test_connection(target)


@pytest.mark.django_db
def test_handshake_up_to_the_recipients_sends_nothing(giessen: Any, office: tuple[Office, int]) -> None:
    handler, port = office
    target = make_target(giessen, "email", {"to": ["amt@example.org", "vertretung@example.org"]})
    result = connection_test(target)
    assert result.startswith(f"Der Mailserver 127.0.0.1:{port} nimmt E-Mails für amt@example.org")
    assert "Es wurde nichts versendet." in result
    assert handler.recipients == ["amt@example.org", "vertretung@example.org"] and handler.messages == []


@pytest.mark.django_db
def test_refused_recipient_is_named(giessen: Any, office: tuple[Office, int]) -> None:
    target = make_target(giessen, "email", {"to": ["amt@example.org", "tippfehler@example.orgx"]})
    with pytest.raises(ConnectionTestFailed, match=r"nimmt den Empfänger tippfehler@example\.orgx nicht an: 550"):
        connection_test(target)
    assert office[0].messages == []


@pytest.mark.django_db
def test_no_mail_server_is_reported(giessen: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    target = make_target(giessen, "email", {"to": ["amt@example.org"]})
    with pytest.raises(ConnectionTestFailed, match=r"Keine Verbindung zum Mailserver 127\.0\.0\.1:"):
        connection_test(target)


@pytest.mark.django_db
def test_without_smtp_the_result_says_so(giessen: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    target = make_target(giessen, "email", {"to": ["amt@example.org"]})
    assert "keinen Mailserver zu prüfen" in connection_test(target)

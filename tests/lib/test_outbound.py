"""The SSRF guard for every city-configured outgoing connection: only globally
routable addresses, names must resolve, and the request goes to exactly the
address that was checked (no DNS rebinding), with TLS still verifying the name."""

from __future__ import annotations

import datetime
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError

from forms_engine.lib import outbound

NAME = "hook.gemeinsam.test"
PUBLIC = "93.184.215.14"

Resolver = Callable[[str], list[str]]


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Resolver], list[str]]]:
    """Install a DNS answer function for names; address literals resolve as usual.
    Returns the list of names looked up, in order."""
    import socket

    real = socket.getaddrinfo
    looked_up: list[str] = []

    def install(answer: Resolver) -> list[str]:
        def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                import ipaddress

                ipaddress.ip_address(str(host))
                return real(host, port, *args, **kwargs)
            except ValueError:
                pass
            looked_up.append(str(host))
            addresses = answer(str(host))
            if not addresses:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return [
                (
                    socket.AF_INET6 if ":" in a else socket.AF_INET,
                    socket.SOCK_STREAM,
                    socket.IPPROTO_TCP,
                    "",
                    (a, int(port or 0), 0, 0) if ":" in a else (a, int(port or 0)),
                )
                for a in addresses
            ]

        monkeypatch.setattr(socket, "getaddrinfo", fake)
        return looked_up

    yield install


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.1.2.3"],
        ["192.168.0.10"],
        ["100.64.0.1"],  # carrier-grade NAT
        ["100.100.100.200"],  # carrier-grade NAT (a cloud metadata address)
        ["169.254.169.254"],  # link-local (metadata)
        ["127.0.0.1"],
        ["::1"],
        ["fe80::1"],
        ["fd00::1"],
        ["::ffff:127.0.0.1"],  # IPv4-mapped loopback
        ["::ffff:10.0.0.1"],
        ["0.0.0.0"],
        [PUBLIC, "10.0.0.7"],  # one bad address is enough
    ],
)
def test_names_resolving_to_non_global_addresses_are_refused(
    addresses: list[str], resolver: Any, settings: Any
) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    resolver(lambda host: addresses)
    with pytest.raises(ValidationError) as caught:
        outbound.check_url(f"https://{NAME}/eingang")
    assert caught.value.code == "not_global"


@pytest.mark.parametrize(
    "url",
    ["https://100.64.0.1/", "https://100.100.100.200/x", "https://[::ffff:127.0.0.1]/", "https://169.254.169.254/"],
)
def test_address_literals_outside_the_internet_are_refused(url: str, settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(ValidationError):
        outbound.check_url(url)


def test_names_that_do_not_resolve_are_refused_with_a_clear_message(resolver: Any, settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    resolver(lambda host: [])
    with pytest.raises(ValidationError) as caught:
        outbound.check_url("https://gibt-es-nicht.example/eingang")
    assert caught.value.code == "dns"


def test_refusals_are_in_german(resolver: Any, settings: Any) -> None:
    from django.utils import translation

    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    resolver(lambda host: ["100.64.0.1"])
    with translation.override("de"), pytest.raises(ValidationError) as caught:
        outbound.check_url(f"https://{NAME}/")
    assert "Erlaubt sind nur öffentliche Adressen im Internet." in caught.value.messages[0]
    with translation.override("de"), pytest.raises(ValidationError) as caught:
        outbound.check_url("http://example.org/")
    assert caught.value.messages == ["Nur https://-Adressen sind erlaubt."]


def test_public_names_and_https_pass(resolver: Any, settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    resolver(lambda host: [PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
    outbound.check_url(f"https://{NAME}/eingang")


# --- connection time: pinning ---------------------------------------------


def _certificate(tmp: Path, name: str) -> tuple[Path, Path]:
    """A throwaway CA-signed certificate for ``name``: (ca.pem, server.pem with key)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Gemeinsam test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, server_path = tmp / "ca.pem", tmp / "server.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    server_path.write_bytes(
        leaf.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return ca_path, server_path


@contextmanager
def tls_server(server_pem: Path) -> Iterator[dict[str, Any]]:
    """HTTPS on 127.0.0.1 (a free port); records Host headers and SNI names."""
    seen: dict[str, Any] = {"hosts": [], "sni": [], "port": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen["hosts"].append(self.headers.get("Host"))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(server_pem)
    context.sni_callback = lambda sock, name, ctx: seen["sni"].append(name)  # type: ignore[assignment,misc]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    seen["port"] = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_request_goes_to_the_checked_address_and_tls_verifies_the_name(
    resolver: Any, settings: Any, tmp_path: Path
) -> None:
    """A rebinding resolver: the first answer is the server, every later one an
    address where nothing listens. Only one lookup may happen."""
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True  # the server is on 127.0.0.1
    ca, pem = _certificate(tmp_path, NAME)
    answers = iter([["127.0.0.1"]])
    looked_up = resolver(lambda host: next(answers, ["127.0.0.2"]))
    with tls_server(pem) as seen, outbound.session() as session:
        response = session.get(f"https://{NAME}:{seen['port']}/ping", verify=str(ca), timeout=5)
    assert response.status_code == 204
    assert looked_up == [NAME]
    assert seen["sni"] == [NAME]
    assert seen["hosts"] == [f"{NAME}:{seen['port']}"]


def test_tls_still_refuses_a_certificate_for_another_name(resolver: Any, settings: Any, tmp_path: Path) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True
    ca, pem = _certificate(tmp_path, "other.gemeinsam.test")
    resolver(lambda host: ["127.0.0.1"])
    with tls_server(pem) as seen, outbound.session() as session:
        with pytest.raises(requests.exceptions.SSLError):
            session.get(f"https://{NAME}:{seen['port']}/ping", verify=str(ca), timeout=5)
        assert seen["hosts"] == []


def test_a_name_rebound_to_a_private_address_after_the_check_is_not_connected(
    resolver: Any, settings: Any, tmp_path: Path
) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    ca, pem = _certificate(tmp_path, NAME)
    answers = iter([[PUBLIC]])
    resolver(lambda host: next(answers, ["127.0.0.1"]))
    outbound.check_url(f"https://{NAME}/ping")  # configuration time: public
    with tls_server(pem) as seen, outbound.session() as session:
        with pytest.raises(outbound.OutboundBlocked):
            session.get(f"https://{NAME}:{seen['port']}/ping", verify=str(ca), timeout=5)
        assert seen["hosts"] == [] and seen["sni"] == []


def test_plain_http_is_refused_at_connection_time(settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    with outbound.session() as session, pytest.raises(outbound.OutboundBlocked):
        session.get(f"http://{PUBLIC}/", timeout=5)

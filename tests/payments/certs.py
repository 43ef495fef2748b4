"""Test PKI for the client-certificate kind (ePayBL): a CA, the stand-in's
server certificate for 127.0.0.1, and client certificates, made with
`cryptography` in a temporary directory."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _issue(
    subject: str, issuer_key: ec.EllipticCurvePrivateKey | None, issuer: x509.Name | None, *, usage: str
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer or name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=usage == "ca", path_length=None), critical=True)
    )
    if usage == "server":
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    elif usage == "client":
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    return builder.sign(issuer_key or key, hashes.SHA256()), key


@dataclass
class Pki:
    ca_pem: str  # the CA that signed the server and the accepted client
    server_pem: Path  # server certificate + key, for the stand-in
    client_pem: str  # a client certificate + key the stand-in accepts
    stranger_pem: str  # a client certificate + key from another CA


def make_pki(directory: Path) -> Pki:
    ca, ca_key = _issue("Bezahldienst Test-CA", None, None, usage="ca")
    server, server_key = _issue("127.0.0.1", ca_key, ca.subject, usage="server")
    client, client_key = _issue("gemeinsam-offenbach", ca_key, ca.subject, usage="client")
    other_ca, other_key = _issue("Fremde CA", None, None, usage="ca")
    stranger, stranger_key = _issue("gemeinsam-fremd", other_key, other_ca.subject, usage="client")

    def pem(cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> str:
        return (cert.public_bytes(serialization.Encoding.PEM) + _pem_key(key)).decode()

    server_path = directory / "server.pem"
    server_path.write_text(pem(server, server_key))
    return Pki(
        ca_pem=ca.public_bytes(serialization.Encoding.PEM).decode(),
        server_pem=server_path,
        client_pem=pem(client, client_key),
        stranger_pem=pem(stranger, stranger_key),
    )

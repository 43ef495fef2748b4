"""Keys and certificates of the local FIT-Connect stand-in, made on start: a
test CA, the destination's 4096-bit encryption key with an x5c chain to that
CA, and PS512 signing keys of the Zustelldienst, the portal and the destination."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwcrypto import jwk, jwt


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def certificate(
    key: rsa.RSAPrivateKey, subject: str, issuer_key: rsa.RSAPrivateKey, issuer: str, *, ca: bool = False
) -> x509.Certificate:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


def rsa_key(bits: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def signing_jwk(kid: str | None = None) -> jwk.JWK:
    key = jwk.JWK.generate(kty="RSA", size=2048, kid=kid or str(uuid.uuid4()), alg="PS512", use="sig")
    return key


def public_json(key: jwk.JWK, **extra: Any) -> dict[str, Any]:
    return {**json.loads(key.export_public()), **extra}


def sign(key: jwk.JWK, claims: dict[str, Any], typ: str = "JWT") -> str:
    token = jwt.JWT(header={"alg": "PS512", "typ": typ, "kid": key.get("kid")}, claims=claims)
    token.make_signed_token(key)
    return str(token.serialize())


class Keys:
    def __init__(self, encryption_bits: int = 4096) -> None:
        self.ca_key = rsa_key(2048)
        self.ca = certificate(
            self.ca_key, "Gemeinsam Test-CA (lokal)", self.ca_key, "Gemeinsam Test-CA (lokal)", ca=True
        )
        self.zustelldienst = signing_jwk()
        self.portal = signing_jwk()
        self.destination_signing = signing_jwk()
        self.set_encryption_key(encryption_bits)

    def set_encryption_key(self, bits: int, *, issuer_key: rsa.RSAPrivateKey | None = None) -> None:
        private = rsa_key(bits)
        cert = certificate(private, "Zustellpunkt (lokal)", issuer_key or self.ca_key, "Gemeinsam Test-CA (lokal)")
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        self.encryption = jwk.JWK.from_pem(pem)
        self.encryption_kid = str(uuid.uuid4())
        self.encryption_x5c = [base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()]

    def encryption_public(self, **overrides: Any) -> dict[str, Any]:
        public = json.loads(self.encryption.export_public())
        document = {
            **public,
            "kid": self.encryption_kid,
            "alg": "RSA-OAEP-256",
            "key_ops": ["wrapKey"],
            "x5c": self.encryption_x5c,
        }
        return {**document, **overrides}

    def ca_pem(self) -> str:
        return self.ca.public_bytes(serialization.Encoding.PEM).decode()

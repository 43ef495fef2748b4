"""Keys, encryption and signatures of FIT-Connect, all through jwcrypto and
cryptography: the destination's encryption key is checked before use, every
part is encrypted as a compact JWE (RSA-OAEP-256 + A256GCM), and signed tokens
(destination signatures of the routing, SETs of the event log) are PS512 JWTs."""

from __future__ import annotations

import base64
import itertools
import json
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils.translation import gettext as _
from jwcrypto import jwe, jwk, jws, jwt
from jwcrypto.common import JWException

from forms_engine.delivery.base import PermanentDeliveryError

MIN_KEY_BITS = 4096
KEY_ALG = "RSA-OAEP-256"
CONTENT_ENC = "A256GCM"
SIGNATURE_ALG = "PS512"


class KeyRefused(PermanentDeliveryError):
    """The destination's encryption key must not be used."""


class SignatureRefused(Exception):
    """A signed token did not verify against the published keys."""


def load_trust_anchors(pem: str) -> list[x509.Certificate]:
    anchors = x509.load_pem_x509_certificates(pem.encode())  # ValueError when not PEM
    if not anchors:
        raise ValueError("no certificate")
    return anchors


def _chain(key: dict[str, Any]) -> list[x509.Certificate]:
    try:
        return [x509.load_der_x509_certificate(base64.b64decode(c)) for c in key.get("x5c") or []]
    except (ValueError, TypeError) as exc:
        raise KeyRefused(_("The encryption key's certificate chain (x5c) cannot be read.")) from exc


def _verify_chain(chain: list[x509.Certificate], anchors: list[x509.Certificate]) -> None:
    """Each certificate issued by the next, all valid now, the last issued by
    (or equal to) a trust anchor. Revocation (OCSP/CRL) is not checked yet."""
    now = datetime.now(UTC)
    for cert in chain:
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
            raise KeyRefused(_("A certificate of the encryption key is expired or not yet valid."))
    try:
        for child, issuer in itertools.pairwise(chain):
            child.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature) as exc:
        raise KeyRefused(_("The certificate chain of the encryption key is broken.")) from exc
    last = chain[-1]
    for anchor in anchors:
        if last == anchor:
            return
        try:
            last.verify_directly_issued_by(anchor)
        except (ValueError, TypeError, InvalidSignature):
            continue  # not this anchor
        return
    raise KeyRefused(_("The encryption key's certificate does not chain to a configured trust anchor."))


def check_encryption_key(key: dict[str, Any], trust_anchors_pem: str = "") -> jwk.JWK:
    """The destination's public key as a JWK, if FIT-Connect allows it; else KeyRefused."""
    if key.get("kty") != "RSA" or key.get("alg") != KEY_ALG:
        raise KeyRefused(_("The destination's key is no RSA-OAEP-256 key."))
    if "wrapKey" not in (key.get("key_ops") or []):
        raise KeyRefused(_("The destination's key may not be used for encryption (key_ops lacks wrapKey)."))
    try:
        public = jwk.JWK(**{k: v for k, v in key.items() if k in ("kty", "n", "e", "kid", "alg", "key_ops")})
    except (JWException, ValueError, TypeError) as exc:
        raise KeyRefused(_("The destination's key cannot be read.")) from exc
    if public.has_private:
        raise KeyRefused(_("The destination published a private key."))
    rsa_key = public.get_op_key("wrapKey")
    if not isinstance(rsa_key, rsa.RSAPublicKey) or rsa_key.key_size < MIN_KEY_BITS:
        raise KeyRefused(_("The destination's key is shorter than 4096 bits."))
    chain = _chain(key)
    if not chain:
        raise KeyRefused(_("The destination's key has no certificate (x5c)."))
    if chain[0].public_key().public_numbers() != rsa_key.public_numbers():  # type: ignore[union-attr]
        raise KeyRefused(_("The certificate of the destination's key belongs to another key."))
    if trust_anchors_pem:
        _verify_chain(chain, load_trust_anchors(trust_anchors_pem))
    return public


def encrypt(key: jwk.JWK, plaintext: bytes, content_type: str) -> str:
    """A compact JWE for the destination, with its kid and the content type."""
    header = {"alg": KEY_ALG, "enc": CONTENT_ENC, "kid": key.get("kid"), "cty": content_type}
    token = jwe.JWE(plaintext, protected=json.dumps(header))
    token.add_recipient(key)
    return str(token.serialize(compact=True))


def key_set(document: dict[str, Any]) -> jwk.JWKSet:
    try:
        return jwk.JWKSet.from_json(json.dumps(document))
    except (JWException, ValueError, TypeError) as exc:
        raise SignatureRefused("unreadable JWKS") from exc


def verify_signed(token: str, keys: jwk.JWKSet, *, typ: str | None = None) -> dict[str, Any]:
    """The claims of a PS512-signed JWT whose key is in `keys`; else SignatureRefused."""
    try:
        header = json.loads(jws.base64url_decode(token.split(".")[0]))
        if header.get("alg") != SIGNATURE_ALG:
            raise SignatureRefused(f"alg {header.get('alg')!r}")
        if typ is not None and header.get("typ") != typ:
            raise SignatureRefused(f"typ {header.get('typ')!r}")
        verified = jwt.JWT(jwt=token, key=keys, algs=[SIGNATURE_ALG], check_claims=False)
        claims: dict[str, Any] = json.loads(verified.claims)
    except SignatureRefused:
        raise
    except (JWException, ValueError, TypeError, IndexError) as exc:
        raise SignatureRefused(type(exc).__name__) from exc
    return claims

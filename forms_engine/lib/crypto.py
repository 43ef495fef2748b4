"""Encryption at rest for personal data: MultiFernet with rotatable keys.

Keys come from settings.FIELD_ENCRYPTION_KEYS, newest first. New data is
encrypted with the first key; every listed key can still decrypt. Rotation is:
prepend a new key, run `manage.py reencrypt`, then remove the old key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import unicodedata
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet_key(raw: str) -> bytes:
    """Accept proper Fernet keys; derive one from any other secret string."""
    try:
        if len(base64.urlsafe_b64decode(raw.encode())) == 32:
            return raw.encode()
    except ValueError:
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(raw.encode()).digest())


@lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(k)) for k in keys])


def multifernet() -> MultiFernet:
    return _multifernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return multifernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return multifernet().decrypt(token)


def rotate_token(token: bytes) -> bytes:
    return multifernet().rotate(token)


def encrypt_json(value: Any) -> str:
    return encrypt_bytes(json.dumps(value, ensure_ascii=False).encode()).decode()


def decrypt_json(token: str) -> Any:
    return json.loads(decrypt_bytes(token.encode()))


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 with the blind-index key; `purpose` separates uses."""
    key = f"{purpose}:{settings.BLIND_INDEX_KEY}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


# German umlauts folded as Germans spell them without: "Müller" and "Mueller"
# are one name to a caseworker (a citizen types either).
_GERMAN_FOLDS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_TOKEN_SPLIT = re.compile(r"[\W_]+")


def normalise_name(name: str) -> str:
    """Case-, umlaut-, accent- and whitespace-insensitive form of a name:
    "Müller", "MÜLLER" and "Mueller" become "mueller", "Müller-Lüdenscheidt"
    becomes "mueller luedenscheidt", "José" becomes "jose"."""
    folded = name.casefold().translate(_GERMAN_FOLDS)
    decomposed = unicodedata.normalize("NFKD", folded)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(t for t in _TOKEN_SPLIT.split(plain) if t)


def name_tokens(name: str) -> list[str]:
    """The distinct normalised words of a name, in order."""
    return list(dict.fromkeys(normalise_name(name).split()))


def name_token_digest(token: str) -> str:
    """The blind index of one normalised name word: only this is stored."""
    return keyed_hash(token, purpose="name-token")


def name_digests(name: str) -> list[str]:
    return [name_token_digest(t) for t in name_tokens(name)]

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


def normalise_name(name: str) -> str:
    """Case-, accent- and whitespace-insensitive form for the name blind index.

    "Müller", "MÜLLER" and "Muller" become "muller"; "Mueller" stays "mueller":
    a spelled-out umlaut is a spelling people choose, not a variant to merge
    (see docs/architecture.md).
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ß", "ss")
    return " ".join(folded.split())


def name_blind_index(name: str) -> str:
    return keyed_hash(normalise_name(name), purpose="name")

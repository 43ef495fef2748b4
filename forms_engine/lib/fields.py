"""Model fields whose values are encrypted at rest (MultiFernet, see crypto.py).
A raw look at the table shows only Fernet tokens."""

from __future__ import annotations

from typing import Any

from django.db import models

from .crypto import decrypt_json, encrypt_json


class EncryptedJSONField(models.TextField):  # type: ignore[type-arg]
    """Any JSON value, stored as an encrypted token. Not queryable, by design."""

    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else decrypt_json(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> str | None:
        return None if value is None else encrypt_json(value)

    def value_to_string(self, obj: models.Model) -> str:
        return ""  # never serialise plaintext (dumpdata, admin history)


class EncryptedTextField(EncryptedJSONField):
    """Free text (a caseworker's note), stored as an encrypted token. A subclass
    of EncryptedJSONField so key rotation (manage.py reencrypt) finds it."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else str(decrypt_json(value))

    def to_python(self, value: Any) -> Any:
        return value if value is None else str(value)


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedJSONField)]

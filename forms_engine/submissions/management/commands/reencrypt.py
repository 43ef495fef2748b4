"""Re-encrypts personal data with the newest key (the first of FIELD_ENCRYPTION_KEYS).

Key rotation: put a new key in front of FIELD_ENCRYPTION_KEYS, restart, run
this command, then remove the old key. Safe to run again: rows and files already
on the newest key are simply re-encrypted once more."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from forms_engine.lib.crypto import rotate_token
from forms_engine.lib.fields import encrypted_fields


def _walk(storage: Storage, directory: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for folder in folders:
        yield from _walk(storage, f"{directory}/{folder}" if directory else folder)


def _replace(storage: Storage, path: str, content: bytes) -> None:
    """Never lose a file halfway: atomic rename on disk, a safety copy elsewhere."""
    try:
        local = storage.path(path)
    except NotImplementedError:
        spare = storage.save(f"{path}.rotating", ContentFile(content))
        storage.delete(path)
        storage.save(path, ContentFile(content))
        storage.delete(spare)
        return
    temporary = f"{local}.rotating"
    with open(temporary, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, local)


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields and private files with the newest key."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = 0
        with scopes_disabled():
            for model in apps.get_models():
                fields = encrypted_fields(model)
                if not fields:
                    continue
                for pk in model._default_manager.values_list("pk", flat=True).iterator():
                    with transaction.atomic():
                        obj = model._default_manager.select_for_update().get(pk=pk)
                        obj.save(update_fields=fields)  # decrypts on load, encrypts with the newest key
                    rows += 1
        storage = storages["private"]
        files = 0
        for path in list(_walk(storage)):
            with storage.open(path, "rb") as handle:
                token = handle.read()
            _replace(storage, path, rotate_token(token))
            files += 1
        self.stdout.write(f"Re-encrypted {rows} rows and {files} files with the newest key.")

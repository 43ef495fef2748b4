"""Key rotation: a new key in front, `manage.py reencrypt`, the old key removed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django_scopes import scope

from forms_engine.lib.crypto import _multifernet
from forms_engine.submissions.models import Attachment
from forms_engine.wizard.models import Draft
from tests import sample_files
from tests.wizard.conftest import PERSON, answer, start
from tests.wizard.test_uploads import _upload


def _raw_answers() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM wizard_draft")
        return str(cursor.fetchone()[0])


def test_rotation_reencrypts_rows_and_files(citizen: Any, giessen: Any, settings: Any) -> None:
    start(citizen)
    answer(citizen, "person", PERSON)
    document = sample_files.pdf(b"BT (Mustermann) Tj ET")
    _upload(citizen, "a.pdf", document)
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    old_raw = _raw_answers()
    with scope(city=giessen):
        path = Path(settings.PRIVATE_FILES_ROOT) / Attachment.objects.get().path
    old_file = path.read_bytes()

    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    _multifernet.cache_clear()
    call_command("reencrypt", stdout=io.StringIO())
    assert _raw_answers() != old_raw and path.read_bytes() != old_file

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    _multifernet.cache_clear()
    with scope(city=giessen):
        assert Draft.objects.get().answers["person"]["last_name"] == "Mustermann"
        assert Attachment.objects.get().read() == document
    Fernet(new_key.encode()).decrypt(path.read_bytes())  # the file is on the new key
    _multifernet.cache_clear()

"""Caseworker notes and status-change notes are encrypted at rest like answers.

The column type stays text; existing plaintext rows are encrypted in place with
raw SQL (the historical models would try to decrypt them). Rows that already
hold a token are left alone, so a re-run changes nothing. Going back decrypts
them again (the old code reads plaintext)."""

from typing import Any

from django.db import migrations

import forms_engine.lib.fields

TABLES = (("backoffice_note", "text"), ("backoffice_statuschange", "note"))


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    from cryptography.fernet import InvalidToken

    from forms_engine.lib.crypto import decrypt_json, encrypt_json

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table, column in TABLES:
            cursor.execute(f"SELECT id, {column} FROM {table}")
            for pk, value in cursor.fetchall():
                try:
                    decrypt_json(value)
                    continue  # already encrypted
                except (InvalidToken, ValueError, TypeError):
                    pass
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [encrypt_json(value), pk])


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    from cryptography.fernet import InvalidToken

    from forms_engine.lib.crypto import decrypt_json

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table, column in TABLES:
            cursor.execute(f"SELECT id, {column} FROM {table}")
            for pk, value in cursor.fetchall():
                try:
                    plain = decrypt_json(value)
                except (InvalidToken, ValueError, TypeError):
                    continue  # already plaintext
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [str(plain), pk])


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0002_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="note",
            name="text",
            field=forms_engine.lib.fields.EncryptedTextField(help_text="The note (encrypted).", verbose_name="text"),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="note",
            field=forms_engine.lib.fields.EncryptedTextField(
                blank=True, help_text="Internal note on the change (encrypted).", verbose_name="note"
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
    ]

"""Caseworker notes and status-change notes are encrypted at rest like answers;
an export's audit entry keeps no search term."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django_scopes import scope

from forms_engine.backoffice.models import AuditEvent, Note, StatusChange
from forms_engine.submissions.models import Submission
from forms_engine.tenants.models import City

from .conftest import make_submission

NOTE = "Vater zahlt nicht, Herr Müßig ist arbeitslos"
STATUS_NOTE = "Rückfrage beim Jobcenter Gießen"


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (constant names)
        return [str(row[0]) for row in cursor.fetchall()]


def test_notes_are_stored_encrypted_and_shown_in_clear(carla_client: Client, submission: Submission) -> None:
    assert carla_client.post(f"/backoffice/{submission.pk}/notes/", {"text": NOTE}).status_code == 302
    response = carla_client.post(
        f"/backoffice/{submission.pk}/status/", {"to_status": "in_progress", "note": STATUS_NOTE}
    )
    assert response.status_code == 302
    stored = _raw("backoffice_note", "text") + _raw("backoffice_statuschange", "note")
    assert stored and not any("Müßig" in value or "Jobcenter" in value for value in stored)
    page = carla_client.get(f"/backoffice/{submission.pk}/").content.decode()
    assert NOTE in page and STATUS_NOTE in page
    with scope(city=submission.city):
        assert Note.objects.get().text == NOTE
        assert StatusChange.objects.get(to_status="in_progress").note == STATUS_NOTE


BEFORE, AFTER = ("backoffice", "0002_initial"), ("backoffice", "0003_encrypt_notes")


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_notes(giessen: City) -> None:
    submission = make_submission(giessen)
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    old.get_model("backoffice", "Note").objects.create(city_id=giessen.pk, submission_id=submission.pk, text=NOTE)
    old.get_model("backoffice", "StatusChange").objects.create(
        city_id=giessen.pk,
        submission_id=submission.pk,
        from_status="received",
        to_status="in_progress",
        note=STATUS_NOTE,
    )
    assert NOTE in _raw("backoffice_note", "text")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert not any("Müßig" in v for v in _raw("backoffice_note", "text"))
    assert not any("Jobcenter" in v for v in _raw("backoffice_statuschange", "note"))
    with scope(city=giessen):
        assert Note.objects.get().text == NOTE
        assert StatusChange.objects.get().note == STATUS_NOTE


@pytest.mark.parametrize("query", ["?q=Erika+Mustermann", "?ref=GI-UVG-2026-0001&status=received", "?name=" + "a" * 64])
def test_an_export_audit_entry_keeps_no_search_term(
    carla_client: Client, giessen: City, services: None, query: str
) -> None:
    make_submission(giessen)
    assert carla_client.get(f"/backoffice/export.csv{query}").status_code == 200
    with scope(city=giessen):
        detail = AuditEvent.objects.get(action="export").detail
    assert "search=*" in detail
    assert "Erika" not in detail and "GI-UVG" not in detail and "aaaa" not in detail

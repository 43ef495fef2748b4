"""CSV export of the filtered list: no answers unless asked, and asking is audited."""

from __future__ import annotations

import csv
import io

from django.test import Client
from django_scopes import scope

from forms_engine.backoffice.models import AuditEvent
from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City

from .conftest import make_submission


def _rows(client: Client, query: str) -> list[list[str]]:
    response = client.get(f"/backoffice/export.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_list_without_answers(carla_client: Client, carla: StaffUser, giessen: City, services: None) -> None:
    received = make_submission(giessen, assignee=carla)
    make_submission(giessen, status="in_progress")
    make_submission(giessen, service_slug="parkausweis")
    rows = _rows(carla_client, "?status=received")
    assert len(rows) == 2
    assert rows[1][0] == received.reference and rows[1][4] == "received" and rows[1][5] == carla.username
    assert "Erika" not in str(rows)
    with scope(city=giessen):
        event = AuditEvent.objects.get()
    assert event.action == "export" and "status=received" in event.detail


def test_answers_only_when_asked_and_audited_as_such(carla_client: Client, giessen: City, services: None) -> None:
    make_submission(giessen)
    rows = _rows(carla_client, "?answers=1")
    assert "Vorname: Erika" in rows[1][-1] and "Vorname des Kindes: Max" in rows[1][-1]
    with scope(city=giessen):
        assert AuditEvent.objects.get().action == "export_answers"


def test_formulas_are_neutralised(carla_client: Client, giessen: City, services: None) -> None:
    submission = make_submission(giessen)
    from forms_engine.submissions.models import Submission

    with scope(city=giessen):
        Submission.objects.filter(pk=submission.pk).update(
            snapshot=[{"step": "a", "title": "A", "fields": [{"name": "x", "label": "=HYPERLINK()", "value": "1"}]}]
        )
    rows = _rows(carla_client, "?answers=1")
    assert rows[1][-1].startswith("'=")


def test_a_name_search_is_recorded_without_the_name(carla_client: Client, giessen: City, services: None) -> None:
    make_submission(giessen)
    location = carla_client.post("/backoffice/", {"q": "Erika Mustermann"})["Location"]
    rows = _rows(carla_client, "?" + location.split("?", 1)[1])
    assert len(rows) == 2
    with scope(city=giessen):
        assert AuditEvent.objects.get().detail == "search=*"

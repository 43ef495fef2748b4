"""Export of the filtered list for a German spreadsheet: CSV with semicolons,
UTF-8 with BOM and local times, or XLSX; readable names; one column per answer
under the label the citizen saw. No answers unless asked, and asking is audited."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import Client
from django_scopes import scope
from openpyxl import load_workbook

from forms_engine.backoffice.models import AuditEvent
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission
from forms_engine.tenants.models import City

from .conftest import make_submission

BERLIN = ZoneInfo("Europe/Berlin")


def _rows(client: Client, query: str) -> list[list[str]]:
    response = client.get(f"/backoffice/export.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    text = response.content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_list_without_answers(carla_client: Client, carla: StaffUser, giessen: City, services: None) -> None:
    carla.first_name, carla.last_name = "Carla", "Köhler"
    carla.save()
    at = datetime(2026, 7, 1, 22, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on 2 July in Gießen
    received = make_submission(giessen, assignee=carla, submitted_at=at)
    make_submission(giessen, status="in_progress")
    make_submission(giessen, service_slug="parkausweis")  # not Carla's service
    make_submission(City.objects.get(slug="marburg"))
    rows = _rows(carla_client, "?status=received")
    assert rows[0][:7] == [
        "Vorgangsnummer",
        "Online-Dienst",
        "Eingegangen",
        "Fällig",
        "Entschieden",
        "Status",
        "Zugewiesen an",
    ]
    assert len(rows) == 2
    assert rows[1][0] == received.reference and rows[1][1] == "Unterhaltsvorschuss beantragen"
    assert rows[1][2] == "02.07.2026 00:30" and rows[1][3] == "01.08.2026"
    assert rows[1][5] == "eingegangen" and rows[1][6] == "Carla Köhler"
    assert "Erika" not in str(rows)
    with scope(city=giessen):
        event = AuditEvent.objects.get()
    assert event.action == "export" and "status=received" in event.detail


def test_one_column_per_answer_with_numbered_repeats(carla_client: Client, giessen: City, services: None) -> None:
    submission = make_submission(giessen)
    with scope(city=giessen):
        Submission.objects.filter(pk=submission.pk).update(
            snapshot=[
                {
                    "step": "a",
                    "title": "Antragsteller",
                    "fields": [{"name": "v", "label": "Vorname", "value": "Jürgen"}],
                },
                {
                    "step": "k",
                    "title": "Kinder",
                    "fields": [{"name": "o", "label": "Bemerkung", "value": ""}],
                    "entries": [
                        [{"name": "kv", "label": "Vorname des Kindes", "value": "Max"}],
                        [{"name": "kv", "label": "Vorname des Kindes", "value": "Zoë"}],
                    ],
                },
            ]
        )
    header, row = _rows(carla_client, "?answers=1")
    answers = dict(zip(header[7:], row[7:], strict=True))
    assert answers == {
        "Antragsteller/in": "Erika Mustermann",
        "Vorname": "Jürgen",
        "Vorname des Kindes (1)": "Max",
        "Vorname des Kindes (2)": "Zoë",
    }
    with scope(city=giessen):
        assert AuditEvent.objects.get().action == "export_answers"


def test_xlsx_has_the_same_table_with_real_dates(carla_client: Client, giessen: City, services: None) -> None:
    submission = make_submission(giessen, submitted_at=datetime(2026, 3, 2, 9, 15, tzinfo=BERLIN))
    response = carla_client.get("/backoffice/export.xlsx?answers=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Vorgangsnummer" and rows[1][0] == submission.reference
    assert rows[1][2] == datetime(2026, 3, 2, 9, 15)  # local time as a date cell
    assert "Vorname des Kindes (1)" in rows[0] and "Max" in rows[1]


def test_formulas_are_neutralised(carla_client: Client, giessen: City, services: None) -> None:
    submission = make_submission(giessen)
    with scope(city=giessen):
        Submission.objects.filter(pk=submission.pk).update(
            snapshot=[{"step": "a", "title": "A", "fields": [{"name": "x", "label": "=HYPERLINK()", "value": "=1+1"}]}]
        )
    header, row = _rows(carla_client, "?answers=1")
    assert header[-1].startswith("'=") and row[-1] == "'=1+1"
    sheet = load_workbook(io.BytesIO(carla_client.get("/backoffice/export.xlsx?answers=1").content)).active
    assert sheet is not None
    cell = sheet.cell(row=2, column=sheet.max_column)
    assert cell.data_type == "s" and cell.value == "=1+1"  # text, not a formula


def test_a_name_search_is_recorded_without_the_name(carla_client: Client, giessen: City, services: None) -> None:
    make_submission(giessen)
    location = carla_client.post("/backoffice/", {"q": "Erika Mustermann"})["Location"]
    rows = _rows(carla_client, "?" + location.split("?", 1)[1])
    assert len(rows) == 2
    with scope(city=giessen):
        assert AuditEvent.objects.get().detail == "search=*"

"""The detail page: answers under their step headings, documents, the PDF,
processing state, history; every look and download is audited."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django_scopes import scope

from forms_engine.backoffice.models import AuditEvent
from forms_engine.lib.crypto import encrypt_bytes
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Attachment, ProcessingStep, Submission


def _events(submission: Submission) -> list[tuple[str, str]]:
    with scope(city=submission.city):
        return list(
            AuditEvent.objects.filter(submission_id=submission.pk).order_by("at", "id").values_list("action", "detail")
        )


def test_answers_under_their_step_headings(carla_client: Client, submission: Submission) -> None:
    page = carla_client.get(f"/backoffice/{submission.pk}/").content.decode()
    assert "Erika Mustermann</h1>" in page  # the applicant's name in the heading
    page = page.split('id="answers-heading"', 1)[1]
    assert page.index("Antragsteller") < page.index("Vorname") < page.index("Erika") < page.index("Kinder")
    assert "Vorname des Kindes" in page and "Max" in page
    assert "PDF" in page and f"/backoffice/{submission.pk}/pdf/" not in page  # not rendered yet


def test_viewing_is_audited_with_address_and_no_answers(
    carla_client: Client, carla: StaffUser, submission: Submission
) -> None:
    carla_client.get(f"/backoffice/{submission.pk}/", REMOTE_ADDR="192.0.2.7")
    with scope(city=submission.city):
        event = AuditEvent.objects.get(submission_id=submission.pk)
    assert (event.action, event.user_id, event.username) == ("view", carla.pk, carla.username)
    assert (event.reference, event.ip_address, event.city_id) == (submission.reference, "192.0.2.7", submission.city_id)
    assert "Erika" not in str(event.__dict__)


def test_downloads_of_attachment_and_pdf_are_audited(carla_client: Client, submission: Submission) -> None:
    city = submission.city
    with scope(city=city):
        attachment = Attachment.store(
            city=city,
            content=b"\x89PNG\r\n\x1a\nbild",
            submission=submission,
            step="s",
            key="ausweis",
            filename="ausweis.png",
            content_type="image/png",
        )
        path = storages["private"].save("giessen/pdf/x.pdf", ContentFile(encrypt_bytes(b"%PDF-1.7 antrag")))
        ProcessingStep.objects.update_or_create(
            city=city,
            submission=submission,
            kind="pdf",
            target_id="",
            defaults={"state": "done", "result": {"path": path}},
        )
    response = carla_client.get(f"/backoffice/{submission.pk}/files/{attachment.pk}/")
    assert response.content == b"\x89PNG\r\n\x1a\nbild"
    assert response["Content-Type"] == "image/png"
    response = carla_client.get(f"/backoffice/{submission.pk}/pdf/")
    assert response.content == b"%PDF-1.7 antrag"
    assert _events(submission) == [("download", "attachment ausweis"), ("download", "pdf")]


def test_a_failed_step_shows_its_error(carla_client: Client, submission: Submission) -> None:
    with scope(city=submission.city):
        ProcessingStep.objects.update_or_create(
            city=submission.city,
            submission=submission,
            kind="delivery",
            target_id="mail",
            defaults={"state": "failed", "attempts": 5, "last_error": "SMTP 451 try later"},
        )
    page = carla_client.get(f"/backoffice/{submission.pk}/").content.decode()
    assert "SMTP 451 try later" in page


def test_notes_appear_in_the_history_and_are_audited(carla_client: Client, submission: Submission) -> None:
    carla_client.post(f"/backoffice/{submission.pk}/notes/", {"text": "Rückruf am Montag"})
    carla_client.post(f"/backoffice/{submission.pk}/status/", {"to_status": "in_progress", "note": "begonnen"})
    page = carla_client.get(f"/backoffice/{submission.pk}/").content.decode()
    assert page.index("Rückruf am Montag") < page.index("begonnen")
    assert [a for a, _d in _events(submission)] == ["note", "status", "view"]

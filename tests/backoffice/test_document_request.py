"""Requesting documents: an email with a one-time link on the city's host; the
upload attaches to the submission and puts it back to "in progress"."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from forms_engine.backoffice.models import AuditEvent, DocumentRequest
from forms_engine.submissions.models import Attachment, Submission
from forms_engine.tenants.models import City
from tests import sample_files
from tests.citizen_mail import send_citizen_emails

from .conftest import GIESSEN_HOST, MARBURG_HOST, make_submission, reload

PDF = sample_files.pdf(b"BT (Geburtsurkunde) Tj ET")


@pytest.fixture
def waiting(
    carla_client: Client, giessen: City, services: None, django_capture_on_commit_callbacks: Any
) -> tuple[Submission, str]:
    submission = make_submission(giessen, status=Submission.Status.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):  # the email goes out after commit
        response = carla_client.post(
            f"/backoffice/{submission.pk}/request-documents/", {"message": "Bitte die Geburtsurkunde des Kindes."}
        )
    assert response.status_code == 302
    assert send_citizen_emails() == ["done"]
    assert len(mail.outbox) == 1
    match = re.search(r"https://giessen\.localhost/nachreichen/([\w-]+)/", str(mail.outbox[0].body))
    assert match, mail.outbox[0].body
    return submission, match.group(1)


def _upload(host: str, token: str, content: bytes = PDF) -> Client:
    client = Client(HTTP_HOST=host)
    client.response = client.post(  # type: ignore[attr-defined]
        f"/nachreichen/{token}/", {"files": [SimpleUploadedFile("urkunde.pdf", content)]}
    )
    return client


def test_the_request_waits_for_the_citizen_and_keeps_only_a_hash(waiting: tuple[Submission, str]) -> None:
    submission, token = waiting
    assert reload(submission).status == Submission.Status.WAITING
    with scope(city=submission.city):
        request = DocumentRequest.objects.get()
        assert token not in request.token_hash
        assert request.expires_at > timezone.now() + timedelta(days=13)
        assert AuditEvent.objects.filter(action="request_documents", submission_id=submission.pk).exists()
    assert mail.outbox[0].to == ["erika@example.org"]


def test_a_valid_link_takes_the_documents(waiting: tuple[Submission, str]) -> None:
    submission, token = waiting
    page = Client(HTTP_HOST=GIESSEN_HOST).get(f"/nachreichen/{token}/")
    assert page.status_code == 200
    assert "Bitte die Geburtsurkunde des Kindes." in page.content.decode()
    response = _upload(GIESSEN_HOST, token).response  # type: ignore[attr-defined]
    assert response.status_code == 200
    after = reload(submission)
    assert after.status == Submission.Status.IN_PROGRESS
    with scope(city=submission.city):
        attachment = Attachment.objects.get(submission=submission)
        assert attachment.read() == PDF
        assert attachment.content_type == "application/pdf"


def test_a_used_link_does_not_work_again(waiting: tuple[Submission, str]) -> None:
    submission, token = waiting
    _upload(GIESSEN_HOST, token)
    assert Client(HTTP_HOST=GIESSEN_HOST).get(f"/nachreichen/{token}/").status_code == 404
    assert _upload(GIESSEN_HOST, token).response.status_code == 404  # type: ignore[attr-defined]
    with scope(city=submission.city):
        assert Attachment.objects.filter(submission=submission).count() == 1


def test_an_expired_link_does_not_work(waiting: tuple[Submission, str]) -> None:
    submission, token = waiting
    with scope(city=submission.city):
        DocumentRequest.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert _upload(GIESSEN_HOST, token).response.status_code == 404  # type: ignore[attr-defined]
    assert reload(submission).status == Submission.Status.WAITING


@pytest.mark.parametrize("host", [MARBURG_HOST, "testserver"])
def test_the_link_works_only_on_its_citys_host(waiting: tuple[Submission, str], host: str) -> None:
    submission, token = waiting
    assert Client(HTTP_HOST=host).get(f"/nachreichen/{token}/").status_code == 404
    assert _upload(host, token).response.status_code == 404  # type: ignore[attr-defined]
    assert reload(submission).status == Submission.Status.WAITING


def test_a_guessed_token_does_not_work(waiting: tuple[Submission, str]) -> None:
    assert Client(HTTP_HOST=GIESSEN_HOST).get("/nachreichen/not-the-token/").status_code == 404


def test_files_are_checked_by_content(waiting: tuple[Submission, str]) -> None:
    submission, token = waiting
    response = _upload(GIESSEN_HOST, token, b"MZ\x90\x00 not a document").response  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert "PDF, PNG" in response.content.decode() or "PDF-, PNG" in response.content.decode()
    assert reload(submission).status == Submission.Status.WAITING
    with scope(city=submission.city):
        assert not Attachment.objects.filter(submission=submission).exists()


def test_sending_no_file_changes_nothing(waiting: tuple[Submission, str]) -> None:
    submission, token = waiting
    response = Client(HTTP_HOST=GIESSEN_HOST).post(f"/nachreichen/{token}/", {})
    assert response.status_code == 200
    assert "Pflichtfeld" in response.content.decode() or "required" in response.content.decode()
    assert reload(submission).status == Submission.Status.WAITING
    with scope(city=submission.city):
        assert DocumentRequest.objects.get().fulfilled_at is None


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(sample_files.SVG_WITH_SCRIPT, id="svg-with-script"),
        pytest.param(sample_files.pdf_html_polyglot(), id="pdf-html-polyglot"),
        pytest.param(b"%PDF-1.4 Geburtsurkunde", id="pdf-that-does-not-parse"),
    ],
)
def test_the_hand_in_takes_only_what_it_says_pdf_png_jpeg(waiting: tuple[Submission, str], content: bytes) -> None:
    submission, token = waiting
    response = _upload(GIESSEN_HOST, token, content).response  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert "„urkunde.pdf“" in response.content.decode() or "“urkunde.pdf”" in response.content.decode()
    assert reload(submission).status == Submission.Status.WAITING
    with scope(city=submission.city):
        assert not Attachment.objects.filter(submission=submission).exists()
        assert DocumentRequest.objects.get().is_open  # the link still works for a proper file


def test_a_handed_in_png_is_stored_without_what_trailed_it(waiting: tuple[Submission, str]) -> None:
    submission, token = waiting
    assert _upload(GIESSEN_HOST, token, sample_files.png_with_trailing_zip()).response.status_code == 200  # type: ignore[attr-defined]
    with scope(city=submission.city):
        attachment = Attachment.objects.get(submission=submission)
        assert attachment.content_type == "image/png"
        assert b"PK\x03\x04" not in attachment.read()


def test_the_deadline_for_documents_is_the_city_services(
    carla_client: Client, giessen: City, services: None, django_capture_on_commit_callbacks: Any
) -> None:
    from forms_engine.catalog.models import CityService

    with scope(city=giessen):
        CityService.objects.filter(service_slug="unterhaltsvorschuss").update(document_days=5)
    submission = make_submission(giessen, status=Submission.Status.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        carla_client.post(f"/backoffice/{submission.pk}/request-documents/", {"message": "Bitte die Urkunde."})
    with scope(city=giessen):
        request = DocumentRequest.objects.get(submission=submission)
    assert timedelta(days=4, hours=23) < request.expires_at - request.created_at <= timedelta(days=5)

"""Uploads: type by content, size limits, encrypted outside public media,
removable before submit, and a real clamd scanner (tests/clamav.py)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from forms_engine.submissions.models import Attachment
from tests import sample_files
from tests.sample_files import EICAR
from tests.wizard.conftest import NOTE, PERSON, SLUG, answer, start
from tests.wizard.walk import SMALL_PDF, hidden, post_step

PNG = sample_files.png()


def _upload(client: Any, name: str, content: bytes, **extra: Any) -> Any:
    page = client.get(f"/{SLUG}/nachweise/").content.decode()
    data = {
        "draft": hidden(page, "draft"),
        "step": "nachweise",
        "revision": hidden(page, "revision"),
        "action": "continue",
        **NOTE,
        "file-ausweis": SimpleUploadedFile(name, content),
        **extra,
    }
    return post_step(client, f"/{SLUG}/nachweise/", data)


@pytest.fixture
def at_documents(citizen: Any) -> Any:
    start(citizen)
    answer(citizen, "person", PERSON)
    return citizen


def test_pdf_accepted_and_stored_encrypted_outside_media(at_documents: Any, giessen: Any, settings: Any) -> None:
    secret = sample_files.pdf(b"BT (Geheimer Inhalt Mustermann) Tj ET")
    response = _upload(at_documents, "ausweis.pdf", secret)
    assert response["Location"] == f"/{SLUG}/check/"
    with scope(city=giessen):
        attachment = Attachment.objects.get()
    stored = Path(settings.PRIVATE_FILES_ROOT) / attachment.path
    assert stored.exists() and not str(stored).startswith(str(settings.MEDIA_ROOT))
    assert b"Mustermann" not in stored.read_bytes()
    assert attachment.read() == secret
    assert attachment.content_type == "application/pdf"


def test_type_is_judged_by_content_not_name(at_documents: Any, giessen: Any) -> None:
    response = _upload(at_documents, "ausweis.pdf", b"MZ\x90\0 this is a windows program")
    assert response.status_code == 200
    assert "keine PDF-, JPG- oder PNG-Datei" in response.content.decode()
    response = _upload(at_documents, "scan.txt", PNG)  # a PNG with a wrong name is fine
    assert response.status_code == 302
    with scope(city=giessen):
        assert Attachment.objects.get().content_type == "image/png"


def test_file_over_the_limit_is_refused(at_documents: Any, settings: Any, giessen: Any) -> None:
    settings.UPLOAD_MAX_FILE_BYTES = 1024 * 1024
    response = _upload(at_documents, "big.pdf", sample_files.pdf_of_size(1024 * 1024))
    assert response.status_code == 200 and "größer als 1 MB" in response.content.decode()
    with scope(city=giessen):
        assert not Attachment.objects.exists()


def test_all_files_together_are_limited(at_documents: Any, settings: Any, giessen: Any) -> None:
    settings.UPLOAD_MAX_SUBMISSION_BYTES = 1000
    response = _upload(at_documents, "a.pdf", sample_files.pdf_of_size(1000))
    assert response.status_code == 200 and "Alle Dateien zusammen" in response.content.decode()


def test_a_file_over_its_limit_is_refused_on_its_field_not_by_the_request_limit(
    at_documents: Any, settings: Any, giessen: Any
) -> None:
    # The defaults: 10 MB per file, 30 MB per draft, so a request carries 31 MB.
    assert settings.MAX_REQUEST_BODY_BYTES >= settings.UPLOAD_MAX_SUBMISSION_BYTES > settings.UPLOAD_MAX_FILE_BYTES
    response = _upload(at_documents, "scan.pdf", sample_files.pdf_of_size(15 * 1024 * 1024))
    html = response.content.decode()
    assert response.status_code == 200 and "größer als 10 MB" in html
    assert 'id="error-summary"' in html and 'href="#file-ausweis"' in html
    assert "Universitätsstadt Gießen" in html  # the step in the city's layout


def test_oversize_request_goes_back_to_the_step_with_the_error_on_the_upload_field(
    at_documents: Any, settings: Any, giessen: Any
) -> None:
    settings.MAX_REQUEST_BODY_BYTES = 10_000
    page = at_documents.get(f"/{SLUG}/nachweise/").content.decode()
    data: dict[str, Any] = {"draft": hidden(page, "draft"), "step": "nachweise", "revision": hidden(page, "revision")}
    data.update(NOTE, **{"file-ausweis": SimpleUploadedFile("a.pdf", sample_files.pdf_of_size(20_000))})
    response = at_documents.post(f"/{SLUG}/nachweise/", data)
    assert response.status_code == 303 and response["Location"] == f"/{SLUG}/nachweise/?too_large=1"
    shown = at_documents.get(response["Location"])
    html = shown.content.decode()
    assert shown.status_code == 200
    assert "wurden nicht angenommen" in html and "höchstens 10 MB je Datei" in html
    assert 'href="#file-ausweis"' in html and "Universitätsstadt Gießen" in html
    with scope(city=giessen):
        assert not Attachment.objects.exists()


def test_oversize_request_elsewhere_gets_the_readable_413_page(citizen: Any, settings: Any) -> None:
    settings.MAX_REQUEST_BODY_BYTES = 10
    response = citizen.post("/resume/", {"code": "A" * 40})
    assert response.status_code == 413
    assert "zu groß" in response.content.decode()


def test_upload_can_be_removed_before_submit(at_documents: Any, giessen: Any) -> None:
    _upload(at_documents, "ausweis.pdf", SMALL_PDF)
    with scope(city=giessen):
        attachment = Attachment.objects.get()
    page = at_documents.get(f"/{SLUG}/nachweise/").content.decode()
    assert f'name="remove_file" value="{attachment.pk}"' in page
    response = post_step(
        at_documents,
        f"/{SLUG}/nachweise/",
        {
            "draft": hidden(page, "draft"),
            "step": "nachweise",
            "revision": hidden(page, "revision"),
            "remove_file": str(attachment.pk),
            **NOTE,
        },
    )
    assert response.status_code == 200
    with scope(city=giessen):
        assert not Attachment.objects.exists()
    assert at_documents.get(f"/{SLUG}/check/")["Location"] == f"/{SLUG}/nachweise/"


def test_a_real_clamd_refuses_eicar_inside_a_valid_pdf(
    at_documents: Any, clamd_address: str, settings: Any, giessen: Any
) -> None:
    """The PDF parses and carries no script: only the scanner can find it."""
    settings.CLAMD_ADDRESS = clamd_address
    response = _upload(at_documents, "ausweis.pdf", sample_files.pdf(b"% " + EICAR + b"\nBT ET"))
    assert response.status_code == 200
    assert "Virus" in response.content.decode()
    with scope(city=giessen):
        assert not Attachment.objects.exists()


def test_a_real_clamd_passes_a_clean_file(at_documents: Any, clamd_address: str, settings: Any) -> None:
    settings.CLAMD_ADDRESS = clamd_address
    assert _upload(at_documents, "ausweis.pdf", SMALL_PDF).status_code == 302


def test_scanner_down_refuses_rather_than_letting_unchecked_files_in(at_documents: Any, settings: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CLAMD_ADDRESS = f"127.0.0.1:{port}"
    response = _upload(at_documents, "ausweis.pdf", SMALL_PDF)
    assert response.status_code == 200 and "nicht auf Viren geprüft" in response.content.decode()

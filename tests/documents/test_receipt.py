"""The receipt PDF: letterhead, every answer, repeating groups, attachments with
checksums, page numbers, tagged PDF with embedded fonts, the citizen's language."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django_scopes import scope
from pypdf import PdfReader

from forms_engine.documents.render import render_receipt
from tests.submissions.helpers import submit


def _text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_receipt_has_letterhead_answers_groups_attachments_and_page_numbers(giessen: Any) -> None:
    submission = submit(giessen)
    with scope(city=giessen):
        pdf = render_receipt(submission)
        attachment = submission.attachments.get()
    reader, text = _text(pdf)
    for expected in [
        "Universitätsstadt Gießen",
        "Jugendamt Gießen",
        submission.reference,
        "Antragstellende Person",
        "Müßig-Öztürk",
        "Kind 2 Ärmel",
        "Geschätzte Leistung",
        "Geburtsurkunde des Kindes: Geburtsurkunde Jörg.pdf",
        attachment.sha256[:16],
        "Seite 1 von",
    ]:
        assert expected in text.replace("\n", " ") or expected in text, expected
    root: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "de"
    pages: list[Any] = list(reader.pages)
    fonts = [font.get_object() for page in pages for font in page["/Resources"]["/Font"].values()]
    assert fonts and all(
        "/FontFile2" in f["/DescendantFonts"][0]["/FontDescriptor"]
        or "/FontFile3" in f["/DescendantFonts"][0]["/FontDescriptor"]
        for f in fonts
    )


@pytest.mark.django_db
def test_receipt_in_english_for_an_english_citizen(giessen: Any) -> None:
    submission = submit(giessen, language="en")
    with scope(city=giessen):
        _reader, text = _text(render_receipt(submission))
    assert "Reference" in text and "Page 1 of" in text
    assert "Aktenzeichen" not in text


@pytest.mark.django_db
def test_long_answer_and_forty_entries_still_render(giessen: Any) -> None:
    long_text = ("Überlänge mit Umlauten äöü und ß. " * 160)[:5000]
    submission = submit(giessen, long_text=long_text, entries=40)
    with scope(city=giessen):
        reader, text = _text(render_receipt(submission))
    assert len(reader.pages) > 1
    assert "Kind 40 Ärmel" in text
    assert "Überlänge mit Umlauten äöü und ß." in text


@pytest.mark.django_db
def test_coat_of_arms_is_embedded(giessen: Any) -> None:
    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 48), (0, 75, 135)).save(buffer, format="PNG")
    giessen.coat_of_arms.save("giessen.png", ContentFile(buffer.getvalue()))
    submission = submit(giessen)
    submission.city.refresh_from_db()
    with scope(city=giessen):
        reader, _text_content = _text(render_receipt(submission))
    page: Any = reader.pages[0]
    images = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
    assert any(image["/Subtype"] == "/Image" for image in images)

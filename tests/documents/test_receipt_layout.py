"""The receipt keeps each question with its answer on one page, and lists the
uploaded documents once: no empty section for a step of uploads only, no
second "Unterlagen" section. Read back from the PDF's text (pypdf)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django_scopes import scope
from pypdf import PdfReader

from forms_engine.documents.render import render_receipt
from tests.submissions.helpers import submit


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _render_with(giessen: Any, snapshot: list[dict[str, Any]], *, with_attachment: bool = True) -> list[str]:
    submission = submit(giessen, with_attachment=with_attachment)
    with scope(city=giessen):
        submission.snapshot = snapshot
        submission.save(update_fields=["snapshot"])
        return _pages(render_receipt(submission))


@pytest.mark.django_db
def test_a_question_and_its_answer_stay_on_one_page(giessen: Any) -> None:
    # Forty answers of eight lines each: without break-inside: avoid several of
    # them would start at the foot of one page and end on the next.
    fields = [
        {"name": f"q{n}", "label": f"Frage{n:02d}", "value": "\n".join(f"A{n:02d}Z{line}" for line in range(1, 9))}
        for n in range(40)
    ]
    pages = _render_with(giessen, [{"step": "lang", "title": "Lange Seite", "fields": fields, "entries": []}])
    assert len(pages) >= 4
    for n in range(40):
        holding = [i for i, text in enumerate(pages) if f"Frage{n:02d}" in text or re.search(f"A{n:02d}Z", text)]
        assert len(holding) == 1, f"question {n} and its answer are split over pages {holding}"
        assert all(f"A{n:02d}Z{line}" in pages[holding[0]] for line in range(1, 9))


@pytest.mark.django_db
def test_documents_are_listed_once_and_a_step_of_uploads_only_has_no_empty_section(giessen: Any) -> None:
    snapshot = [
        {"step": "halter", "title": "Halterin", "fields": [{"name": "n", "label": "Name", "value": "Jörg"}]},
        {
            "step": "unterlagen",
            "title": "Unterlagen",
            "fields": [],
            "entries": [],
            "attachments": [{"key": "geburtsurkunde", "label": "Geburtsurkunde des Kindes", "filename": "x"}],
        },
    ]
    text = " ".join(_render_with(giessen, snapshot))
    assert text.count("Unterlagen") == 1, text
    assert "Geburtsurkunde des Kindes: Geburtsurkunde Jörg.pdf" in text
    assert "Halterin" in text


@pytest.mark.django_db
def test_without_uploads_the_documents_section_says_so_once(giessen: Any) -> None:
    snapshot = [{"step": "halter", "title": "Halter", "fields": [{"name": "n", "label": "Name", "value": "Jörg"}]}]
    text = " ".join(_render_with(giessen, snapshot, with_attachment=False))
    assert text.count("Unterlagen") == 2 and "Unterlagen Es wurden keine Unterlagen hochgeladen." in text

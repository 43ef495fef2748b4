"""The wizard's upload field under the shared upload policy: what the security
review uploaded is refused, or stored cleaned."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scope

from forms_engine.submissions.models import Attachment
from tests import sample_files
from tests.wizard.test_uploads import _upload, at_documents  # noqa: F401  (fixture)


@pytest.mark.parametrize(
    "content,message",
    [
        pytest.param(sample_files.pdf_html_polyglot(), "Webseiten-Code", id="pdf-html-js-polyglot"),
        pytest.param(
            sample_files.pdf(open_action={"/S": "/JavaScript", "/JS": "app.alert(1)"}), "Skripte", id="pdf-javascript"
        ),
        pytest.param(sample_files.pdf_with_embedded_file(), "eingebettete Dateien", id="pdf-embedded-file"),
        pytest.param(b"%PDF-1.4 kaputt", "beschädigt", id="pdf-that-does-not-parse"),
        pytest.param(sample_files.SVG_WITH_SCRIPT, "keine PDF-, JPG- oder PNG-Datei", id="svg"),
    ],
)
def test_hostile_files_are_refused_in_german_and_nothing_is_stored(
    at_documents: Any,  # noqa: F811
    giessen: Any,
    content: bytes,
    message: str,
) -> None:
    response = _upload(at_documents, "ausweis.pdf", content)
    assert response.status_code == 200
    assert message in response.content.decode()
    with scope(city=giessen):
        assert not Attachment.objects.exists()


def test_a_png_with_a_trailing_zip_is_stored_re_encoded(at_documents: Any, giessen: Any) -> None:  # noqa: F811
    assert _upload(at_documents, "ausweis.png", sample_files.png_with_trailing_zip()).status_code == 302
    with scope(city=giessen):
        stored = Attachment.objects.get().read()
    assert stored.startswith(b"\x89PNG") and b"PK\x03\x04" not in stored

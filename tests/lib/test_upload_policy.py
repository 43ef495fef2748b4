"""One upload policy for every upload field: the whole content is checked.
PDFs are parsed (no scripts, actions, embedded files, HTML polyglots; damaged
files refused), images re-encoded (trailing data and metadata gone, pixel count
capped), and a real clamd judges what passes."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from forms_engine.lib import content_checks
from forms_engine.lib.files import JPEG, PDF, PNG, SVG
from forms_engine.lib.uploads import COAT_OF_ARMS, DOCUMENTS, UploadRefused, check_upload
from tests import sample_files
from tests.sample_files import EICAR


def refusal(content: bytes, policy: Any = DOCUMENTS) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        check_upload(content, policy)
    return caught.value


def test_a_plain_pdf_passes_unchanged() -> None:
    document = sample_files.pdf()
    checked = check_upload(document, DOCUMENTS)
    assert checked.content == document and checked.content_type == PDF


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(sample_files.pdf_html_polyglot(), id="pdf-html-js-polyglot"),
        pytest.param(sample_files.pdf(open_action={"/S": "/JavaScript", "/JS": "app.alert(1)"}), id="javascript"),
        pytest.param(sample_files.pdf(open_action={"/S": "/Launch", "/F": "cmd.exe"}), id="launch-action"),
        pytest.param(sample_files.pdf(open_action={"/S": "/SubmitForm", "/F": "https://x.example"}), id="submit"),
        pytest.param(sample_files.pdf_with_embedded_file(), id="embedded-file"),
        pytest.param(
            sample_files.pdf(open_action={"/S": "/JavaScript", "/JS": "app.alert(1)"}).replace(
                b"/JavaScript", b"/J#61vaScript"
            ),
            id="javascript-hex-obfuscated",
        ),
    ],
)
def test_active_or_polyglot_pdfs_are_refused(content: bytes) -> None:
    assert refusal(content).code == "content"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"%PDF-1.7\n" + b"this is no pdf at all " * 20, id="garbage-after-header"),
        pytest.param(b"%PDF-1.4 Geburtsurkunde", id="header-only"),
        pytest.param(sample_files.pdf()[:200], id="truncated"),
    ],
)
def test_pdfs_that_do_not_parse_are_refused(content: bytes) -> None:
    assert refusal(content).code == "content"


def test_a_jump_to_the_first_page_on_open_is_fine() -> None:
    """Word and scanners write /OpenAction [page /Fit]: a destination, no action."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sample_files.pdf())))
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    out = io.BytesIO()
    writer.write(out)
    check_upload(out.getvalue(), DOCUMENTS)


def test_a_png_with_a_trailing_zip_is_stored_without_it() -> None:
    checked = check_upload(sample_files.png_with_trailing_zip(), DOCUMENTS)
    assert checked.content_type == PNG
    assert b"PK\x03\x04" not in checked.content and b"payload.html" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.format == "PNG" and image.size == (40, 30)


def test_image_metadata_is_dropped() -> None:
    checked = check_upload(sample_files.jpeg_with_exif(), DOCUMENTS)
    assert checked.content_type == JPEG and b"Spionage" not in checked.content
    checked = check_upload(sample_files.png(text="Erika Mustermann, Hauptstr. 1"), DOCUMENTS)
    assert b"Mustermann" not in checked.content


def test_pixel_count_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(content_checks, "MAX_IMAGE_PIXELS", 40 * 30 - 1)
    assert refusal(sample_files.png((40, 30))).code == "content"


def test_a_damaged_image_is_refused() -> None:
    assert refusal(sample_files.png()[:60]).code == "content"


def test_svg_is_no_document_and_script_svg_no_coat_of_arms() -> None:
    assert refusal(sample_files.SVG_WITH_SCRIPT).code == "type"
    assert refusal(sample_files.SVG_WITH_SCRIPT, COAT_OF_ARMS).code == "content"
    plain = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>'
    assert check_upload(plain, COAT_OF_ARMS).content_type == SVG


def test_a_service_may_narrow_the_types_never_widen_them() -> None:
    with pytest.raises(UploadRefused):
        check_upload(sample_files.png(), DOCUMENTS, content_types=(PDF,))
    with pytest.raises(UploadRefused):
        check_upload(sample_files.SVG_WITH_SCRIPT, DOCUMENTS, content_types=(PDF, SVG))


def test_the_real_clamd_finds_eicar_in_a_pdf_that_passes_every_other_check(clamd_address: str, settings: Any) -> None:
    infected = sample_files.pdf(b"% " + EICAR + b"\nBT ET")
    content_checks.check_pdf(infected)  # structurally fine: only the scanner can tell
    settings.CLAMD_ADDRESS = clamd_address
    assert refusal(infected).code == "virus"
    assert check_upload(sample_files.pdf(), DOCUMENTS).content_type == PDF


def test_the_real_clamd_is_reached_over_tcp_too(clamd_address: str, settings: Any) -> None:
    """CLAMD_ADDRESS as host:port: a TCP relay in front of the unix socket."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def relay() -> None:
        client, _address = listener.accept()
        with client, socket.socket(socket.AF_UNIX) as upstream:
            upstream.connect(clamd_address)
            client.settimeout(10)
            upstream.settimeout(10)
            data = b""
            while not data.endswith(b"\0\0\0\0"):  # the INSTREAM end marker
                chunk = client.recv(65536)
                if not chunk:
                    break
                data += chunk
            upstream.sendall(data)
            client.sendall(upstream.recv(4096))

    thread = threading.Thread(target=relay, daemon=True)
    thread.start()
    settings.CLAMD_ADDRESS = f"127.0.0.1:{listener.getsockname()[1]}"
    try:
        assert refusal(sample_files.png() + EICAR).code == "virus"
    finally:
        thread.join(timeout=10)
        listener.close()

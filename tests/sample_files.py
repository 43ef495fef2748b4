"""Real sample files for upload tests, made with the libraries that make such
files in the wild (pypdf, Pillow): harmless ones, and the hostile ones the
security review uploaded (polyglots, scripts, trailing archives, EICAR)."""

from __future__ import annotations

import io
import zipfile

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


PAGE_TEXT = b"BT /F1 12 Tf 20 100 Td (Antrag) Tj ET"


def pdf(content: bytes = PAGE_TEXT, *, open_action: dict[str, str] | None = None) -> bytes:
    """A one-page PDF whose page content stream (uncompressed) is ``content``."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    if open_action is not None:
        action = DictionaryObject(
            {
                NameObject(key): NameObject(value) if value.startswith("/") else TextStringObject(value)
                for key, value in open_action.items()
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_of_size(size: int) -> bytes:
    """A valid PDF of at least ``size`` bytes (padding inside the page content)."""
    return pdf(b"% " + b"0" * size + b"\nBT ET")


def pdf_with_embedded_file() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    writer.add_attachment("rechnung.exe", b"MZ\x90\0 a program")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_html_polyglot() -> bytes:
    """A file that is a PDF to a PDF reader and a web page to a browser."""
    body = pdf()
    head, rest = body.split(b"\n", 1)
    return head + b"\n%<html><body><script>fetch('/backoffice/').then(r=>r.text())</script></body></html>\n" + rest


def png(size: tuple[int, int] = (40, 30), *, text: str | None = None) -> bytes:
    from PIL import Image, PngImagePlugin

    info = None
    if text is not None:
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", text)
    out = io.BytesIO()
    Image.new("RGB", size, (0, 75, 135)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def jpeg_with_exif(maker: str = "Spionage-Kamera GPS 50.58N 8.67E") -> bytes:
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = image.getexif()
    exif[0x010F] = maker  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(document.cookie)</script>")
    return out.getvalue()


def png_with_trailing_zip() -> bytes:
    return png() + zip_archive()


SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="9" height="9"/></svg>'

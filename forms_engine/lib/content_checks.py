"""Checks of a file's whole content, per type (used by forms_engine/lib/uploads.py).

- PDF: parsed structurally with pypdf; refused when it does not parse, is
  encrypted, has no page, or carries active content (JavaScript, launch and
  other actions, embedded files, XFA) or HTML/script markup (polyglots).
  A PDF that passes is kept as uploaded.
- PNG/JPEG: opened with Pillow, pixel count capped, re-encoded. The stored
  file is the re-encoding: trailing data (a ZIP after the image) and metadata
  (EXIF, GPS, comments) are gone.
- SVG (coat of arms only): parsed with defusedxml; scripts, event handlers and
  external references refused.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from typing import Any

from django.utils.translation import gettext as _

from .files import JPEG, PNG


class ContentRefused(Exception):
    """The file's content is not acceptable; the message is for the uploader."""


# Keys that carry scripts or files. (An /OpenAction or /AA that only jumps to a
# page is harmless and common; what it runs is judged by its /S below.)
_ACTIVE_PDF_KEYS = frozenset(
    {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/RichMediaContent", "/XFA"}
)
# Action types (/S) that run code, start programs, send data or open embedded files.
_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute", "/Rendition", "/Sound"}
)
# Markup a browser would run if the file were ever served as HTML: a PDF/HTML
# polyglot. Searched in the raw bytes (uncompressed parts of the file).
_MARKUP = re.compile(rb"<\s*(script|html|body|iframe|svg|object|embed)\b|javascript:", re.IGNORECASE)
MAX_PDF_OBJECTS = 200_000
MAX_IMAGE_PIXELS = 50_000_000  # about 8,000 x 6,000: a photographed document with room to spare
# pypdf reports its repairs of sloppy (but harmless) files as log warnings.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _walk_pdf(root: Any) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [root]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ContentRefused(_("The PDF file is too complex to be checked."))
        if isinstance(item, DictionaryObject):  # streams are dictionaries too
            for name, value in item.items():
                if name in _ACTIVE_PDF_KEYS or (name == "/S" and str(value) in _ACTIVE_ACTIONS):
                    raise ContentRefused(_("The PDF file contains scripts, actions or embedded files and was refused."))
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def check_pdf(content: bytes) -> bytes:
    """The PDF as uploaded, when it passes."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if _MARKUP.search(content):
        raise ContentRefused(_("The PDF file contains web page code (HTML or JavaScript) and was refused."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(content), strict=False)
            if reader.is_encrypted:
                raise ContentRefused(
                    _("Password-protected PDF files cannot be accepted. Please upload it unprotected.")
                )
            if len(reader.pages) < 1:
                raise ContentRefused(_("The PDF file has no pages."))
            _walk_pdf(reader.trailer)
    except ContentRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        raise ContentRefused(_("The PDF file is damaged and cannot be read.")) from exc
    return content


def reencode_image(content: bytes, kind: str) -> bytes:
    """A clean re-encoding of a PNG or JPEG: no trailing data, no metadata."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    expected = {PNG: "PNG", JPEG: "JPEG"}[kind]
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.format != expected:
                raise ContentRefused(_("The image file is damaged."))
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ContentRefused(
                    _("The image has too many pixels (at most %(megapixels)d megapixels).")
                    % {"megapixels": MAX_IMAGE_PIXELS // 1_000_000}
                )
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)  # keep photos upright once EXIF is gone
            out = io.BytesIO()
            if expected == "JPEG":
                rgb = upright if upright.mode in ("RGB", "L") else upright.convert("RGB")
                rgb.save(out, "JPEG", quality=90, optimize=True)
            else:
                upright.save(out, "PNG", optimize=True)
    except ContentRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ContentRefused(_("The image file is damaged.")) from exc
    return out.getvalue()


_SVG_FORBIDDEN_TAGS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "set", "animate"}
# Embedded raster images are fine; anything else behind a href or url() is not.
_SAFE_DATA_URI = re.compile(r"^data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(([^)]*)\)", re.IGNORECASE)


def _has_external_css_url(text: str) -> bool:
    """url(...) pointing anywhere but at an element of the same document."""
    return any(not target.strip(" \t\r\n'\"").startswith("#") for target in _CSS_URL.findall(text))


def svg_is_safe(data: bytes) -> bool:
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except Exception:  # defusedxml raises several unrelated types for hostile XML
        return False
    if not root.tag.lower().endswith("svg"):
        return False
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in _SVG_FORBIDDEN_TAGS:
            return False
        if tag == "style" and ("@import" in (element.text or "") or _has_external_css_url(element.text or "")):
            return False
        for attr, attr_value in element.attrib.items():
            name = attr.rsplit("}", 1)[-1].lower()
            value = "".join(attr_value.split()).lower()
            if name.startswith("on"):
                return False
            if name == "href" and not value.startswith("#") and not _SAFE_DATA_URI.match(value):
                return False
            if "javascript:" in value or _has_external_css_url(attr_value):
                return False
    return True


def check_svg(content: bytes) -> bytes:
    if not svg_is_safe(content):
        raise ContentRefused(_("The SVG file contains scripts, event handlers or external references and was refused."))
    return content

"""Recognise uploaded files by their content, never by their name."""

from __future__ import annotations

from typing import IO

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
SVG = "image/svg+xml"

EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", SVG: "svg"}


def sniff_content_type(head: bytes) -> str | None:
    """The type the first bytes of a file prove, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    # An XML prologue, comment or DOCTYPE may come first; the SVG validator
    # decides whether those are acceptable.
    if stripped.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")) and b"<svg" in head.lower():
        return SVG
    return None


def read_head(fileobj: IO[bytes], size: int = 2048) -> bytes:
    position = fileobj.tell()
    head = fileobj.read(size)
    fileobj.seek(position)
    return head

"""Files are recognised by their first bytes, never by their name."""

from __future__ import annotations

import io

import pytest

from forms_engine.lib.files import JPEG, PDF, PNG, SVG, read_head, sniff_content_type


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", PDF),
        (b"\x89PNG\r\n\x1a\n....", PNG),
        (b"\xff\xd8\xff\xe0", JPEG),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', SVG),
        (b'\xef\xbb\xbf<?xml version="1.0"?>\n<svg/>', SVG),
        (b"<!-- made by hand -->\n<svg/>", SVG),
        (b'<!DOCTYPE svg PUBLIC "x" "y"><svg/>', SVG),
        (b"<html><svg/></html>", None),
        (b"<?xml version='1.0'?><root/>", None),
        (b"PK\x03\x04", None),
        (b"", None),
    ],
)
def test_sniffing(head, kind):
    assert sniff_content_type(head) == kind


def test_read_head_leaves_the_position_alone():
    stream = io.BytesIO(b"0123456789")
    stream.seek(2)
    assert read_head(stream, 4) == b"2345"
    assert stream.tell() == 2

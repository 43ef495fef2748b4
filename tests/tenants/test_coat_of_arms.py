"""Coat of arms uploads: PNG or SVG by content, a size limit, no active SVG."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forms_engine.tenants.models import City
from forms_engine.tenants.validators import validate_coat_of_arms
from tests.conftest import host_client, sign_in

SVG_OK = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#004b87"/></svg>'
)


def png_bytes(size: tuple[int, int] = (32, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 75, 135)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refused(name: str, data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_coat_of_arms(upload(name, data))
    return caught.value


def test_a_png_is_accepted():
    validate_coat_of_arms(upload("arms.png", png_bytes()))


def test_a_plain_svg_is_accepted():
    validate_coat_of_arms(upload("arms.svg", SVG_OK))
    validate_coat_of_arms(upload("arms.svg", b'<?xml version="1.0" encoding="UTF-8"?>\n' + SVG_OK))


def test_an_svg_with_internal_references_is_accepted():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<defs><linearGradient id="g"/><path id="p" d="M0 0h1"/></defs>'
        b'<rect fill="url(#g)" width="1" height="1"/><use xlink:href="#p"/></svg>'
    )
    validate_coat_of_arms(upload("arms.svg", svg))


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="alert(1)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<a xlink:href=" java&#x9;script:alert(1)"><rect/></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><use href="https://evil.example/s.svg#a"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/p)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/a.css);</style></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div>x</div></foreignObject></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>',
    ],
    ids=[
        "script",
        "onload",
        "onclick",
        "javascript-href",
        "javascript-xlink-obfuscated",
        "external-image",
        "external-use",
        "external-css-url",
        "css-import",
        "foreign-object",
        "nested-svg-data-uri",
    ],
)
def test_active_or_external_svg_is_refused(svg):
    assert refused("arms.svg", svg).code == "unsafe"


@pytest.mark.parametrize(
    "svg",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "boom">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
    ],
    ids=["entity", "doctype", "entity-expansion"],
)
def test_svg_with_doctype_or_entities_is_refused(svg):
    assert refused("arms.svg", svg).code == "unsafe"


def test_a_pdf_named_png_is_refused():
    assert refused("arms.png", b"%PDF-1.7\n1 0 obj <<>> endobj\n").code == "type"


def test_an_html_file_named_svg_is_refused():
    assert refused("arms.svg", b"<html><body><svg/></body></html>").code == "type"


def test_a_damaged_png_is_refused():
    assert refused("arms.png", png_bytes()[:60]).code == "invalid"


def test_an_oversize_file_is_refused(settings):
    settings.COAT_OF_ARMS_MAX_BYTES = 1024
    error = refused("arms.svg", SVG_OK[:-6] + b" " * 2048 + b"</svg>")
    assert error.code == "size"
    validate_coat_of_arms(upload("arms.svg", SVG_OK))  # below the limit


def _arms_form_data(city: City, arms: object) -> dict[str, object]:
    return {
        "coat_of_arms": arms,
        "accent_colour": city.accent_colour,
        "contact_email": city.contact_email,
        "sender_email": city.sender_email,
        "feedback_contact": city.feedback_contact,
        "draft_retention_days": city.draft_retention_days,
    }


def test_the_admin_refuses_a_script_svg_and_keeps_the_old_arms(giessen, giessen_admin):
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    evil = upload("arms.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    response = client.post(f"/admin/tenants/city/{giessen.pk}/change/", _arms_form_data(giessen, evil))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    giessen.refresh_from_db()
    assert not giessen.coat_of_arms


def test_an_uploaded_png_is_served_as_png_on_the_start_page(giessen, giessen_admin):
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    response = client.post(
        f"/admin/tenants/city/{giessen.pk}/change/", _arms_form_data(giessen, upload("wappen.png", png_bytes()))
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    visitor = host_client("giessen.localhost")
    assert 'src="/coat-of-arms"' in visitor.get("/").content.decode()
    arms = visitor.get("/coat-of-arms")
    assert arms.status_code == 200
    assert arms["Content-Type"] == "image/png"
    assert "sandbox" in arms["Content-Security-Policy"]
    # Saving the city again without a new upload keeps the stored arms.
    response = client.post(f"/admin/tenants/city/{giessen.pk}/change/", _arms_form_data(giessen, ""))
    assert response.status_code == 302
    giessen.refresh_from_db()
    assert giessen.coat_of_arms


def test_a_png_coat_of_arms_is_stored_without_trailing_data(giessen, giessen_admin):
    from tests.sample_files import png_with_trailing_zip

    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    arms = upload("wappen.png", png_with_trailing_zip())
    response = client.post(f"/admin/tenants/city/{giessen.pk}/change/", _arms_form_data(giessen, arms))
    assert response.status_code == 302, response.content.decode()[:2000]
    served = host_client("giessen.localhost").get("/coat-of-arms").content
    assert served.startswith(b"\x89PNG") and b"PK\x03\x04" not in served

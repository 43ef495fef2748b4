"""Branding checks that keep every city theme accessible and safe."""

from __future__ import annotations

import io
import math
import re
from typing import Any

from defusedxml import ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from forms_engine.lib.contrast import HEX_COLOUR, WCAG_AA_NORMAL_TEXT, contrast_ratio
from forms_engine.lib.files import PNG, SVG, read_head, sniff_content_type

WHITE = "#ffffff"
# The accent is the colour of links on the white page and the background of
# buttons, whose label is white. Should the label colour ever change, it is
# checked as a second pair.
TEXT_ON_ACCENT = WHITE


def _shown_ratio(ratio: float) -> float:
    """Two decimals, as contrast checkers show it; a refused colour never shows
    as "4.50:1" (4.497 is shown as 4.49)."""
    shown = round(ratio, 2)
    if ratio < WCAG_AA_NORMAL_TEXT <= shown:
        return math.floor(ratio * 100) / 100
    return shown


def validate_accent_colour(value: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(_("Enter a colour as #rrggbb, for example #004b87."), code="format")
    pairs = [(_("white (page background)"), WHITE)]
    if TEXT_ON_ACCENT.lower() != WHITE:
        pairs.append((_("the text on buttons"), TEXT_ON_ACCENT))
    for name, other in pairs:
        ratio = contrast_ratio(value, other)
        if ratio < WCAG_AA_NORMAL_TEXT:
            raise ValidationError(
                _(
                    "The contrast of %(colour)s against %(against)s is %(ratio).2f:1; "
                    "WCAG 2.1 AA needs at least %(needed).1f:1. Choose a darker colour."
                ),
                code="contrast",
                params={"colour": value, "against": name, "ratio": _shown_ratio(ratio), "needed": WCAG_AA_NORMAL_TEXT},
            )


_SVG_FORBIDDEN_TAGS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "set", "animate"}
# Embedded raster images are fine; anything else behind a href or url() is not.
_SAFE_DATA_URI = re.compile(r"^data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(([^)]*)\)", re.IGNORECASE)


def _has_external_css_url(text: str) -> bool:
    """url(...) pointing anywhere but at an element of the same document."""
    return any(not target.strip(" \t\r\n'\"").startswith("#") for target in _CSS_URL.findall(text))


def _svg_is_safe(data: bytes) -> bool:
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


def validate_coat_of_arms(upload: Any) -> None:
    """PNG or SVG, recognised by content; size-limited; SVG with scripts refused."""
    if getattr(upload, "_committed", False):
        return  # the file already stored was checked when it was uploaded
    limit = settings.COAT_OF_ARMS_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The coat of arms is %(size)d KB; the limit is %(limit)d KB."),
            code="size",
            params={"size": upload.size // 1024, "limit": limit // 1024},
        )
    upload.seek(0)
    kind = sniff_content_type(read_head(upload))
    data = upload.read()
    upload.seek(0)
    if kind == PNG:
        from PIL import Image

        try:
            Image.open(io.BytesIO(data)).verify()
        except Exception as exc:
            raise ValidationError(_("The PNG file is damaged."), code="invalid") from exc
        return
    if kind == SVG:
        if not _svg_is_safe(data):
            raise ValidationError(
                _("The SVG file contains scripts, event handlers or external references and was refused."),
                code="unsafe",
            )
        return
    raise ValidationError(_("Upload the coat of arms as a PNG or SVG file."), code="type")

"""Branding checks that keep every city theme accessible and safe."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from forms_engine.lib.contrast import HEX_COLOUR, WCAG_AA_NORMAL_TEXT, contrast_ratio
from forms_engine.lib.files import SVG, sniff_content_type
from forms_engine.lib.uploads import COAT_OF_ARMS, UploadRefused, check_upload

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
    data = upload.read()
    upload.seek(0)
    try:
        check_upload(data, COAT_OF_ARMS)
    except UploadRefused as refusal:
        if refusal.code == "type" or refusal.code == "empty":
            raise ValidationError(_("Upload the coat of arms as a PNG or SVG file."), code="type") from refusal
        if refusal.code == "content":
            unsafe = sniff_content_type(data[:2048]) == SVG
            raise ValidationError(str(refusal), code="unsafe" if unsafe else "invalid") from refusal
        raise ValidationError(str(refusal), code=refusal.code) from refusal


def checked_coat_of_arms(upload: Any) -> Any:
    """What to store for an uploaded coat of arms: an SVG as uploaded, a PNG
    re-encoded (no trailing data, no metadata). Call after validation."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    if upload is None or upload is False or getattr(upload, "_committed", False) or not hasattr(upload, "read"):
        return upload
    upload.seek(0)
    checked = check_upload(upload.read(), COAT_OF_ARMS)
    return SimpleUploadedFile(upload.name, checked.content, content_type=checked.content_type)

"""The upload policy, declared once for every upload field.

| field                         | policy          | types            | size limit                  |
|-------------------------------|-----------------|------------------|-----------------------------|
| wizard attachment             | DOCUMENTS       | PDF, PNG, JPEG¹  | UPLOAD_MAX_FILE_BYTES¹      |
| document hand-in (nachreichen)| DOCUMENTS       | PDF, PNG, JPEG   | UPLOAD_MAX_FILE_BYTES       |
| coat of arms                  | COAT_OF_ARMS    | PNG, SVG         | COAT_OF_ARMS_MAX_BYTES      |

¹ a service's AttachmentSpec may narrow the types and lower the limit, never widen them.

``check_upload()`` runs every check in one order: size, type by content, the
whole content (content_checks: PDF structure, image re-encoding, SVG safety),
then the virus scanner when CLAMD_ADDRESS is set (a scanner that is down
refuses the file: nothing unchecked gets in). It returns what to store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import clamd
from .content_checks import ContentRefused, check_pdf, check_svg, reencode_image
from .files import EXTENSIONS, JPEG, PDF, PNG, SVG, sniff_content_type

logger = logging.getLogger(__name__)

__all__ = ["COAT_OF_ARMS", "DOCUMENTS", "CheckedUpload", "UploadPolicy", "UploadRefused", "check_upload"]


class UploadRefused(Exception):
    """Why the file was refused, in the uploader's language. ``code`` says which
    check: size, empty, type, content, scanner or virus."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes  # what to store: the PDF as uploaded, an image re-encoded
    content_type: str


@dataclass(frozen=True)
class UploadPolicy:
    name: str
    content_types: tuple[str, ...]
    max_bytes_setting: str

    @property
    def max_bytes(self) -> int:
        return int(getattr(settings, self.max_bytes_setting))


DOCUMENTS = UploadPolicy("documents", (PDF, JPEG, PNG), "UPLOAD_MAX_FILE_BYTES")
COAT_OF_ARMS = UploadPolicy("coat_of_arms", (PNG, SVG), "COAT_OF_ARMS_MAX_BYTES")

_CONTENT_CHECKS: dict[str, Callable[[bytes], bytes]] = {
    PDF: check_pdf,
    PNG: lambda content: reencode_image(content, PNG),
    JPEG: lambda content: reencode_image(content, JPEG),
    SVG: check_svg,
}


def type_names(types: tuple[str, ...]) -> str:
    """The types as a list for "This file is not a … file": "PDF, JPG or PNG" in
    English, "PDF-, JPG- oder PNG" in German (the sentence adds "-Datei")."""
    names = [EXTENSIONS.get(t, t).upper() for t in types]
    if len(names) == 1:
        return names[0]
    # German hyphenates each type before "," and "oder" (Ergänzungsstrich).
    leading = [pgettext("a file type followed by a comma or 'or'", "%(type)s") % {"type": n} for n in names[:-1]]
    return _("%(first)s or %(last)s") % {"first": ", ".join(leading), "last": names[-1]}


def check_upload(
    content: bytes,
    policy: UploadPolicy,
    *,
    content_types: tuple[str, ...] | None = None,
    max_bytes: int | None = None,
) -> CheckedUpload:
    """Raises UploadRefused; ``content_types``/``max_bytes`` may only narrow the policy."""
    allowed = tuple(t for t in (content_types or policy.content_types) if t in policy.content_types)
    limit = min(max_bytes or policy.max_bytes, policy.max_bytes)
    if len(content) > limit:
        raise UploadRefused(
            _("The file is larger than %(limit)s. Please upload a smaller file.") % {"limit": _size(limit)},
            "size",
        )
    if not content:
        raise UploadRefused(_("The file is empty."), "empty")
    kind = sniff_content_type(content[:2048])
    if kind is None or kind not in allowed:
        raise UploadRefused(
            _("This file is not a %(types)s file. Please upload one of these types.") % {"types": type_names(allowed)},
            "type",
        )
    try:
        stored = _CONTENT_CHECKS[kind](content)
    except ContentRefused as exc:
        logger.info("upload refused by content check", extra={"policy": policy.name, "kind": kind})
        raise UploadRefused(str(exc), "content") from exc
    _scan(content)
    return CheckedUpload(content=stored, content_type=kind)


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return _("%(size)d MB") % {"size": limit // (1024 * 1024)}
    return _("%(size)d KB") % {"size": max(1, limit // 1024)}


def _scan(content: bytes) -> None:
    """The original bytes go to the scanner: what was uploaded is what is judged."""
    if not settings.CLAMD_ADDRESS:
        return
    try:
        found = clamd.scan(content, settings.CLAMD_ADDRESS)
    except clamd.ScannerUnavailable:
        logger.error("virus scanner unavailable; upload refused")
        raise UploadRefused(
            _("The file could not be checked for viruses right now. Please try again later."), "scanner"
        ) from None
    if found:
        logger.warning("upload refused by virus scanner", extra={"signature": found})
        raise UploadRefused(_("The file contains a virus or malware and was refused. Please check the file."), "virus")

"""Checks for citizen uploads: type by content, size per file and per draft,
and the virus scanner when one is configured."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.utils.translation import gettext as _

from forms_engine.catalog.base import AttachmentSpec
from forms_engine.lib import clamd
from forms_engine.lib.files import EXTENSIONS, sniff_content_type
from forms_engine.submissions.models import Attachment

from .models import Draft

logger = logging.getLogger(__name__)


class UploadRefused(Exception):
    pass


def _type_names(types: tuple[str, ...]) -> str:
    return ", ".join(EXTENSIONS.get(t, t).upper() for t in types)


def accept_upload(*, draft: Draft, step: str, spec: AttachmentSpec, upload: UploadedFile[bytes]) -> Attachment:
    limit = spec.max_bytes or settings.UPLOAD_MAX_FILE_BYTES
    if upload.size is None or upload.size > limit:
        raise UploadRefused(
            _("The file is larger than %(limit)d MB. Please upload a smaller file.") % {"limit": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise UploadRefused(_("The file is empty."))
    used = Attachment.objects.filter(draft=draft).aggregate(total=Sum("size"))["total"] or 0
    if used + upload.size > settings.UPLOAD_MAX_SUBMISSION_BYTES:
        raise UploadRefused(
            _("All files together may not exceed %(limit)d MB. Remove a file or upload a smaller one.")
            % {"limit": settings.UPLOAD_MAX_SUBMISSION_BYTES // (1024 * 1024)}
        )
    content = upload.read()
    kind = sniff_content_type(content[:2048])
    if kind not in spec.content_types:
        raise UploadRefused(
            _("This file is not a %(types)s file. Please upload one of these types.")
            % {"types": _type_names(spec.content_types)}
        )
    if settings.CLAMD_ADDRESS:
        try:
            found = clamd.scan(content, settings.CLAMD_ADDRESS)
        except clamd.ScannerUnavailable:
            logger.error("virus scanner unavailable; upload refused")
            raise UploadRefused(
                _("The file could not be checked for viruses right now. Please try again later.")
            ) from None
        if found:
            logger.warning("upload refused by virus scanner")
            raise UploadRefused(_("The file contains a virus or malware and was refused. Please check the file."))
    return Attachment.store(
        city=draft.city,
        content=content,
        draft=draft,
        step=step,
        key=spec.key,
        filename=(upload.name or "datei")[:200],
        content_type=kind,
    )

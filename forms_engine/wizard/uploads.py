"""Citizen uploads in the wizard: the size of all files of a draft here; every
check of the file itself is the shared upload policy (forms_engine/lib/uploads.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.utils.translation import gettext as _

from forms_engine.catalog.base import AttachmentSpec
from forms_engine.lib.uploads import DOCUMENTS, UploadRefused, check_upload
from forms_engine.submissions.models import Attachment

from .models import Draft

__all__ = ["UploadRefused", "accept_upload"]


def accept_upload(*, draft: Draft, step: str, spec: AttachmentSpec, upload: UploadedFile[bytes]) -> Attachment:
    used = Attachment.objects.filter(draft=draft).aggregate(total=Sum("size"))["total"] or 0
    if used + (upload.size or 0) > settings.UPLOAD_MAX_SUBMISSION_BYTES:
        raise UploadRefused(
            _("All files together may not exceed %(limit)d MB. Remove a file or upload a smaller one.")
            % {"limit": settings.UPLOAD_MAX_SUBMISSION_BYTES // (1024 * 1024)},
            "size",
        )
    checked = check_upload(upload.read(), DOCUMENTS, content_types=spec.content_types, max_bytes=spec.max_bytes)
    return Attachment.store(
        city=draft.city,
        content=checked.content,
        draft=draft,
        step=step,
        key=spec.key,
        filename=(upload.name or "datei")[:200],
        content_type=checked.content_type,
    )

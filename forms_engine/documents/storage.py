"""The receipt PDF on disk: encrypted in private storage like attachments, at
one path per submission, so a second try overwrites instead of adding a copy."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from forms_engine.lib.crypto import decrypt_bytes, encrypt_bytes


class ReceiptMissing(Exception):
    pass


def receipt_path(submission: Any) -> str:
    return f"{submission.city.slug}/receipts/{submission.pk}.pdf.bin"


def store_receipt(submission: Any, pdf: bytes) -> dict[str, Any]:
    storage = storages["private"]
    path = receipt_path(submission)
    if storage.exists(path):  # a try that died after writing: replace, never add
        storage.delete(path)
    saved = storage.save(path, ContentFile(encrypt_bytes(pdf)))
    return {"path": saved, "sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf)}


def render_and_store(step: Any) -> dict[str, Any]:
    """The PDF step's work; its return value is the step's checkpoint."""
    from .render import render_receipt

    submission = step.submission
    return store_receipt(submission, render_receipt(submission))


def read_receipt(submission: Any) -> bytes:
    """The decrypted receipt of a submission whose PDF step is done."""
    from forms_engine.submissions.models import ProcessingStep

    step = (
        ProcessingStep.objects.filter(
            submission=submission, kind=ProcessingStep.Kind.PDF, state=ProcessingStep.State.DONE
        )
        .only("result")
        .first()
    )
    path = (step.result or {}).get("path") if step else None
    if not path:
        raise ReceiptMissing(str(submission.pk))
    with storages["private"].open(path, "rb") as handle:
        return decrypt_bytes(handle.read())

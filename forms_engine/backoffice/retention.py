"""The back office's part of retention (submissions/retention.py): a tombstone
keeps no notes, no status-change notes, no document requests, no decision
letters (their text; the PDF is an attachment and goes with the others) and no
notes of proposed decisions; expired document-request links go entirely."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .models import Decision, DecisionLetter, DocumentRequest, Note, StatusChange


def on_tombstoning(sender: Any, submission: Any, **kwargs: Any) -> None:
    Note.objects.filter(submission=submission).delete()
    StatusChange.objects.filter(submission=submission).exclude(note="").update(note="")
    DocumentRequest.objects.filter(submission=submission).delete()
    DecisionLetter.objects.filter(submission=submission).delete()
    Decision.objects.filter(submission=submission).exclude(note="").update(note="")


def on_retention_run(sender: Any, city: Any, now: datetime, **kwargs: Any) -> dict[str, int]:
    deleted, _detail = DocumentRequest.objects.filter(city=city, expires_at__lt=now).delete()
    return {"document_requests": deleted}

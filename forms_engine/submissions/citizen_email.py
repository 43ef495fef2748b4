"""Emails to citizens outside the confirmation (resume link, document request,
status change) as processing steps: planned inside the transaction that causes
them, sent by a worker, retried with the pipeline's delays and visible in the
admin and the back office like every other step (docs/processing.md).

The message is rendered when it is planned (in the citizen's language, with
the link or code it carries) and kept encrypted on the step until it is sent;
then only the Message-ID and the time stay."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .confirmation import message_id
from .models import Attachment, ProcessingStep


def plan(
    *,
    city: Any,
    to: str,
    subject: str,
    body: str,
    purpose: str,
    submission: Any = None,
    draft: Any = None,
    attachment: Any = None,
    attachment_name: str = "",
) -> ProcessingStep:
    """Write the step (call inside the causing transaction); it is enqueued on
    commit. `purpose` names the cause and must be unique per submission/draft
    (e.g. "status:<change id>"), so the same cause never sends twice."""
    step = ProcessingStep.objects.create(
        city=city,
        submission=submission,
        draft=draft,
        kind=ProcessingStep.Kind.CITIZEN_EMAIL,
        target_id=purpose[:64],
        next_try_at=timezone.now() + timedelta(seconds=settings.PROCESSING_SWEEP_GRACE),
        payload={
            "to": to,
            "subject": subject,
            "body": body,
            **({"attachment_id": str(attachment.pk), "attachment_name": attachment_name} if attachment else {}),
        },
    )
    from . import pipeline

    transaction.on_commit(lambda: pipeline.enqueue(step))
    return step


def send(step: ProcessingStep) -> dict[str, Any]:
    """The work of one try. The Message-ID comes from the step, so a retry after
    a crash between sending and recording can be dropped by mail systems."""
    payload = step.payload or {}
    if not payload.get("to"):
        raise ValueError("the message was emptied before it was sent")
    city = step.city
    sender = city.sender_email or settings.DEFAULT_FROM_EMAIL
    message = EmailMessage(
        subject=payload["subject"],
        body=payload["body"],
        from_email=f"{city.name} <{sender}>",
        to=[payload["to"]],
        headers={"Message-ID": message_id(step, sender), "Auto-Submitted": "auto-generated"},
    )
    if payload.get("attachment_id"):  # a decision letter (backoffice/letters.py)
        attachment = Attachment.objects.get(pk=payload["attachment_id"], submission=step.submission_id)
        message.attach(payload.get("attachment_name") or "Bescheid.pdf", attachment.read(), attachment.content_type)
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused:
        # Its text names the address: keep the citizen's address out of last_error.
        raise smtplib.SMTPException("the mail server refused the recipient") from None
    return {"message_id": message.extra_headers["Message-ID"], "sent_at": timezone.now().isoformat()}

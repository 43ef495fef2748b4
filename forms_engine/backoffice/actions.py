"""Write-side actions of the back office. Each one is a business action inside
a transaction, and each one leaves an audit event."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService, CityText
from forms_engine.catalog.texts import render_text
from forms_engine.lib.files import sniff_content_type
from forms_engine.staff.models import StaffUser
from forms_engine.submissions import actions as submission_actions
from forms_engine.submissions.models import Attachment, ProcessingStep, Submission

from . import audit
from .models import AuditEvent, DocumentRequest, Note, ServiceAssignment, StatusChange, hash_document_token
from .permissions import may_assign

Status = Submission.Status
logger = logging.getLogger(__name__)


class ActionRefused(Exception):
    """The action is not allowed; nothing was changed. The message is for the user."""


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


def submission_assign(*, submission: Submission, assignee: StaffUser | None, by: StaffUser, ip: str | None) -> None:
    if not may_assign(by, submission, assignee):
        raise ActionRefused(_("You may not assign this submission to this person."))
    if (
        assignee is not None
        and assignee.role == StaffUser.Role.CASEWORKER
        and not ServiceAssignment.objects.filter(user=assignee, service_slug=submission.service_slug).exists()
    ):
        raise ActionRefused(_("This caseworker does not work on this online service."))
    with transaction.atomic():
        locked = _locked(submission)
        locked.assignee = assignee
        locked.save(update_fields=["assignee"])
        audit.record(
            city=submission.city,
            user=by,
            action=AuditEvent.Action.ASSIGN,
            submission=locked,
            detail=assignee.get_username() if assignee else "-",
            ip=ip,
        )
    submission.assignee = assignee


def _set_status(submission: Submission, to_status: str, *, by: StaffUser | None, note: str = "") -> StatusChange:
    now = timezone.now()
    change = StatusChange.objects.create(
        city=submission.city,
        submission=submission,
        by=by,
        from_status=submission.status,
        to_status=to_status,
        note=note,
    )
    submission.status = to_status
    submission.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if to_status in Submission.DECIDED:
        submission.decided_at = now
        fields.append("decided_at")
    submission.save(update_fields=fields)
    return change


def submission_change_status(
    *,
    submission: Submission,
    to_status: str,
    by: StaffUser,
    ip: str | None,
    note: str = "",
    notify_citizen: bool = False,
) -> StatusChange:
    """Move along the allowed paths only (Submission.TRANSITIONS)."""
    with transaction.atomic():
        locked = _locked(submission)
        if to_status not in locked.allowed_next():
            raise ActionRefused(_("This status change is not allowed."))
        change = _set_status(locked, to_status, by=by, note=note.strip())
        audit.record(
            city=submission.city,
            user=by,
            action=AuditEvent.Action.STATUS,
            submission=locked,
            detail=f"{change.from_status} -> {to_status}",
            ip=ip,
        )
        if notify_citizen and to_status in (Status.APPROVED, Status.REJECTED) and locked.contact_email:
            transaction.on_commit(lambda: send_status_email(locked))
    for field in ("status", "status_changed_at", "decided_at"):
        setattr(submission, field, getattr(locked, field))
    return change


def send_status_email(submission: Submission) -> None:
    kind = CityText.Kind.DECISION_APPROVED if submission.status == "approved" else CityText.Kind.DECISION_REJECTED
    _send(_citizen_email(submission, kind, {}), submission)


def _citizen_email(submission: Submission, kind: str, extra: dict[str, str]) -> EmailMessage:
    """The city's text of this kind (or the service's default) in the citizen's
    language, over plain values only (catalog/texts.py)."""
    service = registry.get(submission.service_slug)
    city = submission.city
    with scopes_disabled():
        city_service = CityService.objects.filter(city=city, service_slug=submission.service_slug).first()
    with translation.override(submission.language):
        values = {
            "city_name": city.name,
            "service_title": str(service.title) if service else submission.service_slug,
            "reference": submission.reference,
            **extra,
        }
        text = render_text(
            city_service=city_service, service=service, kind=kind, language=submission.language, values=values
        )
    subject = " ".join(text.subject.split())
    return EmailMessage(subject, text.body + "\n", city.sender_email or None, [submission.contact_email])


def _send(message: EmailMessage, submission: Submission) -> None:
    """Runs after commit: a mail server that is down must not turn the saved
    change into an error page. Logged without the address."""
    try:
        message.send()
    except Exception:
        logger.warning("citizen email failed submission=%s", submission.pk, exc_info=False)


def submission_add_note(*, submission: Submission, text: str, by: StaffUser, ip: str | None) -> Note:
    with transaction.atomic():
        note = Note.objects.create(city=submission.city, submission=submission, by=by, text=text.strip())
        audit.record(city=submission.city, user=by, action=AuditEvent.Action.NOTE, submission=submission, ip=ip)
    return note


def documents_request_create(
    *, submission: Submission, message: str, by: StaffUser, ip: str | None, link_base: str
) -> DocumentRequest:
    """Email the citizen a one-time link (secret token, only its hash kept) and
    wait for them: the status becomes "waiting for citizen"."""
    if not submission.contact_email:
        raise ActionRefused(_("The citizen left no email address."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        locked = _locked(submission)
        if locked.status not in (Status.IN_PROGRESS, Status.WAITING):
            raise ActionRefused(_("Documents can be requested only while the submission is in progress."))
        request = DocumentRequest.objects.create(
            city=submission.city,
            submission=locked,
            by=by,
            message=message.strip(),
            token_hash=hash_document_token(token),
            expires_at=timezone.now() + timedelta(days=settings.BACKOFFICE_DOCUMENT_REQUEST_DAYS),
        )
        if locked.status != Status.WAITING:
            _set_status(locked, Status.WAITING, by=by, note=message.strip())
        audit.record(
            city=submission.city, user=by, action=AuditEvent.Action.REQUEST_DOCUMENTS, submission=locked, ip=ip
        )
        link = f"{link_base.rstrip('/')}/nachreichen/{token}/"
        transaction.on_commit(lambda: _send_document_request(locked, request, link))
    submission.status = locked.status
    return request


def _send_document_request(submission: Submission, request: DocumentRequest, link: str) -> None:
    with translation.override(submission.language):
        valid_until = formats.date_format(timezone.localtime(request.expires_at), "SHORT_DATE_FORMAT")
    extra = {"message": request.message, "link": link, "valid_until": valid_until}
    _send(_citizen_email(submission, CityText.Kind.DOCUMENT_REQUEST, extra), submission)


def find_document_request(token: str) -> DocumentRequest | None:
    """The open request for this token in the current city's scope, or None."""
    request = DocumentRequest.objects.select_related("submission").filter(token_hash=hash_document_token(token)).first()
    return request if request is not None and request.is_open else None


def documents_request_fulfil(*, request: DocumentRequest, files: list[tuple[str, bytes]]) -> list[Attachment]:
    """Attach the citizen's files (checked by content) and put the submission back
    to "in progress". The link works once."""
    for _name, content in files:
        if sniff_content_type(content[:2048]) is None:
            raise ActionRefused(_("Only PDF, PNG and JPEG files are accepted."))
    with transaction.atomic():
        locked_request = DocumentRequest.objects.select_for_update().get(pk=request.pk)
        if not locked_request.is_open:
            raise ActionRefused(_("This link has already been used or has expired."))
        submission = _locked(request.submission)
        stored = [
            Attachment.store(
                city=submission.city,
                content=content,
                submission=submission,
                step="nachreichen",
                key="nachgereicht",
                filename=name,
                content_type=sniff_content_type(content[:2048]) or "",
            )
            for name, content in files
        ]
        locked_request.fulfilled_at = timezone.now()
        locked_request.save(update_fields=["fulfilled_at"])
        if submission.status == Status.WAITING:
            _set_status(submission, Status.IN_PROGRESS, by=None, note=_("Documents handed in by the citizen."))
    return stored


def processing_step_retry(*, step: ProcessingStep, by: StaffUser, ip: str | None) -> ProcessingStep:
    """ "Retry now" for a failed step: the pipeline's own retry, audited."""
    with transaction.atomic():
        retried = submission_actions.processing_step_retry(step=step, by=by)
        audit.record(
            city=step.submission.city,
            user=by,
            action=AuditEvent.Action.RETRY,
            submission=step.submission,
            detail=str(step.kind),
            ip=ip,
        )
    return retried

"""Write-side actions of the back office. Each one is a business action inside
a transaction, and each one leaves an audit event."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService, CityText
from forms_engine.catalog.texts import city_values, render_text
from forms_engine.lib.uploads import CheckedUpload
from forms_engine.staff.models import StaffUser
from forms_engine.submissions import actions as submission_actions
from forms_engine.submissions import citizen_email
from forms_engine.submissions.models import Attachment, ProcessingStep, Submission

from . import audit, notifications
from .models import (
    AuditEvent,
    Decision,
    DocumentRequest,
    LetterTemplate,
    Note,
    ServiceAssignment,
    StatusChange,
    hash_document_token,
)
from .permissions import may_assign

Status = Submission.Status
logger = logging.getLogger(__name__)
DEFAULT_DOCUMENT_DAYS = 14


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


def needs_confirmation(submission: Submission) -> bool:
    """Four eyes (decisions.py): approvals and rejections of this city service
    need a second caseworker."""
    return CityService.objects.filter(
        city=submission.city_id, service_slug=submission.service_slug, four_eyes=True
    ).exists()


def _set_status(submission: Submission, to_status: str, *, by: StaffUser | None, note: str = "") -> StatusChange:
    now = timezone.now()
    # A proposed decision (four eyes) was made on the case as it stood: any
    # change of status withdraws it (confirming one marks it confirmed first).
    Decision.objects.filter(submission=submission, state=Decision.State.PENDING).update(
        state=Decision.State.DISCARDED, settled_by=by, settled_at=now
    )
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
    letter_template: LetterTemplate | None = None,
) -> StatusChange:
    """Move along the allowed paths only (Submission.TRANSITIONS). With a
    letter template, a decision issues its letter (letters.py), which is then
    what the citizen is sent."""
    with transaction.atomic():
        locked = _locked(submission)
        if to_status not in locked.allowed_next():
            raise ActionRefused(_("This status change is not allowed."))
        if to_status in (Status.APPROVED, Status.REJECTED) and needs_confirmation(locked):
            raise ActionRefused(_("This decision takes effect only when a second caseworker confirms it."))
        change = _set_status(locked, to_status, by=by, note=note.strip())
        audit.record(
            city=submission.city,
            user=by,
            action=AuditEvent.Action.STATUS,
            submission=locked,
            detail=f"{change.from_status} -> {to_status}",
            ip=ip,
        )
        take_effect(locked, change, by=by, ip=ip, notify_citizen=notify_citizen, letter_template=letter_template)
    for field in ("status", "status_changed_at", "decided_at"):
        setattr(submission, field, getattr(locked, field))
    return change


def take_effect(
    submission: Submission,
    change: StatusChange,
    *,
    by: StaffUser | None,
    ip: str | None,
    notify_citizen: bool,
    letter_template: LetterTemplate | None,
    rule_name: str = "",
) -> None:
    """Inside the transaction of a decision: its letter, else the status email."""
    from .letters import letter_issue

    if change.to_status not in (Status.APPROVED, Status.REJECTED):
        return
    if letter_template is not None:
        if letter_template.decision != change.to_status:
            raise ActionRefused(_("This letter is not for this decision."))
        letter_issue(submission=submission, template=letter_template, by=by, rule_name=rule_name, ip=ip)
    elif notify_citizen and submission.contact_email:
        plan_status_email(submission, change)


def plan_status_email(submission: Submission, change: StatusChange) -> ProcessingStep:
    """Inside the status change's transaction: the city's decision text as a
    processing step (retried, visible), never sent inside the request."""
    approved = change.to_status == Status.APPROVED
    kind = CityText.Kind.DECISION_APPROVED if approved else CityText.Kind.DECISION_REJECTED
    subject, body = _citizen_text(submission, kind, {})
    return citizen_email.plan(
        city=submission.city,
        submission=submission,
        to=submission.contact_email,
        subject=subject,
        body=body,
        purpose=f"status:{change.pk}",
    )


def _citizen_text(submission: Submission, kind: str, extra: dict[str, str]) -> tuple[str, str]:
    """Subject and body of the city's text of this kind (or the service's default)
    in the citizen's language, over plain values only (catalog/texts.py)."""
    service = registry.get(submission.service_slug)
    city = submission.city
    city_service = CityService.objects.filter(city=city, service_slug=submission.service_slug).first()
    with translation.override(submission.language):
        values = {
            **city_values(city),
            "service_title": str(service.title) if service else submission.service_slug,
            "reference": submission.reference,
            **extra,
        }
        text = render_text(
            city_service=city_service, service=service, kind=kind, language=submission.language, values=values
        )
    return " ".join(text.subject.split()), text.body + "\n"


def submission_add_note(*, submission: Submission, text: str, by: StaffUser, ip: str | None) -> Note:
    with transaction.atomic():
        note = Note.objects.create(city=submission.city, submission=submission, by=by, text=text.strip())
        audit.record(city=submission.city, user=by, action=AuditEvent.Action.NOTE, submission=submission, ip=ip)
    return note


def documents_request_create(
    *,
    submission: Submission,
    message: str,
    by: StaffUser | None,
    ip: str | None,
    link_base: str,
    days: int | None = None,
    rule_name: str = "",
) -> DocumentRequest:
    """Email the citizen a one-time link (secret token, only its hash kept) and
    wait for them: the status becomes "waiting for citizen". By a caseworker
    (`by`) or a rule (`rule_name`, with its own deadline `days`)."""
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
            expires_at=timezone.now() + timedelta(days=days or document_days(locked)),
        )
        if locked.status != Status.WAITING:
            _set_status(locked, Status.WAITING, by=by, note=message.strip())
        audit.record(
            city=submission.city,
            user=by,
            username=_automatic_username(rule_name) if by is None else "",
            action=AuditEvent.Action.REQUEST_DOCUMENTS,
            submission=locked,
            ip=ip,
        )
        link = f"{link_base.rstrip('/')}/nachreichen/{token}/"
        _plan_document_request_email(locked, request, link)
    submission.status = locked.status
    return request


def _automatic_username(rule_name: str) -> str:
    from .decisions import automatic_username

    return automatic_username(rule_name)


def _plan_document_request_email(submission: Submission, request: DocumentRequest, link: str) -> None:
    with translation.override(submission.language):
        valid_until = formats.date_format(timezone.localtime(request.expires_at), "SHORT_DATE_FORMAT")
    extra = {"message": request.message, "link": link, "valid_until": valid_until}
    subject, body = _citizen_text(submission, CityText.Kind.DOCUMENT_REQUEST, extra)
    citizen_email.plan(
        city=submission.city,
        submission=submission,
        to=submission.contact_email,
        subject=subject,
        body=body,
        purpose=f"documents:{request.pk}",
    )


def document_days(submission: Submission) -> int:
    """The city's deadline for requested documents of this service."""
    days = (
        CityService.objects.filter(city=submission.city, service_slug=submission.service_slug)
        .values_list("document_days", flat=True)
        .first()
    )
    return DEFAULT_DOCUMENT_DAYS if days is None else days


def find_document_request(token: str) -> DocumentRequest | None:
    """The open request for this token in the current city's scope, or None."""
    request = DocumentRequest.objects.select_related("submission").filter(token_hash=hash_document_token(token)).first()
    return request if request is not None and request.is_open else None


def documents_request_fulfil(*, request: DocumentRequest, files: list[tuple[str, CheckedUpload]]) -> list[Attachment]:
    """Attach the citizen's files (checked by the upload policy: forms.UploadForm)
    and put the submission back to "in progress". The link works once."""
    with transaction.atomic():
        locked_request = DocumentRequest.objects.select_for_update().get(pk=request.pk)
        if not locked_request.is_open:
            raise ActionRefused(_("This link has already been used or has expired."))
        submission = _locked(request.submission)
        stored = [
            Attachment.store(
                city=submission.city,
                content=checked.content,
                submission=submission,
                step="nachreichen",
                key="nachgereicht",
                filename=name,
                content_type=checked.content_type,
            )
            for name, checked in files
        ]
        locked_request.fulfilled_at = timezone.now()
        locked_request.save(update_fields=["fulfilled_at"])
        if submission.status == Status.WAITING:
            _set_status(submission, Status.IN_PROGRESS, by=None, note=_("Documents handed in by the citizen."))
        notifications.plan_handin_notice(locked_request)
        from .models import Rule
        from .rules import plan_rules

        plan_rules(submission, Rule.Trigger.DOCUMENTS, str(locked_request.pk))
    return stored


def processing_step_retry(*, step: ProcessingStep, by: StaffUser, ip: str | None) -> ProcessingStep:
    """ "Retry now" for a failed step: the pipeline's own retry, audited."""
    with transaction.atomic():
        retried = submission_actions.processing_step_retry(step=step, by=by)
        audit.record(
            city=step.city,
            user=by,
            action=AuditEvent.Action.RETRY,
            submission=step.submission,
            detail=str(step.kind),
            ip=ip,
        )
    return retried


@dataclass
class BulkResult:
    changed: int = 0
    refused: int = 0


def _each(submissions: Iterable[Submission], act: Callable[[Submission], object]) -> BulkResult:
    """One row at a time: a refused row (not allowed) does not stop the others,
    and each change is audited like a single one."""
    result = BulkResult()
    for submission in submissions:
        try:
            act(submission)
        except ActionRefused:
            result.refused += 1
        else:
            result.changed += 1
    return result


def submissions_bulk_assign(
    *, submissions: Iterable[Submission], assignee: StaffUser | None, by: StaffUser, ip: str | None
) -> BulkResult:
    """Rows refused (not allowed, not on the service) stay as they are."""
    return _each(submissions, lambda s: submission_assign(submission=s, assignee=assignee, by=by, ip=ip))


def submissions_bulk_change_status(
    *, submissions: Iterable[Submission], to_status: str, by: StaffUser, ip: str | None
) -> BulkResult:
    """Rows for which the status change is not an allowed path stay as they are."""
    return _each(submissions, lambda s: submission_change_status(submission=s, to_status=to_status, by=by, ip=ip))

"""Storage limitation (GDPR Art. 5(1)(e)): decided submissions lose their
answers, files and PDF once the city's retention period is over; a tombstone
(reference, service, city, dates, final status) stays for statistics and the
audit log. Expired drafts and document links go entirely.

Idempotent: a tombstone is status "deleted" and is never touched again.
Logs carry counts only, never personal data."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from forms_engine.analytics.recorder import record_abandoned
from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService
from forms_engine.submissions.models import Attachment, ProcessingStep, Submission
from forms_engine.wizard.engine import last_step_reached
from forms_engine.wizard.models import Draft

from .casework import DocumentRequest, Note, StatusChange

logger = logging.getLogger(__name__)
DEFAULT_RETENTION_DAYS = 90


@dataclass
class RetentionResult:
    submissions: int = 0
    drafts: int = 0
    document_requests: int = 0


def _delete_file(path: str) -> None:
    if path:
        storages["private"].delete(path)


def _retention_days(slug: str, settings_by_slug: dict[str, CityService]) -> int:
    if slug in settings_by_slug:
        return settings_by_slug[slug].retention_days
    service = registry.get(slug)
    return service.retention_days_default if service else DEFAULT_RETENTION_DAYS


def tombstone(submission: Submission, now: datetime) -> None:
    """Delete everything personal of one submission; keep the bare facts."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status == Submission.Status.DELETED:
            return
        for attachment in Attachment.objects.filter(submission=locked):
            attachment.delete_file()
            attachment.delete()
        for step in ProcessingStep.objects.filter(submission=locked, kind=ProcessingStep.Kind.PDF):
            _delete_file((step.result or {}).get("path", ""))
            step.result = {}
            step.save(update_fields=["result"])
        Note.objects.filter(submission=locked).delete()
        StatusChange.objects.filter(submission=locked).exclude(note="").update(note="")
        DocumentRequest.objects.filter(submission=locked).delete()
        Draft.objects.filter(submission=locked).delete()
        locked.final_status = locked.status
        locked.status = Submission.Status.DELETED
        locked.deleted_at = now
        locked.data = {}
        locked.snapshot = {}
        locked.contact_email = None
        locked.name_index = ""
        locked.save(
            update_fields=["final_status", "status", "deleted_at", "data", "snapshot", "contact_email", "name_index"]
        )


def due_submissions(city: Any, now: datetime) -> list[Submission]:
    settings_by_slug = {cs.service_slug: cs for cs in CityService.objects.filter(city=city)}
    decided = Submission.objects.filter(city=city, status__in=Submission.DECIDED)
    due: list[Submission] = []
    for slug in decided.order_by().values_list("service_slug", flat=True).distinct():
        cutoff = now - timedelta(days=_retention_days(slug, settings_by_slug))
        expired = Q(decided_at__lt=cutoff) | Q(decided_at__isnull=True, submitted_at__lt=cutoff)
        due += list(decided.filter(expired, service_slug=slug).only("id"))
    return due


def purge_drafts(city: Any, now: datetime) -> int:
    drafts = Draft.objects.filter(city=city, expires_at__lt=now, submission__isnull=True)
    for draft in drafts:
        # Usage statistics learn where people gave up; nothing personal is kept.
        record_abandoned(city, draft.service_slug, last_step_reached(draft))
    for attachment in Attachment.objects.filter(draft__in=drafts, submission__isnull=True):
        attachment.delete_file()
    _total, per_model = drafts.delete()
    return per_model.get(Draft._meta.label, 0)


def run_for_city(city: Any, now: datetime | None = None) -> RetentionResult:
    """Call inside the city's scope."""
    now = now or timezone.now()
    result = RetentionResult()
    for submission in due_submissions(city, now):
        tombstone(submission, now)
        result.submissions += 1
    result.drafts = purge_drafts(city, now)
    result.document_requests, _detail = DocumentRequest.objects.filter(city=city, expires_at__lt=now).delete()
    logger.info(
        "retention city=%s submissions=%d drafts=%d document_requests=%d",
        city.slug,
        result.submissions,
        result.drafts,
        result.document_requests,
    )
    return result

"""Storage limitation (GDPR Art. 5(1)(e)): decided submissions lose their
answers, files and PDF once the city's retention period is over; a tombstone
(reference, service, city, dates, final status) stays for statistics and the
audit log. Expired drafts and document links go entirely.

Idempotent: a tombstone is status "deleted" and is never touched again.
Logs carry counts only, never personal data.

Apps above this one (the back office's notes, status notes and document
requests) take part through two signals, so that this module imports none of
them: `tombstoning` inside the transaction that empties one submission, and
`retention_run` once per city run, whose receivers return counts by name."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from forms_engine.analytics.recorder import record_abandoned
from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService
from forms_engine.wizard.engine import last_step_reached
from forms_engine.wizard.models import Draft

from .models import Attachment, NameToken, ProcessingStep, ReceiptLink, Submission

logger = logging.getLogger(__name__)
DEFAULT_RETENTION_DAYS = 90

# Sent with `submission` inside the tombstone's transaction: delete what you keep about it.
tombstoning = Signal()
# Sent with `city` and `now` once per city run; receivers return {name: count}.
retention_run = Signal()


@dataclass
class RetentionResult:
    submissions: int = 0
    drafts: int = 0
    others: dict[str, int] = field(default_factory=dict)


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
        tombstoning.send(sender=Submission, submission=locked)
        Draft.objects.filter(submission=locked).delete()
        locked.final_status = locked.status
        locked.status = Submission.Status.DELETED
        locked.deleted_at = now
        locked.data = {}
        locked.snapshot = {}
        locked.contact_email = None
        locked.applicant_name = None
        NameToken.objects.filter(submission=locked).delete()
        ReceiptLink.objects.filter(submission=locked).delete()
        locked.save(
            update_fields=[
                "final_status",
                "status",
                "deleted_at",
                "data",
                "snapshot",
                "contact_email",
                "applicant_name",
            ]
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
    for draft in drafts.filter(preview=False):  # an administrator's preview is no citizen giving up
        # Usage statistics learn where people gave up; nothing personal is kept.
        # Most drafts were counted already after a day without activity.
        if draft.abandoned_counted_at is None:
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
    expired_links, _detail = ReceiptLink.objects.filter(city=city, expires_at__lt=now).delete()
    if expired_links:
        result.others["receipt_links"] = expired_links
    for _receiver, counts in retention_run.send(sender=Submission, city=city, now=now):
        if isinstance(counts, dict):
            result.others.update(counts)
    others = "".join(f" {name}={count}" for name, count in sorted(result.others.items()))
    logger.info("retention city=%s submissions=%d drafts=%d%s", city.slug, result.submissions, result.drafts, others)
    return result


def run_all() -> int:
    """The daily run, one scope per city; a city that fails is logged and the
    others still run. Returns how many cities ran."""
    from django_scopes import scope, scopes_disabled

    from forms_engine.tenants.models import City

    with scopes_disabled():
        cities = list(City.objects.all())
    done = 0
    for city in cities:
        with scope(city=city):
            try:
                run_for_city(city)
                done += 1
            except Exception:
                logger.exception("retention failed city=%s", city.slug)
    return done

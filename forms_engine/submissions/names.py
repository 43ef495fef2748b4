"""The applicant's name as the back office needs it, without plaintext in the
database: encrypted for display (`Submission.applicant_name`) and one blind-index
row per normalised word (`NameToken`) for search. Written at submission time;
`manage.py reindex_names` rebuilds both for existing rows (or after a change of
BLIND_INDEX_KEY)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService
from forms_engine.lib.crypto import name_digests

from .models import NameToken, Submission

DEFAULT_PROCESSING_DAYS = 30


def store_name(submission: Submission, name: str) -> None:
    """Set the encrypted display name and replace the submission's name tokens."""
    name = " ".join(name.split())
    submission.applicant_name = name or None
    submission.save(update_fields=["applicant_name"])
    NameToken.objects.filter(submission=submission).delete()
    NameToken.objects.bulk_create(
        [NameToken(city_id=submission.city_id, submission=submission, digest=d) for d in name_digests(name)]
    )


def name_from_answers(submission: Submission) -> str:
    """The applicant's name from the stored answers, as the service declares it."""
    from forms_engine.catalog.base import Answers

    service = registry.get(submission.service_slug)
    if service is None or not isinstance(submission.data, dict):
        return ""
    return service.applicant_name(Answers(submission.data))


def due_date(city_id: int, service_slug: str, received: date) -> date:
    """Received (local date) plus the city's processing deadline for the service."""
    days = (
        CityService.objects.filter(city_id=city_id, service_slug=service_slug)
        .values_list("processing_days", flat=True)
        .first()
    )
    return received + timedelta(days=DEFAULT_PROCESSING_DAYS if days is None else days)


def local_day(submission: Submission) -> date:
    return timezone.localdate(submission.submitted_at)

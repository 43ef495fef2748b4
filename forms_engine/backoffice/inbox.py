"""The inbox query: filters, search and counts per status, in a fixed number of
SQL queries whatever the page size (no per-row queries, answers not decrypted)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from forms_engine.lib.crypto import name_blind_index
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission

# Only what the list shows: the encrypted columns are never read here.
LIST_FIELDS = ["id", "reference", "service_slug", "status", "submitted_at", "decided_at", "assignee__username"]


def overdue_q() -> Q:
    """Not decided within BACKOFFICE_OVERDUE_DAYS of submission."""
    limit = timezone.now() - timedelta(days=settings.BACKOFFICE_OVERDUE_DAYS)
    return Q(submitted_at__lt=limit) & ~Q(status__in=[*Submission.DECIDED, Submission.Status.DELETED])


def is_overdue(submission: Submission) -> bool:
    limit = timezone.now() - timedelta(days=settings.BACKOFFICE_OVERDUE_DAYS)
    closed = (*Submission.DECIDED, Submission.Status.DELETED)
    return submission.status not in closed and submission.submitted_at < limit


def search_params(text: str) -> dict[str, str]:
    """What the search box becomes in the inbox's address: a reference number
    (anything with a digit; exact or its beginning) stays readable, a name is
    replaced by its blind index at once, so that names never sit in addresses,
    browser histories or proxy logs. Parts of a name never match, by design:
    only HMACs of full, normalised names are stored."""
    text = text.strip()
    if not text:
        return {}
    if any(c.isdigit() for c in text):
        return {"ref": text.upper()}
    return {"name": name_blind_index(text)}


def _day_start(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def apply_filters(qs: QuerySet[Submission], data: dict[str, Any], user: StaffUser) -> QuerySet[Submission]:
    """All filters but the status one (the status counts are taken before it)."""
    if data.get("ref"):
        qs = qs.filter(reference__startswith=data["ref"].upper())
    if data.get("name"):
        qs = qs.filter(name_index=data["name"])
    if data.get("service"):
        qs = qs.filter(service_slug=data["service"])
    if data.get("assigned") == "me":
        qs = qs.filter(assignee=user)
    elif data.get("assigned") == "none":
        qs = qs.filter(assignee__isnull=True)
    if data.get("received_from"):
        qs = qs.filter(submitted_at__gte=_day_start(data["received_from"]))
    if data.get("received_to"):
        qs = qs.filter(submitted_at__lt=_day_start(data["received_to"] + timedelta(days=1)))
    if data.get("overdue"):
        qs = qs.filter(overdue_q())
    return qs


def status_counts(qs: QuerySet[Submission]) -> dict[str, int]:
    # COUNT(*), not COUNT(id): the inbox indexes answer it without the table.
    rows = qs.order_by().values("status").annotate(n=Count("*"))
    counts = dict.fromkeys(Submission.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def listing(qs: QuerySet[Submission]) -> QuerySet[Submission]:
    return qs.select_related("assignee").only(*LIST_FIELDS).order_by("-submitted_at", "-id")

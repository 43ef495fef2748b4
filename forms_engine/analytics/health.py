"""Processing health of a period: failed deliveries, submit -> delivered and
received -> decision. Reads submission bookkeeping (timestamps and states),
never answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django_scopes import scopes_disabled

from forms_engine.submissions.models import ProcessingStep, Submission

from .metrics import median
from .rollup import day_bounds


@dataclass
class Health:
    service_slug: str
    submissions: int
    deliveries_failed: int
    median_delivery_seconds: float | None
    median_decision_seconds: float | None
    decisions_available: bool


def has_decision_time() -> bool:
    return any(f.name == "decided_at" for f in Submission._meta.get_fields())


def processing_health(city_ids: Iterable[int], first: date, last: date) -> list[Health]:
    """One row per service that had submissions in the period, in slug order."""
    start, _end = day_bounds(first)
    _start, end = day_bounds(last)
    ids = list(city_ids)
    decisions = has_decision_time()
    with scopes_disabled():
        submitted = Submission.objects.filter(city_id__in=ids, submitted_at__gte=start, submitted_at__lt=end)
        counts: dict[str, int] = {}
        for slug in submitted.values_list("service_slug", flat=True):
            counts[slug] = counts.get(slug, 0) + 1
        deliveries = ProcessingStep.objects.filter(
            city_id__in=ids, kind=ProcessingStep.Kind.DELIVERY, submission__in=submitted
        )
        failed: dict[str, int] = {}
        for slug in deliveries.filter(state=ProcessingStep.State.FAILED).values_list(
            "submission__service_slug", flat=True
        ):
            failed[slug] = failed.get(slug, 0) + 1
        delivered: dict[str, list[float]] = {}
        for slug, submitted_at, finished_at in deliveries.filter(
            state=ProcessingStep.State.DONE, finished_at__isnull=False
        ).values_list("submission__service_slug", "submission__submitted_at", "finished_at"):
            if finished_at is not None:
                delivered.setdefault(slug, []).append((finished_at - submitted_at).total_seconds())
        decided: dict[str, list[float]] = {}
        if decisions:
            for slug, submitted_at, decided_at in submitted.filter(decided_at__isnull=False).values_list(
                "service_slug", "submitted_at", "decided_at"
            ):
                if decided_at is not None:
                    decided.setdefault(slug, []).append((decided_at - submitted_at).total_seconds())
    return [
        Health(
            service_slug=slug,
            submissions=counts[slug],
            deliveries_failed=failed.get(slug, 0),
            median_delivery_seconds=median(sorted(delivered.get(slug, []))),
            median_decision_seconds=median(sorted(decided.get(slug, []))),
            decisions_available=decisions,
        )
        for slug in sorted(counts)
    ]

"""Processing health: failed deliveries, median submit -> delivered and
received -> decision, from the submission bookkeeping of the period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from django_scopes import scopes_disabled

from forms_engine.analytics.health import has_decision_time, processing_health
from forms_engine.submissions.models import ProcessingStep, Submission
from forms_engine.tenants.models import City

from .conftest import SLUG

SUBMITTED = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def submission(
    city: City,
    n: int,
    *,
    delivered_after: timedelta | None = None,
    failed: bool = False,
    decided_after: timedelta | None = None,
) -> Submission:
    with scopes_disabled():
        fields: dict[str, Any] = {"data": {}, "snapshot": {}}  # encrypted JSON fields
        sub = Submission.objects.create(
            city=city,
            service_slug=SLUG,
            service_version="1",
            data_schema_version="1",
            reference=f"GI-DEMO-2026-{n:06d}",
            submitted_at=SUBMITTED,
            **fields,
        )
        if decided_after is not None:
            sub.decided_at = SUBMITTED + decided_after
            sub.save()
        if delivered_after is not None or failed:
            ProcessingStep.objects.create(
                city=city,
                submission=sub,
                kind=ProcessingStep.Kind.DELIVERY,
                target_id="email",
                state=ProcessingStep.State.FAILED if failed else ProcessingStep.State.DONE,
                finished_at=None if delivered_after is None else SUBMITTED + delivered_after,
            )
    return sub


def test_failed_deliveries_and_medians(giessen, marburg, demo_service):
    assert has_decision_time()
    submission(giessen, 1, delivered_after=timedelta(seconds=30), decided_after=timedelta(days=2))
    submission(giessen, 2, delivered_after=timedelta(seconds=90), decided_after=timedelta(days=4))
    submission(giessen, 3, delivered_after=timedelta(seconds=600))
    submission(giessen, 4, failed=True)
    submission(marburg, 5, failed=True)

    (health,) = processing_health([giessen.pk], date(2026, 3, 1), date(2026, 3, 31))

    assert health.submissions == 4
    assert health.deliveries_failed == 1
    assert health.median_delivery_seconds == 90.0
    assert health.median_decision_seconds == 3 * 24 * 3600.0
    assert processing_health([giessen.pk], date(2026, 4, 1), date(2026, 4, 30)) == []

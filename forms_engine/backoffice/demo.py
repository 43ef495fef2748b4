"""Demo cases for `manage.py demo`: enough open submissions for a city's back
office to try the inbox with (search "Neumann", bulk-assign ten, due dates,
the digest). Fictitious people; never run against real data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from forms_engine.catalog import registry
from forms_engine.submissions.actions import next_reference
from forms_engine.submissions.models import Submission
from forms_engine.submissions.names import due_date, store_name

FIRST = ["Ben", "Lena", "Jonas", "Mia", "Paul", "Emma", "Leon", "Hannah", "Felix", "Sophie", "Lukas", "Marie"]
LAST = ["Neumann", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schäfer"]
CASES = 60
STATUSES = ["received"] * 6 + ["in_progress"] * 3 + ["waiting_for_citizen"]


def seed_demo_cases(city: Any, service_slug: str, count: int = CASES) -> int:
    """Create `count` submissions of one service over the last 40 days, unless
    the city has cases already. Returns how many were created."""
    service = registry.get(service_slug)
    if service is None or Submission.objects.filter(city=city).exists():
        return 0
    now = timezone.now()
    with transaction.atomic():
        for i in range(count):
            first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
            submitted = now - timedelta(hours=16 * i + 3)
            snapshot = [
                {
                    "step": "antragsteller",
                    "title": "Antragstellende Person",
                    "fields": [
                        {"name": "vorname", "label": "Vorname", "value": first},
                        {"name": "nachname", "label": "Nachname", "value": last},
                    ],
                    "entries": [],
                }
            ]
            submission = Submission.objects.create(
                city=city,
                service_slug=service.slug,
                service_version=service.version,
                data_schema_version=service.data_schema_version,
                reference=next_reference(city, service.reference_code, timezone.localdate(submitted).year),
                data={"antragsteller": {"vorname": first, "nachname": last}},
                snapshot=snapshot,
                submitted_at=submitted,
                due_on=due_date(city.pk, service.slug, timezone.localdate(submitted)),
                status=STATUSES[i % len(STATUSES)],
            )
            store_name(submission, f"{first} {last}")
    return count

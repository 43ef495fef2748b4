"""Analytics fixtures: a small registered demo service and a hand-built day of
events with known answers (see KNOWN below)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django_scopes import scopes_disabled

from forms_engine.analytics.models import UsageEvent
from forms_engine.catalog import registry
from forms_engine.catalog.base import OnlineService, Step
from forms_engine.tenants.models import City

SLUG = "analytics-demo"
DAY = date(2026, 3, 10)  # winter time: the local day starts at 23:00 UTC the day before
DAY_START_UTC = datetime(2026, 3, 9, 23, 0, tzinfo=UTC)


class DemoService(OnlineService):
    slug = SLUG
    version = "1"
    title = "Demo service"
    leika_key = "99000000000000"
    reference_code = "DEMO"
    steps = (Step("person", "Person"), Step("details", "Details"), Step("declarations", "Declarations"))


@pytest.fixture
def demo_service() -> Iterator[OnlineService]:
    registry.register(DemoService)
    yield registry.get(SLUG)  # type: ignore[misc]
    registry._services.pop(SLUG, None)


def add(city: City, event: str, n: int = 1, *, hour: datetime | None = None, slug: str = SLUG, **fields: Any) -> None:
    with scopes_disabled():
        UsageEvent.objects.bulk_create(
            [
                UsageEvent(
                    city=city,
                    service_slug=slug,
                    event=event,
                    hour=hour or DAY_START_UTC + timedelta(hours=10),
                    **fields,
                )
                for _ in range(n)
            ]
        )


# What the roll-up of DAY must find for the known event set.
KNOWN = {
    "starts": 10,
    "submissions": 6,
    "saved": 2,
    "resumed": 1,
    "abandoned": 3,
    "steps_shown": {"declarations": 6, "details": 9, "person": 10},
    "steps_completed": {"declarations": 5, "details": 7, "person": 9},
    "abandoned_at": {"details": 2, "person": 1},
    "durations": [120, 240, 300, 600, 900, 1500],
    "median": 450.0,
    "p90": 1500.0,
    "ratings": {"2": 1, "4": 1, "5": 2},
    "rating_average": 4.0,
    "devices": {"desktop": 3, "mobile": 6, "unknown": 1},
    "languages": {"de": 8, "en": 2},
    "completion_rate": 60.0,
}


def build_known_day(city: City, other_city: City | None = None) -> None:
    # One start in the first local hour of DAY (23:00 UTC the day before) counts;
    # one in the last local hour of the day before does not.
    add(city, "started", 1, hour=DAY_START_UTC, device="mobile", language="de")
    add(city, "started", 1, hour=DAY_START_UTC - timedelta(hours=1), device="mobile", language="de")
    add(city, "started", 5, device="mobile", language="de")
    add(city, "started", 2, device="desktop", language="de")
    add(city, "started", 1, device="desktop", language="en")
    add(city, "started", 1, device="unknown", language="en")
    for step, shown, completed in (("person", 10, 9), ("details", 9, 7), ("declarations", 6, 5)):
        add(city, "step_shown", shown, step=step)
        add(city, "step_completed", completed, step=step)
    add(city, "saved", 2, step="details")
    add(city, "resumed", 1)
    for seconds in (900, 120, 1500, 300, 240, 600):
        add(city, "submitted", 1, duration_seconds=seconds)
    add(city, "abandoned", 2, step="details")
    add(city, "abandoned", 1, step="person")
    for rating in (5, 5, 4, 2):
        add(city, "rating", 1, rating=rating)
    # The next local day does not count.
    add(city, "started", 1, hour=DAY_START_UTC + timedelta(hours=24))
    if other_city is not None:
        add(other_city, "started", 7)
        add(other_city, "submitted", 2, duration_seconds=60)

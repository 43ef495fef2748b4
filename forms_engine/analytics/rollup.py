"""The daily roll-up: events of one city and one local day -> DailyAggregate rows.

Idempotent: the day's rows are deleted and rebuilt in one transaction, so a
re-run (for yesterday, or any past day whose events are still kept) gives the
same rows. Two GROUP BY queries per city and day; the dashboard never reads
events.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_scopes import scope

from forms_engine.tenants.models import City

from .models import DailyAggregate, Event, UsageEvent


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Start and end of the local calendar day (site time zone), as aware datetimes."""
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)
    return start, end


class _Figures:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.steps_shown: Counter[str] = Counter()
        self.steps_completed: Counter[str] = Counter()
        self.abandoned_at: Counter[str] = Counter()
        self.ratings: Counter[str] = Counter()
        self.devices: Counter[str] = Counter()
        self.languages: Counter[str] = Counter()
        self.payment_methods: Counter[str] = Counter()
        self.durations: list[int] = []

    def add(self, row: Mapping[str, Any]) -> None:
        event, step, n = row["event"], row["step"], row["n"]
        self.counts[event] += n
        if event == Event.STEP_SHOWN:
            self.steps_shown[step] += n
        elif event == Event.STEP_COMPLETED:
            self.steps_completed[step] += n
        elif event == Event.ABANDONED:
            self.abandoned_at[step or "-"] += n
        elif event == Event.RATING and row["rating"]:
            self.ratings[str(row["rating"])] += n
        elif event == Event.PAID:
            self.payment_methods[step or "OTHER"] += n
        elif event == Event.STARTED:
            self.devices[row["device"]] += n
            self.languages[row["language"] or "-"] += n

    def to_row(self, city: City, service_slug: str, day: date) -> DailyAggregate:
        return DailyAggregate(
            city=city,
            service_slug=service_slug,
            day=day,
            starts=self.counts[Event.STARTED],
            submissions=self.counts[Event.SUBMITTED],
            saved=self.counts[Event.SAVED],
            resumed=self.counts[Event.RESUMED],
            abandoned=self.counts[Event.ABANDONED],
            steps_shown=dict(sorted(self.steps_shown.items())),
            steps_completed=dict(sorted(self.steps_completed.items())),
            abandoned_at=dict(sorted(self.abandoned_at.items())),
            durations=sorted(self.durations),
            ratings=dict(sorted(self.ratings.items())),
            devices=dict(sorted(self.devices.items())),
            languages=dict(sorted(self.languages.items())),
            payment_methods=dict(sorted(self.payment_methods.items())),
        )


def rollup_day(city: City, day: date) -> int:
    """Rebuild the city's aggregates for `day`. Returns the number of rows written."""
    start, end = day_bounds(day)
    with scope(city=city):
        events = UsageEvent.objects.filter(city=city, hour__gte=start, hour__lt=end)
        figures: dict[str, _Figures] = defaultdict(_Figures)
        grouped = (
            events.values("service_slug", "event", "step", "rating", "device", "language")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in grouped:
            figures[row["service_slug"]].add(row)
        durations = (
            events.filter(event=Event.SUBMITTED, duration_seconds__isnull=False)
            .values_list("service_slug", "duration_seconds")
            .order_by()
        )
        for service_slug, seconds in durations:
            if seconds is not None:
                figures[service_slug].durations.append(seconds)
        rows = [f.to_row(city, slug, day) for slug, f in sorted(figures.items())]
        with transaction.atomic():
            DailyAggregate.objects.filter(city=city, day=day).delete()
            DailyAggregate.objects.bulk_create(rows)
    return len(rows)


def rollup_range(city: City, first: date, last: date) -> int:
    written = 0
    day = first
    while day <= last:
        written += rollup_day(city, day)
        day += timedelta(days=1)
    return written


def delete_old_events(before: datetime) -> int:
    """Raw events are kept only as long as a past day may need re-rolling."""
    from django_scopes import scopes_disabled

    with scopes_disabled():
        deleted, _by_model = UsageEvent.objects.filter(hour__lt=before).delete()
    return deleted

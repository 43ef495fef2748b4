"""Figures over a period, computed from DailyAggregate rows only.

Median: the middle value, or the mean of the two middle values (statistics.median).
p90: nearest rank, the value at position ceil(0.9 n) of the sorted durations.
Completion rate: submissions / starts over the period.
"""

from __future__ import annotations

import heapq
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from forms_engine.catalog import registry

from .models import DailyAggregate

SUMMARY_FIELDS = ("service_slug", "city_id", "day", "starts", "submissions", "saved", "resumed", "abandoned")


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def percentile_nearest_rank(values: Sequence[float], p: float) -> float | None:
    if not values:
        return None
    rank = max(1, math.ceil(p / 100 * len(values)))
    return float(values[rank - 1])


@dataclass
class Summary:
    """Figures of one service (or all, service_slug == "") over a period."""

    service_slug: str = ""
    starts: int = 0
    submissions: int = 0
    saved: int = 0
    resumed: int = 0
    abandoned: int = 0
    durations: list[int] = field(default_factory=list)
    ratings: Counter[int] = field(default_factory=Counter)
    devices: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    steps_shown: Counter[str] = field(default_factory=Counter)
    steps_completed: Counter[str] = field(default_factory=Counter)
    abandoned_at: Counter[str] = field(default_factory=Counter)
    _runs: list[list[int]] = field(default_factory=list, repr=False)

    def add(self, row: DailyAggregate) -> None:
        self.starts += row.starts
        self.submissions += row.submissions
        self.saved += row.saved
        self.resumed += row.resumed
        self.abandoned += row.abandoned
        if row.durations:
            self._runs.append(list(row.durations))
        self.ratings.update({int(k): int(v) for k, v in (row.ratings or {}).items()})
        self.devices.update(row.devices or {})
        self.languages.update(row.languages or {})
        self.steps_shown.update(row.steps_shown or {})
        self.steps_completed.update(row.steps_completed or {})
        self.abandoned_at.update(row.abandoned_at or {})

    def finish(self) -> Summary:
        self.durations = list(heapq.merge(self.durations, *self._runs))
        self._runs = []
        return self

    @property
    def title(self) -> str:
        return service_title(self.service_slug) if self.service_slug else ""

    @property
    def completion_rate(self) -> float | None:
        """Percent of starts that were submitted, one decimal."""
        return round(100 * self.submissions / self.starts, 1) if self.starts else None

    @property
    def median_seconds(self) -> float | None:
        return median(self.durations)

    @property
    def p90_seconds(self) -> float | None:
        return percentile_nearest_rank(self.durations, 90)

    @property
    def rating_count(self) -> int:
        return sum(self.ratings.values())

    @property
    def rating_average(self) -> float | None:
        count = self.rating_count
        return round(sum(k * v for k, v in self.ratings.items()) / count, 2) if count else None


def service_title(slug: str) -> str:
    service = registry.get(slug)
    return str(service.title) if service else slug


def leika_key(slug: str) -> str:
    service = registry.get(slug)
    return str(getattr(service, "leika_key", "")) if service else ""


def aggregates(city_ids: Iterable[int], first: date, last: date, service_slug: str = "") -> QuerySet[DailyAggregate]:
    """Aggregate rows of these cities; callers decide who may see which city."""
    with scopes_disabled():
        qs = DailyAggregate.objects.filter(city_id__in=list(city_ids), day__gte=first, day__lte=last)
        if service_slug:
            qs = qs.filter(service_slug=service_slug)
        return qs.order_by("day", "service_slug")


def summarise(rows: Iterable[DailyAggregate]) -> tuple[dict[str, Summary], Summary]:
    """Per-service summaries and the total over all services."""
    per_service: dict[str, Summary] = {}
    total = Summary()
    with scopes_disabled():
        for row in rows:
            per_service.setdefault(row.service_slug, Summary(service_slug=row.service_slug)).add(row)
            total.add(row)
    for summary in per_service.values():
        summary.finish()
    return dict(sorted(per_service.items())), total.finish()


@dataclass
class FunnelStep:
    step: str
    label: str
    shown: int
    completed: int
    abandoned_here: int

    def share_of_starts(self, starts: int) -> float | None:
        return round(100 * self.completed / starts, 1) if starts else None


def funnel(summary: Summary) -> list[FunnelStep]:
    """Steps in the service's order (then any step no longer declared)."""
    service = registry.get(summary.service_slug)
    declared = [(s.name, str(s.title)) for s in service.steps] if service else []
    seen = set(summary.steps_shown) | set(summary.steps_completed) | set(summary.abandoned_at)
    names = [name for name, _title in declared]
    extra = sorted(seen - set(names) - {"-"})
    labels = dict(declared)
    return [
        FunnelStep(
            step=name,
            label=labels.get(name, name),
            shown=summary.steps_shown.get(name, 0),
            completed=summary.steps_completed.get(name, 0),
            abandoned_here=summary.abandoned_at.get(name, 0),
        )
        for name in names + extra
    ]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_submissions(rows: Iterable[DailyAggregate]) -> tuple[list[date], dict[str, dict[date, int]]]:
    """ISO weeks (their Mondays) and, per service, submissions in each week."""
    per_service: dict[str, dict[date, int]] = {}
    weeks: set[date] = set()
    for row in rows:
        week = week_start(row.day)
        weeks.add(week)
        counts = per_service.setdefault(row.service_slug, {})
        counts[week] = counts.get(week, 0) + row.submissions
    return sorted(weeks), dict(sorted(per_service.items()))


def fetch(city_ids: Iterable[int], first: date, last: date, service_slug: str = "") -> list[DailyAggregate]:
    with scopes_disabled():
        return list(aggregates(city_ids, first, last, service_slug))


def as_number(value: Any) -> Any:
    """Whole floats print as integers in tables and CSV."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value

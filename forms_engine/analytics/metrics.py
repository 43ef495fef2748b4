"""Figures over a period, computed from DailyAggregate rows only.

Median: the middle value, or the mean of the two middle values (statistics.median).
p90: nearest rank, the value at position ceil(0.9 n) of the sorted durations.
Completion rate: submissions / starts over the period.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import TextField
from django.db.models.functions import Cast
from django_scopes import scopes_disabled

from forms_engine.catalog import registry

from .models import DailyAggregate

ALL_FIELDS = (
    "city_id",
    "service_slug",
    "day",
    "starts",
    "submissions",
    "saved",
    "resumed",
    "abandoned",
    "steps_shown",
    "steps_completed",
    "abandoned_at",
    "durations",
    "ratings",
    "devices",
    "languages",
    "payment_methods",
)
# What per-city comparisons and open data need: no per-step or device detail.
JSON_FIELDS = frozenset(
    {
        "steps_shown",
        "steps_completed",
        "abandoned_at",
        "durations",
        "ratings",
        "devices",
        "languages",
        "payment_methods",
    }
)
HEADLINE_FIELDS = ("city_id", "service_slug", "day", "starts", "submissions", "durations", "ratings")
Row = dict[str, Any]


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
    payment_methods: Counter[str] = field(default_factory=Counter)  # online payments per method

    def add(self, row: Mapping[str, Any]) -> None:
        """Add one aggregate row (a dict from fetch(); missing fields count as empty)."""
        self.starts += row.get("starts", 0)
        self.submissions += row.get("submissions", 0)
        self.saved += row.get("saved", 0)
        self.resumed += row.get("resumed", 0)
        self.abandoned += row.get("abandoned", 0)
        if row.get("durations"):
            self.durations.extend(row["durations"])
        ratings = self.ratings
        for key, count in (row.get("ratings") or {}).items():
            ratings[int(key)] = ratings.get(int(key), 0) + count
        for name in ("devices", "languages", "steps_shown", "steps_completed", "abandoned_at", "payment_methods"):
            if row.get(name):
                _add_counts(getattr(self, name), row[name])

    def finish(self) -> Summary:
        # Each day's list is sorted; Timsort merges such runs in C, faster than heapq.merge.
        self.durations.sort()
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


def _add_counts(target: dict[str, int], counts: Mapping[str, int]) -> None:
    for key, count in counts.items():
        target[key] = target.get(key, 0) + count


def service_title(slug: str) -> str:
    service = registry.get(slug)
    return str(service.title) if service else slug


def leika_key(slug: str) -> str:
    service = registry.get(slug)
    return str(getattr(service, "leika_key", "")) if service else ""


def fetch(
    city_ids: Iterable[int], first: date, last: date, service_slug: str = "", fields: Sequence[str] = ALL_FIELDS
) -> list[Row]:
    """Aggregate rows of these cities as dicts (no model instances: a year of
    six cities is some 15,000 rows). Callers decide who may see which city."""
    with scopes_disabled():
        qs = DailyAggregate.objects.filter(city_id__in=list(city_ids), day__gte=first, day__lte=last)
        if service_slug:
            qs = qs.filter(service_slug=service_slug)
        plain = [f for f in fields if f not in JSON_FIELDS]
        as_text = {f"json_{f}": Cast(f, TextField()) for f in fields if f in JSON_FIELDS}
        rows = list(qs.order_by("day", "service_slug").values(*plain, **as_text))
    # One json.loads over all JSON cells instead of one per cell: several times
    # faster for a year of six cities.
    names = list(as_text)
    cells = [row.pop(name) for row in rows for name in names]
    decoded = json.loads("[" + ",".join(cells) + "]") if cells else []
    width = len(names)
    for i, row in enumerate(rows):
        for j, name in enumerate(names):
            row[name[5:]] = decoded[i * width + j]
    return rows


def summarise(rows: Iterable[Row]) -> tuple[dict[str, Summary], Summary]:
    """Per-service summaries and the total over all services."""
    per_service: dict[str, Summary] = {}
    total = Summary()
    for row in rows:
        slug = row["service_slug"]
        summary = per_service.get(slug)
        if summary is None:
            summary = per_service[slug] = Summary(service_slug=slug)
        summary.add(row)
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


def month_start(day: date) -> date:
    return day.replace(day=1)


def submissions_per_period(
    rows: Iterable[Row], period_of: Callable[[date], date]
) -> tuple[list[date], dict[str, dict[date, int]]]:
    """The periods (their first days) and, per service, submissions in each."""
    per_service: dict[str, dict[date, int]] = {}
    periods: set[date] = set()
    for row in rows:
        period = period_of(row["day"])
        periods.add(period)
        counts = per_service.setdefault(row["service_slug"], {})
        counts[period] = counts.get(period, 0) + row["submissions"]
    return sorted(periods), dict(sorted(per_service.items()))


def weekly_submissions(rows: Iterable[Row]) -> tuple[list[date], dict[str, dict[date, int]]]:
    """ISO weeks (their Mondays) and, per service, submissions in each week."""
    return submissions_per_period(rows, week_start)


def monthly_submissions(rows: Iterable[Row]) -> tuple[list[date], dict[str, dict[date, int]]]:
    return submissions_per_period(rows, month_start)


def as_number(value: Any) -> Any:
    """Whole floats print as integers in tables and CSV."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value

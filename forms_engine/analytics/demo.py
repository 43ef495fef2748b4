"""Plausible usage figures for the demo, so the dashboard, the comparison and
the open data are not empty on a fresh `make run`.

The demo writes the daily figures that a quarter of anonymous events would
have produced (the dashboard and open data read only these). The days end
three days ago: the hourly roll-up rebuilds only yesterday and today from real
events, so it never overwrites the seeded days, and a citizen's own walk
through the demo shows up on top. Deterministic: the same city always gets the
same figures, and re-running the demo replaces them.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from forms_engine.catalog import registry
from forms_engine.tenants.models import City

from .models import DailyAggregate

DAYS = 91
OFFSET_DAYS = 3


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method; the means here are small.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _day(rng: random.Random, city: City, service_slug: str, day: date, steps: list[str]) -> DailyAggregate:
    weekday_factor = 0.35 if day.weekday() >= 5 else 1.0
    starts = _poisson(rng, max(0.5, city.population / 30_000) * weekday_factor)
    completion = rng.uniform(0.55, 0.85)
    submissions = sum(1 for _ in range(starts) if rng.random() < completion)
    abandoned = starts - submissions
    shown: dict[str, int] = {}
    completed: dict[str, int] = {}
    abandoned_at: dict[str, int] = {}
    # Each abandoning citizen stops at a random step; every other one completes all.
    stops = [rng.randrange(len(steps)) for _ in range(abandoned)] if steps else []
    for i, step in enumerate(steps):
        stopped_here = stops.count(i)
        reached = submissions + sum(1 for s in stops if s >= i)
        shown[step] = reached
        completed[step] = reached - stopped_here
        if stopped_here:
            abandoned_at[step] = stopped_here
    durations = sorted(int(rng.lognormvariate(math.log(14 * 60), 0.5)) for _ in range(submissions))
    ratings: dict[str, int] = {}
    for _ in range(submissions):
        if rng.random() < 0.3:
            score = str(rng.choices([5, 4, 3, 2, 1], weights=[45, 30, 12, 8, 5])[0])
            ratings[score] = ratings.get(score, 0) + 1
    mobile = sum(1 for _ in range(starts) if rng.random() < 0.62)
    english = sum(1 for _ in range(starts) if rng.random() < 0.08)
    saved = sum(1 for _ in range(starts) if rng.random() < 0.1)
    return DailyAggregate(
        city=city,
        service_slug=service_slug,
        day=day,
        starts=starts,
        submissions=submissions,
        saved=saved,
        resumed=saved // 2,
        abandoned=abandoned,
        steps_shown=dict(sorted(shown.items())) if starts else {},
        steps_completed=dict(sorted(completed.items())) if starts else {},
        abandoned_at=dict(sorted(abandoned_at.items())),
        durations=durations,
        ratings=dict(sorted(ratings.items())),
        devices={k: v for k, v in (("desktop", starts - mobile), ("mobile", mobile)) if v},
        languages={k: v for k, v in (("de", starts - english), ("en", english)) if v},
    )


def seed_quarter(city: City, service_slugs: list[str], today: date | None = None) -> int:
    """Replace the city's figures for the 91 days ending three days ago. Returns rows written."""
    last = (today or timezone.localdate()) - timedelta(days=OFFSET_DAYS)
    first = last - timedelta(days=DAYS - 1)
    rng = random.Random(f"gemeinsam-demo-{city.slug}")
    rows = []
    for slug in service_slugs:
        service = registry.get(slug)
        steps = [s.name for s in service.steps] if service else []
        day = first
        while day <= last:
            row = _day(rng, city, slug, day, steps)
            if row.starts:
                rows.append(row)
            day += timedelta(days=1)
    with scopes_disabled():
        DailyAggregate.objects.filter(city=city, day__gte=first, day__lte=last).delete()
        DailyAggregate.objects.bulk_create(rows, batch_size=500)
    return len(rows)

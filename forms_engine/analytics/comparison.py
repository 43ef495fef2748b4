"""GoDonu comparison: an opted-in city's figures per service next to the
average of the OTHER participating cities and of the other cities in its size
class.

What protects the other cities (docs/analytics.md):
- a city is never part of its own comparison group;
- a group average is shown only when at least ANALYTICS_MIN_PEERS (3) other
  cities contribute to it, so no single city's figure can be worked out from it;
- each peer's figure derived from a count below 5 is left out, as in the open
  data, and the group needs its minimum of peers after that too.

Reads aggregates of opted-in cities only, and only as per-city period totals;
no other city's events or daily rows leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from forms_engine.tenants.models import City

from .metrics import HEADLINE_FIELDS, Summary, fetch
from .opendata import MIN_COUNT

# (lower bound inclusive, upper bound exclusive, label)
SIZE_CLASSES = [
    (0, 20_000, _("under 20,000 inhabitants")),
    (20_000, 50_000, _("20,000 to 50,000 inhabitants")),
    (50_000, 100_000, _("50,000 to 100,000 inhabitants")),
    (100_000, 10**12, _("100,000 inhabitants and more")),
]


def size_class(population: int) -> int:
    return next(i for i, (low, high, _label) in enumerate(SIZE_CLASSES) if low <= population < high)


def size_class_label(population: int) -> str:
    return str(SIZE_CLASSES[size_class(population)][2])


def per_10k(count: int, population: int) -> float | None:
    return round(count * 10_000 / population, 2) if population else None


@dataclass
class Figures:
    """One city's (or a group average's) figures for one service."""

    submissions_per_10k: float | None
    starts_per_10k: float | None
    completion_rate: float | None
    median_seconds: float | None
    rating_average: float | None

    @classmethod
    def of(cls, summary: Summary, population: int) -> Figures:
        return cls(
            per_10k(summary.submissions, population),
            per_10k(summary.starts, population),
            summary.completion_rate,
            summary.median_seconds,
            summary.rating_average,
        )

    @classmethod
    def of_peer(cls, summary: Summary, population: int) -> Figures:
        """Another city's figures with everything derived from a count below 5 left out."""

        def kept(count: int) -> bool:
            return count == 0 or count >= MIN_COUNT

        counts_ok = kept(summary.submissions) and kept(summary.starts)
        return cls(
            per_10k(summary.submissions, population) if kept(summary.submissions) else None,
            per_10k(summary.starts, population) if kept(summary.starts) else None,
            summary.completion_rate if counts_ok else None,
            summary.median_seconds if summary.submissions >= MIN_COUNT else None,
            summary.rating_average if summary.rating_count >= MIN_COUNT else None,
        )


FIGURE_NAMES = ("submissions_per_10k", "starts_per_10k", "completion_rate", "median_seconds", "rating_average")


def _mean(values: list[float | None], minimum: int) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 2) if present and len(present) >= minimum else None


def average(figures: list[Figures], minimum: int = 1) -> Figures:
    """The mean of each figure, or None where fewer than `minimum` cities have one."""
    return Figures(*(_mean([getattr(f, name) for f in figures], minimum) for name in FIGURE_NAMES))


def min_peers() -> int:
    return max(1, int(settings.ANALYTICS_MIN_PEERS))


@dataclass
class ComparisonRow:
    service_slug: str
    title: str
    own: Figures
    all_cities: Figures
    all_count: int
    size_class: Figures
    size_class_count: int


def participants() -> list[City]:
    with scopes_disabled():
        return list(City.objects.filter(analytics_opt_in=True).order_by("pk"))


def compare(city: City, first: date, last: date) -> list[ComparisonRow] | None:
    """None when the city does not take part (it then sees no comparison)."""
    if not city.analytics_opt_in:
        return None
    cities = participants()
    own_class = size_class(city.population)
    per_city: dict[int, dict[str, Summary]] = {}
    for c in cities:
        per_city[c.pk] = {}
    for row in fetch(list(per_city), first, last, fields=HEADLINE_FIELDS):
        services = per_city[row["city_id"]]
        slug = row["service_slug"]
        if slug not in services:
            services[slug] = Summary(service_slug=slug)
        services[slug].add(row)
    for services in per_city.values():
        for summary in services.values():
            summary.finish()
    minimum = min_peers()
    result = []
    for slug, own in per_city.get(city.pk, {}).items():
        peers = [c for c in cities if c.pk != city.pk and slug in per_city[c.pk]]
        same_class = [c for c in peers if size_class(c.population) == own_class]
        result.append(
            ComparisonRow(
                service_slug=slug,
                title=own.title,
                own=Figures.of(own, city.population),
                all_cities=average([Figures.of_peer(per_city[c.pk][slug], c.population) for c in peers], minimum),
                all_count=len(peers),
                size_class=average([Figures.of_peer(per_city[c.pk][slug], c.population) for c in same_class], minimum),
                size_class_count=len(same_class),
            )
        )
    return result

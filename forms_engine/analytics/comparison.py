"""GoDonu comparison: an opted-in city's figures per service next to the
average of all participating cities and of the cities in its size class.

Reads aggregates of opted-in cities only, and only as per-city period totals;
no other city's events or daily rows leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from forms_engine.tenants.models import City

from .metrics import HEADLINE_FIELDS, Summary, fetch

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


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 2) if present else None


def average(figures: list[Figures]) -> Figures:
    return Figures(*(_mean([getattr(f, name) for f in figures]) for name in Figures.__dataclass_fields__))


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
    result = []
    for slug, own in per_city.get(city.pk, {}).items():
        offering = [c for c in cities if slug in per_city[c.pk]]
        same_class = [c for c in offering if size_class(c.population) == own_class]
        result.append(
            ComparisonRow(
                service_slug=slug,
                title=own.title,
                own=Figures.of(own, city.population),
                all_cities=average([Figures.of(per_city[c.pk][slug], c.population) for c in offering]),
                all_count=len(offering),
                size_class=average([Figures.of(per_city[c.pk][slug], c.population) for c in same_class]),
                size_class_count=len(same_class),
            )
        )
    return result

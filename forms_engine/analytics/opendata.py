"""Open data: monthly figures per city and service, from aggregates of opted-in
cities only. Counts from 1 to 4 are suppressed (published empty, with a note),
and so is every figure derived from them (rate, median, average)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone, translation

from forms_engine.tenants.models import City

from .metrics import HEADLINE_FIELDS, Summary, as_number, fetch, leika_key, service_title

MIN_COUNT = 5
SUPPRESSED_NOTE = "Werte unter 5 unterdrückt (Geheimhaltung)"
LICENCE_URI = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"

USAGE_FIELDS = [
    "month",
    "ags",
    "city",
    "leika_key",
    "service_slug",
    "service",
    "submissions",
    "starts",
    "completion_rate",
    "median_seconds",
    "satisfaction",
    "note",
]
ZSK_FIELDS = ["berichtsmonat", "ags", "leika_schluessel", "onlinedienst", "anzahl_transaktionen"]


def suppress(count: int) -> int | None:
    return None if 0 < count < MIN_COUNT else count


@dataclass
class MonthRow:
    month: str
    city: City
    summary: Summary


def last_complete_month(today: date | None = None) -> date:
    """First day of the month before the current one: only whole months are published."""
    first_of_this = (today or timezone.localdate()).replace(day=1)
    return (first_of_this - timedelta(days=1)).replace(day=1)


def monthly(cities: Iterable[City], first_month: date | None = None, last_month: date | None = None) -> list[MonthRow]:
    cities = list(cities)
    by_id = {c.pk: c for c in cities}
    last_month = last_month or last_complete_month()
    end = (last_month.replace(day=28) + timedelta(days=4)).replace(day=1)
    groups: dict[tuple[str, int, str], Summary] = {}
    first = first_month or date(1970, 1, 1)
    for row in fetch(list(by_id), first, end - timedelta(days=1), fields=HEADLINE_FIELDS):
        key = (row["day"].strftime("%Y-%m"), row["city_id"], row["service_slug"])
        if key not in groups:
            groups[key] = Summary(service_slug=row["service_slug"])
        groups[key].add(row)
    return [
        MonthRow(month, by_id[city_id], summary.finish())
        for (month, city_id, _slug), summary in sorted(
            groups.items(), key=lambda kv: (kv[0][0], by_id[kv[0][1]].ags, kv[0][2])
        )
    ]


def usage_record(row: MonthRow) -> dict[str, Any]:
    s = row.summary
    submissions, starts = suppress(s.submissions), suppress(s.starts)
    rate = s.completion_rate if submissions is not None and starts is not None else None
    median = s.median_seconds if s.submissions >= MIN_COUNT else None
    satisfaction = s.rating_average if s.rating_count >= MIN_COUNT else None
    suppressed = (
        submissions is None
        or starts is None
        or (s.submissions and median is None)
        or (s.rating_count and satisfaction is None)
    )
    with translation.override("de"):
        title = service_title(s.service_slug)
    return {
        "month": row.month,
        "ags": row.city.ags,
        "city": row.city.name,
        "leika_key": leika_key(s.service_slug),
        "service_slug": s.service_slug,
        "service": title,
        "submissions": submissions,
        "starts": starts,
        "completion_rate": rate if rate is None else as_number(rate),
        "median_seconds": median if median is None else as_number(median),
        "satisfaction": satisfaction,
        "note": SUPPRESSED_NOTE if suppressed else "",
    }


def zsk_record(row: MonthRow, *, suppressed: bool = True) -> dict[str, Any]:
    """Transactions (submissions) per online service, month and AGS."""
    with translation.override("de"):
        title = service_title(row.summary.service_slug)
    count = row.summary.submissions
    return {
        "berichtsmonat": row.month,
        "ags": row.city.ags,
        "leika_schluessel": leika_key(row.summary.service_slug),
        "onlinedienst": title,
        "anzahl_transaktionen": suppress(count) if suppressed else count,
    }

"""The roll-up of a hand-built day gives the known counts, funnel, median and p90."""

from __future__ import annotations

from django_scopes import scopes_disabled

from forms_engine.analytics.metrics import fetch, funnel, summarise
from forms_engine.analytics.models import DailyAggregate
from forms_engine.analytics.rollup import rollup_day

from .conftest import DAY, KNOWN, SLUG, build_known_day


def test_rollup_counts_funnel_and_durations(giessen, marburg, demo_service):
    build_known_day(giessen, other_city=marburg)

    assert rollup_day(giessen, DAY) == 1

    with scopes_disabled():
        row = DailyAggregate.objects.get(city=giessen, day=DAY, service_slug=SLUG)
    for name in ("starts", "submissions", "saved", "resumed", "abandoned"):
        assert getattr(row, name) == KNOWN[name], name
    for name in ("steps_shown", "steps_completed", "abandoned_at", "durations", "ratings", "devices", "languages"):
        assert getattr(row, name) == KNOWN[name], name


def test_period_summary_and_funnel_from_aggregates(giessen, marburg, demo_service):
    build_known_day(giessen, other_city=marburg)
    rollup_day(giessen, DAY)
    rollup_day(marburg, DAY)

    per_service, total = summarise(fetch([giessen.pk], DAY, DAY))
    summary = per_service[SLUG]
    assert summary.completion_rate == KNOWN["completion_rate"]
    assert summary.median_seconds == KNOWN["median"]
    assert summary.p90_seconds == KNOWN["p90"]
    assert summary.rating_average == KNOWN["rating_average"]
    assert total.starts == KNOWN["starts"]

    steps = funnel(summary)
    assert [(s.step, s.shown, s.completed, s.abandoned_here) for s in steps] == [
        ("person", 10, 9, 1),
        ("details", 9, 7, 2),
        ("declarations", 6, 5, 0),
    ]
    assert [s.share_of_starts(summary.starts) for s in steps] == [90.0, 70.0, 50.0]


def test_median_over_several_days_is_exact(giessen, demo_service):
    from datetime import timedelta

    from .conftest import DAY_START_UTC, add

    add(giessen, "submitted", 1, duration_seconds=100)
    add(giessen, "submitted", 1, duration_seconds=400, hour=DAY_START_UTC + timedelta(days=1, hours=3))
    add(giessen, "submitted", 1, duration_seconds=200, hour=DAY_START_UTC + timedelta(days=2, hours=3))
    for offset in range(3):
        rollup_day(giessen, DAY + timedelta(days=offset))

    per_service, _total = summarise(fetch([giessen.pk], DAY, DAY + timedelta(days=2)))
    assert per_service[SLUG].durations == [100, 200, 400]
    assert per_service[SLUG].median_seconds == 200.0

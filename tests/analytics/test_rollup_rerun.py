"""Re-running the roll-up for a day changes nothing; a later re-run picks up late events
and leaves other days alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.forms.models import model_to_dict
from django_scopes import scopes_disabled

from forms_engine.analytics.models import DailyAggregate
from forms_engine.analytics.rollup import rollup_day
from forms_engine.analytics.tasks import rollup_recent
from forms_engine.tenants.models import City

from .conftest import DAY, DAY_START_UTC, SLUG, add, build_known_day


def snapshot(city: City) -> list[dict[str, Any]]:
    with scopes_disabled():
        return sorted(
            (model_to_dict(a, exclude=["id", "computed_at"]) for a in DailyAggregate.objects.filter(city=city)),
            key=lambda d: (d["day"], d["service_slug"]),
        )


def test_rerunning_a_day_changes_nothing(giessen, demo_service):
    build_known_day(giessen)
    rollup_day(giessen, DAY)
    first = snapshot(giessen)

    rollup_day(giessen, DAY)
    rollup_day(giessen, DAY)

    assert snapshot(giessen) == first
    with scopes_disabled():
        assert DailyAggregate.objects.filter(city=giessen).count() == 1


def test_rerun_of_a_past_day_counts_late_events_and_keeps_other_days(giessen, demo_service):
    build_known_day(giessen)
    rollup_day(giessen, DAY)
    rollup_day(giessen, DAY + timedelta(days=1))
    next_day_before = [s for s in snapshot(giessen) if s["day"] != DAY]

    add(giessen, "started", 3, hour=DAY_START_UTC + timedelta(hours=5))
    rollup_day(giessen, DAY)

    with scopes_disabled():
        assert DailyAggregate.objects.get(city=giessen, day=DAY, service_slug=SLUG).starts == 13
    assert [s for s in snapshot(giessen) if s["day"] != DAY] == next_day_before


def test_beat_task_rolls_up_today_for_every_city(giessen, marburg, demo_service):
    from forms_engine.analytics.recorder import record

    record(city=giessen, service_slug=SLUG, event="started")
    record(city=marburg, service_slug=SLUG, event="started")

    rollup_recent()
    rollup_recent()

    with scopes_disabled():
        assert sorted(DailyAggregate.objects.values_list("city__slug", "starts")) == [("giessen", 1), ("marburg", 1)]


def test_backfill_command_matches_the_task(giessen: City, demo_service: object) -> None:
    from io import StringIO

    from django.core.management import call_command

    build_known_day(giessen)
    rollup_day(giessen, DAY)
    expected = snapshot(giessen)
    with scopes_disabled():
        DailyAggregate.objects.all().delete()

    out = StringIO()
    day_before = (DAY - timedelta(days=1)).isoformat()
    call_command("analytics_rollup", day_before, DAY.isoformat(), "--city", "giessen", stdout=out)

    assert [s for s in snapshot(giessen) if s["day"] == DAY] == expected
    # The day before holds the one start from its last local hour.
    assert [s["starts"] for s in snapshot(giessen) if s["day"] != DAY] == [1]
    assert "giessen: 2 rows" in out.getvalue()

"""A draft nobody has touched for a day counts as abandoned once, at the step
it reached, and is not counted a second time when it expires weeks later."""

from __future__ import annotations

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from forms_engine.analytics.abandonment import count_inactive_drafts
from forms_engine.analytics.models import DailyAggregate, Event, UsageEvent
from forms_engine.analytics.tasks import rollup_recent
from forms_engine.catalog.base import OnlineService
from forms_engine.submissions.retention import purge_drafts
from forms_engine.tenants.models import City
from forms_engine.wizard.models import Draft

from .conftest import SLUG


def idle_draft(city: City, service: OnlineService, hours: float, completed: list[str]) -> Draft:
    with scope(city=city):
        draft = Draft.start(city=city, service=service, language="de", days=30)
        Draft.objects.filter(pk=draft.pk).update(
            completed_steps=completed, updated_at=timezone.now() - timedelta(hours=hours)
        )
    draft.refresh_from_db()
    return draft


def abandoned_events(city: City) -> list[str]:
    with scopes_disabled():
        return list(UsageEvent.objects.filter(city=city, event=Event.ABANDONED).values_list("step", flat=True))


def test_a_day_without_activity_counts_once_at_the_step_reached(giessen, marburg, demo_service):
    idle = idle_draft(giessen, demo_service, 25, ["person"])
    idle_draft(giessen, demo_service, 23, ["person", "details"])  # still within the day
    idle_draft(marburg, demo_service, 30, [])

    assert count_inactive_drafts(giessen) == 1
    assert abandoned_events(giessen) == ["details"]
    idle.refresh_from_db()
    assert idle.abandoned_counted_at is not None
    assert count_inactive_drafts(giessen) == 0, "counted once"
    assert abandoned_events(marburg) == [], "each city counts its own drafts only"


@override_settings(ANALYTICS_ABANDON_AFTER_HOURS=2)
def test_the_period_is_configurable(giessen, demo_service):
    idle_draft(giessen, demo_service, 3, [])
    assert count_inactive_drafts(giessen) == 1
    assert abandoned_events(giessen) == ["person"]


def test_expiry_does_not_count_a_counted_draft_again(giessen, demo_service):
    counted = idle_draft(giessen, demo_service, 25, ["person"])
    count_inactive_drafts(giessen)
    never_counted = idle_draft(giessen, demo_service, 1, ["person", "details", "declarations"])
    with scopes_disabled():
        Draft.objects.filter(pk__in=[counted.pk, never_counted.pk]).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    with scope(city=giessen):
        assert purge_drafts(giessen, timezone.now()) == 2
    assert sorted(abandoned_events(giessen)) == ["check", "details"]


def test_the_hourly_rollup_counts_and_shows_them(giessen, demo_service):
    idle_draft(giessen, demo_service, 48, ["person"])
    rollup_recent()
    with scopes_disabled():
        (row,) = DailyAggregate.objects.filter(city=giessen, service_slug=SLUG)
    assert row.abandoned == 1 and row.abandoned_at == {"details": 1}

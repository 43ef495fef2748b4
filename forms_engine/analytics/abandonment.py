"""A draft counts as abandoned once, when nobody has touched it for
ANALYTICS_ABANDON_AFTER_HOURS (default 24), not only when it expires weeks
later: the funnel then shows drop-off while it is still recent.

Each draft is counted at most once: the marker on the draft is set by a
conditional UPDATE, so two runs at the same time cannot both count it. A draft
counted here is not counted again when it expires. One that is resumed and
submitted later also counts as submitted: both happened.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from forms_engine.tenants.models import City
from forms_engine.wizard.engine import last_step_reached
from forms_engine.wizard.models import Draft

from .recorder import record_abandoned


def inactive_since(now: datetime) -> datetime:
    return now - timedelta(hours=settings.ANALYTICS_ABANDON_AFTER_HOURS)


def count_inactive_drafts(city: City, now: datetime | None = None) -> int:
    """Record an `abandoned` event for each of the city's drafts idle past the limit."""
    now = now or timezone.now()
    counted = 0
    with scope(city=city):
        idle = Draft.objects.filter(
            city=city,
            submission__isnull=True,
            abandoned_counted_at__isnull=True,
            updated_at__lt=inactive_since(now),
        )
        for draft in idle:
            claimed = Draft.objects.filter(pk=draft.pk, abandoned_counted_at__isnull=True).update(
                abandoned_counted_at=now
            )
            if claimed:
                record_abandoned(city, draft.service_slug, last_step_reached(draft))
                counted += 1
    return counted


def count_all(now: datetime | None = None) -> int:
    with scopes_disabled():
        cities = list(City.objects.order_by("pk"))
    return sum(count_inactive_drafts(city, now) for city in cities)

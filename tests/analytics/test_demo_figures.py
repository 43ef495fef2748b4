"""`make run`'s demo comes with a quarter of plausible figures in every demo
city, so the dashboard, the comparison and the open data show something at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from forms_engine.analytics.comparison import compare
from forms_engine.analytics.models import DailyAggregate
from forms_engine.analytics.tasks import rollup_recent
from forms_engine.tenants.models import City

from ..conftest import host_client
from .rdf import DCATDE, parse


def test_demo_cities_publish_a_quarter_of_figures(db: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", "--force", "--quiet")
    with scopes_disabled():
        cities = list(City.objects.order_by("slug"))
        rows = DailyAggregate.objects.all()
        count = rows.count()
        days = sorted(set(rows.values_list("day", flat=True)))
    assert len(cities) == 6 and all(c.analytics_opt_in for c in cities)
    today = timezone.localdate()
    assert days[-1] == today - timedelta(days=3) and days[0] >= today - timedelta(days=93)
    assert len(days) > 80

    giessen = next(c for c in cities if c.slug == "giessen")
    row = next(r for r in compare(giessen, days[0], days[-1]) or [] if r.service_slug == "unterhaltsvorschuss")
    assert row.all_count == 5 and row.all_cities.completion_rate is not None
    assert 40 < (row.own.completion_rate or 0) < 95

    catalog = parse(host_client("localhost").get("/opendata/catalog.ttl"))
    assert {str(g).rsplit("/", 1)[1] for g in catalog.objects(None, DCATDE.politicalGeocodingURI)} == {
        c.ags for c in cities
    }

    # The hourly roll-up (today and yesterday) leaves the seeded days alone,
    # and running the demo again gives the same figures.
    rollup_recent()
    call_command("demo", "--force", "--quiet")
    with scopes_disabled():
        assert DailyAggregate.objects.count() == count

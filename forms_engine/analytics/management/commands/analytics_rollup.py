"""Re-run the roll-up for past days: manage.py analytics_rollup 2026-01-01 2026-01-31 [--city giessen]."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django_scopes import scopes_disabled

from forms_engine.analytics.rollup import rollup_range
from forms_engine.tenants.models import City


class Command(BaseCommand):
    help = "Rebuild daily usage figures from events for a range of days (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("first", type=date.fromisoformat, help="First day, YYYY-MM-DD.")
        parser.add_argument("last", type=date.fromisoformat, nargs="?", help="Last day (default: first).")
        parser.add_argument("--city", help="City slug (default: all cities).")

    def handle(self, *args: Any, **options: Any) -> None:
        first: date = options["first"]
        last: date = options["last"] or first
        with scopes_disabled():
            cities = City.objects.all()
            if options["city"]:
                cities = cities.filter(slug=options["city"])
            cities_list = list(cities)
        for city in cities_list:
            written = rollup_range(city, first, last)
            self.stdout.write(f"{city.slug}: {written} rows for {first}..{last}")

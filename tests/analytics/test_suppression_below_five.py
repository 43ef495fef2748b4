"""Open data leaves counts from 1 to 4, and figures computed from them, empty with a note."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.test import Client
from django_scopes import scopes_disabled

from forms_engine.analytics.models import DailyAggregate
from forms_engine.analytics.opendata import SUPPRESSED_NOTE
from forms_engine.tenants.models import City

from ..conftest import host_client
from .conftest import SLUG


def aggregate(city: City, day: date, **fields: Any) -> None:
    with scopes_disabled():
        DailyAggregate.objects.create(city=city, service_slug=SLUG, day=day, **fields)


def records(client: Client) -> dict[str, dict[str, Any]]:
    response = client.get("/opendata/nutzung.json")
    assert response.status_code == 200
    return {r["month"]: r for r in response.json()["records"]}


def test_small_counts_are_suppressed(giessen, demo_service):
    giessen.analytics_opt_in = True
    giessen.save()
    # January: 3 submissions of 12 starts -> submissions, rate and median suppressed.
    aggregate(giessen, date(2026, 1, 5), starts=12, submissions=3, durations=[100, 200, 300], ratings={"5": 2})
    # February: 4 starts, 0 submissions -> starts suppressed, zero is published.
    aggregate(giessen, date(2026, 2, 5), starts=4, submissions=0)
    # March: enough of everything, spread over two days.
    aggregate(giessen, date(2026, 3, 1), starts=10, submissions=3, durations=[60, 120, 180], ratings={"4": 3})
    aggregate(giessen, date(2026, 3, 2), starts=10, submissions=2, durations=[240, 300], ratings={"2": 2})

    by_month = records(host_client("giessen.localhost"))

    jan = by_month["2026-01"]
    assert (jan["starts"], jan["submissions"], jan["completion_rate"], jan["median_seconds"]) == (12, None, None, None)
    assert jan["satisfaction"] is None
    assert jan["note"] == SUPPRESSED_NOTE
    feb = by_month["2026-02"]
    assert (feb["starts"], feb["submissions"], feb["completion_rate"]) == (None, 0, None)
    assert feb["note"] == SUPPRESSED_NOTE
    mar = by_month["2026-03"]
    assert (mar["starts"], mar["submissions"], mar["completion_rate"], mar["median_seconds"]) == (20, 5, 25, 180)
    assert mar["satisfaction"] == 3.2
    assert mar["note"] == ""


def test_suppressed_cells_are_empty_in_csv_and_zsk(giessen, demo_service):
    giessen.analytics_opt_in = True
    giessen.save()
    aggregate(giessen, date(2026, 1, 5), starts=12, submissions=3)
    client = host_client("giessen.localhost")

    rows = list(csv.DictReader(io.StringIO(client.get("/opendata/nutzung.csv").content.decode())))
    assert (rows[0]["submissions"], rows[0]["starts"], rows[0]["note"]) == ("", "12", SUPPRESSED_NOTE)
    zsk = list(csv.DictReader(io.StringIO(client.get("/opendata/zsk.csv").content.decode())))
    assert zsk == [
        {
            "berichtsmonat": "2026-01",
            "ags": giessen.ags,
            "leika_schluessel": "99000000000000",
            "onlinedienst": "Demo service",
            "anzahl_transaktionen": "",
        }
    ]

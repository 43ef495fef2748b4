"""Only cities that opted in appear in the shared open data and the comparison;
a city that did not opt in publishes nothing and sees no comparison."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import translation
from django_scopes import scopes_disabled

from forms_engine.analytics.comparison import FIGURE_NAMES, compare, size_class, size_class_label
from forms_engine.analytics.models import DailyAggregate
from forms_engine.tenants.models import City

from ..conftest import host_client, make_city
from .conftest import SLUG
from .rdf import DCATDE, parse

DAY = date(2026, 2, 3)


def aggregate(city: City, **fields: Any) -> None:
    with scopes_disabled():
        DailyAggregate.objects.create(city=city, service_slug=SLUG, day=DAY, **fields)


def opt_in(city: City) -> None:
    city.analytics_opt_in = True
    city.save()


def test_open_data_lists_opted_in_cities_only(giessen, marburg, demo_service):
    opt_in(giessen)
    aggregate(giessen, starts=20, submissions=10)
    aggregate(marburg, starts=30, submissions=15)

    records = host_client("localhost").get("/opendata/nutzung.json").json()["records"]
    assert {r["ags"] for r in records} == {giessen.ags}
    graph = parse(host_client("localhost").get("/opendata/nutzung.jsonld"))
    geocodes = {str(g) for g in graph.objects(None, DCATDE.politicalGeocodingURI)}
    assert geocodes == {f"http://dcat-ap.de/def/politicalGeocoding/municipalityKey/{giessen.ags}"}
    catalog = parse(host_client("localhost").get("/opendata/catalog.ttl"))
    assert {str(g) for g in catalog.objects(None, DCATDE.politicalGeocodingURI)} == geocodes

    assert host_client("marburg.localhost").get("/opendata/").status_code == 404
    assert host_client("marburg.localhost").get("/opendata/nutzung.csv").status_code == 404
    assert host_client("giessen.localhost").get("/opendata/nutzung.csv").status_code == 200


def test_comparison_uses_other_participants_only(giessen, marburg, demo_service):
    wetzlar = make_city("wetzlar", "Stadt Wetzlar", "WZ", "06532023", 53000)
    limburg = make_city("limburg", "Kreisstadt Limburg", "LM", "06533009", 36000)
    fulda = make_city("fulda", "Stadt Fulda", "FD", "06631009", 70000)
    for city in (giessen, wetzlar, limburg, fulda):
        opt_in(city)
    # Gießen 92,000, Wetzlar 53,000 and Fulda 70,000: size class 50-100k; Limburg 36,000: 20-50k.
    aggregate(giessen, starts=40, submissions=20, durations=[100, 300])
    aggregate(wetzlar, starts=20, submissions=10, durations=[500] * 10)
    aggregate(limburg, starts=10, submissions=9, durations=[50] * 9)
    aggregate(fulda, starts=30, submissions=6, durations=[200] * 6)
    aggregate(marburg, starts=1000, submissions=1000, durations=[1])  # not taking part

    assert compare(marburg, DAY, DAY) is None
    rows = compare(giessen, DAY, DAY)
    assert rows is not None
    (row,) = rows

    assert row.own.submissions_per_10k == round(20 * 10_000 / 92_000, 2)
    assert row.own.completion_rate == 50.0
    assert row.own.median_seconds == 200.0
    # Gießen itself is not among the cities it is compared with.
    assert row.all_count == 3
    assert row.all_cities.completion_rate == round((50.0 + 90.0 + 20.0) / 3, 2)
    assert row.all_cities.median_seconds == round((500 + 50 + 200) / 3, 2)
    # Only two other cities in its size class: no average that would reveal them.
    assert row.size_class_count == 2
    assert row.size_class.completion_rate is None and row.size_class.median_seconds is None
    assert size_class(giessen.population) == size_class(wetzlar.population) != size_class(limburg.population)
    with translation.override("en"):
        assert size_class_label(giessen.population) == "50,000 to 100,000 inhabitants"


def test_comparison_needs_three_other_cities_with_five_cases_each(giessen, demo_service):
    peers = [make_city(f"stadt{i}", f"Stadt {i}", f"S{i}", f"0653{i}000", 50000 + i) for i in range(1, 4)]
    for city in (giessen, *peers):
        opt_in(city)
    aggregate(giessen, starts=40, submissions=20, durations=[100] * 20)
    for city in peers[:2]:
        aggregate(city, starts=20, submissions=10, durations=[300] * 10)
    # The third peer has only four submissions: its figures are left out, as in the open data,
    # and two cities are too few for an average.
    aggregate(peers[2], starts=8, submissions=4, durations=[900] * 4)

    (row,) = compare(giessen, DAY, DAY) or []
    assert row.all_count == 3
    assert row.all_cities.submissions_per_10k is None
    assert row.all_cities.median_seconds is None and row.all_cities.completion_rate is None
    assert row.all_cities.starts_per_10k is not None  # eight starts are enough

    with scopes_disabled():
        DailyAggregate.objects.filter(city=peers[2]).update(submissions=5, durations=[900] * 5)
    (row,) = compare(giessen, DAY, DAY) or []
    assert row.all_cities.median_seconds == 500.0


def test_two_cities_cannot_see_each_others_figures(giessen, marburg, demo_service):
    """With two cities, today's Gießen could compute Marburg's exact values."""
    opt_in(giessen)
    opt_in(marburg)
    aggregate(giessen, starts=40, submissions=20, durations=[100] * 20)
    aggregate(marburg, starts=30, submissions=15, durations=[700] * 15)
    (row,) = compare(giessen, DAY, DAY) or []
    assert row.all_count == 1
    assert row.all_cities == row.size_class
    assert all(getattr(row.all_cities, name) is None for name in FIGURE_NAMES)


def test_dashboard_of_a_city_not_taking_part_says_so(marburg, marburg_admin, demo_service):
    from ..conftest import sign_in

    client = host_client("marburg.localhost")
    sign_in(client, marburg_admin.username)
    page = client.get("/statistik/?start=2026-02-01&end=2026-02-28").content.decode()
    assert "does not take part in the comparison" in page or "nimmt nicht am Vergleich teil" in page

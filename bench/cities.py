"""One deployment for every municipality of a Land: the same measurements with
the demo's 6 cities and after seeding up to BENCH_CITIES (default 1,000)
cities, each with its domain, the services Gießen offers and their delivery
targets. What must stay flat in the number of cities: host resolution, a
city's start page, a step page, and the operator's admin lists (time and SQL
queries per page). Measured in-process (Django test client, full middleware
stack, production settings), so the load generator's share does not blur it.
Follows the bench module contract (bench/README.md); runs last (it adds cities)."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

Row = tuple[str, str, str]
OPERATOR = "bench-operator"
PASSWORD = "bench-Passwort-2026-operator"  # noqa: S105  (a bench account in the bench database)
CODES = [f"op{n:06d}" for n in range(20)]
ADMIN_LISTS = {
    "admin: cities": "/admin/tenants/city/",
    "admin: domains": "/admin/tenants/domain/",
    "admin: city services": "/admin/catalog/cityservice/",
    "admin: delivery targets": "/admin/delivery/deliverytarget/",
    "admin: staff": "/admin/backoffice/staffuser/",
}


def seed(total: int) -> int:
    """Cities up to `total`, each a copy of Gießen's services and delivery targets; returns how many were added."""
    from django.db import transaction
    from django_scopes import scopes_disabled

    from forms_engine.catalog.models import CityService
    from forms_engine.delivery.models import DeliveryTarget
    from forms_engine.tenants.models import City, Domain

    with scopes_disabled(), transaction.atomic():
        existing = City.objects.count()
        model = City.objects.get(slug="giessen")
        services = list(CityService.objects.filter(city=model))
        targets = list(DeliveryTarget.objects.filter(city=model))
        cities = []
        for n in range(existing, total):
            slug = f"gemeinde{n:04d}"
            cities.append(
                City(
                    slug=slug,
                    name=f"Gemeinde {n:04d}",
                    short_code=_letters(n),
                    ags=f"06{n:06d}",
                    population=5000 + n,
                    accent_colour=model.accent_colour,
                    contact_email=f"info@{slug}.example",
                    sender_email=f"noreply@{slug}.example",
                    feedback_contact=f"a11y@{slug}.example",
                    contact_address=model.contact_address,
                )
            )
        City.objects.bulk_create(cities, batch_size=500)
        cities = list(City.objects.filter(slug__in=[c.slug for c in cities]))
        Domain.objects.bulk_create([Domain(host=f"{c.slug}.localhost", city=c) for c in cities], batch_size=1000)
        CityService.objects.bulk_create(
            [_copy(s, city=c) for c in cities for s in services],
            batch_size=1000,
        )
        DeliveryTarget.objects.bulk_create([_copy(t, city=c) for c in cities for t in targets], batch_size=1000)
    with __import__("django.db").db.connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(cities)


def _letters(n: int) -> str:
    """A reference prefix of capital letters for the n-th seeded city: "QAAA", "QAAB", …"""
    letters = ""
    for _i in range(3):
        n, digit = divmod(n, 26)
        letters = chr(ord("A") + digit) + letters
    return "Q" + letters


def _copy(instance: Any, **changes: Any) -> Any:
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if not f.primary_key}
    for name, value in changes.items():
        values.pop(f"{name}_id", None)
        values[name] = value
    return type(instance)(**values)


def _operator() -> None:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from forms_engine.staff.models import StaffUser

    user = StaffUser.objects.filter(username=OPERATOR).first()
    if user is None:
        user = StaffUser.objects.create_user(username=OPERATOR, password=PASSWORD, role=StaffUser.Role.OPERATOR)
    device, _created = StaticDevice.objects.get_or_create(user=user, name="Backup codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in CODES])


def _timed(fetch: Callable[[], Any], repeats: int) -> tuple[float, int]:
    """Median milliseconds and SQL queries of one call (after a warm-up)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    fetch()
    reset_queries()  # a request resets the log at its start: count from an empty one
    with CaptureQueriesContext(connection) as captured:
        fetch()
    queries = len(captured)  # now: the log it reads is reset by the next request
    times = []
    for _i in range(repeats):
        began = time.perf_counter()
        fetch()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000, queries


def measure(repeats: int, code: str) -> dict[str, tuple[float, int]]:
    from django.test import Client
    from django_scopes import scopes_disabled

    from bench.citizen import SERVICE
    from forms_engine.lib import cache
    from forms_engine.tenants.hosts import _cache_key, city_for_host
    from forms_engine.tenants.models import Domain

    figures: dict[str, tuple[float, int]] = {}
    with scopes_disabled():
        hosts = list(Domain.objects.order_by("?").values_list("host", flat=True)[:50])

    def resolve_uncached() -> None:
        for host in hosts:
            cache.delete(_cache_key(host))
            if city_for_host(host) is None:
                raise LookupError(host)

    ms, queries = _timed(resolve_uncached, max(3, repeats // 5))
    figures["host resolution, not cached (per host)"] = (ms / len(hosts), queries // len(hosts))
    ms, queries = _timed(lambda: [city_for_host(h) for h in hosts], max(3, repeats // 5))
    figures["host resolution, cached (per host)"] = (ms / len(hosts), queries // len(hosts))

    citizen = Client(HTTP_HOST="giessen.localhost")
    figures["city start page"] = _timed(lambda: _ok(citizen.get("/")), repeats)
    citizen.post(f"/{SERVICE}/", {"action": "start"})
    step = citizen.get(f"/{SERVICE}/", follow=True).redirect_chain
    first_step = step[-1][0] if step else f"/{SERVICE}/"
    figures["step page (first step)"] = _timed(lambda: _ok(citizen.get(first_step)), repeats)

    operator = Client(HTTP_HOST="localhost")
    operator.post("/staff/login/", {"username": OPERATOR, "password": PASSWORD})
    operator.post("/staff/login/verify/", {"token": code})
    _ok(operator.get("/admin/"))
    for label, path in ADMIN_LISTS.items():

        def admin_list(path: str = path) -> Any:
            return _ok(operator.get(path))

        figures[label] = _timed(admin_list, max(3, repeats // 3))
    return figures


def _ok(response: Any) -> Any:
    if response.status_code != 200:
        raise RuntimeError(f"{response.request['PATH_INFO']} answered {response.status_code}")
    return response


def run() -> list[Row]:
    from django.test.utils import override_settings
    from django_scopes import scopes_disabled

    from forms_engine.tenants.models import City

    total = int(os.environ.get("BENCH_CITIES", "1000"))
    repeats = int(os.environ.get("BENCH_CITIES_REPEATS", "15"))
    _operator()
    # The bench process talks to the test client with the bench's host names.
    with override_settings(ALLOWED_HOSTS=["*"]):
        with scopes_disabled():
            small = City.objects.count()
        before = measure(repeats, CODES[0])
        began = time.perf_counter()
        added = seed(total)
        seeded = time.perf_counter() - began
        with scopes_disabled():
            large = City.objects.count()
        after = measure(repeats, CODES[1])
    method = f"median of {repeats} (admin lists: {max(3, repeats // 3)}) in-process GETs, full middleware; SQL per page"
    rows: list[Row] = [
        (
            "cities: seeding",
            f"{added} cities in {seeded:.1f} s",
            "bulk INSERT: city, domain, Gießen's services and targets",
        )
    ]
    for label, (ms, queries) in before.items():
        ms_after, queries_after = after[label]
        rows.append(
            (
                f"cities {small} → {large}: {label}",
                f"{ms:.2f} → {ms_after:.2f} ms, {queries} → {queries_after} SQL",
                method,
            )
        )
    return rows

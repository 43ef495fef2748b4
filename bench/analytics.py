"""Usage analytics benchmark: 5 million events over a year for six cities.

Run with the test environment (see Makefile TEST_ENV):
    .venv/bin/python bench/analytics.py [--events 5000000] [--keep]

It creates its own database (<DATABASE_URL name>_bench_analytics), migrates it,
generates the events in one INSERT ... SELECT over generate_series (no Python
loop), rolls up the whole year, then times:
  - the roll-up of one day for one city and for all six cities,
  - the dashboard page (HTTP, through the real view) for one city and one year,
  - the open-data JSON for all participating cities and one year,
and checks that the dashboard and open data read no raw event.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CITIES = [
    # slug, name, code, AGS, population
    ("fulda", "Stadt Fulda", "FD", "06631009", 70000),
    ("giessen", "Universitätsstadt Gießen", "GI", "06531005", 92000),
    ("limburg", "Kreisstadt Limburg a. d. Lahn", "LM", "06533009", 36000),
    ("marburg", "Universitätsstadt Marburg", "MR", "06534014", 77000),
    ("offenbach", "Stadt Offenbach am Main", "OF", "06413000", 131000),
    ("wetzlar", "Stadt Wetzlar", "WZ", "06532023", 53000),
]
YEAR_START = date(2025, 1, 1)


def bench_database_url() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gemeinsam")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_bench_analytics"
    return urlunsplit(parts._replace(path="/" + name)), name


def recreate_database(url: str, name: str) -> None:
    import psycopg

    admin = urlsplit(url)._replace(path="/postgres")
    with psycopg.connect(urlunsplit(admin), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, float, Any]:
    """Median and best wall time in milliseconds, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times), result


def generate_events(count: int, city_ids: list[int]) -> None:
    from django.db import connection

    from forms_engine.catalog import registry

    services = [(s.slug, [st.name for st in s.steps]) for s in registry.all_services()]
    cities = ",".join(map(str, city_ids))
    per_service = count // len(services)
    with connection.cursor() as cursor:
        # Bulk load into a throw-away database: no WAL, no per-row foreign-key
        # triggers, the index built once afterwards.
        cursor.execute("ALTER TABLE analytics_usageevent SET UNLOGGED")
        cursor.execute("DROP INDEX IF EXISTS usage_event_city_hour")
        cursor.execute("SET session_replication_role = replica")
        for index, (slug, steps) in enumerate(services):
            n = per_service if index < len(services) - 1 else count - per_service * (len(services) - 1)
            cursor.execute(event_sql(slug, steps, cities, len(city_ids), n))
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("CREATE INDEX usage_event_city_hour ON analytics_usageevent (city_id, hour)")
        cursor.execute("ANALYZE analytics_usageevent")


def event_sql(slug: str, steps: list[str], cities: str, city_count: int, count: int) -> str:
    """One INSERT ... SELECT over generate_series for one service. Event mix (per
    mille): started 120, step_shown 400, step_completed 350, saved 20, resumed 10,
    submitted 70, rating 20, abandoned 10. Built from our own registry and
    integers only, no outside input."""
    step_array = "ARRAY[" + ",".join(f"'{name}'" for name in steps) + "]::text[]"
    return f"""
        INSERT INTO analytics_usageevent
            (city_id, service_slug, event, step, hour, device, language, duration_seconds, rating)
        SELECT (ARRAY[{cities}])[1 + (n % {city_count})], '{slug}', event,
               CASE WHEN event IN ('step_shown', 'step_completed', 'saved', 'abandoned')
                    THEN ({step_array})[1 + floor(r2 * {len(steps)})::int] ELSE '' END,
               timestamptz '{YEAR_START.isoformat()} 00:00+01' + floor(r3 * 8760) * interval '1 hour',
               CASE WHEN r2 < .55 THEN 'mobile' WHEN r2 < .97 THEN 'desktop' ELSE 'unknown' END,
               CASE WHEN r3 < .9 THEN 'de' ELSE 'en' END,
               CASE WHEN event = 'submitted' THEN 120 + floor(r2 * r3 * 3600)::int END,
               CASE WHEN event = 'rating' THEN 1 + floor(r2 * 5)::int END
        FROM (
            SELECT n, random() AS r2, random() AS r3,
                   CASE WHEN r < .120 THEN 'started' WHEN r < .520 THEN 'step_shown'
                        WHEN r < .870 THEN 'step_completed' WHEN r < .890 THEN 'saved'
                        WHEN r < .900 THEN 'resumed' WHEN r < .970 THEN 'submitted'
                        WHEN r < .990 THEN 'rating' ELSE 'abandoned' END AS event
            FROM (SELECT n, random() AS r FROM generate_series(1, {count}) AS n) AS g
        ) AS e
    """  # noqa: S608


class QueryLog:
    """Every SQL statement run on the connection while active (an execute wrapper:
    independent of DEBUG and of the per-request query log)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.sql: list[str] = []
        self._cm: Any = None

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.sql.append(sql)
        return execute(sql, params, many, context)

    def __enter__(self) -> QueryLog:
        self._cm = self.connection.execute_wrapper(self)
        self._cm.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._cm.__exit__(*exc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--keep", action="store_true", help="Keep the bench database afterwards.")
    args = parser.parse_args()

    url, name = bench_database_url()
    recreate_database(url, name)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_scopes import scopes_disabled

    from forms_engine.analytics.rollup import rollup_day
    from forms_engine.staff.models import StaffUser
    from forms_engine.tenants.models import City, Domain

    settings.ALLOWED_HOSTS = ["*"]
    rows: list[tuple[str, str, str, str]] = []

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    rows.append(("migrate bench database", "manage.py migrate", f"{(time.perf_counter() - t0):.1f} s", ""))

    with scopes_disabled():
        cities = []
        for slug, city_name, code, ags, population in CITIES:
            city = City.objects.create(
                slug=slug, name=city_name, short_code=code, ags=ags, population=population, analytics_opt_in=True
            )
            Domain.objects.create(host=f"{slug}.localhost", city=city)
            cities.append(city)

    t0 = time.perf_counter()
    generate_events(args.events, [c.pk for c in cities])
    rows.append(
        (
            f"generate {args.events:,} events",
            "one INSERT ... SELECT generate_series",
            f"{time.perf_counter() - t0:.1f} s",
            "",
        )
    )

    # The whole year (a smoke run rolls up fewer days: BENCH_ANALYTICS_DAYS).
    day_count = int(os.environ.get("BENCH_ANALYTICS_DAYS", "365"))
    days = [YEAR_START + timedelta(days=i) for i in range(day_count)]
    t0 = time.perf_counter()
    for city in cities:
        for day in days:
            rollup_day(city, day)
    rows.append(
        (
            f"roll-up, {day_count} days, 6 cities",
            f"rollup_day x {day_count * len(cities):,}",
            f"{time.perf_counter() - t0:.1f} s",
            "",
        )
    )

    day = date(2025, 6, 17)
    med, best, written = timed(lambda: rollup_day(cities[1], day))
    rows.append(
        (
            "roll-up, one day, one city",
            "rollup_day (2 GROUP BY + delete/insert)",
            f"{med:.1f} ms",
            f"best {best:.1f} ms, {written} rows",
        )
    )
    med, best, _r = timed(lambda: [rollup_day(c, day) for c in cities])
    rows.append(("roll-up, one day, six cities", "rollup_day per city", f"{med:.1f} ms", f"best {best:.1f} ms"))

    admin = StaffUser.objects.create_user(username="bench-admin", password="x" * 20, city=cities[1], role="city_admin")
    device = StaticDevice.objects.create(user=admin, name="bench", confirmed=True)
    client = Client(HTTP_HOST="giessen.localhost")
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    url_year = "/statistik/?start=2025-01-01&end=2025-12-31"

    def dashboard() -> int:
        response = client.get(url_year)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    with QueryLog(connection) as queries:
        size = dashboard()
    raw = [sql for sql in queries.sql if "analytics_usageevent" in sql]
    med, best, _r = timed(dashboard)
    rows.append(
        (
            "dashboard page, one city, one year",
            "GET /statistik/ (aggregates only)",
            f"{med:.1f} ms",
            f"best {best:.1f} ms, {size // 1024} KiB, {len(queries.sql)} queries, {len(raw)} on events",
        )
    )
    med, best, _r = timed(lambda: client.get(url_year + "&format=csv&table=summary").status_code)
    rows.append(
        ("dashboard CSV, one city, one year", "GET ?format=csv&table=summary", f"{med:.1f} ms", f"best {best:.1f} ms")
    )

    public = Client(HTTP_HOST="localhost")
    with QueryLog(connection) as queries:
        public.get("/opendata/nutzung.json?year=2025")
    raw_open = [sql for sql in queries.sql if "analytics_usageevent" in sql]
    med, best, _r = timed(lambda: public.get("/opendata/nutzung.json?year=2025").status_code, repeat=3)
    rows.append(
        (
            "open data JSON, 6 cities, one year",
            "GET /opendata/nutzung.json",
            f"{med:.1f} ms",
            f"best {best:.1f} ms, {len(raw_open)} queries on events",
        )
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM analytics_usageevent")
        (events,) = cursor.fetchone()  # type: ignore[misc]
        cursor.execute("SELECT count(*) FROM analytics_dailyaggregate")
        (aggregates,) = cursor.fetchone()  # type: ignore[misc]

    print(f"\nUsage analytics benchmark — {events:,} events, {aggregates:,} daily aggregate rows, 6 cities, 2025")
    print("Times: median of 5 runs (open data: 3), wall clock, PostgreSQL on this machine.\n")
    widths = [max(len(r[i]) for r in [*rows, ("what", "method", "time", "notes")]) for i in range(4)]
    header = ("what", "method", "time", "notes")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    if raw or raw_open:
        print("\nFAIL: the dashboard or open data read raw events")
        sys.exit(1)

    connection.close()
    if not args.keep:
        recreate_database(url, name)  # leave an empty database, not 5 million rows
        import psycopg

        admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run() -> list[tuple[str, str, str]]:
    """bench/run.py contract. This benchmark needs its own database and Django
    set up on it, so it runs as a child process; its table is passed through."""
    import subprocess

    events = os.environ.get("BENCH_ANALYTICS_EVENTS", "5000000")
    done = subprocess.run([sys.executable, __file__, "--events", events], capture_output=True, text=True, check=False)
    print(done.stdout)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "bench/analytics.py failed")
    return [("usage analytics", "see the table above", f"{int(events):,} events, bench/analytics.py")]


if __name__ == "__main__":
    main()

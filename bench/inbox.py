"""Back-office inbox figures: the inbox page, a filtered inbox page and a name
search (blind index), median and p95, with many submissions in the database.

Follows the bench module contract (bench/README.md): `run()` is called by
bench/run.py with the stack up and measures over HTTP as a signed-in team lead.

Standalone (in-process, Django test client through the full middleware stack):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gemeinsam_bench_inbox \\
    DEBUG=0 SECRET_KEY=... FIELD_ENCRYPTION_KEYS=... SECURE_SSL_REDIRECT=0 \\
    .venv/bin/python bench/inbox.py --city 100000 --total 500000

Never point it at a real database: it adds cities, staff and submissions.

Seeding is fast because every row shares one pre-encrypted answers blob and
rows go in with PostgreSQL COPY; only reference, name index, dates, status and
assignee differ per row. Sizes: BENCH_INBOX_CITY (default 100,000 in the
measured city) and BENCH_INBOX_TOTAL (default 500,000 across six cities).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

Row = tuple[str, str, str]
SERVICE = "unterhaltsvorschuss"
USERNAME = "bench-inbox-teamlead"
PASSWORD = "bench-inbox-password-0123456789"  # noqa: S105  (bench database only)
CODES = [f"{n:08d}" for n in range(10000001, 10000021)]
STATUSES = ["approved"] * 5 + ["closed"] * 2 + ["rejected", "received", "in_progress"]
# Names are drawn from these lists (first name i % 40, surname i % 400 shifted),
# so "Neumann" matches 1 in 400 rows and "Neumann Ben" 1 in 16,000.
FIRST_NAMES = [f"Vorname{n}" for n in range(39)] + ["Ben"]
SURNAMES = [f"Nachname{n}" for n in range(399)] + ["Neumann"]
REPEATS = int(os.environ.get("BENCH_INBOX_REPEATS", "30"))
PAGES = {
    "inbox page 1": "/backoffice/",
    "inbox sorted by due date": "/backoffice/?sort=due",
    "overdue view, sorted by due date": "/backoffice/?view=overdue&sort=due",
    "filtered inbox (service, status, unassigned)": f"/backoffice/?service={SERVICE}&status=received&assigned=none",
    # The addresses a search redirects to (every name word only as its blind index).
    'token search "Neumann" (blind index), by due date': "/backoffice/?name={neumann}&sort=due",
    'token search "neumann ben" (blind index)': "/backoffice/?name={neumann}&name={ben}",
    "reference prefix search": "/backoffice/?ref={prefix}-BEN-2026-00047",
}


def _name(i: int) -> tuple[str, str]:
    return FIRST_NAMES[i % len(FIRST_NAMES)], SURNAMES[(i * 7) % len(SURNAMES)]


def _cities(count: int) -> list[Any]:
    from django_scopes import scopes_disabled

    from forms_engine.tenants.models import City, Domain

    with scopes_disabled():
        cities = list(City.objects.order_by("pk")[:count])
        for n in range(len(cities), count):
            slug = f"benchcity{n}"
            city = City.objects.create(
                slug=slug,
                name=f"Bench City {n}",
                short_code=f"B{n}",
                ags=f"0653{n:04d}",
                population=50000,
                accent_colour="#004b87",
                contact_email=f"info@{slug}.example",
                sender_email=f"noreply@{slug}.example",
                feedback_contact=f"a11y@{slug}.example",
            )
            Domain.objects.create(host=f"{slug}.localhost", city=city)
            cities.append(city)
    return cities


def _city_for_host(host: str) -> Any:
    from forms_engine.tenants.middleware import city_for_host

    city = city_for_host(host)
    if city is None:
        raise LookupError(f"no city serves {host}")
    return city


def _template_values() -> dict[str, Any]:
    """Column values shared by every seeded row, prepared once (encrypted once)."""
    from django.db import connection
    from django.utils import timezone

    from forms_engine.submissions.models import Submission

    snapshot = [
        {
            "step": "antragsteller",
            "title": "Antragsteller",
            "fields": [{"name": "name", "label": "Name", "value": "Bench Person"}],
            "entries": [],
        }
    ]
    template = Submission(
        service_slug=SERVICE,
        service_version="1",
        data_schema_version="1",
        reference="x",
        data={"antragsteller": {"name": "Bench Person"}},
        snapshot=snapshot,
        contact_email="bench@example.org",
        applicant_name="Bench Person",
        language="de",
        submitted_at=timezone.now(),
        status="received",
    )
    return {
        str(f.column): f.get_db_prep_save(getattr(template, f.attname), connection)
        for f in Submission._meta.concrete_fields
    }


def seed(city_count: int, total: int, host: str) -> Any:
    """Seed `city_count` submissions in the host's city and the rest of `total`
    over five more cities. Skips what is already there."""
    from django.db import connection
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from forms_engine.catalog.models import CityService
    from forms_engine.lib.crypto import name_token_digest, normalise_name
    from forms_engine.submissions.models import NameToken, Submission

    target = _city_for_host(host)
    with scopes_disabled():
        CityService.objects.get_or_create(city=target, service_slug=SERVICE, defaults={"enabled": True})
    others = [c for c in _cities(6) if c.pk != target.pk][:5]
    plan = [(target, city_count)] + [(c, (total - city_count) // max(len(others), 1)) for c in others]
    columns_values = _template_values()
    columns = list(columns_values)
    table = Submission._meta.db_table
    token_table = NameToken._meta.db_table
    digests = {w: name_token_digest(normalise_name(w)) for w in FIRST_NAMES + SURNAMES}
    now = timezone.now()
    for city, count in plan:
        with scopes_disabled():
            have = Submission.objects.filter(city=city, reference__contains="-BEN-").count()
        if have >= count:
            continue
        tokens: list[tuple[int, uuid.UUID, str]] = []
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for i in range(have, count):
                status = STATUSES[i % len(STATUSES)]
                submitted = now - timedelta(minutes=3 * (count - i))
                row = dict(columns_values)
                row.update(
                    id=uuid.uuid4(),
                    city_id=city.pk,
                    reference=f"{city.short_code}-BEN-2026-{i:07d}",
                    submitted_at=submitted,
                    due_on=timezone.localdate(submitted) + timedelta(days=30),
                    status=status,
                )
                row["decided_at"] = submitted + timedelta(days=5) if status in Submission.DECIDED else None
                copy.write_row([row[c] for c in columns])
                tokens += [(city.pk, row["id"], digests[w]) for w in _name(i)]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {token_table} (city_id, submission_id, digest) FROM STDIN") as copy,
        ):
            for token in tokens:
                copy.write_row(token)
    with connection.cursor() as cursor:
        # Visibility map and statistics, as autovacuum would have them in production.
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute(f"VACUUM ANALYZE {token_table}")
    return target


def _team_lead(city: Any) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from forms_engine.staff.models import StaffUser

    user = StaffUser.objects.filter(username=USERNAME).first()
    if user is None:
        user = StaffUser.objects.create_user(username=USERNAME, password=PASSWORD, city=city, role="team_lead")
    device, _created = StaticDevice.objects.get_or_create(user=user, name="Backup codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in CODES])


def _measure(
    fetch: Callable[[str], int], prefix: str, method: str, queries: Callable[[str], int] | None = None
) -> list[Row]:
    rows: list[Row] = []
    from forms_engine.lib.crypto import name_token_digest

    for label, path in PAGES.items():
        path = path.format(prefix=prefix, neumann=name_token_digest("neumann"), ben=name_token_digest("ben"))
        status = fetch(path)  # warm-up (and check)
        if status != 200:
            rows.append((f"Back office: {label}", "failed", f"answered {status}"))
            continue
        times = []
        for _i in range(REPEATS):
            start = time.perf_counter()
            fetch(path)
            times.append(time.perf_counter() - start)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        value = f"p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
        if queries is not None:
            value += f", {queries(path)} SQL queries"
        rows.append((f"Back office: {label}", value, method.format(n=REPEATS)))
    return rows


def _sizes() -> tuple[int, int]:
    return int(os.environ.get("BENCH_INBOX_CITY", "100000")), int(os.environ.get("BENCH_INBOX_TOTAL", "500000"))


def run() -> list[Row]:
    """bench/run.py contract: the stack is up; measure over HTTP."""
    from bench.loadgen import Browser

    host = os.environ.get("BENCH_CITY_HOST", "giessen.localhost")
    city_n, total_n = _sizes()
    started = time.perf_counter()
    city = seed(city_n, total_n, host)
    seeded = time.perf_counter() - started
    _team_lead(city)
    browser = Browser(os.environ["BENCH_BASE_URL"], host)
    browser.get("/staff/login/")
    browser.post("/staff/login/", {"username": USERNAME, "password": PASSWORD})
    status, _h, _b = browser.post("/staff/login/verify/", {"token": CODES[0]})
    if status != 302:
        return [("Back office inbox", "not available", f"sign-in answered {status}")]
    method = f"{{n}} sequential GETs over HTTP, team lead, {city_n:,} in the city, {total_n:,} in 6 cities"
    rows = _measure(lambda path: browser.get(path)[0], city.short_code, method, _query_counter(host, CODES[1]))
    rows.append(("Back office: seeding", f"{seeded:.0f} s", "COPY with one pre-encrypted blob (skipped if present)"))
    return rows


def _query_counter(host: str, code: str) -> Callable[[str], int]:
    """SQL queries of one page, counted in-process (test client, full middleware)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=host)
    client.post("/staff/login/", {"username": USERNAME, "password": PASSWORD})
    client.post("/staff/login/verify/", {"token": code})
    client.get("/backoffice/")  # records activity in the session once

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        return len(captured)

    return queries


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--city", type=int, default=_sizes()[0])
    parser.add_argument("--total", type=int, default=_sizes()[1])
    parser.add_argument("--host", default="giessen.localhost")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    if _cities(1) and not _city_exists(args.host):
        args.host = f"{_cities(1)[0].slug}.localhost"
    started = time.perf_counter()
    city = seed(args.city, args.total, args.host)
    print(f"seeded in {time.perf_counter() - started:.0f} s")
    _team_lead(city)
    client = Client(HTTP_HOST=args.host)
    client.post("/staff/login/", {"username": USERNAME, "password": PASSWORD})
    client.post("/staff/login/verify/", {"token": CODES[0]})
    method = f"{{n}} GETs in-process (test client), {args.city:,} in the city, {args.total:,} in 6 cities"
    queries = _query_counter(args.host, CODES[1])
    rows = _measure(lambda path: client.get(path).status_code, city.short_code, method, queries)
    width = max(len(r[0]) for r in rows)
    for measure, value, how in rows:
        print(f"{measure:<{width}}  {value:<42}  {how}")
    return 0


def _city_exists(host: str) -> bool:
    from forms_engine.tenants.middleware import city_for_host

    return city_for_host(host) is not None


if __name__ == "__main__":
    raise SystemExit(main())

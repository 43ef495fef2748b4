"""`make bench`: start the real stack on this machine and print a table.

    .venv/bin/python bench/run.py [--seconds 10] [--port 8765] [--web-workers N] [--smoke]

1. creates (or recreates) the PostgreSQL database <name>_bench (<name> from
   DATABASE_URL, default gemeinsam) and migrates it;
2. seeds the demo cities (`manage.py demo --force`);
3. starts gunicorn (deploy/gunicorn.conf.py) and a Celery worker for all queues,
   with production settings (DEBUG off) except TLS (loopback, no proxy);
   and an SMTP sink on 127.0.0.1 (aiosmtpd) that the demo's email delivery
   targets reach, so every submission can be delivered;
4. runs bench/citizen.py and every other bench module present (pdf, inbox,
   analytics: see bench/README.md for the contract);
5. prints every figure with its method, plus the peak memory of a web process
   and of the worker; stops everything it started.

A measurement that cannot complete is a failure: the row says "failed" with
the reason and the command exits 1. `--smoke` (with `--seconds 1`) runs every
measurement at tiny sizes, to prove the bench works (make test does this);
its figures mean nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
MODULES = [
    "bench.citizen",
    "bench.instructions",
    "bench.pdf",
    "bench.inbox",
    "bench.analytics",
    "bench.fitconnect",
    "bench.payment",
    "bench.casework",
    "bench.capacity",
    "bench.cities",  # last: it adds cities
]
Row = tuple[str, str, str]


# Sizes of a smoke run: every measurement runs, nothing is measured.
SMOKE_SIZES = {
    "BENCH_INBOX_CITY": "300",
    "BENCH_INBOX_TOTAL": "900",
    "BENCH_INBOX_REPEATS": "3",
    "BENCH_ANALYTICS_EVENTS": "20000",
    "BENCH_ANALYTICS_DAYS": "3",
    "BENCH_PDF_RENDERS": "2",
    "BENCH_INSTRUCTIONS_REQUESTS": "2",
    "BENCH_PDF_SUBMISSIONS": "2",
    "BENCH_PAYMENT_ROUNDS": "2",
    "BENCH_RULE_REPEATS": "3",
    "BENCH_LETTER_RENDERS": "1",
    "BENCH_CAPACITY_CITIZENS": "2",
    "BENCH_CAPACITY_SECONDS": "2",
    "BENCH_CITIES": "20",
    "BENCH_CITIES_REPEATS": "3",
    # wrk counts nothing when a loaded machine answers slower than a short run lasts.
    "BENCH_PYTHON_LOAD": "1",
    "BENCH_CONCURRENCY": "2",
}
FAILED = "failed"


def bench_environment(port: int, web_workers: int, smtp_port: int) -> dict[str, str]:
    """Production settings, pointed at a database, a Redis key prefix and an SMTP sink of their own."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gemeinsam")
    parts = urllib.parse.urlsplit(base)
    database_url = urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_bench"))
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key-not-for-production-0123456789abcdef"),
        "FIELD_ENCRYPTION_KEYS": os.environ.get(
            "FIELD_ENCRYPTION_KEYS", "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMDE="
        ),
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/15"),
        # Its own keys even on a Redis database a test run shares.
        "CELERY_BROKER_KEY_PREFIX": f"gemeinsam-bench-{os.getpid()}:",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        # The bench's own stand-ins (SMTP sink, FIT-Connect Zustelldienst) listen on 127.0.0.1.
        "DELIVERY_ALLOW_PRIVATE_TARGETS": "1",
        # Loopback without a TLS proxy: no redirect, cookies over http.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "BENCH_CEILING_VIEW": "1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(web_workers),
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "INFO"),
        "BENCH_BASE_URL": f"http://127.0.0.1:{port}",
        "BENCH_CITY_HOST": "giessen.localhost",
    }


def ensure_wrk() -> str:
    if shutil.which("wrk"):
        return "wrk (Debian package)"
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
        if shutil.which("wrk"):
            return "wrk (Debian package, installed now)"
    return "Python load generator (wrk not installed: apt-get install wrk)"


class SmtpSink:
    """Accepts every message and counts it (the back offices' mail server)."""

    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages += 1
        return "250 OK"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def smtp_sink(port: int) -> Iterator[SmtpSink]:
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def recreate_database(env: dict[str, str]) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(env["DATABASE_URL"])
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_ready(base_url: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base_url}/healthz/ready", timeout=5) as response:
                if response.status == 200:
                    return
        except Exception as exc:
            last = str(exc)
        time.sleep(0.5)
    raise RuntimeError(f"the stack did not become ready: {last}")


@contextlib.contextmanager
def stack(env: dict[str, str], log_dir: Path) -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    """gunicorn and a Celery worker, stopped (and only they) on the way out."""
    processes: dict[str, subprocess.Popen[bytes]] = {}
    logs = []
    try:
        for name, command in {
            "web": [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
            "worker": [
                str(VENV_BIN / "celery"), "-A", "config", "worker", "-Q", "default,pdf,delivery",
                "--concurrency", "2", "--loglevel", "WARNING", "--hostname", "bench@%h",
            ],
        }.items():  # fmt: skip
            log = (log_dir / f"{name}.log").open("wb")
            logs.append(log)
            processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        yield processes
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def peak_rss_mib(pid: int) -> float:
    """VmHWM: the process's peak resident set size."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def memory_rows(processes: dict[str, subprocess.Popen[bytes]]) -> list[Row]:
    rows: list[Row] = []
    web = children(processes["web"].pid)
    if web:
        peak = max(peak_rss_mib(pid) for pid in web)
        rows.append(("peak memory of a web process", f"{peak:.0f} MiB", f"max VmHWM of {len(web)} gunicorn workers"))
    worker = processes["worker"].pid
    pool = children(worker)
    rows.append(("peak memory of the worker (main process)", f"{peak_rss_mib(worker):.0f} MiB", "VmHWM, /proc"))
    if pool:
        peak = max(peak_rss_mib(pid) for pid in pool)
        rows.append(("peak memory of a worker pool process", f"{peak:.0f} MiB", f"max VmHWM of {len(pool)} children"))
    return rows


def exercise_worker(timeout: float = 120) -> Row:
    """Submit a few applications so that the worker renders PDFs (its peak memory
    then means something)."""
    from django_scopes import scope, scopes_disabled

    from forms_engine.catalog import registry
    from forms_engine.catalog.base import Answers
    from forms_engine.catalog.models import CityService
    from forms_engine.submissions.actions import submission_submit
    from forms_engine.submissions.models import ProcessingStep
    from forms_engine.tenants.models import City
    from forms_engine.wizard import engine

    service = registry.get("unterhaltsvorschuss")
    if service is None or not service.sample_answers:
        return ("worker exercise", FAILED, "no Unterhaltsvorschuss sample answers")
    with scopes_disabled():
        city = City.objects.get(slug="giessen")
        city_service = CityService.objects.get(city=city, service_slug=service.slug)
    answers = Answers(dict(service.sample_answers[next(iter(service.sample_answers))]))
    count = 4
    started = time.monotonic()
    with scope(city=city):
        context = city_service.context()
        ids = [
            submission_submit(
                city=city, service=service, context=context, answers=answers,
                snapshot=engine.snapshot(service, context, answers, []), attachments=[], language="de",
            ).pk
            for _ in range(count)
        ]  # fmt: skip
        while time.monotonic() - started < timeout:
            pending = ProcessingStep.objects.filter(submission_id__in=ids, kind="pdf").exclude(state="done").count()
            if not pending:
                break
            time.sleep(0.5)
        else:
            return ("worker exercise (submissions processed)", FAILED, f"PDFs not rendered within {timeout:.0f} s")
    return (
        "worker exercise (submissions processed)",
        f"{count} in {time.monotonic() - started:.1f} s",
        "submitted in-process, PDF rendered by the running worker",
    )


def run_modules(only: list[str] | None = None) -> list[Row]:
    rows: list[Row] = []
    for name in MODULES:
        if only and name.removeprefix("bench.") not in only:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that benchmark is not there (yet)
            raise
        started = time.monotonic()
        try:
            rows += module.run()
        except Exception as exc:
            traceback.print_exc()
            rows.append((f"{name}", FAILED, f"{type(exc).__name__}: {str(exc)[:80]}"))
        print(f"  {name} done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return rows


def print_table(rows: list[Row], header: list[str]) -> None:
    widths = [max(len(r[i]) for r in [tuple(header), *rows]) for i in range(3)]
    line = "  ".join("-" * w for w in widths)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    return f"{platform.node()}: {os.cpu_count()} x {cpu}{memory}, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each load run (default 10)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--web-workers", type=int, default=max(2, (os.cpu_count() or 1) * 2))
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: check that every measurement completes")
    parser.add_argument("--only", default="", help="comma-separated modules to run, e.g. citizen,capacity,cities")
    args = parser.parse_args()

    generator = ensure_wrk()
    smtp_port = free_port()
    env = bench_environment(args.port, args.web_workers, smtp_port)
    env["BENCH_SECONDS"] = str(args.seconds)
    if args.smoke:
        env.update(SMOKE_SIZES)
    print(f"Preparing database {urllib.parse.urlsplit(env['DATABASE_URL']).path.lstrip('/')} ...", file=sys.stderr)
    recreate_database(env)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "compilemessages", "-v", "0", "--ignore", ".venv/*", "--ignore", "node_modules/*")
    manage(env, "demo", "--force", "--quiet")
    os.environ.update(env)

    import django

    django.setup()

    log_dir = Path(tempfile.mkdtemp(prefix="gemeinsam-bench-"))
    with smtp_sink(smtp_port) as sink, stack(env, log_dir) as processes:
        wait_ready(env["BENCH_BASE_URL"])
        print(f"Stack ready (logs in {log_dir}); measuring ...", file=sys.stderr)
        rows = run_modules([m.strip() for m in args.only.split(",") if m.strip()])
        rows.append(exercise_worker())
        rows += memory_rows(processes)
        rows.append(("emails received by the SMTP sink", str(sink.messages), "aiosmtpd on 127.0.0.1, deliveries"))
    rows.append(("web processes", str(args.web_workers), "gunicorn sync workers (deploy/gunicorn.conf.py)"))
    print()
    print(f"Gemeinsam benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}, {machine()}")
    print(f"GET load: {generator}; POST load: Python load generator (bench/loadgen.py)")
    print()
    print_table(rows, ["measure", "value", "method"])
    failed = [row[0] for row in rows if row[1] == FAILED]
    if failed:
        print(f"\n{len(failed)} measurement(s) could not complete: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

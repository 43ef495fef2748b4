"""Worker memory per rendered PDF, for choosing worker_max_tasks_per_child and
worker_max_memory_per_child (config/settings.py, docs/performance.md).

Method: in one process, as a prefork pool child would, render the
Unterhaltsvorschuss receipt of the demo city Gießen (full sample answers)
RENDERS times; read the resident set size (VmRSS, /proc/self/status) after
every BATCH renders; the growth per PDF is the least-squares slope over the
batches after the first (the first holds imports, fonts and caches).

  DATABASE_URL=... .venv/bin/python manage.py demo --force
  DATABASE_URL=... .venv/bin/python bench/worker_memory.py [--renders 300]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

BATCH = 25


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def slope(points: list[tuple[int, float]]) -> float:
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=300)
    renders = parser.parse_args().renders
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django_scopes import scope, scopes_disabled

    from forms_engine.catalog import registry
    from forms_engine.catalog.base import Answers
    from forms_engine.catalog.models import CityService
    from forms_engine.documents.render import render_receipt
    from forms_engine.submissions.actions import submission_submit
    from forms_engine.tenants.models import City
    from forms_engine.wizard import engine

    service = registry.get("unterhaltsvorschuss")
    assert service is not None and service.sample_answers
    with scopes_disabled():
        city = City.objects.get(slug="giessen")
        city_service = CityService.objects.get(city=city, service_slug=service.slug)
    answers = Answers(dict(service.sample_answers[next(iter(service.sample_answers))]))
    with scope(city=city):
        context = city_service.context()
        snapshot = engine.snapshot(service, context, answers, [])
        submission = submission_submit(
            city=city, service=service, context=context, answers=answers, snapshot=snapshot, attachments=[],
            language="de",
        )  # fmt: skip
        start = rss_mib()
        points: list[tuple[int, float]] = []
        for done in range(1, renders + 1):
            render_receipt(submission)
            if done % BATCH == 0:
                points.append((done, rss_mib()))
                print(f"{done:5d} renders  RSS {points[-1][1]:7.1f} MiB", flush=True)
    per_pdf = slope(points[1:])
    print(f"method: {renders} receipt renders in one process, RSS every {BATCH}, slope after the first batch")
    print(f"RSS before the first render {start:.1f} MiB, after the first batch {points[0][1]:.1f} MiB")
    print(f"growth {per_pdf * 1024:.0f} KiB per PDF; 500 PDFs: {per_pdf * 500:.0f} MiB")


if __name__ == "__main__":
    main()

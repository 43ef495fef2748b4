"""PDF and processing figures for `make bench` (contract: bench/README.md).

- PDF render time of the Unterhaltsvorschuss receipt with full sample answers,
  median and p95 over 20 renders in a warm process (this one, after one warm-up
  render), next to a bare WeasyPrint render of a one-page document;
- end-to-end time from submit to the PDF and every delivery done, through the
  running worker, one submission at a time;
- sustained submissions per minute the running worker (concurrency 2) gets
  through when 20 arrive at once.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

Row = tuple[str, str, str]
RENDERS = int(os.environ.get("BENCH_PDF_RENDERS", "20"))
SUBMISSIONS = int(os.environ.get("BENCH_PDF_SUBMISSIONS", "10"))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _submit(service: Any, city: Any, context: Any, answers: Any, snapshot: Any) -> Any:
    from forms_engine.submissions.actions import submission_submit

    return submission_submit(
        city=city, service=service, context=context, answers=answers, snapshot=snapshot, attachments=[], language="de"
    )


def _wait(ids: list[Any], timeout: float) -> bool:
    """Every processing step done: PDF, deliveries and confirmation (bench/run.py's SMTP sink takes the mail)."""
    from forms_engine.submissions.models import ProcessingStep

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        open_steps = ProcessingStep.objects.filter(submission_id__in=ids).exclude(state=ProcessingStep.State.DONE)
        if not open_steps.exists():
            return True
        time.sleep(0.02)
    return False


def run() -> list[Row]:
    from django_scopes import scope, scopes_disabled
    from weasyprint import HTML

    from forms_engine.catalog import registry
    from forms_engine.catalog.base import Answers
    from forms_engine.catalog.models import CityService
    from forms_engine.documents.render import render_receipt
    from forms_engine.tenants.models import City
    from forms_engine.wizard import engine

    service = registry.get("unterhaltsvorschuss")
    if service is None or not service.sample_answers:
        raise RuntimeError("no Unterhaltsvorschuss sample answers")
    with scopes_disabled():
        city = City.objects.get(slug="giessen")
        city_service = CityService.objects.get(city=city, service_slug=service.slug)
    answers = Answers(dict(service.sample_answers[next(iter(service.sample_answers))]))
    rows: list[Row] = []
    with scope(city=city):
        context = city_service.context()
        snapshot = engine.snapshot(service, context, answers, [])
        submission = _submit(service, city, context, answers, snapshot)

        render_receipt(submission)  # warm-up: imports, fonts
        times = []
        for _ in range(RENDERS):
            started = time.perf_counter()
            pdf = render_receipt(submission)
            times.append(time.perf_counter() - started)
        bare_html = "<html lang='de'><title>x</title><body><h1>Hallo</h1><p>Eine Seite.</p></body></html>"
        HTML(string=bare_html).write_pdf()
        bare = []
        for _ in range(RENDERS):
            started = time.perf_counter()
            HTML(string=bare_html).write_pdf()
            bare.append(time.perf_counter() - started)
        method = f"{RENDERS} renders after one warm-up, in one process, PDF/UA-1, {len(pdf) // 1024} KiB"
        median, bare_median = statistics.median(times), statistics.median(bare)
        rows += [
            ("PDF render, Unterhaltsvorschuss receipt, median", f"{median:.2f} s", method),
            ("PDF render, Unterhaltsvorschuss receipt, p95", f"{_p95(times):.2f} s", method),
            ("bare WeasyPrint render, one page, median", f"{bare_median:.2f} s", f"{RENDERS} renders, same process"),
            ("receipt / bare render", f"{median / bare_median:.1f}×", "ratio of the medians"),
        ]

        e2e = []
        for _ in range(SUBMISSIONS):
            started = time.perf_counter()
            submission = _submit(service, city, context, answers, snapshot)
            if not _wait([submission.pk], 60):
                raise RuntimeError("end-to-end: a submission was not rendered and delivered within 60 s")
            e2e.append(time.perf_counter() - started)
        if e2e:
            method = f"{len(e2e)} submissions one after another, in-process submit, the running worker"
            rows += [
                ("end-to-end, submit to PDF + deliveries, median", f"{statistics.median(e2e):.2f} s", method),
                ("end-to-end, submit to PDF + deliveries, p95", f"{_p95(e2e):.2f} s", method),
            ]

        count = 2 * SUBMISSIONS
        started = time.perf_counter()
        ids = [_submit(service, city, context, answers, snapshot).pk for _ in range(count)]
        if not _wait(ids, 300):
            raise RuntimeError(f"sustained: {count} submissions were not all rendered and delivered within 300 s")
        elapsed = time.perf_counter() - started
        rows.append(
            (
                "sustained submissions per minute (PDF + deliveries)",
                f"{count / elapsed * 60:.0f} /min",
                f"{count} submitted at once, time until all processed by one worker of concurrency 2",
            )
        )
    return rows

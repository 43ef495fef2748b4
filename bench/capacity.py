"""Capacity end to end: concurrent citizens walk a whole service over HTTP
(start page, every step GET and POST with the sample answers, documents
uploaded, check page, submit, confirmation page) while the running worker
renders the PDFs and makes the deliveries. Prints completed submissions per
hour (counted when PDF, deliveries and confirmation are done, not when the
submit returned) and the latency of the submit POST and of all requests.
Follows the bench module contract (bench/README.md).

Sizes: BENCH_CAPACITY_SERVICE (default hundesteuer), BENCH_CAPACITY_CITIZENS
(concurrent citizens, default 8), BENCH_CAPACITY_SECONDS (how long citizens
keep starting walks, default 3 x BENCH_SECONDS)."""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from typing import Any

from bench.loadgen import Browser, hidden, percentile

Row = tuple[str, str, str]
GOAL_PER_HOUR = 10_000
GOAL_SUBMIT_P95_MS = 500


def _pdf() -> bytes:
    """A small valid one-page PDF (uploads are parsed and checked)."""
    from tests.sample_files import pdf

    return pdf()


def _steps(service_slug: str) -> tuple[dict[str, Any], dict[str, Any]]:
    from forms_engine.catalog import registry

    service = registry.get(service_slug)
    if service is None or not service.sample_answers:
        raise LookupError(f"{service_slug}: no such service or no sample answers")
    answers = dict(next(iter(service.sample_answers.values())))
    return {s.name: s for s in service.steps}, answers


def _file_inputs(html: bytes) -> list[str]:
    return [m.decode() for m in re.findall(rb'type="file" id="[^"]*" name="(file-[^"]+)"', html)]


def walk(
    browser: Browser, service_slug: str, steps: dict[str, Any], answers: dict[str, Any], pdf: bytes
) -> dict[str, Any]:
    """One citizen's whole application; returns the latencies and the submit's."""
    timings: list[float] = []

    def timed(method: str, path: str, form: dict[str, str] | None = None, files: Any = None) -> Any:
        began = time.perf_counter()
        answer = browser.request(method, path, form, files)
        timings.append(time.perf_counter() - began)
        return answer

    status, _h, _b = timed("GET", f"/{service_slug}/")
    if status != 200:
        raise RuntimeError(f"start page {status}")
    status, headers, _b = timed("POST", f"/{service_slug}/", {"action": "start"})
    url = headers.get("location", "")
    for _guard in range(60):
        if status != 302 or url.endswith("/check/"):
            break
        name = url.rstrip("/").rsplit("/", 1)[-1]
        status, _h, html = timed("GET", url)
        if status != 200 or name not in steps:
            raise RuntimeError(f"step {name}: {status}")
        form = {
            "draft": hidden(html, "draft"),
            "step": name,
            "revision": hidden(html, "revision"),
            "action": "continue",
        }
        step, values = steps[name], answers.get(name)
        if step.repeat is not None:
            entries = list(values or [])
            form |= {
                f"{name}-TOTAL_FORMS": str(len(entries)),
                f"{name}-INITIAL_FORMS": hidden(html, f"{name}-INITIAL_FORMS"),
                f"{name}-MIN_NUM_FORMS": "0",
                f"{name}-MAX_NUM_FORMS": "1000",
            }
            for index, entry in enumerate(entries):
                form |= {f"{name}-{index}-{k}": str(v) for k, v in entry.items()}
        else:
            form |= {k: str(v) for k, v in (values or {}).items()}
        files = {f: (f"{f}.pdf", pdf, "application/pdf") for f in _file_inputs(html)}
        status, headers, _b = timed("POST", url, form, files)
        if status == 302 and headers.get("location", "").split("?")[0] == url:
            # Errors, or this page's answers asked for further documents: as a browser, look and send again.
            status, _h, html = timed("GET", headers["location"])
            form["revision"] = hidden(html, "revision")
            files = {f: (f"{f}.pdf", pdf, "application/pdf") for f in _file_inputs(html)}
            status, headers, _b = timed("POST", url, form, files)
            if status == 302 and headers.get("location", "").split("?")[0] == url:
                raise RuntimeError(f"step {name} refused the sample answers")
        url = headers.get("location", "")
    if not url.endswith("/check/"):
        raise RuntimeError(f"never reached the check page ({status} {url})")
    status, _h, html = timed("GET", url)
    began = time.perf_counter()
    status, headers, _b = browser.post(url, {"draft": hidden(html, "draft"), "revision": hidden(html, "revision")})
    submit = time.perf_counter() - began
    timings.append(submit)
    done = headers.get("location", "")
    if status != 302 or "/done/" not in done:
        raise RuntimeError(f"submit answered {status} {done}")
    status, _h, _b = timed("GET", done)
    return {"timings": timings, "submit": submit, "submission": done.rstrip("/").rsplit("/", 1)[-1]}


def _citizen(base_url: str, host: str, service_slug: str, stop_at: float, queue: Any) -> None:
    try:
        steps, answers = _steps(service_slug)
        pdf = _pdf()
        walks: list[dict[str, Any]] = []
        problem = ""
        while time.time() < stop_at:
            try:
                walks.append(walk(Browser(base_url, host), service_slug, steps, answers, pdf))
            except Exception as exc:  # counted, and the citizen starts again
                problem = f"{type(exc).__name__}: {exc}"[:200]
                walks.append({"failed": problem})
        queue.put((walks, problem))
    except Exception as exc:
        queue.put(([], f"{type(exc).__name__}: {exc}"[:200]))


def _processed(ids: list[str], timeout: float) -> float | None:
    """Seconds until every submission's processing (PDF, deliveries, confirmation) is done."""
    from forms_engine.submissions.models import ProcessingStep

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not ProcessingStep.objects.filter(submission_id__in=ids).exclude(state=ProcessingStep.State.DONE).exists():
            return time.monotonic()
        time.sleep(0.25)
    return None


def run() -> list[Row]:
    from django_scopes import scopes_disabled

    from forms_engine.catalog.models import CityService
    from forms_engine.submissions.models import Submission

    base_url = os.environ["BENCH_BASE_URL"]
    host = os.environ.get("BENCH_CITY_HOST", "giessen.localhost")
    service_slug = os.environ.get("BENCH_CAPACITY_SERVICE", "hundesteuer")
    citizens = int(os.environ.get("BENCH_CAPACITY_CITIZENS", "8"))
    seconds = float(os.environ.get("BENCH_CAPACITY_SECONDS", str(3 * float(os.environ.get("BENCH_SECONDS", "10")))))
    with scopes_disabled():
        if not CityService.objects.filter(city__domains__host=host, service_slug=service_slug, enabled=True).exists():
            raise LookupError(f"{service_slug} is not offered at {host}")
        before = Submission.objects.count()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    started = time.monotonic()
    stop_at = time.time() + seconds
    processes = [
        context.Process(target=_citizen, args=(base_url, host, service_slug, stop_at, queue)) for _ in range(citizens)
    ]
    for process in processes:
        process.start()
    walks: list[dict[str, Any]] = []
    problems: list[str] = []
    for _process in processes:
        found, problem = queue.get(timeout=seconds + 300)
        walks += found
        if problem:
            problems.append(problem)
    for process in processes:
        process.join(timeout=10)
    walked = time.monotonic()
    completed = [w for w in walks if "failed" not in w]
    failed = len(walks) - len(completed)
    if not completed:
        raise RuntimeError(f"no citizen completed an application: {problems[:1]}")
    with scopes_disabled():
        ids = [w["submission"] for w in completed]
        finished = _processed(ids, timeout=600)
        if finished is None:
            raise RuntimeError(f"{len(ids)} submissions were not all processed within 600 s")
        created = Submission.objects.count() - before
    elapsed = finished - started
    per_hour = len(completed) / elapsed * 3600
    submits = [w["submit"] for w in completed]
    every = [t for w in completed for t in w["timings"]]
    requests_per_walk = len(every) / len(completed)
    method = (
        f"{citizens} citizens (processes) over HTTP, each walking {service_slug} start to confirmation "
        f"({requests_per_walk:.0f} requests, documents uploaded) for {seconds:.0f} s; "
        "counted when PDF, deliveries and confirmation are done"
    )
    errors = f", {failed} walks failed ({problems[0]})" if failed else ""
    return [
        ("capacity: completed submissions per hour", f"{per_hour:,.0f}", f"{method}{errors}"),
        (
            "capacity: submissions, time",
            f"{len(completed)} in {elapsed:.0f} s",
            f"walks {walked - started:.0f} s, processing after the last walk {finished - walked:.0f} s; {created} rows",
        ),
        (
            "capacity: submit POST p50 / p95",
            f"{percentile(submits, 0.5) * 1000:.0f} / {percentile(submits, 0.95) * 1000:.0f} ms",
            "check page POST to the confirmation redirect, under the load above",
        ),
        (
            "capacity: any request p50 / p95",
            f"{percentile(every, 0.5) * 1000:.0f} / {percentile(every, 0.95) * 1000:.0f} ms",
            f"{len(every)} requests of the walks",
        ),
        (
            "capacity: goal",
            f"{per_hour / GOAL_PER_HOUR:.2f} x {GOAL_PER_HOUR:,}/h; submit p95 "
            f"{percentile(submits, 0.95) * 1000 / GOAL_SUBMIT_P95_MS:.2f} x {GOAL_SUBMIT_P95_MS} ms",
            "measured / goal (issue 20)",
        ),
    ]

"""Citizen-facing figures: a step page of the Unterhaltsvorschuss (GET) and a
step POST with valid data, each next to the ceiling: a minimal view at
/bench/ceiling/ behind the same middleware stack, returning a page of the same
size. Follows the bench module contract (bench/README.md)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from bench.loadgen import CONCURRENCY, Browser, Result, hidden, python_load, wrk_available, wrk_get

SERVICE = "unterhaltsvorschuss"
Row = tuple[str, str, str]


def _sample() -> tuple[list[str], dict[str, Any]]:
    from forms_engine.catalog import registry

    service = registry.get(SERVICE)
    if service is None or not service.sample_answers or len(service.steps) < 2:
        raise LookupError(f"the {SERVICE} service or its sample answers are missing")
    sample = dict(service.sample_answers[next(iter(service.sample_answers))])
    return [s.name for s in service.steps], sample


def _form(html: bytes, step: str, values: dict[str, Any]) -> dict[str, str]:
    data = {"draft": hidden(html, "draft"), "step": step, "revision": hidden(html, "revision"), "action": "continue"}
    data.update({k: str(v) for k, v in values.items()})
    return data


def new_citizen(base_url: str, host: str) -> tuple[Browser, str]:
    """A citizen with a fresh draft whose first step is answered; returns the
    browser and the path of the second step (the measured page)."""
    steps, sample = _sample()
    browser = Browser(base_url, host)
    status, _headers, _body = browser.get(f"/{SERVICE}/")
    if status != 200:
        raise LookupError(f"start page answered {status}")
    status, headers, _body = browser.post(f"/{SERVICE}/", {"action": "start"})
    if status != 302:
        raise LookupError(f"starting a draft answered {status}")
    first = f"/{SERVICE}/{steps[0]}/"
    status, _headers, html = browser.get(first)
    if status != 200:
        raise LookupError(f"first step answered {status}")
    status, headers, _body = browser.post(first, _form(html, steps[0], sample.get(steps[0], {})))
    second = f"/{SERVICE}/{steps[1]}/"
    if status != 302 or not headers.get("location", "").endswith(second):
        raise LookupError(f"first step POST answered {status} {headers.get('location')}")
    return browser, second


def _step_post_client(base_url: str, host: str) -> Callable[[int], Callable[[], bool]]:
    steps, sample = _sample()
    values = sample.get(steps[1], {})

    def factory(_index: int) -> Callable[[], bool]:
        browser, path = new_citizen(base_url, host)
        _status, _headers, html = browser.get(path)
        form = _form(html, steps[1], values)
        # How much a valid POST moves the draft's revision (read once, then predicted).
        status, _headers, _body = browser.post(path, form)
        _status, _headers, html = browser.get(path)
        step = int(hidden(html, "revision")) - int(form["revision"])
        form["revision"] = hidden(html, "revision")
        assert status == 302, f"a valid step POST answered {status}"

        def one() -> bool:
            status, _headers, _body = browser.post(path, form)
            if status == 302:
                form["revision"] = str(int(form["revision"]) + step)
                return True
            _status, _headers, html = browser.get(path)  # resynchronise, count as error
            form["revision"] = hidden(html, "revision")
            return False

        return one

    return factory


def _get_client(base_url: str, host: str, path: str, cookies: dict[str, str]) -> Callable[[int], Callable[[], bool]]:
    def factory(_index: int) -> Callable[[], bool]:
        browser = Browser(base_url, host)
        browser.cookies = dict(cookies)

        def one() -> bool:
            return browser.get(path)[0] == 200

        return one

    return factory


def _ceiling_post_client(base_url: str, host: str, cookies: dict[str, str]) -> Callable[[int], Callable[[], bool]]:
    def factory(_index: int) -> Callable[[], bool]:
        browser = Browser(base_url, host)
        browser.cookies = dict(cookies)

        def one() -> bool:
            return browser.post("/bench/ceiling/?size=64", {"x": "1"})[0] == 200

        return one

    return factory


def _rows(label: str, result: Result) -> list[Row]:
    errors = f", {result.errors} errors" if result.errors else ""
    return [
        (f"{label}: requests/s", f"{result.rps:.0f}", f"{result.method}{errors}"),
        (f"{label}: p50 / p99 latency", f"{result.p50_ms:.1f} / {result.p99_ms:.1f} ms", result.method),
    ]


def _measure_get(base_url: str, host: str, path: str, cookies: dict[str, str], seconds: float) -> Result:
    if wrk_available() and not os.environ.get("BENCH_PYTHON_LOAD"):
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return wrk_get(base_url + path, host, cookie, seconds)
    return python_load(_get_client(base_url, host, path, cookies), seconds)


def run() -> list[Row]:
    base_url = os.environ["BENCH_BASE_URL"]
    host = os.environ.get("BENCH_CITY_HOST", "giessen.localhost")
    seconds = float(os.environ.get("BENCH_SECONDS", "10"))
    try:
        browser, path = new_citizen(base_url, host)
    except (LookupError, OSError) as exc:
        raise RuntimeError(f"no citizen could start the service: {exc}") from exc
    _status, _headers, page = browser.get(path)
    size = len(page)
    rows: list[Row] = []
    label = f"{SERVICE} step {path.strip('/').split('/')[-1]!r} GET ({size / 1024:.1f} KiB)"
    step_get = _measure_get(base_url, host, path, browser.cookies, seconds)
    ceiling_get = _measure_get(base_url, host, f"/bench/ceiling/?size={size}", browser.cookies, seconds)
    if not (step_get.rps and ceiling_get.rps):
        raise RuntimeError(f"no GET completed within {seconds:.0f} s ({step_get.method})")
    rows += _rows(label, step_get)
    rows += _rows(f"ceiling GET (same stack, {size / 1024:.1f} KiB)", ceiling_get)
    rows.append(
        ("step GET / ceiling (requests/s)", f"{step_get.rps / ceiling_get.rps:.2f}", "ratio of the two rows above")
    )
    step_post = python_load(_step_post_client(base_url, host), seconds)
    ceiling_post = python_load(_ceiling_post_client(base_url, host, browser.cookies), seconds)
    if not (step_post.rps and ceiling_post.rps):
        raise RuntimeError(f"no POST completed within {seconds:.0f} s ({step_post.method})")
    rows += _rows(f"{SERVICE} step POST, valid data (302)", step_post)
    rows += _rows("ceiling POST (same stack, CSRF checked)", ceiling_post)
    rows.append(
        ("step POST / ceiling (requests/s)", f"{step_post.rps / ceiling_post.rps:.2f}", "ratio of the two rows above")
    )
    rows.append(("concurrency", str(CONCURRENCY), "clients on loopback"))
    return rows

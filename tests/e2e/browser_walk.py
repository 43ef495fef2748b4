"""Walk a service through the wizard in the browser, as a citizen would: with
the service's sample answers, uploading a small PDF wherever a document is asked for."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from forms_engine.catalog import registry
from forms_engine.catalog.base import OnlineService
from tests.wizard.walk import SMALL_PDF

PageCheck = Callable[[Any, str], None]


def pdf_file(folder: Path) -> Path:
    path = folder / "nachweis.pdf"
    if not path.exists():
        path.write_bytes(SMALL_PDF)
    return path


def get_service(slug: str) -> OnlineService:
    service = registry.get(slug)
    assert service is not None, f"no service {slug!r} registered"
    return service


def longest_sample(service: OnlineService) -> dict[str, Any]:
    """The sample path that shows the most steps (covers the conditional ones)."""
    paths = [dict(answers) for answers in service.sample_answers.values()]
    assert paths, f"{service.slug} has no sample answers"
    return max(paths, key=len)


def samples_covering_every_step(service: OnlineService) -> list[dict[str, Any]]:
    """Few sample paths that between them answer every step: the longest first,
    then each time the one that adds the most steps not yet answered."""
    paths = [dict(answers) for answers in service.sample_answers.values()]
    assert paths, f"{service.slug} has no sample answers"
    remaining = {step.name for step in service.steps}
    chosen: list[dict[str, Any]] = []
    while paths:
        best = max(paths, key=lambda answers: len(remaining & set(answers)))
        if chosen and not remaining & set(best):
            break
        chosen.append(best)
        paths.remove(best)
        remaining -= set(best)
    return chosen


def step_name(page: Any) -> str:
    return str(urlparse(page.url).path).rstrip("/").rsplit("/", 1)[-1]


def path_of(page: Any) -> str:
    return str(urlparse(page.url).path)


def submit(page: Any, selector: str) -> None:
    """Clicks a submit button and waits for the answer page."""
    with page.expect_navigation():
        page.locator(selector).first.click()


def continue_step(page: Any) -> None:
    submit(page, "main .form-actions button[name=action][value=continue]")


def _values(value: Any) -> list[str]:
    items = value if isinstance(value, list | tuple) else [value]
    return [str(v) for v in items]


def fill_fields(page: Any, prefix: str, values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        controls = page.locator(f'main [name="{prefix}{key}"]')
        if controls.count() == 0:
            continue
        kind = controls.first.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind == "input:radio":
            if value in (None, ""):
                continue
            page.locator(f'main [name="{prefix}{key}"][value="{value}"]').check()
        elif kind == "input:checkbox" and (controls.count() > 1 or isinstance(value, list)):
            for choice in _values(value):
                page.locator(f'main [name="{prefix}{key}"][value="{choice}"]').check()
        elif kind == "input:checkbox":
            controls.first.set_checked(value not in (None, "", False, "off", "false", "False"))
        elif kind.startswith("select"):
            controls.first.select_option(_values(value) if kind == "select:select-multiple" else str(value))
        elif kind != "input:file":
            controls.first.fill("" if value is None else str(value))


def fill_step(page: Any, service: OnlineService, name: str, answers: Any, upload: Path) -> None:
    step = service.step(name)
    assert step is not None, f"{service.slug}: unknown step {name!r}"
    if step.repeat is not None:
        entries = list(answers or [])
        while page.locator("main fieldset.wizard-entry").count() < len(entries):
            submit(page, "main button[name=action][value=add]")
        for index, entry in enumerate(entries):
            fill_fields(page, f"{name}-{index}-", entry)
    else:
        fill_fields(page, "", answers or {})
    for field in page.locator("main input[type=file]").all():
        field.set_input_files(str(upload))


def errors_on(page: Any) -> str:
    return " | ".join(page.locator("main .kern-error").all_inner_texts())[:2000]


def _check_step(page: Any, service: OnlineService, name: str, check: PageCheck | None, with_errors: bool) -> None:
    url = page.url
    if not with_errors:
        if check:
            check(page, f"{service.slug}/{name}")
        return
    continue_step(page)
    if page.url == url and page.locator("#error-summary").count():
        assert page.title().startswith(("Fehler:", "Error:")), page.title()  # announced on load
        if check:  # the same page as before, plus the error summary and messages
            check(page, f"{service.slug}/{name} with errors")
    else:  # nothing on this page is required: check it as first shown
        page.goto(url)
        if check:
            check(page, f"{service.slug}/{name}")


def walk(
    page: Any,
    start_url: str,
    service: OnlineService,
    answers: Mapping[str, Any],
    upload: Path,
    *,
    check: PageCheck | None = None,
    with_errors: bool = False,
    seen: set[str] | None = None,
) -> str:
    """Starts the service at `start_url`, answers every step the wizard asks
    for and submits. `check(page, label)` is called on every page shown. With
    `with_errors` each step is first sent empty and checked in its error state,
    which is the same page with the error summary and messages added (checking
    both would double the time for nothing new); a step that accepts an empty
    answer is checked as first shown. Steps named in `seen` are answered
    without checks; the steps shown are added to it. Returns the confirmation
    page's URL."""
    seen = set() if seen is None else seen
    first_walk = not seen
    page.goto(start_url)
    if check and first_walk:
        check(page, f"{service.slug} start")
    submit(page, "main button[name=action][value=start]")
    for _guard in range(60):  # a bound on steps, in case the wizard kept asking
        if path_of(page).endswith("/check/"):
            break
        name = step_name(page)
        url = page.url
        assert name in answers, f"{service.slug}: the wizard asks for step {name!r}, no sample answers"
        if name not in seen:
            seen.add(name)
            _check_step(page, service, name, check, with_errors)
        fill_step(page, service, name, answers[name], upload)
        continue_step(page)
        if page.url == url and page.locator("main input[type=file]").count():
            # The answers on this page asked for further documents: upload them too.
            fill_step(page, service, name, answers[name], upload)
            continue_step(page)
        assert page.url != url, f"{service.slug}/{name} refused: {errors_on(page)}"
    assert path_of(page).endswith("/check/"), page.url
    if check:
        check(page, f"{service.slug} check")
    submit(page, "main form button[type=submit]")
    assert "/done/" in path_of(page), f"{page.url}: {errors_on(page)}"
    if check and first_walk:
        check(page, f"{service.slug} done")
    return str(page.url)

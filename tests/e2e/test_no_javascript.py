"""With JavaScript switched off in the browser a citizen completes a service:
entries of a repeating group are added and removed, documents uploaded, and
the error summary still gets the focus (the autofocus attribute, no script).

No service of the demo has a repeating group yet, so this runs the engine's
test service (tests/wizard/testservice.py: a person, a repeating group of
pets, a step with documents)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled

from forms_engine.tenants.models import City
from tests.conftest import enable_service
from tests.wizard import testservice  # registers the service "testantrag"

from .browser import DemoSite, new_page
from .browser_walk import continue_step, path_of, pdf_file, step_name, submit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SLUG = testservice.TestService.slug


@pytest.fixture
def page_without_js(browser: Any, demo_site: DemoSite) -> Iterator[Any]:
    with scopes_disabled():
        enable_service(City.objects.get(slug="giessen"), SLUG)
    page = new_page(browser, demo_site, java_script_enabled=False)
    yield page
    page.context.close()
    assert not demo_site.problems, "\n".join(demo_site.problems)


def entry_names(page: Any) -> list[str]:
    return [field.input_value() for field in page.locator("main fieldset.wizard-entry input[name$='-name']").all()]


def test_complete_a_service_without_javascript(page_without_js: Any, demo_site: DemoSite, tmp_path: Path) -> None:
    page = page_without_js
    page.goto(demo_site.url("giessen", f"/{SLUG}/"))
    submit(page, "main button[name=action][value=start]")
    assert step_name(page) == "person"

    continue_step(page)  # nothing filled in
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.locator("#id_first_name").fill("Jürgen")
    page.locator("#id_last_name").fill("Öztürk")
    page.locator("#id_has_pets_0").check()
    continue_step(page)
    assert step_name(page) == "tiere"

    # A repeating group: one entry to begin with, two added, the middle one removed.
    assert page.locator("main fieldset.wizard-entry").count() == 1
    page.locator("[name='tiere-0-name']").fill("Bello")
    page.locator("[name='tiere-0-born']").fill("2020-01-02")
    submit(page, "main button[name=action][value=add]")
    assert entry_names(page) == ["Bello", ""]
    page.locator("[name='tiere-1-name']").fill("Minka")
    page.locator("[name='tiere-1-born']").fill("2021-03-04")
    submit(page, "main button[name=action][value=add]")
    page.locator("[name='tiere-2-name']").fill("Hansi")
    page.locator("[name='tiere-2-born']").fill("2022-05-06")
    assert entry_names(page) == ["Bello", "Minka", "Hansi"]
    submit(page, "main button[name=action][value='remove-1']")
    assert entry_names(page) == ["Bello", "Hansi"]
    continue_step(page)
    assert step_name(page) == "nachweise"

    # Documents: a file field per document, sent with the form.
    upload = pdf_file(tmp_path)
    for field in page.locator("main input[type=file]").all():
        field.set_input_files(str(upload))
    page.locator("#id_confirm").check()
    continue_step(page)
    assert path_of(page).endswith("/check/"), page.locator("main").inner_text()[:2000]

    summary = page.locator("main").inner_text()
    assert "Bello" in summary and "Hansi" in summary and "Minka" not in summary
    assert summary.count(upload.name) == 2  # Ausweis and Tierpass
    submit(page, "main form button[type=submit]")
    assert "/done/" in path_of(page)
    assert page.locator(".reference").inner_text().startswith("GI-TST-")

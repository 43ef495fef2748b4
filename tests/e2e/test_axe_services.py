"""axe-core (WCAG 2.1 A/AA) over the citizen flow: every step of every service
(each also in its error state; as many sample paths as it takes to reach every
conditional step), check your answers, confirmation, save and resume. The
pages are the same templates in every city and only the accent colour differs
(/theme.css), so the full walk runs in Gießen, which offers every service, and
every city gets its service start page, a step and an error state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled

from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService
from forms_engine.tenants.management.commands.demo import offers
from forms_engine.tenants.models import City
from tests.conftest import enable_service
from tests.wizard import testservice

from .browser import CITY_SLUGS, AxeReport, DemoSite
from .browser_walk import (
    continue_step,
    get_service,
    path_of,
    pdf_file,
    samples_covering_every_step,
    submit,
    walk,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def offered(city: str) -> list[str]:
    with scopes_disabled():
        return sorted(CityService.objects.filter(city__slug=city, enabled=True).values_list("service_slug", flat=True))


def test_every_service_every_step_in_giessen(page: Any, demo_site: DemoSite, tmp_path: Path) -> None:
    slugs = offered("giessen")
    assert set(slugs) == set(offers("giessen")) == {s.slug for s in registry.all_services() if s.demo}
    report = AxeReport()
    unchecked = []
    for slug in slugs:
        service = get_service(slug)
        seen: set[str] = set()  # steps checked; further sample paths check only new ones
        for answers in samples_covering_every_step(service):
            walk(
                page,
                demo_site.url("giessen", f"/{slug}/"),
                service,
                answers,
                pdf_file(tmp_path),
                check=report.check,
                with_errors=True,
                seen=seen,
            )
        unchecked += [f"{slug}/{step.name}" for step in service.steps if step.name not in seen]
    assert not unchecked, f"steps no sample path reaches (add one to the service's sample_answers): {unchecked}"
    report.assert_clean()


def test_repeating_group_save_and_resume(page: Any, demo_site: DemoSite, tmp_path: Path) -> None:
    """The engine's repeating group (no demo service has one yet: the engine's
    test service does), the save page with its code, and the resume page."""
    with scopes_disabled():
        enable_service(City.objects.get(slug="giessen"), testservice.TestService.slug)
    service = get_service(testservice.TestService.slug)
    report = AxeReport()
    walk(
        page,
        demo_site.url("giessen", "/testantrag/"),
        service,
        service.sample_answers["mit_tieren"],
        pdf_file(tmp_path),
        check=report.check,
        with_errors=True,
    )
    page.goto(demo_site.url("giessen", "/testantrag/"))
    submit(page, "main button[name=action][value=start]")
    submit(page, "main button[name=action][value=save]")
    assert page.locator(".resume-code").is_visible()
    report.check(page, "save for later")
    page.goto(demo_site.url("giessen", "/resume/"))
    report.check(page, "resume")
    submit(page, "main form button[type=submit]")
    assert page.locator("#error-summary").is_visible()
    report.check(page, "resume with errors")
    report.assert_clean()


def test_a_step_and_its_errors_in_every_theme(page: Any, demo_site: DemoSite) -> None:
    report = AxeReport()
    for city in CITY_SLUGS:
        slug = offered(city)[0]
        page.goto(demo_site.url(city, f"/{slug}/"))
        report.check(page, f"{city}: {slug} start")
        submit(page, "main button[name=action][value=start]")
        report.check(page, f"{city}: {slug} first step")
        continue_step(page)
        assert page.locator("#error-summary").is_visible(), page.url
        report.check(page, f"{city}: {slug} first step with errors")

    # English: the switch keeps the citizen on the same step.
    step_path = path_of(page)
    submit(page, "header button[name=language][value=en]")
    assert path_of(page) == step_path and page.locator("html").get_attribute("lang") == "en"
    report.check(page, "a step in English")
    report.assert_clean()


def test_dead_ends(page: Any, demo_site: DemoSite) -> None:
    """Where a citizen lands when a session, a resume link or a document link ran out."""
    report = AxeReport()
    page.goto(demo_site.url("wetzlar", f"/{offered('wetzlar')[0]}/expired/"))
    report.check(page, "session ended")
    response = page.goto(demo_site.url("wetzlar", "/resume/not-a-valid-code/"))
    assert response.status == 404
    report.check(page, "resume link unknown")
    response = page.goto(demo_site.url("wetzlar", "/nachreichen/not-a-valid-token/"))
    assert response.status == 404
    report.check(page, "document link unknown")
    report.assert_clean()

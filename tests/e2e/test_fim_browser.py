"""An imported FIM service in the browser: axe-clean on every step (and its
error state), the check page and the confirmation, and no page scrolls
sideways at 320 or 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled

from forms_engine.catalog import registry
from forms_engine.tenants.models import City
from tests.conftest import enable_service
from tests.fim.helpers import DOCUMENTS, import_fixture

from .browser import AxeReport, DemoSite
from .browser_walk import pdf_file, walk
from .test_overflow import WIDTHS, error_pages, too_wide

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def imported() -> list[Any]:
    services = []
    for name in sorted(DOCUMENTS):
        row = import_fixture(name)
        with scopes_disabled():
            enable_service(City.objects.get(slug="giessen"), row.slug)
        service = registry.get(row.slug)
        assert service is not None
        services.append(service)
    return services


def test_imported_services_are_axe_clean_and_fit(page: Any, demo_site: DemoSite, tmp_path: Path) -> None:
    report = AxeReport()
    services = imported()
    for service in services:
        seen: set[str] = set()
        walk(
            page,
            demo_site.url("giessen", f"/{service.slug}/"),
            service,
            service.sample_answers["fim"],
            pdf_file(tmp_path),
            check=report.check,
            with_errors=True,
            seen=seen,
        )
        assert seen == {s.name for s in service.steps}
    report.assert_clean()

    pages = error_pages("giessen.localhost", services)
    assert len(pages) >= sum(len(s.steps) for s in services)
    page.goto(demo_site.url("giessen", "/resume/"))
    problems = [line for width in WIDTHS for line in too_wide(page, width, pages)]
    assert not problems, "\n".join(problems[:40])

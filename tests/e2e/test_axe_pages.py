"""axe-core (WCAG 2.1 A/AA) over the pages that are the same in every city,
in each of the six demo cities' themes."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import CITY_SLUGS, AxeReport, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CITY_PAGES = ["/", "/info/impressum/", "/info/datenschutz/", "/info/barrierefreiheit/", "/info/leichte-sprache/"]


def test_city_pages_in_every_theme(page: Any, demo_site: DemoSite) -> None:
    report = AxeReport()
    for city in CITY_SLUGS:
        for path in CITY_PAGES:
            response = page.goto(demo_site.url(city, path))
            assert response.status == 200, f"{page.url}: {response.status}"
            report.check(page)
    report.assert_clean()

"""axe-core (WCAG 2.1 A/AA) over the pages that are the same in every city,
in each of the six demo cities' themes."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import CITY_SLUGS, AxeReport, DemoSite, axe_violations

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


def test_the_check_catches_a_violation(page: Any, demo_site: DemoSite) -> None:
    """The harness itself: an unlabelled field and an image without text on a
    real page are reported, with the page and the element."""
    page.goto(demo_site.url("fulda", "/info/impressum/"))
    page.evaluate(
        """() => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('beforeend', '<input type="text" id="unlabelled">');
          main.insertAdjacentHTML('beforeend', '<img src="/coat-of-arms" id="no-alt">');
        }"""
    )
    found = "\n".join(axe_violations(page))
    assert "label" in found and "#unlabelled" in found, found
    assert "image-alt" in found and "#no-alt" in found, found
    assert "/info/impressum/" in found

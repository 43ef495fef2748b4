"""axe-core (WCAG 2.1 A/AA) over the pages that are the same in every city,
in each of the six demo cities' themes."""

from __future__ import annotations

from typing import Any

import pytest

from forms_engine.tenants.management.commands.demo import CITIES

from .browser import CITY_SLUGS, AxeReport, DemoSite, axe_violations, form_wiring_problems, rgb

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CITY_PAGES = ["/", "/info/impressum/", "/info/datenschutz/", "/info/barrierefreiheit/", "/info/leichte-sprache/"]


def test_city_pages_in_every_theme(page: Any, demo_site: DemoSite) -> None:
    accents = {slug: colour for _name, slug, _prefix, _ags, _population, colour in CITIES}
    report = AxeReport()
    for city in CITY_SLUGS:
        for path in CITY_PAGES:
            response = page.goto(demo_site.url(city, path))
            assert response.status == 200, f"{page.url}: {response.status}"
            report.check(page)
        # The city's theme is in force, so contrast is judged in its colours.
        header = page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomColor")
        assert header == rgb(accents[city]), (city, header)
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

    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
             '<form><p class="kern-error" id="lost_error">Pflichtfeld</p>' +
             '<label for="x">X</label><input id="x" aria-invalid="true">' +
             '<input type="radio" name="choice" id="c1" aria-label="A">' +
             '<input type="radio" name="choice" id="c2" aria-label="B"></form>' +
             '<div class="error-summary"><a href="#nowhere">Feld</a></div>')"""
    )
    wiring = "\n".join(form_wiring_problems(page))
    assert "#lost_error is tied to no field" in wiring, wiring
    assert "invalid x does not name its error message" in wiring, wiring
    assert "options of choice are not grouped" in wiring, wiring
    assert "error summary links to missing #nowhere" in wiring, wiring


def test_receipt_download_pages_in_every_theme(page: Any, demo_site: DemoSite) -> None:
    """The page behind the confirmation email's link (issue 21, part 2): the
    code form, its error state, and the refusal of an unknown link."""
    from django_scopes import scope, scopes_disabled

    from forms_engine.submissions.models import Submission
    from forms_engine.submissions.receipt_links import create_link
    from forms_engine.tenants.models import City

    report = AxeReport()
    for city_slug in CITY_SLUGS:
        with scopes_disabled():
            city = City.objects.get(slug=city_slug)
        with scope(city=city):
            submission = Submission.objects.filter(city=city).first()
            assert submission is not None, "the demo has submissions in every city"
            _link, token = create_link(submission)
        response = page.goto(demo_site.url(city_slug, f"/quittung/{token}/"))
        assert response.status == 200, f"{page.url}: {response.status}"
        report.check(page, "receipt form")
        page.fill("#id_code", "AAAA-BBBB")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        assert page.locator("#error-summary").count() == 1, page.content()[:3000]
        report.check(page, "receipt wrong code")
        assert page.goto(demo_site.url(city_slug, "/quittung/" + "A" * 43 + "/")).status == 404
        report.check(page, "receipt unknown link")
    report.assert_clean()

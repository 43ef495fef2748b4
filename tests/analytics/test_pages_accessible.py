"""axe-core (WCAG 2.1 A/AA) over the dashboard, the open-data page and the
rating pages, in a real browser, as served (CSP on, no JavaScript of ours)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from forms_engine.analytics.rollup import rollup_day
from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City
from tests.conftest import PASSWORD, make_staff
from tests.e2e.browser import AxeReport, DemoSite

from .conftest import add

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_dashboard_open_data_and_rating_pages(page: Any, demo_site: DemoSite) -> None:
    with scopes_disabled():
        giessen = City.objects.get(slug="giessen")
    giessen.analytics_opt_in = True
    giessen.save()
    yesterday = timezone.now() - timedelta(days=1)
    add(giessen, "started", 9, hour=yesterday, slug="hundesteuer")
    add(giessen, "step_shown", 9, hour=yesterday, slug="hundesteuer", step="owner")
    add(giessen, "submitted", 6, hour=yesterday, slug="hundesteuer", duration_seconds=400)
    add(giessen, "rating", 2, hour=yesterday, slug="hundesteuer", rating=4)
    rollup_day(giessen, timezone.localdate(yesterday))
    make_staff("ada-analytics", giessen, StaffUser.Role.CITY_ADMIN)
    report = AxeReport()

    page.goto(demo_site.url("giessen", "/staff/login/"))
    page.locator("#id_username").fill("ada-analytics")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.locator("#id_token").fill("12345678")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(demo_site.url("giessen", "/statistik/?service=hundesteuer"))
    assert page.locator("svg[role=img]").count() >= 3
    report.check(page, "dashboard")
    page.goto(demo_site.url("giessen", "/opendata/"))
    report.check(page, "open data, city")
    page.goto(demo_site.url(None, "/opendata/"))
    report.check(page, "open data, all cities")

    page.goto(demo_site.url("giessen", "/"))
    with page.expect_navigation():
        page.evaluate(
            """() => { const f = document.createElement('form'); f.method = 'post';
                     f.action = '/bewertung/hundesteuer/'; document.body.append(f);
                     const c = document.cookie.match(/csrftoken=([^;]+)/);
                     if (c) { const i = document.createElement('input'); i.name = 'csrfmiddlewaretoken';
                              i.value = c[1]; f.append(i); }
                     f.submit(); }"""
        )
    assert page.locator("input[type=radio]").count() == 5  # no choice made: the form again
    report.check(page, "rating error")
    report.assert_clean()

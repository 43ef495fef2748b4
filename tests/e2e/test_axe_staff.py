"""axe-core (WCAG 2.1 A/AA) over the staff sign-in pages, their error states,
and the pages every host can show: unknown host, platform start, CSRF failure."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scopes_disabled

from forms_engine.staff.models import StaffUser
from forms_engine.tenants.management.commands.demo import DEMO_PASSWORD
from forms_engine.tenants.models import City
from tests.conftest import make_staff

from .browser import AxeReport, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def submit_login(page: Any, username: str, password: str) -> None:
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


def test_staff_sign_in_pages(page: Any, demo_site: DemoSite) -> None:
    report = AxeReport()
    login = demo_site.url("giessen", "/staff/login/")

    page.goto(demo_site.url("giessen", "/admin/"))
    assert page.url.startswith(login), page.url  # the admin has no login form of its own
    report.check(page, "login")

    submit_login(page, "giessen-cityadmin", "wrong password")
    assert page.locator(".error-summary").is_visible()
    report.check(page, "login error")

    submit_login(page, "giessen-cityadmin", DEMO_PASSWORD)
    assert page.url == demo_site.url("giessen", "/staff/login/verify/")
    report.check(page, "verify")
    page.locator("#id_token").fill("000000")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert page.locator(".error-summary").is_visible()
    report.check(page, "verify error")

    with scopes_disabled():
        giessen = City.objects.get(slug="giessen")
    make_staff("nina-neu", giessen, StaffUser.Role.CASEWORKER, with_backup_code=None)
    page.context.clear_cookies()
    page.goto(login)
    submit_login(page, "nina-neu", "correct-horse-battery-staple-42")
    assert page.url == demo_site.url("giessen", "/staff/login/enrol/")
    report.check(page, "enrol")
    page.locator("#id_token").fill("000000")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert page.locator(".error-summary").is_visible()
    report.check(page, "enrol error")

    page.goto(demo_site.url(None, "/staff/login/"))
    report.check(page, "login on the platform host")
    report.assert_clean()


def test_pages_outside_a_city(page: Any, demo_site: DemoSite) -> None:
    report = AxeReport()
    response = page.goto(demo_site.url("nirgendwo", "/"))
    assert response.status == 404
    report.check(page, "unknown host")

    response = page.goto(demo_site.url(None, "/"))
    assert response.status == 200
    assert page.locator("main a").count() == 6  # the six demo cities
    report.check(page, "platform start")

    response = page.goto(demo_site.url("marburg", "/info/nicht-da/"))
    assert response.status == 404
    report.check(page, "city 404")

    page.goto(demo_site.url("marburg", "/staff/login/"))
    page.context.clear_cookies()  # the form's CSRF cookie is gone: the POST is refused
    page.locator("#id_username").fill("marburg-cityadmin")
    page.locator("#id_password").fill("irrelevant")
    with page.expect_navigation() as refused:
        page.locator("main button[type=submit]").click()
    assert refused.value.status == 403
    report.check(page, "csrf failure")
    report.assert_clean()

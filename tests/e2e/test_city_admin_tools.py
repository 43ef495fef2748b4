"""A Marburg administrator in a real browser: picks the accent colour with the
picker (the contrast shows as they choose), previews a service as a citizen
would under a "Vorschau" banner, and writes the confirmation email with a
preview of it. Axe checks the citizen page under the banner."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scopes_disabled

from forms_engine.analytics.models import UsageEvent
from forms_engine.catalog.models import CityService, CityText
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission
from forms_engine.tenants.models import City
from tests.conftest import PASSWORD, make_staff

from .browser import DemoSite, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SERVICE = "hundesteuer"


def _marburg_admin(demo_site: DemoSite, page: Any) -> City:
    with scopes_disabled():
        marburg = City.objects.get(slug="marburg")
    make_staff("maria-marburg-admin", marburg, StaffUser.Role.CITY_ADMIN)
    page.goto(demo_site.url("marburg", "/staff/login/"))
    page.locator("#id_username").fill("maria-marburg-admin")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    page.locator("#id_token").fill("12345678")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    return marburg


def test_colour_picker_preview_and_confirmation_text(page: Any, demo_site: DemoSite) -> None:
    marburg = _marburg_admin(demo_site, page)
    with scopes_disabled():
        before = (Submission.objects.count(), UsageEvent.objects.count())
        city_service = CityService.objects.get(city=marburg, service_slug=SERVICE)

    # The colour picker fills the #rrggbb box and shows the contrast as one chooses.
    page.goto(demo_site.url("marburg", f"/admin/tenants/city/{marburg.pk}/change/"))
    picker = page.locator("input.colour-picker")
    assert picker.is_visible()
    picker.fill("#7a1f3d")
    assert page.locator("#id_accent_colour").input_value() == "#7a1f3d"
    assert "Kontrast zu Weiß:" in page.locator(".colour-contrast").inner_text()
    page.locator("#id_accent_colour").fill("#ffff00")
    assert "Zu niedrig" in page.locator(".colour-contrast").inner_text()

    # Preview: the service as a citizen sees it, under the banner; nothing counts.
    page.goto(demo_site.url("marburg", f"/admin/catalog/cityservice/{city_service.pk}/change/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Vorschau als Bürgerin oder Bürger").click()
    assert page.locator(".preview-banner").is_visible()
    assert "Vorschau" in page.locator(".preview-banner").inner_text()
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.locator("main button[type=submit]").first.click()
    assert page.locator(".preview-banner").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Vorschau beenden").click()
    with scopes_disabled():
        assert (Submission.objects.count(), UsageEvent.objects.count()) == before

    # The confirmation email in the city's words, previewed before saving.
    page.goto(
        demo_site.url(
            "marburg", f"/admin/catalog/citytext/add/?city_service={city_service.pk}&kind=confirmation&language=de"
        )
    )
    assert "Wie es weitergeht" in page.locator("#id_body").input_value()
    page.locator("#id_subject").fill("Eingang {{ reference }} – {{ city_name }}")
    page.locator("#id_body").fill("Danke! Ihr Zeichen: {{ reference }}.\n{{ office_name }}")
    with page.context.expect_page() as popup_info:
        page.get_by_role("button", name="Vorschau mit Beispielwerten").click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert "Ihr Zeichen: GI-FUND-2026-000001." in popup.locator("#content-main").inner_text()
    popup.close()
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    with scopes_disabled():
        text = CityText.objects.get(city=marburg, kind="confirmation", language="de")
    assert text.body.startswith("Danke!")

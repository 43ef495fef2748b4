"""A city administrator, in a real browser, adds a FIT-Connect target through
typed fields only and "Verbindung testen" passes against the local
Zustelldienst (the stand-in `make run` starts)."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scope, scopes_disabled

from forms_engine.delivery.models import DeliveryTarget
from forms_engine.demo.zustelldienst import Zustelldienst, running
from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City
from tests.conftest import make_staff

from .browser import DemoSite
from .test_delivery_target_admin import sign_in, visible_settings

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_city_admin_adds_and_tests_a_fitconnect_target(page: Any, demo_site: DemoSite, settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True  # the stand-in listens on 127.0.0.1
    with scopes_disabled():
        giessen = City.objects.get(slug="giessen")
    make_staff("gabi-giessen-admin", giessen, StaffUser.Role.CITY_ADMIN)
    with running(Zustelldienst()) as fake:
        destination = fake.add_destination("urn:de:fim:leika:leistung:99107021017000", [])
        typed = fake.options(destination_id=destination)
        sign_in(page, demo_site, "gabi-giessen-admin")
        page.goto(demo_site.url("giessen", "/admin/delivery/deliverytarget/add/"))
        page.locator("#id_name").fill("Jugendamt über FIT-Connect")
        page.locator("#id_service_slug").select_option("unterhaltsvorschuss")
        page.locator("#id_channel").select_option("fitconnect")
        assert visible_settings(page) == ["Einstellungen für: FIT-Connect"]
        page.get_by_label("Umgebung").select_option("custom")
        page.get_by_label("Token-Adresse").fill(typed["token_url"])
        page.get_by_label("Adresse der Submission API").fill(typed["submission_url"])
        page.get_by_label("Adresse der Routing API").fill(typed["routing_url"])
        page.get_by_label("Schlüsseladresse des Self-Service-Portals").fill(typed["portal_jwks_url"])
        page.get_by_label("Client-ID").fill(typed["client_id"])
        page.get_by_label("Client-Geheimnis").fill(typed["client_secret"])
        page.get_by_label("Zustellpunkt-ID").fill(destination)
        page.get_by_label("Vertrauensanker (PEM)").fill(typed["trust_anchors"])
        with page.expect_navigation():
            page.locator("input[name=_continue]").click()
        assert typed["client_secret"] not in page.content()
        page.get_by_role("button", name="Verbindung testen").click()
        page.wait_for_load_state()
        messages = page.locator(".messagelist").inner_text()
        assert "Die Verbindung funktioniert." in messages and "nimmt diese Leistung an" in messages, messages
    assert fake.submissions == {}
    with scope(city=giessen):
        target = DeliveryTarget.objects.get(channel="fitconnect", service_slug="unterhaltsvorschuss")
    assert target.secrets == {"client_secret": typed["client_secret"]}
    assert target.options["destination_id"] == destination and target.options["api_version"] == "v1"

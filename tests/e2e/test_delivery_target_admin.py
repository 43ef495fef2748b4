"""A city administrator, in a real browser, adds an email target and a webhook
target through typed fields only (only the chosen channel's settings are shown)
and tests both connections against real servers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django_scopes import scope, scopes_disabled

from forms_engine.delivery.models import DeliveryTarget
from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City
from tests.conftest import PASSWORD, make_staff
from tests.delivery.contrib.email.test_email_connection import Office
from tests.delivery.contrib.webhook.receiver import running_receiver
from tests.faults.smtp import free_port

from .browser import DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SECRET = "vereinbart-mit-dem-fachverfahren"


@pytest.fixture
def office(settings: Any) -> Iterator[Office]:
    handler, port = Office(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield handler
    controller.stop()


def sign_in(page: Any, site: DemoSite, username: str) -> None:
    page.goto(site.url("giessen", "/staff/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    page.locator("#id_token").fill("12345678")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


def visible_settings(page: Any) -> list[str]:
    return list(
        page.eval_on_selector_all("fieldset.channel-options:not([hidden]) h2", "els => els.map(e => e.innerText)")
    )


def test_city_admin_adds_and_tests_email_and_webhook_targets(
    page: Any, demo_site: DemoSite, office: Office, settings: Any
) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True  # the receiver listens on 127.0.0.1
    with scopes_disabled():
        giessen = City.objects.get(slug="giessen")
    make_staff("gabi-giessen-admin", giessen, StaffUser.Role.CITY_ADMIN)
    sign_in(page, demo_site, "gabi-giessen-admin")
    add = demo_site.url("giessen", "/admin/delivery/deliverytarget/add/")

    page.goto(add)
    page.locator("#id_name").fill("Fundbüro Postfach")
    page.locator("#id_service_slug").select_option("fundsache")
    page.locator("#id_channel").select_option("email")
    assert visible_settings(page) == ["Einstellungen für: E-Mail"]
    page.get_by_label("Empfänger").fill("fundbuero@example.org")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    page.get_by_role("button", name="Verbindung testen").click()
    page.wait_for_load_state()
    assert "Die Verbindung funktioniert." in page.locator(".messagelist").inner_text()
    assert office.recipients == ["fundbuero@example.org"] and office.messages == []

    with running_receiver(SECRET) as receiver:
        page.goto(add)
        page.locator("#id_name").fill("Fundbüro Fachverfahren")
        page.locator("#id_service_slug").select_option("fundsache")
        page.locator("#id_channel").select_option("webhook")
        assert visible_settings(page) == ["Einstellungen für: Webhook (HTTPS-POST)"]
        page.get_by_label("Adresse (URL)").fill(receiver.url)
        page.get_by_label("Signaturgeheimnis").fill(SECRET)
        with page.expect_navigation():
            page.locator("input[name=_continue]").click()
        assert SECRET not in page.content()
        page.get_by_role("button", name="Verbindung testen").click()
        page.wait_for_load_state()
        assert "hat den signierten Ping angenommen" in page.locator(".messagelist").inner_text()
    assert receiver.bad_signatures == 0 and [r["json"]["event"] for r in receiver.requests] == ["ping"]

    with scope(city=giessen):
        targets = {
            t.name: t for t in DeliveryTarget.objects.filter(service_slug="fundsache", name__startswith="Fundbüro")
        }
    assert targets["Fundbüro Postfach"].options["to"] == ["fundbuero@example.org"]
    assert targets["Fundbüro Fachverfahren"].secrets == {"secret": SECRET}

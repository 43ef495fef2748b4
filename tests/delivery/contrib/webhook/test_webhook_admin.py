"""The webhook target in the admin: typed fields, the signing secret encrypted
at rest and never shown again, and "Verbindung testen" as a signed ping."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import connection
from django_scopes import scope

from forms_engine.delivery.models import DeliveryTarget
from tests.conftest import host_client, sign_in
from tests.delivery.contrib.webhook.receiver import running_receiver
from tests.delivery.test_admin import add_target

SECRET = "geheim-geheim-geheim-1234"
NEW_SECRET = "ganz-neues-geheimnis-5678"


def raw_row(target: DeliveryTarget) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT options::text, secrets FROM delivery_deliverytarget WHERE id = %s", [target.pk])
        options, secrets = cursor.fetchone()
    return f"{options} {secrets}"


@pytest.fixture
def admin_client(giessen: Any, giessen_admin: Any, settings: Any) -> Any:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    return client


def webhook_fields(url: str, secret: str) -> dict[str, str]:
    return {"channel": "webhook", "webhook-url": url, "webhook-secret": secret}


@pytest.mark.django_db
def test_secret_is_encrypted_at_rest_and_never_shown_again(
    admin_client: Any, giessen: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = add_target(admin_client, **webhook_fields("http://127.0.0.1:9/hook", SECRET))
    assert response.status_code == 302, response.content[:3000]
    with scope(city=giessen):
        target = DeliveryTarget.objects.get()
    assert target.options == {"url": "http://127.0.0.1:9/hook"} and target.secrets == {"secret": SECRET}
    row = raw_row(target)
    assert SECRET not in row and row.split()[-1].startswith("gAAAA")  # a Fernet token
    change_url = f"/admin/delivery/deliverytarget/{target.pk}/change/"
    for page in (admin_client.get(change_url), admin_client.get("/admin/delivery/deliverytarget/")):
        assert SECRET not in page.content.decode()
    change_page = admin_client.get(change_url).content.decode()
    assert "Leer lassen, um es zu behalten" in change_page
    assert f'action="/admin/delivery/deliverytarget/{target.pk}/test-connection/"' in change_page
    assert ">Verbindung testen</button>" in change_page
    history = admin_client.get(f"/admin/delivery/deliverytarget/{target.pk}/history/").content.decode()
    assert SECRET not in history
    assert all(SECRET not in record.getMessage() for record in caplog.records)

    # Saving again with the secret box left empty keeps the secret ...
    fields = {"name": "Jugendamt", "service_slug": "unterhaltsvorschuss", "enabled": "on"}
    response = admin_client.post(change_url, {**fields, **webhook_fields("http://127.0.0.1:9/neu", "")})
    assert response.status_code == 302, response.content[:3000]
    target.refresh_from_db()
    assert target.options == {"url": "http://127.0.0.1:9/neu"} and target.secrets == {"secret": SECRET}
    # ... a new one replaces it.
    response = admin_client.post(change_url, {**fields, **webhook_fields("http://127.0.0.1:9/neu", NEW_SECRET)})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.secrets == {"secret": NEW_SECRET} and NEW_SECRET not in raw_row(target)


@pytest.mark.django_db
def test_invalid_webhook_settings_are_refused_in_german_and_nothing_is_saved(
    admin_client: Any, giessen: Any, settings: Any
) -> None:
    text = add_target(admin_client, **webhook_fields("http://127.0.0.1:9/hook", "kurz")).content.decode()
    assert "mindestens 16 Zeichen" in text
    text = add_target(admin_client, **webhook_fields("kein url", SECRET)).content.decode()
    assert "Bitte eine gültige Adresse eingeben, z. B." in text
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    text = add_target(admin_client, **webhook_fields("https://10.1.2.3/hook", SECRET)).content.decode()
    assert "Erlaubt sind nur öffentliche Adressen im Internet." in text
    text = add_target(admin_client, **webhook_fields("http://example.org/hook", SECRET)).content.decode()
    assert "Nur https://-Adressen sind erlaubt." in text
    text = add_target(admin_client, **webhook_fields("https://gibt-es-nicht.invalid/hook", SECRET)).content.decode()
    assert "Der Rechnername dieser Adresse ist nicht auffindbar (DNS)." in text
    with scope(city=giessen):
        assert not DeliveryTarget.objects.exists()


@pytest.mark.django_db
def test_verbindung_testen_sends_a_signed_ping_and_no_submission(admin_client: Any, giessen: Any) -> None:
    with running_receiver(SECRET) as receiver:
        add_target(admin_client, **webhook_fields(receiver.url, SECRET))
        with scope(city=giessen):
            target = DeliveryTarget.objects.get()
        response = admin_client.post(f"/admin/delivery/deliverytarget/{target.pk}/test-connection/", follow=True)
    text = response.content.decode()
    assert "Jugendamt: Die Verbindung funktioniert." in text and "hat den signierten Ping angenommen" in text
    assert receiver.bad_signatures == 0
    [ping] = receiver.requests
    assert ping["json"]["event"] == "ping" and ping["json"]["test"] is True and "data" not in ping["json"]


@pytest.mark.django_db
def test_verbindung_testen_reports_a_wrong_secret_and_an_unreachable_back_office(
    admin_client: Any, giessen: Any
) -> None:
    with running_receiver("das-geheimnis-des-fachverfahrens") as receiver:
        add_target(admin_client, **webhook_fields(receiver.url, SECRET))
        with scope(city=giessen):
            target = DeliveryTarget.objects.get()
        response = admin_client.post(
            "/admin/delivery/deliverytarget/",
            {"action": "test_connection", "_selected_action": [target.pk]},
            follow=True,
        )
    text = response.content.decode()
    assert "Verbindungstest fehlgeschlagen" in text and "HTTP 401" in text and "Signaturgeheimnis" in text
    assert receiver.bad_signatures == 1
    # The receiver is gone now: nobody listens on its port.
    response = admin_client.post(f"/admin/delivery/deliverytarget/{target.pk}/test-connection/", follow=True)
    assert "Keine Verbindung zu" in response.content.decode()


@pytest.mark.django_db
def test_reencrypt_rotates_the_stored_secret(giessen: Any, settings: Any) -> None:
    import io

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from forms_engine.lib.crypto import _multifernet
    from tests.submissions.helpers import make_target

    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True
    target = make_target(giessen, "webhook", {"url": "http://127.0.0.1:9/hook", "secret": SECRET})
    old_key, new_key = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    before = raw_row(target)
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    _multifernet.cache_clear()
    try:
        call_command("reencrypt", stdout=io.StringIO())
        settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
        _multifernet.cache_clear()
        with scope(city=giessen):
            assert DeliveryTarget.objects.get().settings()["secret"] == SECRET
        assert raw_row(target) != before
    finally:
        _multifernet.cache_clear()

"""The city administrator's admin: delivery targets with a test delivery,
pull API tokens shown once, and failed steps with "retry now"."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from forms_engine.delivery.models import DeliveryTarget, PullApiToken, hash_token
from forms_engine.submissions.models import ProcessingStep
from tests.conftest import host_client, sign_in
from tests.submissions.helpers import make_target, steps, submit


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


ADD = "/admin/delivery/deliverytarget/add/"


def add_target(client: Any, **fields: str) -> Any:
    data = {"name": "Jugendamt", "service_slug": "unterhaltsvorschuss", "channel": "email", "enabled": "on"}
    return client.post(ADD, {**data, **fields})


@pytest.mark.django_db
def test_target_form_has_typed_fields_of_every_channel_and_no_json(giessen: Any, giessen_admin: Any) -> None:
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    page = client.get(ADD).content.decode()
    for name in ("email-to", "email-include_attachments", "webhook-url", "webhook-secret", "pullapi-system"):
        assert f'name="{name}"' in page, name
    assert 'name="options"' not in page and "JSON" not in page and "{&quot;" not in page
    assert "Empfänger" in page and "Einstellungen für: E-Mail" in page and "Signaturgeheimnis" in page
    assert 'type="password" name="webhook-secret"' in page
    assert "Unterhaltsvorschuss beantragen" in page  # services by name, not by slug


@pytest.mark.django_db
def test_city_admin_adds_an_email_target_through_typed_fields(giessen: Any, giessen_admin: Any) -> None:
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    response = add_target(client, **{"email-to": "amt@example.org, keine-adresse"})
    assert response.status_code == 200  # refused, with the field's German message
    assert "„keine-adresse“ ist keine gültige E-Mail-Adresse." in response.content.decode()
    response = add_target(client, **{"email-to": ""})
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    with scope(city=giessen):
        assert not DeliveryTarget.objects.exists()  # nothing saved on error
    response = add_target(
        client, **{"email-to": "amt@example.org; vertretung@example.org", "email-include_attachments": "on"}
    )
    assert response.status_code == 302, response.content[:2000]
    with scope(city=giessen):
        target = DeliveryTarget.objects.get()
    assert target.city == giessen and target.channel == "email"
    assert target.options == {"to": ["amt@example.org", "vertretung@example.org"], "include_attachments": True}
    assert target.secrets == {}
    change = client.get(f"/admin/delivery/deliverytarget/{target.pk}/change/").content.decode()
    assert 'value="amt@example.org, vertretung@example.org"' in change


@pytest.mark.django_db
def test_test_delivery_action_sends_a_marked_test(giessen: Any, giessen_admin: Any) -> None:
    target = make_target(giessen, "email", {"to": ["amt@example.org"]})
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    response = client.post(
        "/admin/delivery/deliverytarget/",
        {"action": "send_test_delivery", "_selected_action": [target.pk]},
        follow=True,
    )
    assert response.status_code == 200
    [message] = mail.outbox
    assert "TEST" in message.subject and message.to == ["amt@example.org"]


@pytest.mark.django_db
def test_connection_test_of_another_citys_target_is_not_found(giessen: Any, marburg: Any, marburg_admin: Any) -> None:
    target = make_target(giessen, "email", {"to": ["amt@example.org"]})
    client = host_client("marburg.localhost")
    sign_in(client, marburg_admin.username)
    assert client.post(f"/admin/delivery/deliverytarget/{target.pk}/test-connection/").status_code == 404
    assert client.get(f"/admin/delivery/deliverytarget/{target.pk}/test-connection/").status_code in (404, 405)


@pytest.mark.django_db
def test_token_is_shown_once_and_stored_hashed(giessen: Any, giessen_admin: Any) -> None:
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    response = client.post(
        "/admin/delivery/pullapitoken/add/", {"system": "jugendamt-fachverfahren", "active": "on"}, follow=True
    )
    text = response.content.decode()
    token = text.split("gmt_", 1)[1].split("<", 1)[0].split()[0].rstrip(".")
    with scope(city=giessen):
        row = PullApiToken.objects.get()
    assert row.token_hash == hash_token("gmt_" + token)
    assert token not in row.token_hash


@pytest.mark.django_db
def test_failed_step_is_listed_and_retry_now_makes_it_pending(giessen: Any, giessen_admin: Any, marburg: Any) -> None:
    make_target(giessen, "email", {"to": ["amt@example.org"]})
    submission = submit(giessen)
    other = submit(marburg)
    with scopes_disabled():
        ProcessingStep.objects.filter(submission=submission, kind="pdf").update(
            state="failed", attempts=6, last_error="OSError: disk full"
        )
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    listing = client.get("/admin/submissions/processingstep/?state__exact=failed")
    assert listing.status_code == 200
    assert submission.reference in listing.content.decode() and "disk full" in listing.content.decode()
    assert other.reference not in client.get("/admin/submissions/processingstep/").content.decode()
    step = steps(submission)["pdf"]
    response = client.post(
        "/admin/submissions/processingstep/", {"action": "retry_now", "_selected_action": [step.pk]}, follow=True
    )
    assert response.status_code == 200
    step.refresh_from_db()
    assert (
        step.state == "pending"
        and step.attempts == 0
        and step.next_try_at is not None
        and step.next_try_at <= timezone.now()
    )


@pytest.mark.django_db
def test_operator_sees_failed_steps_of_every_city(giessen: Any, marburg: Any, operator: Any) -> None:
    first, second = submit(giessen), submit(marburg)
    with scopes_disabled():
        ProcessingStep.objects.filter(kind="pdf").update(state="failed", last_error="OSError: disk full")
    client = host_client("localhost")
    sign_in(client, operator.username)
    listing = client.get("/admin/submissions/processingstep/?state__exact=failed").content.decode()
    assert first.reference in listing and second.reference in listing

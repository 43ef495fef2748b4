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


@pytest.mark.django_db
def test_city_admin_adds_a_target_and_sends_a_test_delivery(giessen: Any, giessen_admin: Any) -> None:
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    response = client.post(
        "/admin/delivery/deliverytarget/add/",
        {
            "name": "Jugendamt",
            "service_slug": "unterhaltsvorschuss",
            "channel": "email",
            "options": '{"to": "not-an-address"}',
            "enabled": "on",
        },
    )
    assert response.status_code == 200  # refused: bad options
    response = client.post(
        "/admin/delivery/deliverytarget/add/",
        {
            "name": "Jugendamt",
            "service_slug": "unterhaltsvorschuss",
            "channel": "email",
            "options": '{"to": ["amt@example.org"]}',
            "enabled": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    with scope(city=giessen):
        target = DeliveryTarget.objects.get()
    assert target.city == giessen and target.options["to"] == ["amt@example.org"]
    response = client.post(
        "/admin/delivery/deliverytarget/",
        {"action": "send_test_delivery", "_selected_action": [target.pk]},
        follow=True,
    )
    assert response.status_code == 200
    [message] = mail.outbox
    assert "TEST" in message.subject and message.to == ["amt@example.org"]


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

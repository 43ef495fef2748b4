"""Webhook delivery: signed, with an idempotency key, attachments as signed
links that work without login and expire; private addresses refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from forms_engine.delivery import registry
from forms_engine.lib.outbound import check_url
from forms_engine.submissions import tasks
from forms_engine.submissions.models import ProcessingStep
from tests.conftest import host_client
from tests.delivery.contrib.webhook.receiver import running_receiver
from tests.submissions.helpers import make_target, steps, submit

SECRET = "s3cret-s3cret-s3cret"


def _run(task: Any, step: ProcessingStep) -> Any:
    return task.apply(args=(step.city_id, str(step.pk))).get()


@pytest.mark.django_db
def test_webhook_posts_signed_payload_with_links(giessen: Any, settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True
    with running_receiver(SECRET) as receiver:
        target = make_target(giessen, "webhook", {"url": receiver.url, "secret": SECRET})
        submission = submit(giessen)
        planned = steps(submission)
        _run(tasks.render_pdf, planned["pdf"])
        delivery = planned[f"delivery:{target.pk}"]
        assert _run(tasks.deliver, delivery) == "done"
        assert _run(tasks.deliver, delivery) == "skipped"
    assert receiver.bad_signatures == 0
    [request] = receiver.requests
    assert request["key"] == str(delivery.pk)
    payload = request["json"]
    assert payload["reference"] == submission.reference
    assert payload["data"]["antragsteller"]["nachname"] == "Müßig"
    assert payload["schema"] == "https://giessen.localhost/api/schemas/unterhaltsvorschuss/2.json"
    [attachment] = payload["attachments"]
    assert attachment["filename"] == "Geburtsurkunde Jörg.pdf"

    client = host_client("giessen.localhost")
    path = attachment["url"].removeprefix("https://giessen.localhost")
    response = client.get(path)
    assert response.status_code == 200 and response.content == b"%PDF-1.4 Geburtsurkunde"
    pdf = client.get(payload["pdf_url"].removeprefix("https://giessen.localhost"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(path[:-3] + "xx/").status_code == 404  # tampered


@pytest.mark.django_db
def test_expired_link_is_refused(giessen: Any, settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True
    from forms_engine.delivery.payload import signed_link

    submission = submit(giessen)
    with scope(city=giessen):
        link = signed_link(giessen, "attachment", submission.attachments.get().pk)
    settings.DELIVERY_LINK_MAX_AGE = -1
    assert host_client("giessen.localhost").get(link.removeprefix("https://giessen.localhost")).status_code == 404


@pytest.mark.django_db
def test_link_of_one_city_is_refused_on_another_citys_host(giessen: Any, marburg: Any) -> None:
    from forms_engine.delivery.payload import signed_link

    submission = submit(giessen)
    with scope(city=giessen):
        link = signed_link(giessen, "attachment", submission.attachments.get().pk)
    assert host_client("marburg.localhost").get(link.removeprefix("https://giessen.localhost")).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/x",
        "https://10.1.2.3/x",
        "https://169.254.169.254/latest",
        "https://[::1]/",
        "https://localhost/",
    ],
)
def test_private_loopback_and_link_local_targets_are_refused(url: str, settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(ValidationError):
        check_url(url)


def test_plain_http_is_refused(settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(ValidationError):
        check_url("http://example.org/hook")


@pytest.mark.django_db
def test_refused_target_fails_at_once(giessen: Any, settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True  # saved while allowed, then forbidden
    target = make_target(giessen, "webhook", {"url": "https://127.0.0.1/hook", "secret": SECRET})
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    submission = submit(giessen)
    planned = steps(submission)
    _run(tasks.render_pdf, planned["pdf"])
    assert _run(tasks.deliver, planned[f"delivery:{target.pk}"]) == "failed"


def test_webhook_options_are_validated(settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = False
    channel = registry.get("webhook")
    assert channel is not None
    with pytest.raises(ValidationError):
        channel.validate_options({"url": "https://10.0.0.1/", "secret": SECRET})
    with pytest.raises(ValidationError):
        channel.validate_options({"url": "https://example.org/", "secret": "short"})
    assert channel.validate_options({"url": "https://93.184.215.14/", "secret": SECRET})["secret"] == SECRET

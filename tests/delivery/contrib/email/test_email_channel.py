"""Email delivery to the back office: PDF, data JSON with its schema URI and the
uploaded documents; options validated; the admin's test delivery."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from forms_engine.delivery import registry
from forms_engine.submissions import tasks
from tests.submissions.helpers import make_target, steps, submit


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.django_db
def test_email_delivery_carries_pdf_json_and_attachments(giessen: Any) -> None:
    target = make_target(giessen, "email", {"to": ["amt@example.org", "vertretung@example.org"]})
    submission = submit(giessen, email=None)
    planned = steps(submission)
    tasks.render_pdf.apply(args=(giessen.pk, str(planned["pdf"].pk)))
    step = planned[f"delivery:{target.pk}"]
    tasks.deliver.apply(
        args=(
            giessen.pk,
            str(step.pk),
        )
    )
    [message] = mail.outbox
    # The office reads the service's name, not its slug.
    assert message.subject == f"[{submission.reference}] Unterhaltsvorschuss beantragen"
    assert message.to == ["amt@example.org", "vertretung@example.org"]
    assert message.extra_headers["Message-ID"] == f"<delivery-{step.pk}@giessen.example>"
    names = [a[0] for a in message.attachments]
    assert names == [
        f"{submission.reference}.pdf",
        f"{submission.reference}.json",
        "geburtsurkunde-Geburtsurkunde Jörg.pdf",
    ]
    data = json.loads(message.attachments[1][1])
    assert data["schema"].endswith("/api/schemas/unterhaltsvorschuss/2.json")
    assert data["data"]["antragsteller"]["vorname"] == "Jörg"
    assert message.attachments[2][1] == b"%PDF-1.4 Geburtsurkunde"


def test_email_options_are_validated() -> None:
    channel = registry.get("email")
    assert channel is not None
    with pytest.raises(ValidationError):
        channel.validate_options({"to": ["not-an-address"]})
    with pytest.raises(ValidationError):
        channel.validate_options({"to": []})
    assert channel.validate_options({"to": "a@example.org, b@example.org"})["to"] == ["a@example.org", "b@example.org"]


@pytest.mark.django_db
def test_unknown_channel_is_refused(giessen: Any) -> None:
    from forms_engine.delivery.models import DeliveryTarget

    with pytest.raises(ValidationError):
        DeliveryTarget(city=giessen, service_slug="unterhaltsvorschuss", name="x", channel="fax", options={}).clean()

"""Every registered service, every sample path: through all steps over HTTP,
submitted, delivered, and the delivered data valid against the JSON Schema that
the delivery's own `schema` link serves."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.core import mail
from django_scopes import scope

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers
from forms_engine.catalog.schema import data_schema
from forms_engine.delivery import registry as channels
from forms_engine.delivery.base import Delivery
from forms_engine.delivery.models import DeliveryTarget
from forms_engine.submissions.models import Submission
from tests.conftest import enable_service, host_client
from tests.wizard.walk import walk

PATHS = [(service.slug, path) for service in registry.all_services() for path in service.sample_answers]


def test_every_service_has_sample_paths() -> None:
    for service in registry.all_services():
        assert service.sample_answers, f"{service.slug} has no sample answers"


@pytest.mark.parametrize(("slug", "path"), PATHS, ids=[f"{s}-{p}" for s, p in PATHS])
def test_service_path_submits_valid_data(giessen: Any, slug: str, path: str, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    service = registry.get(slug)
    assert service is not None
    enable_service(giessen, slug)
    client = host_client("giessen.localhost")
    result = walk(client, slug, dict(service.sample_answers[path]))
    done = client.get(result["done_url"])
    assert done.status_code == 200
    with scope(city=giessen):
        submission = Submission.objects.get()
        assert submission.reference in done.content.decode()
        assert submission.service_version == service.version
        schema = data_schema(service)
        jsonschema.validate(submission.data, schema, format_checker=jsonschema.FormatChecker())
        assert [s["step"] for s in submission.snapshot if s["step"] != "_summary"] == [
            s.name for s in service.active_steps(Answers(submission.data))
        ]

        delivered = deliver_by_email(submission)

    # The link the delivery carries resolves, on the city's host, to the
    # schema the delivered data is valid against.
    link = urlsplit(delivered["schema"])
    assert link.hostname == "giessen.localhost"
    response = client.get(link.path, HTTP_HOST=link.netloc)
    assert response.status_code == 200 and response["Content-Type"] == "application/schema+json"
    served = response.json()
    assert served["$id"] == delivered["schema"]
    jsonschema.Draft202012Validator.check_schema(served)
    jsonschema.validate(delivered["data"], served, format_checker=jsonschema.FormatChecker())
    assert {k: v for k, v in served.items() if k != "$id"} == {k: v for k, v in schema.items() if k != "$id"}


def deliver_by_email(submission: Submission) -> dict[str, Any]:
    """A real delivery through the email channel; returns its JSON attachment."""
    target = DeliveryTarget(city=submission.city, service_slug=submission.service_slug, name="Fachamt", channel="email")
    target.configure({"to": ["fachamt@example.org"]})
    target.save()
    channel = channels.get("email")
    assert channel is not None
    channel.deliver(target, Delivery(submission=submission, pdf=b"%PDF-1.7", idempotency_key=str(uuid.uuid4())))
    [message] = mail.outbox
    [payload] = [a[1] for a in message.attachments if a[0].endswith(".json")]
    return dict(json.loads(payload))
